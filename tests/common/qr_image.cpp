#include "common/qr_image.hpp"

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

namespace mengscan::test {

bool writeQrPng(const std::string& text, const std::string& path) {
    const auto bits =
        ZXing::MultiFormatWriter(ZXing::BarcodeFormat::QRCode).setMargin(0).encode(text, 0, 0);
    const int module = 6, quiet = 4;
    cv::Mat img((bits.height() + 2 * quiet) * module, (bits.width() + 2 * quiet) * module, CV_8UC1,
                cv::Scalar(255));
    for (int y = 0; y < bits.height(); ++y) {
        for (int x = 0; x < bits.width(); ++x) {
            if (bits.get(x, y)) {
                img(cv::Rect((x + quiet) * module, (y + quiet) * module, module, module)) = 0;
            }
        }
    }
    return cv::imwrite(path, img);
}

}  // namespace mengscan::test
