// One frame through the pipeline: codes -> (mark) -> (verdict). Each stage fills its part
// of FrameReport; later stages (mark detection, verification) plug in here.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "mengscan/error.hpp"
#include "mengscan/sync/verdict.hpp"
#include "mengscan/vision/code_reader.hpp"
#include "mengscan/vision/mark_detector.hpp"

namespace mengscan::sync {
class Verifier;
class Outbox;
}

namespace mengscan::firmware {

struct MarkReport {
    bool found = false;
    double score = 0.0;
    vision::Quad quad{};
};

struct FrameReport {
    std::string source;
    int frame = 0;
    int width = 0;
    int height = 0;
    std::vector<vision::DecodedCode> codes;
    std::optional<MarkReport> mark;  // nullopt: detection switched off
    std::string verdict = "unverified";
    std::vector<std::string> reasons;
    // The whole verdict (reasons with messages, certificate, cache freshness) when a
    // verifier ran; `verdict` and `reasons` above are its class and reason codes.
    std::optional<sync::Verdict> verification;
    double elapsedMs = 0.0;
    Error error;  // the frame could not be read or processed
};

struct ScanOptions {
    vision::ReaderOptions reader;
    // The mark's reference artwork; nullopt switches mark detection off (mark: null).
    // With it, codes are read mark-guided (vision/guided_reader.hpp).
    std::optional<vision::MarkTemplate> markTemplate;
    // Verification against the certificate cache (borrowed; nullptr: verdict stays
    // "unverified"). Runs last, after code reading and mark detection.
    sync::Verifier* verifier = nullptr;
    std::string session;       // scanning session id for the duplicate-scan rule
    bool recordScans = false;  // append each verified item code to the scan log
    // Report outbox (borrowed; nullptr: no anomaly events). With it, each verified frame's
    // scan row and event are written in one transaction (scan_outbox.hpp) before the
    // verdict is shown, instead of the separate scan log write above.
    sync::Outbox* outbox = nullptr;
};

class ScanPipeline {
public:
    explicit ScanPipeline(ScanOptions options);
    // Fills report.codes/mark/verdict from the pixels; times itself into elapsedMs.
    void process(const cv::Mat& image, FrameReport& report) const;

private:
    void verify(FrameReport& report) const;

    ScanOptions options_;
    vision::CodeReader reader_;
    std::unique_ptr<vision::MarkDetector> markDetector_;  // null: detection off
};

}  // namespace mengscan::firmware
