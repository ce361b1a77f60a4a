// The evidence crop: a JPEG of the label region, bounded in size, errors as values.
#include <doctest/doctest.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "mengscan/sync/outbox_evidence.hpp"

using namespace mengscan;
using namespace mengscan::sync;

TEST_CASE("evidence is a JPEG crop of the region plus margin, scaled down") {
    cv::Mat frame(1200, 1600, CV_8UC3, cv::Scalar(255, 255, 255));
    cv::rectangle(frame, cv::Rect(400, 300, 200, 100), cv::Scalar(0, 0, 0), cv::FILLED);
    const std::vector<cv::Point2f> region = {{400, 300}, {600, 300}, {600, 400}, {400, 400}};

    EvidenceOptions options;
    options.margin = 0.5;
    auto jpeg = encodeEvidence(frame, region, options);
    REQUIRE_MESSAGE(jpeg, (jpeg ? "" : jpeg.error().describe()));
    const cv::Mat crop = cv::imdecode(*jpeg, cv::IMREAD_GRAYSCALE);
    REQUIRE_FALSE(crop.empty());
    CHECK(crop.cols == 400);                                    // 200 + 2 * 100 margin
    CHECK(crop.rows == 200);                                    // 100 + 2 * 50
    CHECK(cv::mean(crop(cv::Rect(150, 75, 100, 50)))[0] < 20);  // the black box, centred
    CHECK(cv::mean(crop(cv::Rect(0, 0, 60, 30)))[0] > 235);     // white margin

    // The whole frame when no region is known, scaled to maxSide.
    auto whole = encodeEvidence(frame, {}, {});
    REQUIRE(whole);
    const cv::Mat scaled = cv::imdecode(*whole, cv::IMREAD_UNCHANGED);
    CHECK(scaled.cols == 480);
    CHECK(scaled.rows == 360);
    CHECK(whole->size() < 30000);

    // A region partly outside the frame is clipped, not an error.
    auto edge = encodeEvidence(frame, {{1500, 1100}, {1700, 1300}}, options);
    REQUIRE(edge);
    CHECK(cv::imdecode(*edge, cv::IMREAD_UNCHANGED).cols == 200);  // 1400..1600
}

TEST_CASE("unusable images are errors, not crashes") {
    auto empty = encodeEvidence(cv::Mat(), {}, {});
    REQUIRE_FALSE(empty);
    CHECK(empty.error().code == "bad_evidence_image");
    auto floating = encodeEvidence(cv::Mat(10, 10, CV_32FC1, cv::Scalar(0.5)), {}, {});
    REQUIRE_FALSE(floating);
    auto bgra = encodeEvidence(cv::Mat(50, 50, CV_8UC4, cv::Scalar(1, 2, 3, 4)), {}, {});
    CHECK(bgra);
}
