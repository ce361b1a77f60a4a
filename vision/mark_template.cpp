// Loading the mark's reference artwork. The deployer may drop in any emblem: PNG with
// alpha (preferred) or an opaque image whose uniform border colour is taken as "not mark".
#include <algorithm>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "mengscan/vision/mark_detector.hpp"

namespace mengscan::vision {
namespace {

// Without alpha: pixels close to the median border colour, connected to the border, are
// background. Interior pixels of that colour (white inside a seal) stay part of the mark.
cv::Mat maskFromBorder(const cv::Mat& bgr) {
    std::vector<cv::Vec3b> border;
    for (int x = 0; x < bgr.cols; ++x) {
        border.push_back(bgr.at<cv::Vec3b>(0, x));
        border.push_back(bgr.at<cv::Vec3b>(bgr.rows - 1, x));
    }
    for (int y = 0; y < bgr.rows; ++y) {
        border.push_back(bgr.at<cv::Vec3b>(y, 0));
        border.push_back(bgr.at<cv::Vec3b>(y, bgr.cols - 1));
    }
    cv::Vec3b median;
    for (int c = 0; c < 3; ++c) {
        std::vector<uint8_t> ch;
        for (const auto& p : border) ch.push_back(p[c]);
        std::nth_element(ch.begin(), ch.begin() + ch.size() / 2, ch.end());
        median[c] = ch[ch.size() / 2];
    }
    cv::Mat diff;
    cv::absdiff(bgr, cv::Scalar(median[0], median[1], median[2]), diff);
    std::vector<cv::Mat> ch;
    cv::split(diff, ch);
    cv::Mat maxDiff = cv::max(cv::max(ch[0], ch[1]), ch[2]);
    cv::Mat like = maxDiff < 24;  // 255 where the pixel looks like the border
    // Flood from the border through "like" pixels: that region is background.
    cv::Mat padded;
    cv::copyMakeBorder(like, padded, 1, 1, 1, 1, cv::BORDER_CONSTANT, 255);
    cv::Mat ffMask = cv::Mat::zeros(padded.rows + 2, padded.cols + 2, CV_8UC1);
    cv::floodFill(padded, ffMask, cv::Point(0, 0), 128, nullptr, 0, 0,
                  4 | cv::FLOODFILL_FIXED_RANGE);
    cv::Mat background = padded(cv::Rect(1, 1, bgr.cols, bgr.rows)) == 128;
    cv::Mat mask;
    cv::bitwise_not(background, mask);
    return mask;
}

}  // namespace

Expected<MarkTemplate> makeMarkTemplate(const cv::Mat& image, const std::string& name) {
    if (image.empty() || image.depth() != CV_8U) {
        return makeUnexpected(ErrorCategory::Image, "bad_template",
                              "mark template " + name + " is empty or not 8-bit");
    }
    try {
        MarkTemplate t;
        t.name = name;
        cv::Mat mask;
        switch (image.channels()) {
            case 4: {
                cv::cvtColor(image, t.bgr, cv::COLOR_BGRA2BGR);
                cv::extractChannel(image, mask, 3);
                mask = mask >= 128;
                // Colour under (nearly) transparent pixels is arbitrary: show it as white.
                t.bgr.setTo(cv::Scalar(255, 255, 255), ~mask);
                break;
            }
            case 3:
                t.bgr = image.clone();
                break;
            case 1:
                cv::cvtColor(image, t.bgr, cv::COLOR_GRAY2BGR);
                break;
            default:
                return makeUnexpected(ErrorCategory::Image, "bad_template",
                                      "mark template " + name + " has an unsupported layout");
        }
        if (mask.empty()) mask = maskFromBorder(t.bgr);
        const cv::Rect box = cv::boundingRect(mask);
        if (box.width < 16 || box.height < 16) {
            return makeUnexpected(ErrorCategory::Image, "bad_template",
                                  "mark template " + name + " has no artwork (under 16 px)");
        }
        t.bgr = t.bgr(box).clone();
        t.mask = mask(box).clone();
        return t;
    } catch (const cv::Exception& e) {
        return makeUnexpected(ErrorCategory::Image, "bad_template",
                              "mark template " + name + ": " + e.what());
    }
}

std::string bundledMarkTemplatePath() {
    return std::string(MENGSCAN_SOURCE_ROOT) + "/assets/mark/meng-mark.png";
}

Expected<MarkTemplate> loadMarkTemplate(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        return makeUnexpected(ErrorCategory::Io, "template_not_found",
                              "mark template not found: " + path);
    }
    cv::Mat image;
    try {
        image = cv::imread(path, cv::IMREAD_UNCHANGED);
    } catch (const cv::Exception& e) {
        return makeUnexpected(ErrorCategory::Image, "template_unreadable",
                              "cannot read mark template " + path + ": " + e.what());
    }
    if (image.empty()) {
        return makeUnexpected(ErrorCategory::Image, "template_unreadable",
                              "cannot read mark template " + path);
    }
    if (image.depth() == CV_16U) image.convertTo(image, CV_8U, 1.0 / 257);
    return makeMarkTemplate(image, std::filesystem::path(path).filename().string());
}

}  // namespace mengscan::vision
