// Still-image sources: one file, or every image in a folder tree.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "mengscan/platform/frame_source.hpp"

namespace fs = std::filesystem;

namespace mengscan::platform {
namespace {

std::string lowerExtension(const std::string& path) {
    std::string ext = fs::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext;
}

class ListSource : public FrameSource {
public:
    explicit ListSource(std::vector<std::string> paths) : paths_(std::move(paths)) {}
    std::optional<Frame> next() override {
        if (pos_ >= paths_.size()) return std::nullopt;
        Frame frame;
        frame.source = paths_[pos_++];
        auto image = readImageFile(frame.source);
        if (image) {
            frame.image = std::move(image.value());
        } else {
            frame.error = image.error();
        }
        return frame;
    }

private:
    std::vector<std::string> paths_;
    size_t pos_ = 0;
};

// A source that yields one error frame; used when a folder itself cannot be listed.
class FailedSource : public FrameSource {
public:
    FailedSource(std::string source, Error error)
        : source_(std::move(source)), error_(std::move(error)) {}
    std::optional<Frame> next() override {
        if (done_) return std::nullopt;
        done_ = true;
        Frame frame;
        frame.source = source_;
        frame.error = error_;
        return frame;
    }

private:
    std::string source_;
    Error error_;
    bool done_ = false;
};

}  // namespace

bool isImagePath(const std::string& path) {
    static const char* const kExts[] = {".png",  ".jpg", ".jpeg", ".webp", ".bmp",
                                        ".tif",  ".tiff", ".pgm", ".ppm", ".pbm"};
    const std::string ext = lowerExtension(path);
    return std::find(std::begin(kExts), std::end(kExts), ext) != std::end(kExts);
}

bool isVideoPath(const std::string& path) {
    static const char* const kExts[] = {".avi", ".mp4", ".mkv", ".mov", ".webm", ".mjpeg", ".m4v"};
    const std::string ext = lowerExtension(path);
    return std::find(std::begin(kExts), std::end(kExts), ext) != std::end(kExts);
}

Expected<cv::Mat> readImageFile(const std::string& path) {
    std::error_code ec;
    if (!fs::exists(path, ec)) {
        return makeUnexpected(ErrorCategory::Io, "file_not_found", "no such file: " + path);
    }
    if (fs::is_directory(path, ec)) {
        return makeUnexpected(ErrorCategory::Io, "is_directory", "is a folder: " + path);
    }
    // Read the bytes ourselves so that a permission problem is told apart from bad data.
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return makeUnexpected(ErrorCategory::Io, "open_failed", "cannot open: " + path);
    }
    std::vector<uchar> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.empty()) {
        return makeUnexpected(ErrorCategory::Image, "empty_file", "empty file: " + path);
    }
    try {
        cv::Mat image = cv::imdecode(bytes, cv::IMREAD_UNCHANGED);
        if (image.empty()) {
            return makeUnexpected(ErrorCategory::Image, "undecodable",
                                  "not a readable image (unknown format or corrupt data): " + path);
        }
        // Normalise to 8-bit gray or BGR: 16-bit PNGs, alpha channels.
        if (image.depth() != CV_8U) {
            double scale = image.depth() == CV_16U ? 1.0 / 257.0 : 1.0;
            image.convertTo(image, CV_8U, scale);
        }
        if (image.channels() == 4) {
            cv::Mat bgr;
            cv::cvtColor(image, bgr, cv::COLOR_BGRA2BGR);
            image = bgr;
        } else if (image.channels() == 2) {
            cv::Mat gray;
            cv::extractChannel(image, gray, 0);
            image = gray;
        }
        return image;
    } catch (const cv::Exception& e) {
        return makeUnexpected(ErrorCategory::Image, "decode_exception",
                              "cannot decode " + path + ": " + e.what());
    }
}

std::unique_ptr<FrameSource> openImageFile(const std::string& path) {
    return std::make_unique<ListSource>(std::vector<std::string>{path});
}

std::unique_ptr<FrameSource> openImageFolder(const std::string& path) {
    std::vector<std::string> files;
    std::error_code ec;
    fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec);
    if (ec) {
        return std::make_unique<FailedSource>(
            path, Error(ErrorCategory::Io, "folder_unreadable",
                        "cannot list folder " + path + ": " + ec.message()));
    }
    for (auto end = fs::recursive_directory_iterator(); it != end; it.increment(ec)) {
        if (ec) break;
        if (it->is_regular_file(ec) && isImagePath(it->path().string())) {
            files.push_back(it->path().string());
        }
    }
    std::sort(files.begin(), files.end());
    return std::make_unique<ListSource>(std::move(files));
}

std::unique_ptr<FrameSource> openPath(const std::string& path, const SourceOptions& options) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) return openImageFolder(path);
    if (isVideoPath(path)) return openVideoFile(path, options);
    return openImageFile(path);
}

}  // namespace mengscan::platform
