// Mark-guided code reading on a rendered label: the stand-in mark with a QR code beside it
// in a real photo, through the real detector and the real ZXing-cpp decoder.
#include "mengscan/vision/guided_reader.hpp"

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>
#include <doctest/doctest.h>

#include <array>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <utility>

#include "code_regions.hpp"
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
    vision::MarkDetection truth;  // where the mark really is, as a found detection
};

// photo < 0: a plain grey card instead of a photo.
Label renderLabel(int markPx, int qrPx, int photo, bool withQr = true) {
    const cv::Mat art = cv::imread(
        (test::sourceRoot() / "assets" / "mark" / "meng-mark.png").string(), cv::IMREAD_UNCHANGED);
    REQUIRE(!art.empty());
    test::MarkScene scene;
    scene.markPx = markPx;
    scene.centre = {500, 360};
    scene.rotationDeg = 8;
    Label l;
    std::array<cv::Point2f, 4> quad;
    const cv::Mat background = photo >= 0 ? test::backgroundPhoto(photo)
                                          : cv::Mat(test::kSceneHeight, test::kSceneWidth, CV_8UC3,
                                                    cv::Scalar(200, 205, 210));
    l.frame = test::renderMarkScene(background, art, scene, &quad);
    l.truth.found = true;
    for (size_t i = 0; i < 4; ++i) l.truth.quad[i] = {quad[i].x, quad[i].y};
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
        // Mark-guided: a square beside the mark, or the mark's whole neighbourhood.
        CHECK((codes[0].pass.rfind("beside-mark", 0) == 0 ||
               codes[0].pass.rfind("mark-region/", 0) == 0));
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
    CHECK(codes[0].pass.rfind("beside-mark/", 0) != 0);

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

TEST_CASE("guided reading: the whole-frame last resort is one quick pass unless asked for more") {
    const vision::CodeReader reader;
    vision::GuidedReadOptions wholeOnly;
    wholeOnly.codeRegions = false;
    const Label readable = renderLabel(100, 100, 1);
    const auto codes = vision::readCodesGuided(reader, readable.gray, nullptr, wholeOnly);
    REQUIRE(codes.size() == 1);
    CHECK(codes[0].text == kPayload);
    CHECK(codes[0].pass == "whole-frame/quick");

    // A tiny code (about 1.3 px per module): the quick pass alone misses it; the opt-in
    // 2x upscaled pass and the reader's full chain read it.
    const Label tiny = renderLabel(100, 48, 1);
    CHECK(vision::readCodesGuided(reader, tiny.gray, nullptr, wholeOnly).empty());
    vision::GuidedReadOptions upscale = wholeOnly;
    upscale.wholeFrameUpscale = true;
    const auto up = vision::readCodesGuided(reader, tiny.gray, nullptr, upscale);
    REQUIRE(up.size() == 1);
    CHECK(up[0].text == kPayload);
    CHECK(up[0].pass == "whole-frame-upscaled/quick");
    vision::GuidedReadOptions full = wholeOnly;
    full.wholeFrameEnhance = true;
    const auto chain = vision::readCodesGuided(reader, tiny.gray, nullptr, full);
    REQUIRE(chain.size() == 1);
    CHECK(chain[0].text == kPayload);
    CHECK(chain[0].pass.rfind("whole-frame/", 0) == 0);
}

TEST_CASE("guided reading: with a found mark the whole frame is searched only when asked") {
    const vision::CodeReader reader;
    // The code far from the mark (top right corner), regions off: only the whole frame
    // could read it.
    Label l = renderLabel(100, 100, 1, false);
    drawQr(l.frame, 1080, 20, 150);
    cv::cvtColor(l.frame, l.gray, cv::COLOR_BGR2GRAY);
    vision::GuidedReadOptions options;
    options.codeRegions = false;
    CHECK(vision::readCodesGuided(reader, l.gray, &l.truth, options).empty());
    options.wholeFrameWithMark = true;
    const auto codes = vision::readCodesGuided(reader, l.gray, &l.truth, options);
    REQUIRE(codes.size() == 1);
    CHECK(codes[0].text == kPayload);
    CHECK(codes[0].pass == "whole-frame/quick");
    CHECK(codes[0].quad[0].x > 1080);
}

TEST_CASE("guided reading: the code is looked for first in a square beside the mark") {
    const vision::CodeReader reader;
    vision::GuidedReadOptions markOnly;
    markOnly.codeRegions = false;
    markOnly.wholeFrame = false;
    for (int markPx : {60, 120, 240}) {
        CAPTURE(markPx);
        const Label l = renderLabel(markPx, markPx, 2);
        const auto codes = vision::readCodesGuided(reader, l.gray, &l.truth, markOnly);
        REQUIRE(codes.size() == 1);
        CHECK(codes[0].text == kPayload);
        CHECK(codes[0].pass == "beside-mark-rectified/quick");
        // Frame coordinates, back through the mark's homography: the QR's left edge is
        // right of the mark, its corners where it was drawn.
        CHECK(codes[0].quad[0].x > 500 + markPx / 2);
        CHECK(codes[0].quad[0].x < 500 + markPx * 3 / 4 + markPx / 3);
        CHECK(codes[0].quad[0].y == doctest::Approx(360 - markPx / 2).epsilon(0.1));
        vision::GuidedReadOptions framed = markOnly;
        framed.rectifiedBeside = false;
        const auto boxed = vision::readCodesGuided(reader, l.gray, &l.truth, framed);
        REQUIRE(boxed.size() == 1);
        CHECK(boxed[0].pass == "beside-mark/quick");
        CHECK(boxed[0].quad[0].x == doctest::Approx(codes[0].quad[0].x).epsilon(0.05));
        vision::GuidedReadOptions neighbourhood = framed;
        neighbourhood.besideMark = false;
        const auto again = vision::readCodesGuided(reader, l.gray, &l.truth, neighbourhood);
        REQUIRE(again.size() == 1);
        CHECK(again[0].pass == "mark-region/quick");
    }
}

TEST_CASE("guided reading: only squares beside the mark that hold code-like texture are read") {
    const vision::CodeReader reader;
    vision::GuidedReadOptions markOnly;
    markOnly.wholeFrame = false;
    for (int markPx : {60, 120, 240}) {
        CAPTURE(markPx);
        // The code right of the mark: that direction (0) is the code-like one, above the
        // threshold; the others (paper, then the photo) are not.
        const Label l = renderLabel(markPx, markPx, 1);
        const auto likeness = vision::detail::codeLikenessBeside(l.gray, l.truth, markOnly);
        REQUIRE(likeness.size() == 4);
        CHECK(likeness[0] >= markOnly.minCodeLikeness);
        CHECK(likeness[0] > 2 * std::max({likeness[1], likeness[2], likeness[3]}));
        // Without a code, on a plain card, nothing beside the mark looks like one.
        const Label blank = renderLabel(markPx, markPx, -1, false);
        for (double v : vision::detail::codeLikenessBeside(blank.gray, blank.truth, markOnly))
            CHECK(v < markOnly.minCodeLikeness / 2);
    }
    // A code in the mark's neighbourhood but diagonally off, outside every code-sized
    // square: no square is code-like, so the neighbourhood is not read either ...
    const int markPx = 100;
    Label off = renderLabel(markPx, markPx, -1, false);
    drawQr(off.frame, 590, 180, 90);
    cv::cvtColor(off.frame, off.gray, cv::COLOR_BGR2GRAY);
    vision::GuidedReadOptions neighbourhoodOnly = markOnly;
    neighbourhoodOnly.codeRegions = false;
    neighbourhoodOnly.rectifiedBeside = neighbourhoodOnly.besideMark = false;
    CHECK(vision::readCodesGuided(reader, off.gray, &off.truth, neighbourhoodOnly).empty());
    // ... unless the test is off.
    neighbourhoodOnly.minCodeLikeness = 0;
    const auto codes = vision::readCodesGuided(reader, off.gray, &off.truth, neighbourhoodOnly);
    REQUIRE(codes.size() == 1);
    CHECK(codes[0].pass == "mark-region/quick");
}

TEST_CASE("guided reading: with the squares on, the whole neighbourhood is read only when asked") {
    const vision::CodeReader reader;
    vision::GuidedReadOptions squares;
    squares.wholeFrame = squares.codeRegions = false;
    squares.minCodeLikeness = 0;  // every square read, none holding the code
    // A code diagonally off the mark (100 px at 500, 360): outside every square, inside
    // the neighbourhood.
    Label off = renderLabel(100, 100, -1, false);
    drawQr(off.frame, 680, 120, 80);
    cv::cvtColor(off.frame, off.gray, cv::COLOR_BGR2GRAY);
    CHECK(vision::readCodesGuided(reader, off.gray, &off.truth, squares).empty());
    squares.neighbourhoodRead = true;
    const auto codes = vision::readCodesGuided(reader, off.gray, &off.truth, squares);
    REQUIRE(codes.size() == 1);
    CHECK(codes[0].text == kPayload);
    CHECK(codes[0].pass == "mark-region/quick");
}

TEST_CASE("guided reading: a blurred code beside the mark is read by the sharpened second look") {
    const vision::CodeReader reader;
    // Sharpened: the squares beside the mark, or its neighbourhood when those are off.
    for (const bool beside : {true, false}) {
        CAPTURE(beside);
        vision::GuidedReadOptions markOnly;
        markOnly.codeRegions = false;
        markOnly.wholeFrame = false;
        markOnly.besideMark = beside;
        // Upright and resampled, a blurred code reads longer in the quick pass; then the
        // sharpened squares rescue none here (they do on the scene sets: docs/benchmarks.md).
        markOnly.rectifiedBeside = false;
        const std::string expected = beside ? "beside-mark/sharpen" : "mark-region/sharpen";
        vision::GuidedReadOptions noSharpen = markOnly;
        noSharpen.markSharpen = false;
        // Blur the label more and more: just past what the quick pass reads, the sharpened
        // look still reads it (where exactly depends on the size; a sweep finds it).
        for (int markPx : {60, 80, 120}) {
            CAPTURE(markPx);
            const Label sharp = renderLabel(markPx, markPx, 1);
            int rescued = 0;
            for (double sigma = 0.4; sigma < 2.5; sigma += 0.1) {
                cv::Mat blurred;
                cv::GaussianBlur(sharp.gray, blurred, cv::Size(0, 0), sigma);
                const auto codes = vision::readCodesGuided(reader, blurred, &sharp.truth, markOnly);
                if (codes.empty() || codes[0].pass != expected) continue;
                CHECK(codes[0].text == kPayload);
                CHECK(vision::readCodesGuided(reader, blurred, &sharp.truth, noSharpen).empty());
                ++rescued;
            }
            CHECK(rescued >= 1);
        }
    }
}

TEST_CASE("guided reading: only the formats a label carries, unless the reader reads none") {
    // A Code128 barcode alone in the frame.
    Label l = renderLabel(100, 100, 3, false);
    const ZXing::BitMatrix bits = ZXing::MultiFormatWriter(ZXing::BarcodeFormat::Code128)
                                      .setMargin(10)
                                      .encode("0021-MZB-24-00057", 0, 0);
    cv::Mat bar(bits.height(), bits.width(), CV_8UC1);
    for (int r = 0; r < bits.height(); ++r)
        for (int c = 0; c < bits.width(); ++c) bar.at<uint8_t>(r, c) = bits.get(c, r) ? 20 : 240;
    cv::Mat big;
    cv::resize(bar, big, cv::Size(bar.cols * 2, 80), 0, 0, cv::INTER_NEAREST);
    // Mid-height: without try-harder ZXing-cpp scans linear codes on rows near the middle.
    REQUIRE(big.cols < 560);
    big.copyTo(l.gray(cv::Rect(700, 320, big.cols, big.rows)));

    const vision::CodeReader all;  // every format, as `mengscan scan` without --formats
    CHECK(vision::readCodesGuided(all, l.gray, nullptr).empty());
    vision::GuidedReadOptions anyFormat;
    anyFormat.labelFormats = vision::kAllCodeFormats;
    auto codes = vision::readCodesGuided(all, l.gray, nullptr, anyFormat);
    REQUIRE(codes.size() == 1);
    CHECK(std::string(vision::toString(codes[0].format)) == "Code128");

    vision::ReaderOptions only128;
    only128.formats = static_cast<vision::CodeFormats>(vision::CodeFormat::Code128);
    codes = vision::readCodesGuided(vision::CodeReader(only128), l.gray, nullptr);
    REQUIRE(codes.size() == 1);
    CHECK(codes[0].text == "0021-MZB-24-00057");
}

TEST_CASE("code reader: one quick pass, and the chain, restricted to some formats") {
    Label l = renderLabel(100, 100, 1);
    const cv::Mat qr = l.gray(cv::Rect(560, 290, 160, 140)).clone();
    const vision::GrayView view{qr.data, qr.cols, qr.rows, static_cast<int>(qr.step)};
    const vision::CodeReader reader;
    vision::SinglePass pass;
    pass.formats = static_cast<vision::CodeFormats>(vision::CodeFormat::QRCode);
    pass.name = "probe";
    auto codes = reader.readOnce(view, pass);
    REQUIRE(codes.size() == 1);
    CHECK(codes[0].text == kPayload);
    CHECK(codes[0].pass == "probe");
    pass.formats = static_cast<vision::CodeFormats>(vision::CodeFormat::DataMatrix);
    CHECK(reader.readOnce(view, pass).empty());
    CHECK(reader.read(view, pass.formats).empty());
    CHECK(reader.read(view, vision::kAllCodeFormats).size() == 1);
    // The pass's formats are intersected with the reader's.
    vision::ReaderOptions dmOnly;
    dmOnly.formats = pass.formats;
    pass.formats = vision::kAllCodeFormats;
    CHECK(vision::CodeReader(dmOnly).readOnce(view, pass).empty());
}

TEST_CASE("guided reading: the reader's full chain on the regions only when asked") {
    const vision::CodeReader reader;
    vision::GuidedReadOptions markOnly;
    markOnly.codeRegions = false;
    markOnly.wholeFrame = false;
    // A tiny code beside the mark (about 1.3 px per module): no quick pass reads it; the
    // chain's 2x upscaled pass on a region does.
    const Label tiny = renderLabel(100, 48, 1);
    CHECK(vision::readCodesGuided(reader, tiny.gray, &tiny.truth, markOnly).empty());
    vision::GuidedReadOptions chain = markOnly;
    chain.regionChain = true;
    const auto codes = vision::readCodesGuided(reader, tiny.gray, &tiny.truth, chain);
    REQUIRE(codes.size() == 1);
    CHECK(codes[0].text == kPayload);
    CHECK(codes[0].pass.rfind("mark-region/", 0) == 0);
    CHECK(codes[0].pass != "mark-region/quick");
}
