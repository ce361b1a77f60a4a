// Video file source: every Nth frame through OpenCV VideoCapture.
#include <filesystem>

#include <opencv2/videoio.hpp>

#include "mengscan/platform/frame_source.hpp"

namespace mengscan::platform {
namespace {

class VideoSource : public FrameSource {
public:
    VideoSource(std::string path, int everyNth) : path_(std::move(path)), every_(everyNth) {
        if (every_ < 1) every_ = 1;
        std::error_code ec;
        if (!std::filesystem::exists(path_, ec)) {
            openError_ = Error(ErrorCategory::Io, "file_not_found", "no such file: " + path_);
            return;
        }
        try {
            capture_.open(path_);
        } catch (const cv::Exception& e) {
            openError_ = Error(ErrorCategory::Image, "video_open_failed",
                               "cannot open video " + path_ + ": " + e.what());
            return;
        }
        if (!capture_.isOpened()) {
            openError_ = Error(ErrorCategory::Image, "video_open_failed",
                               "cannot open video (unsupported codec or corrupt file): " + path_);
        }
    }

    std::optional<Frame> next() override {
        if (finished_) return std::nullopt;
        if (openError_) {
            finished_ = true;
            Frame frame;
            frame.source = path_;
            frame.error = openError_;
            return frame;
        }
        try {
            cv::Mat image;
            while (true) {
                if (!capture_.read(image) || image.empty()) {
                    finished_ = true;
                    return std::nullopt;
                }
                const int index = position_++;
                if (index % every_ == 0) {
                    Frame frame;
                    frame.source = path_;
                    frame.index = index;
                    frame.image = image.clone();
                    return frame;
                }
            }
        } catch (const cv::Exception& e) {
            finished_ = true;
            Frame frame;
            frame.source = path_;
            frame.index = position_;
            frame.error = Error(ErrorCategory::Image, "video_read_failed",
                                "cannot read frame " + std::to_string(position_) + ": " + e.what());
            return frame;
        }
    }

private:
    std::string path_;
    int every_;
    cv::VideoCapture capture_;
    Error openError_;
    int position_ = 0;
    bool finished_ = false;
};

}  // namespace

std::unique_ptr<FrameSource> openVideoFile(const std::string& path, const SourceOptions& options) {
    return std::make_unique<VideoSource>(path, options.everyNth);
}

}  // namespace mengscan::platform
