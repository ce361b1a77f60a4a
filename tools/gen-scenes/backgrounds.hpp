// Where labels are placed: crops of real photographs (Debian's opencv-doc sample images
// and video frames, or any folder given), and product-like packaging faces drawn here.
#pragma once

#include <opencv2/core/mat.hpp>
#include <string>
#include <vector>

#include "rng.hpp"
#include "text_painter.hpp"

namespace mengscan::scenes {

constexpr const char* kOpencvDocData = "/usr/share/doc/opencv-doc/examples/data";

class BackgroundLibrary {
public:
    // Loads every image (short side >= 200 px) in `dirs` and, with `videoFrames`, a few
    // frames of each video there. Sorted by path, so the library is the same every run.
    static BackgroundLibrary load(const std::vector<std::string>& dirs, bool videoFrames);

    // A size-sized background: a random crop of a random photo, resized, maybe mirrored;
    // a drawn clutter pattern when the library is empty.
    cv::Mat background(Rng& rng, cv::Size size) const;
    size_t size() const { return photos_.size(); }
    const std::vector<std::string>& names() const { return names_; }

private:
    std::vector<cv::Mat> photos_;
    std::vector<std::string> names_;
};

// A product-like packaging face (box or bag print): colour panels, gradients, a product
// name in Chinese (often with 内蒙古, so the bare character 蒙 is around), small text and
// a table. `title` and `small` are fonts for the big and small text.
cv::Mat packagingSurface(Rng& rng, cv::Size size, const TextPainter& title,
                         const TextPainter& small);

}  // namespace mengscan::scenes
