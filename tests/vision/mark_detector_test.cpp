// MarkDetector on rendered scenes: the emblem warped into real background photos
// (tests/vision/mark_scene), through the real detector. Seeds are fixed, so the counts
// below are reproducible; floors leave room for a miss or two, never for look-alikes.
#include "mengscan/vision/mark_detector.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "common/test_support.hpp"
#include "vision/mark_scene.hpp"

namespace fs = std::filesystem;
using namespace mengscan;

namespace {

fs::path markDir() {
    return test::sourceRoot() / "assets" / "mark";
}

cv::Mat artwork(const std::string& name) {
    cv::Mat m = cv::imread((markDir() / name).string(), cv::IMREAD_UNCHANGED);
    REQUIRE_MESSAGE(m.type() == CV_8UC4, name << " must be a PNG with alpha (tools/make-emblem)");
    return m;
}

vision::MarkDetector detectorFor(const std::string& name) {
    auto t = vision::loadMarkTemplate((markDir() / name).string());
    REQUIRE_MESSAGE(t.hasValue(), (t ? std::string() : t.error().message));
    return vision::MarkDetector(std::move(*t));
}

// Largest corner distance between the detected quad and the truth, relative to mark size.
double quadError(const vision::Quad& got, const std::array<cv::Point2f, 4>& truth, int markPx,
                 const cv::Mat& art, const vision::MarkTemplate& tmpl) {
    // The template is the artwork cropped to its alpha box: map truth corners onto it.
    cv::Mat alpha;
    cv::extractChannel(art, alpha, 3);
    const cv::Rect box = cv::boundingRect(alpha >= 128);
    const std::vector<cv::Point2f> full = {
        {0, 0}, {float(art.cols), 0}, {float(art.cols), float(art.rows)}, {0, float(art.rows)}};
    const cv::Mat H =
        cv::getPerspectiveTransform(full, std::vector<cv::Point2f>(truth.begin(), truth.end()));
    std::vector<cv::Point2f> cropped = {{float(box.x), float(box.y)},
                                        {float(box.x + tmpl.bgr.cols), float(box.y)},
                                        {float(box.x + tmpl.bgr.cols),
                                         float(box.y + tmpl.bgr.rows)},
                                        {float(box.x), float(box.y + tmpl.bgr.rows)}},
                             expected;
    cv::perspectiveTransform(cropped, expected, H);
    double worst = 0;
    for (size_t i = 0; i < 4; ++i) {
        worst = std::max(worst, static_cast<double>(std::hypot(got[i].x - expected[i].x,
                                                               got[i].y - expected[i].y)));
    }
    return worst / markPx;
}

struct Tally {
    int scenes = 0, found = 0, located = 0;
};

Tally runScenes(const vision::MarkDetector& detector, const cv::Mat& art, uint32_t firstSeed,
                int count, int minPx, int maxPx, bool oneColour = false) {
    Tally t;
    for (int i = 0; i < count; ++i) {
        test::MarkScene scene =
            test::randomScene(firstSeed + static_cast<uint32_t>(i), minPx, maxPx);
        scene.oneColour = oneColour;
        std::array<cv::Point2f, 4> truth;
        const cv::Mat frame = test::renderMarkScene(test::backgroundPhoto(i), art, scene, &truth);
        const auto d = detector.detect(frame);
        ++t.scenes;
        if (!d.found) continue;
        ++t.found;
        CHECK(d.score >= detector.options().minScore);
        CHECK(d.score <= 1.0);
        if (quadError(d.quad, truth, scene.markPx, art, detector.markTemplate()) < 0.12)
            ++t.located;
    }
    return t;
}

}  // namespace

TEST_CASE("mark template: loading, cropping, errors") {
    auto missing = vision::loadMarkTemplate("/nonexistent/mark.png");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == std::string("template_not_found"));

    test::TempDir dir;
    test::writeFile(dir / "junk.png", "not a png");
    auto junk = vision::loadMarkTemplate((dir / "junk.png").string());
    REQUIRE_FALSE(junk);
    CHECK((junk.error().category == ErrorCategory::Image));

    auto stand = vision::loadMarkTemplate((markDir() / "meng-mark.png").string());
    REQUIRE(stand.hasValue());
    // Cropped to the round artwork: nearly square, nearly all of the 512 px canvas.
    CHECK(stand->bgr.cols == stand->mask.cols);
    CHECK(std::abs(stand->bgr.cols - stand->bgr.rows) <= 2);
    CHECK(stand->bgr.cols > 480);
    // The corners of a round seal's box are outside the artwork.
    CHECK(stand->mask.at<uint8_t>(0, 0) == 0);
    CHECK(stand->mask.at<uint8_t>(stand->mask.rows / 2, stand->mask.cols / 2) == 255);

    // An opaque image on a white page: the border colour is "not mark", white inside stays.
    cv::Mat page(300, 400, CV_8UC3, cv::Scalar(255, 255, 255));
    cv::circle(page, {200, 150}, 80, cv::Scalar(0, 120, 0), 20);
    auto opaque = vision::makeMarkTemplate(page, "page");
    REQUIRE(opaque.hasValue());
    CHECK(opaque->bgr.cols == 181);
    CHECK(opaque->mask.at<uint8_t>(90, 90) == 255);  // white centre inside the ring
    CHECK(opaque->mask.at<uint8_t>(0, 0) == 0);

    auto empty = vision::makeMarkTemplate(cv::Mat(), "empty");
    CHECK_FALSE(empty);
    auto blank = vision::makeMarkTemplate(page.setTo(cv::Scalar::all(255)), "blank");
    CHECK_FALSE(blank);
}

