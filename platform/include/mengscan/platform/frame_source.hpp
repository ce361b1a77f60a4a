// Frame sources: single image files, folders of images, video files; later a V4L2 camera.
// One interface, several backends (libcamera/Mender style), so the daemon and tests
// can run on a virtual camera.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "mengscan/error.hpp"
#include "mengscan/expected.hpp"

namespace mengscan::platform {

// One frame, or the error that kept it from being read. A failed read still carries
// its source so the caller can report it and go on with the next one.
struct Frame {
    std::string source;  // file path, or video path for video frames
    int index = 0;       // frame number inside a video; 0 for still images
    cv::Mat image;       // 8-bit, 1 or 3 channels (BGR); empty when error is set
    Error error;

    bool ok() const { return !error; }
};

class FrameSource {
public:
    virtual ~FrameSource() = default;
    // The next frame, or std::nullopt at the end of the stream.
    virtual std::optional<Frame> next() = 0;
};

struct SourceOptions {
    int everyNth = 1;  // video: keep frame 0, N, 2N, ...
};

// Reads one image file (PNG, JPEG, WebP, BMP, ... whatever OpenCV imgcodecs decodes).
std::unique_ptr<FrameSource> openImageFile(const std::string& path);
// Every image in a folder, recursively, in sorted path order.
std::unique_ptr<FrameSource> openImageFolder(const std::string& path);
// Every Nth frame of a video file (OpenCV VideoCapture).
std::unique_ptr<FrameSource> openVideoFile(const std::string& path, const SourceOptions& options);
// Chooses the backend from the path: folder, image (by extension) or video.
std::unique_ptr<FrameSource> openPath(const std::string& path, const SourceOptions& options);

// Reads one image file to a cv::Mat; unreadable files become an Error, never an exception.
Expected<cv::Mat> readImageFile(const std::string& path);

bool isImagePath(const std::string& path);
bool isVideoPath(const std::string& path);

}  // namespace mengscan::platform
