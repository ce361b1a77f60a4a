// The fixed generated scenes in tests/samples/{scenes-1,falsepositives-scenes-1}: the real
// mark detector and code reader against their JSON ground truth, with floors measured on
// them (see docs/benchmarks.md). The corpus test covers their X.txt code texts too. The
// other folders hold frames of larger generated sets that one detector change finds, each
// test failing without its change.
#include <doctest/doctest.h>

#include <cstdio>

#include "common/test_support.hpp"
#include "mengscan/platform/frame_source.hpp"
#include "metrics.hpp"
#include "scene_set.hpp"
#include "vision_run.hpp"

using namespace mengscan;

namespace {

// Every scene of the sample folders through the real pipeline with assets/mark/`artwork`.
std::vector<evaluation::SceneScore> scoreSamples(const char* artwork,
                                                 std::initializer_list<const char*> folders) {
    auto tmpl =
        vision::loadMarkTemplate((test::sourceRoot() / "assets" / "mark" / artwork).string());
    REQUIRE(tmpl);
    const evaluation::VisionRun pipeline(vision::MarkDetector(std::move(*tmpl)),
                                         vision::ReaderOptions{});
    std::vector<evaluation::SceneScore> scores;
    for (const char* folder : folders) {
        auto set =
            evaluation::loadSceneSet((test::sourceRoot() / "tests" / "samples" / folder).string());
        REQUIRE_MESSAGE(set, folder);
        for (const auto& scene : *set) {
            auto image = platform::readImageFile(scene.image);
            REQUIRE(image);
            CHECK(image->cols == scene.truth["width"].get<int>());
            scores.push_back(evaluation::scoreScene(scene, pipeline.process(*image)));
        }
    }
    return scores;
}

// Every scene of `folder` is a mark that must be located (its quad overlapping the truth),
// with no code read wrong.
void checkEveryMarkFound(const char* artwork, const char* folder, int scenes) {
    CAPTURE(folder);
    const auto scores = scoreSamples(artwork, {folder});
    REQUIRE(scores.size() == static_cast<size_t>(scenes));
    const auto sum = evaluation::summarise(scores);
    CHECK(sum.markRecall.n == scenes);
    CHECK(sum.markRecall.hits == scenes);
    CHECK(sum.wrongReads == 0);
}

}  // namespace

TEST_CASE("samples: generated scenes keep their mark and code floors") {
    const auto scores = scoreSamples("meng-mark.png", {"scenes-1", "falsepositives-scenes-1"});
    const auto sum = evaluation::summarise(scores);
    std::printf("samples: %zu scenes: mark located %d/%d, false positives %d/%d, codes %d/%d\n",
                scores.size(), sum.markRecall.hits, sum.markRecall.n, sum.falsePositives.hits,
                sum.falsePositives.n, sum.codeRead.hits, sum.codeRead.n);
    CHECK(scores.size() == 24);
    CHECK(sum.markRecall.n == 16);
    CHECK(sum.falsePositives.n == 8);
    // Floors: what the pipeline reaches today; raise them as it improves.
    CHECK(sum.markRecall.hits >= 15);  // measured 16/16 (sixth session; 8/16 at first)
    CHECK(sum.falsePositives.hits == 0);
    CHECK(sum.codeRead.hits >= 8);  // measured 9/18 (sixth session)
    CHECK(sum.wrongReads == 0);
}

TEST_CASE("samples: washed-out alt-emblem marks whose rotation barely correlates are found") {
    // Seed 2027 (alt emblem) frames 00673 (45 px) and 00967 (327 px), glare over half the
    // ink: their outlines' best rotations correlate 0.50 and 0.49, under the 0.6 the
    // rotation search asks, and their refined poses verify at 0.80 and 0.74. Only the
    // detector's last-resort rotations (mark_detector.cpp, kMinLastRotationScore) find them.
    checkEveryMarkFound("alt-emblem.png", "washed-out-alt-1", 2);
}

TEST_CASE("samples: small blurred marks whose rotation correlates 0.70-0.75 are found") {
    // Seed 4001 frames 00155 (43 px) and 00787 (140 px, one colour) and seed 2026 frame
    // 00686 (47 px): glare, blur or tilt leave their best rotations correlating 0.70-0.75
    // and their refined poses verifying at 0.53-0.62. Only since those rotations count as
    // sure (mark_detector.cpp, kSureRotationScore 0.70) is 0.5 enough for them.
    checkEveryMarkFound("meng-mark.png", "small-blurred-1", 3);
}

TEST_CASE("samples: marks whose pose only the quarter-size refinement finds") {
    // Glare over small marks (42-77 px): seed 2027 (alt emblem) frames 00681 and 00993 and
    // seed 4001 frame 00485. Refined at half and full size only, their best poses verified
    // at 0.44, 0.61 (needing 0.63: a weak rotation) and 0.26; starting at quarter size
    // (mark_align.cpp, kRefLevels) at 0.68, 0.73 and 0.76.
    checkEveryMarkFound("alt-emblem.png", "refinement-alt-1", 2);
    checkEveryMarkFound("meng-mark.png", "refinement-1", 1);
}

TEST_CASE("samples: marks whose rotation the search ranks third by a hair are found") {
    // Seed 2026 frame 00838 (60 px), seed 4001 frame 00765 (43 px), seed 4002 frame 00220
    // (77 px), under glare or blur: the true rotation correlates within 0.05 of the best
    // one and comes third (mark_detector.cpp, kCloseRotationGap).
    checkEveryMarkFound("meng-mark.png", "third-rotation-1", 3);
}

TEST_CASE("samples: marks whose ring is opened are found from an ellipse through its arc") {
    // Seed 4002 frames 00857 (109 px, three quarters of the ink washed out) and 00956 (69 px)
    // and seed 2026 frame 00166 (73 px, printed in red): glare or clutter opens the ring,
    // and only the ellipse fitted to its hull (mark_silhouette.cpp, ellipseThroughHull)
    // puts the outline where the mark is.
    checkEveryMarkFound("meng-mark.png", "opened-ring-1", 3);
}