TEST_CASE("mark detector: never throws on bad frames") {
    const auto detector = detectorFor("meng-mark.png");
    CHECK(detector.detect(cv::Mat()).rejectedBy == std::string("bad_input"));
    CHECK_FALSE(detector.detect(cv::Mat(720, 1280, CV_16UC1, cv::Scalar(1000))).found);
    CHECK_FALSE(detector.detect(cv::Mat(10, 10, CV_8UC3, cv::Scalar(0, 0, 0))).found);
    CHECK_FALSE(detector.detect(cv::Mat(720, 1280, CV_8UC1, cv::Scalar(128))).found);
    // A grey frame handed in must be the same frame's: wrong size or type is bad input.
    const cv::Mat bgr(720, 1280, CV_8UC3, cv::Scalar(200, 200, 200));
    CHECK(detector.detect(bgr, cv::Mat(10, 10, CV_8UC1)).rejectedBy == std::string("bad_input"));
    CHECK(detector.detect(bgr, cv::Mat(720, 1280, CV_8UC3)).rejectedBy == std::string("bad_input"));
}

TEST_CASE("mark detector: a grey frame handed in gives the same detection") {
    const auto detector = detectorFor("meng-mark.png");
    const cv::Mat art = artwork("meng-mark.png");
    int same = 0, found = 0;
    for (int i = 0; i < 6; ++i) {
        const test::MarkScene scene = test::randomScene(100 + static_cast<uint32_t>(i), 80, 300);
        const cv::Mat frame = test::renderMarkScene(test::backgroundPhoto(i), art, scene, nullptr);
        cv::Mat gray;
        cv::cvtColor(frame, gray, cv::COLOR_BGR2GRAY);
        const auto a = detector.detect(frame), b = detector.detect(frame, gray);
        found += a.found;
        same += a.found == b.found && std::abs(a.score - b.score) < 1e-9;
    }
    CHECK(found >= 5);
    CHECK(same == 6);
}

TEST_CASE("mark detector: the stand-in mark in rendered scenes") {
    REQUIRE_MESSAGE(!test::backgroundPhoto(0).empty(),
                    "needs opencv-doc's sample photos (tools/install-deps)");
    const auto detector = detectorFor("meng-mark.png");
    const cv::Mat art = artwork("meng-mark.png");
    // Any rotation, tilt up to 45 degrees, blur, noise, JPEG, glare, warm/cold light.
    const Tally medium = runScenes(detector, art, 100, 30, 80, 400);
    MESSAGE("80-400 px: found " << medium.found << "/" << medium.scenes << ", located "
                                << medium.located);
    CHECK(medium.found >= 29);
    CHECK(medium.located >= medium.found - 1);
    const Tally small = runScenes(detector, art, 200, 20, 40, 80);
    MESSAGE("40-80 px: found " << small.found << "/" << small.scenes << ", located "
                               << small.located);
    CHECK(small.found >= 17);
    CHECK(small.located >= small.found - 1);
}

TEST_CASE("mark detector: the outline stage alone (no feature matching) finds and locates") {
    // Outline proposals + rotation search + refinement, with both ORB stages switched off: this
    // is the stage that reaches small marks, where corner features are too few.
    auto t = vision::loadMarkTemplate((markDir() / "meng-mark.png").string());
    REQUIRE(t.hasValue());
    vision::MarkDetectorOptions options;
    options.colourFeatures = false;
    options.wholeFrameFeatures = false;
    const vision::MarkDetector outlinesOnly(std::move(*t), options);
    const cv::Mat art = artwork("meng-mark.png");
    const Tally small = runScenes(outlinesOnly, art, 200, 20, 40, 80);
    MESSAGE("outlines only, 40-80 px: found " << small.found << "/" << small.scenes);
    CHECK(small.found >= 17);
    CHECK(small.located >= small.found - 1);
    // Switched off, it finds nothing the same way: the stages really are separate.
    options.outlines = false;
    auto t2 = vision::loadMarkTemplate((markDir() / "meng-mark.png").string());
    REQUIRE(t2.hasValue());
    const vision::MarkDetector none(std::move(*t2), options);
    CHECK(runScenes(none, art, 200, 20, 40, 80).found == 0);
}

