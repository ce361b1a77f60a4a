// Finds the certification mark (any emblem-like artwork given as a template image) in a
// camera frame: where it is (a quad in frame pixels) and how sure we are (score 0..1).
// Nothing here knows the stand-in emblem's shapes; everything is learnt from the template.
#pragma once

#include <memory>
#include <opencv2/core/mat.hpp>
#include <string>

#include "mengscan/expected.hpp"
#include "mengscan/vision/code_reader.hpp"  // Quad, PointF

namespace mengscan::vision {

// The reference artwork. Transparent pixels (alpha 0) or, without alpha, the uniform
// border colour around the artwork are not part of the mark.
struct MarkTemplate {
    cv::Mat bgr;       // CV_8UC3, the artwork
    cv::Mat mask;      // CV_8UC1, 255 where the artwork is, same size as bgr
    std::string name;  // file name or label, for messages
};

// Reads a PNG/JPEG/... (alpha honoured) and crops it to the artwork's bounding box.
Expected<MarkTemplate> loadMarkTemplate(const std::string& path);
// The stand-in shipped in the source tree this library was built from
// (<source>/assets/mark/meng-mark.png); callers prefer a configured or installed file.
std::string bundledMarkTemplatePath();
// Same as loadMarkTemplate from pixels already in memory (CV_8UC3 BGR or CV_8UC4 BGRA or CV_8UC1).
Expected<MarkTemplate> makeMarkTemplate(const cv::Mat& image, const std::string& name);

struct MarkDetectorOptions {
    // Acceptance threshold on the verification score (0..1). Below it, found = false.
    // 0.5 separates the stand-in from same-colour, same-shape seals (docs/vision.md).
    double minScore = 0.5;
    // Smallest and largest mark width in frame pixels the search is built for.
    int minMarkPx = 40;
    int maxMarkPx = 400;
    // Stages (docs/vision.md), cheapest first; each can be switched off to measure it.
    bool outlines = true;            // outline proposals + rotation search + refinement
    bool colourFeatures = true;      // ORB around colour blobs
    // ORB on the whole frame pyramid; always on when the template has no usable outline.
    bool wholeFrameFeatures = false;
};

struct MarkDetection {
    bool found = false;
    double score = 0.0;  // 0..1, the verification score of the best candidate
    Quad quad{};         // template corners (TL, TR, BR, BL) mapped into the frame
    double aspect = 1.0;  // the template's width / height: the quad's shape on the label
    // Debug / tuning.
    int inliers = 0;         // feature matches consistent with the homography
    int candidates = 0;      // candidate regions or hypotheses examined
    std::string rejectedBy;  // stage that rejected the best candidate ("" when found)
    double elapsedMs = 0.0;
};

class MarkDetector {
public:
    explicit MarkDetector(MarkTemplate markTemplate, MarkDetectorOptions options = {});
    ~MarkDetector();
    MarkDetector(MarkDetector&&) noexcept;
    MarkDetector& operator=(MarkDetector&&) noexcept;

    // bgrOrGray: CV_8UC3 (BGR, preferred: colour helps) or CV_8UC1. Never throws; a bad
    // frame gives found = false with rejectedBy = "bad_input".
    MarkDetection detect(const cv::Mat& bgrOrGray) const;
    // Same, with the frame's grey version already at hand (CV_8UC1, same size as `bgr`):
    // saves converting it twice when the caller reads codes from it too.
    MarkDetection detect(const cv::Mat& bgr, const cv::Mat& gray) const;

    const MarkTemplate& markTemplate() const;
    const MarkDetectorOptions& options() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace mengscan::vision
