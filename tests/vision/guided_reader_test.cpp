// Mark-guided code reading on a rendered label: the stand-in mark with a QR code beside it
// in a real photo, through the real detector and the real ZXing-cpp decoder.
#include "mengscan/vision/guided_reader.hpp"

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>
#include <doctest/doctest.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "common/test_support.hpp"
#include "mengscan/vision/mark_detector.hpp"
#include "vision/mark_scene.hpp"

using namespace mengscan;

namespace {

const std::string kPayload = "https://trace.mzb.example/t/0021-MZB-24-00057/002124583920175534";

// A QR code, `side` px, quiet zone included, drawn upright at (x, y).
void drawQr(cv::Mat& frame, int x, int y, int side) {
    const ZXing::BitMatrix bits =
        ZXing::MultiFormatWriter(ZXing::BarcodeFormat::QRCode).setMargin(2).encode(kPayload, 0, 0);
    cv::Mat qr(bits.height(), bits.width(), CV_8UC1);
    for (int r = 0; r < bits.height(); ++r)
        for (int c = 0; c < bits.width(); ++c) qr.at<uint8_t>(r, c) = bits.get(c, r) ? 20 : 240;
    cv::Mat big, bgr;
    cv::resize(qr, big, cv::Size(side, side), 0, 0, cv::INTER_AREA);
    cv::cvtColor(big, bgr, cv::COLOR_GRAY2BGR);
    bgr.copyTo(frame(cv::Rect(x, y, side, side)));
}

struct Label {
    cv::Mat frame;
    cv::Mat gray;
};

Label renderLabel(int markPx, int qrPx, int photo, bool withQr = true) {
    const cv::Mat art = cv::imread(
        (test::sourceRoot() / "assets" / "mark" / "meng-mark.png").string(), cv::IMREAD_UNCHANGED);
    REQUIRE(!art.empty());
    test::MarkScene scene;
    scene.markPx = markPx;
    scene.centre = {500, 360};
    scene.rotationDeg = 8;
    Label l;
    l.frame = test::renderMarkScene(test::backgroundPhoto(photo), art, scene);
    if (withQr) drawQr(l.frame, 500 + markPx * 3 / 4, 360 - qrPx / 2, qrPx);
    cv::cvtColor(l.frame, l.gray, cv::COLOR_BGR2GRAY);
    return l;
}

vision::MarkDetector standIn() {
    auto t = vision::loadMarkTemplate(vision::bundledMarkTemplatePath());
    REQUIRE(t.hasValue());
    return vision::MarkDetector(std::move(*t));
}

}  // namespace

TEST_CASE("guided reading: the code beside a found mark is read from the mark's region") {
    const auto detector = standIn();
    const vision::CodeReader reader;
    for (int markPx : {60, 120, 240}) {
        CAPTURE(markPx);
        const Label l = renderLabel(markPx, markPx, markPx / 60);
        const auto mark = detector.detect(l.frame);
        REQUIRE(mark.found);
        const auto codes = vision::readCodesGuided(reader, l.gray, &mark);
        REQUIRE(codes.size() == 1);
        CHECK(codes[0].text == kPayload);
        CHECK(codes[0].pass.rfind("mark-region/", 0) == 0);
        // Corners come back in frame pixels (the QR's left edge is right of the mark).
        CHECK(codes[0].quad[0].x > 500);
        CHECK(codes[0].quad[0].x < 500 + markPx * 3 / 4 + markPx / 3);
    }
}

TEST_CASE("guided reading: without a mark the code is still found, and nothing is invented") {
    const vision::CodeReader reader;
    const Label withCode = renderLabel(100, 100, 1);
    const auto codes = vision::readCodesGuided(reader, withCode.gray, nullptr);
    REQUIRE(codes.size() == 1);
    CHECK(codes[0].text == kPayload);
    CHECK(codes[0].pass.rfind("mark-region/", 0) != 0);

    // Whole-frame fallback switched off and no regions: nothing.
    vision::GuidedReadOptions none;
    none.codeRegions = false;
    none.wholeFrame = false;
    CHECK(vision::readCodesGuided(reader, withCode.gray, nullptr, none).empty());

    const Label noCode = renderLabel(100, 100, 2, false);
    CHECK(vision::readCodesGuided(reader, noCode.gray, nullptr).empty());
    // Bad input: empty or colour Mat gives nothing, never throws.
    CHECK(vision::readCodesGuided(reader, cv::Mat(), nullptr).empty());
    CHECK(vision::readCodesGuided(reader, withCode.frame, nullptr).empty());
}

TEST_CASE("guided reading: the whole-frame last resort is one plain pass unless asked for more") {
    const vision::CodeReader reader;
    vision::GuidedReadOptions wholeOnly;
    wholeOnly.codeRegions = false;
    const Label readable = renderLabel(100, 100, 1);
    const auto codes = vision::readCodesGuided(reader, readable.gray, nullptr, wholeOnly);
    REQUIRE(codes.size() == 1);
    CHECK(codes[0].text == kPayload);
    CHECK(codes[0].pass == "plain");

    // A tiny code (about 1.3 px per module): the plain pass alone misses it; the opt-in
    // 2x upscaled pass and the reader's full chain read it.
    const Label tiny = renderLabel(100, 48, 1);
    CHECK(vision::readCodesGuided(reader, tiny.gray, nullptr, wholeOnly).empty());
    vision::GuidedReadOptions upscale = wholeOnly;
    upscale.wholeFrameUpscale = true;
    const auto up = vision::readCodesGuided(reader, tiny.gray, nullptr, upscale);
    REQUIRE(up.size() == 1);
    CHECK(up[0].text == kPayload);
    CHECK(up[0].pass == "upscale-2x/plain");
    vision::GuidedReadOptions full = wholeOnly;
    full.wholeFrameEnhance = true;
    const auto chain = vision::readCodesGuided(reader, tiny.gray, nullptr, full);
    REQUIRE(chain.size() == 1);
    CHECK(chain[0].text == kPayload);
}