TEST_CASE("mark detector: a one-colour (black) print of the mark still passes") {
    const auto detector = detectorFor("meng-mark.png");
    const Tally black = runScenes(detector, artwork("meng-mark.png"), 300, 16, 100, 400, true);
    MESSAGE("one colour 100-400 px: found " << black.found << "/" << black.scenes);
    CHECK(black.found >= 13);
    CHECK(black.located >= black.found - 1);
}

TEST_CASE("mark detector: look-alikes and plain backgrounds do not pass") {
    const auto detector = detectorFor("meng-mark.png");
    int scenes = 0;
    for (const auto& entry : fs::directory_iterator(markDir() / "lookalikes")) {
        const cv::Mat art = cv::imread(entry.path().string(), cv::IMREAD_UNCHANGED);
        REQUIRE(art.type() == CV_8UC4);
        const Tally t = runScenes(detector, art, 400, 12, 60, 400);
        scenes += t.scenes;
        CHECK_MESSAGE(t.found == 0, entry.path().filename()
                                        << " passed as the mark " << t.found << " times");
    }
    CHECK(scenes >= 5 * 12);
    // The swap-test emblem is a look-alike for the stand-in's detector, too.
    CHECK(runScenes(detector, artwork("alt-emblem.png"), 500, 12, 60, 400).found == 0);
    for (int i = 0; i < 12; ++i) {
        CHECK_FALSE(detector.detect(test::backgroundPhoto(i)).found);
    }
}

TEST_CASE("mark detector: a same-shape seal with another character at 40-60 px does not pass") {
    // At this size the character is a dozen px and a tight alignment makes any round green
    // seal correlate well; verification asks small marks for more (mark_verify). Before
    // it did, 17 of these 60 scenes passed.
    const auto detector = detectorFor("meng-mark.png");
    const cv::Mat nong = cv::imread((markDir() / "lookalikes" / "green-seal-nong.png").string(),
                                    cv::IMREAD_UNCHANGED);
    REQUIRE(nong.type() == CV_8UC4);
    int passed = 0;
    for (int i = 0; i < 60; ++i) {
        test::MarkScene scene = test::randomScene(3000 + static_cast<uint32_t>(i), 40, 60);
        scene.glare = 0;
        passed +=
            detector.detect(test::renderMarkScene(test::backgroundPhoto(i), nong, scene)).found;
    }
    CHECK(passed == 0);
    // The true mark at the same sizes is still found.
    const Tally own = runScenes(detector, artwork("meng-mark.png"), 3000, 30, 40, 60);
    MESSAGE("stand-in 40-60 px: found " << own.found << "/" << own.scenes);
    CHECK(own.found >= 27);
}

TEST_CASE("mark detector: strong glare over part of the mark") {
    // Glare bites into the mark's colour outline and pulls the intensity refinement towards
    // the bright spot; the detector then tries the other masks' outlines, verifies the coarse
    // alignment too, and lets verification re-centre a near miss; the refinement fits
    // band-passed patches, so the veil's slope does not pull it. 39 of these 60 before the
    // first two; 52 with all of it.
    const auto alt = detectorFor("alt-emblem.png");
    const cv::Mat art = artwork("alt-emblem.png");
    int found = 0, located = 0;
    for (int i = 0; i < 60; ++i) {
        const auto seed = 1000 + static_cast<uint32_t>(i);
        test::MarkScene scene = test::randomScene(seed, 50, 250);
        scene.glare = 0.6 + 0.4 * ((seed * 37) % 100) / 100.0;
        std::array<cv::Point2f, 4> truth;
        const cv::Mat frame = test::renderMarkScene(test::backgroundPhoto(i), art, scene, &truth);
        const auto d = alt.detect(frame);
        if (!d.found) continue;
        ++found;
        // Corners within a third of the mark's size: a coarse (affine) alignment under glare
        // is looser than a refined one, but the mark is where it was said to be.
        if (quadError(d.quad, truth, scene.markPx, art, alt.markTemplate()) < 0.35) ++located;
    }
    MESSAGE("alt emblem under strong glare: found " << found << "/60, located " << located);
    CHECK(found >= 50);
    CHECK(located >= found - 1);
}

TEST_CASE("mark detector: a different emblem swapped in as the template") {
    const auto alt = detectorFor("alt-emblem.png");
    const Tally own = runScenes(alt, artwork("alt-emblem.png"), 600, 20, 60, 400);
    MESSAGE("alt emblem 60-400 px: found " << own.found << "/" << own.scenes);
    CHECK(own.found >= 18);
    CHECK(own.located >= own.found - 1);
    CHECK(runScenes(alt, artwork("meng-mark.png"), 700, 12, 60, 400).found == 0);
}
