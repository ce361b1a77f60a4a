// One frame through the vision pipeline exactly as `mengscan scan` runs it
// (firmware::ScanPipeline without verification): the mark detector on the colour frame,
// then readCodesGuided on its gray version (mark region, code-like regions, whole frame);
// timed.
#pragma once

#include <opencv2/core/mat.hpp>
#include <vector>

#include "mengscan/vision/code_reader.hpp"
#include "mengscan/vision/mark_detector.hpp"

namespace mengscan::evaluation {

struct FrameResult {
    vision::MarkDetection mark;
    std::vector<vision::DecodedCode> codes;
    double markMs = 0, codesMs = 0, totalMs = 0;
};

class VisionRun {
public:
    VisionRun(vision::MarkDetector detector, vision::ReaderOptions reader);
    FrameResult process(const cv::Mat& bgr) const;

private:
    vision::MarkDetector detector_;
    vision::CodeReader reader_;
};

}  // namespace mengscan::evaluation
