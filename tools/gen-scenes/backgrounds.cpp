#include "backgrounds.hpp"

#include <algorithm>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

namespace mengscan::scenes {
namespace {

bool hasExtension(const std::filesystem::path& p, std::initializer_list<const char*> exts) {
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
    for (const char* e : exts)
        if (ext == e) return true;
    return false;
}

cv::Scalar randomColour(Rng& rng, int lo, int hi) {
    return cv::Scalar(rng.uniformInt(lo, hi), rng.uniformInt(lo, hi), rng.uniformInt(lo, hi));
}

// Stand-in when no photo is available: overlapping shapes and gradients.
cv::Mat clutter(Rng& rng, cv::Size size) {
    cv::Mat img(size, CV_8UC3, randomColour(rng, 60, 200));
    for (int i = 0; i < 40; ++i) {
        const cv::Point p(rng.uniformInt(0, size.width), rng.uniformInt(0, size.height));
        const int r = rng.uniformInt(10, size.height / 3);
        if (rng.chance(0.5))
            cv::circle(img, p, r, randomColour(rng, 0, 255), cv::FILLED, cv::LINE_AA);
        else
            cv::rectangle(img, cv::Rect(p, cv::Size(r, r * 2)), randomColour(rng, 0, 255),
                          cv::FILLED);
    }
    cv::GaussianBlur(img, img, cv::Size(0, 0), 3);
    return img;
}

}  // namespace

BackgroundLibrary BackgroundLibrary::load(const std::vector<std::string>& dirs, bool videoFrames) {
    std::vector<std::filesystem::path> files;
    for (const auto& dir : dirs) {
        std::error_code ec;
        if (!std::filesystem::is_directory(dir, ec)) continue;
        for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
             it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
            if (ec) break;
            if (it->is_regular_file(ec)) files.push_back(it->path());
        }
    }
    std::sort(files.begin(), files.end());
    BackgroundLibrary lib;
    for (const auto& f : files) {
        try {
            if (hasExtension(f, {".jpg", ".jpeg", ".png", ".bmp", ".webp"})) {
                cv::Mat img = cv::imread(f.string(), cv::IMREAD_COLOR);
                if (img.empty() || std::min(img.cols, img.rows) < 200) continue;
                lib.photos_.push_back(img);
                lib.names_.push_back(f.filename().string());
            } else if (videoFrames && hasExtension(f, {".avi", ".mp4", ".mkv"})) {
                cv::VideoCapture cap(f.string());
                cv::Mat frame;
                // A few frames spread over the first seconds; sequential reads, no seeking
                // (seeking is not frame-exact in every backend).
                for (int i = 0, kept = 0; kept < 6 && i < 600 && cap.read(frame); ++i) {
                    if (i % 60 != 0 || std::min(frame.cols, frame.rows) < 200) continue;
                    lib.photos_.push_back(frame.clone());
                    lib.names_.push_back(f.filename().string() + "#" + std::to_string(i));
                    ++kept;
                }
            }
        } catch (const cv::Exception&) {
            continue;  // an unreadable file is simply not a background
        }
    }
    return lib;
}

cv::Mat BackgroundLibrary::background(Rng& rng, cv::Size size) const {
    if (photos_.empty()) return clutter(rng, size);
    const cv::Mat& photo = photos_[rng.next() % photos_.size()];
    // Crop a random window with the output's aspect ratio, 50-100% of what fits.
    const double aspect = static_cast<double>(size.width) / size.height;
    int w = photo.cols, h = static_cast<int>(w / aspect);
    if (h > photo.rows) {
        h = photo.rows;
        w = static_cast<int>(h * aspect);
    }
    const double f = rng.uniform(0.5, 1.0);
    w = std::max(16, static_cast<int>(w * f));
    h = std::max(9, static_cast<int>(h * f));
    const cv::Rect crop(rng.uniformInt(0, photo.cols - w), rng.uniformInt(0, photo.rows - h), w, h);
    cv::Mat out;
    cv::resize(photo(crop), out, size, 0, 0, w > size.width ? cv::INTER_AREA : cv::INTER_LINEAR);
    if (rng.chance(0.5)) cv::flip(out, out, 1);
    return out;
}

cv::Mat packagingSurface(Rng& rng, cv::Size size, const TextPainter& title,
                         const TextPainter& small) {
    static const std::vector<std::string> kProducts = {
        "内蒙古草原羊肉", "锡林郭勒羔羊肉", "内蒙古牛肉干", "呼伦贝尔鲜牛奶",
        "赤峰小米",       "内蒙古燕麦片",   "沙棘原浆",     "绿豆",
        "马铃薯",         "羊绒围巾",       "肉苁蓉",       "内蒙古奶酪"};
    static const std::vector<std::string> kSmall = {
        "净含量 500g",   "配料 生鲜牛乳",   "保质期 12个月", "产地 内蒙古",
        "贮存条件 冷藏", "生产日期 见包装", "营养成分表"};
    cv::Mat img(size, CV_8UC3, randomColour(rng, 120, 250));
    // A vertical gradient and a few colour bands, as printed packaging has.
    const cv::Scalar tint = randomColour(rng, 0, 255);
    for (int y = 0; y < size.height; ++y) {
        const double t = 0.35 * y / size.height;
        cv::Mat row = img.row(y);
        cv::addWeighted(row, 1 - t, cv::Mat(row.size(), row.type(), tint), t, 0, row);
    }
    for (int i = rng.uniformInt(1, 3); i > 0; --i) {
        const int y = rng.uniformInt(0, size.height - 1);
        const int h = rng.uniformInt(size.height / 20, size.height / 5);
        cv::rectangle(img, cv::Rect(0, y, size.width, h), randomColour(rng, 30, 230), cv::FILLED);
    }
    if (rng.chance(0.5)) {
        cv::circle(img, cv::Point(rng.uniformInt(0, size.width), rng.uniformInt(0, size.height)),
                   rng.uniformInt(size.height / 6, size.height / 2), randomColour(rng, 40, 240),
                   cv::FILLED, cv::LINE_AA);
    }
    const cv::Scalar ink = rng.chance(0.5) ? randomColour(rng, 0, 80) : randomColour(rng, 170, 255);
    const cv::Mat name = title.render(rng.pick(kProducts), std::max(16, size.height / 9));
    if (!name.empty() && name.cols < size.width) {
        paintCoverage(img, name,
                      cv::Point(rng.uniformInt(0, size.width - name.cols),
                                rng.uniformInt(0, std::max(0, size.height / 3))),
                      ink);
    }
    const int lineH = std::max(10, size.height / 30);
    const int x0 = rng.uniformInt(0, size.width / 2);
    int y = rng.uniformInt(size.height / 2, size.height * 3 / 4);
    for (int i = rng.uniformInt(2, 5); i > 0 && y + lineH < size.height; --i, y += lineH * 3 / 2) {
        const cv::Mat line = small.render(rng.pick(kSmall), lineH);
        if (!line.empty() && x0 + line.cols < size.width) paintCoverage(img, line, {x0, y}, ink);
    }
    if (rng.chance(0.4)) {
        // A small table (nutrition facts): grid lines.
        const cv::Rect table(rng.uniformInt(0, size.width * 2 / 3),
                             rng.uniformInt(size.height / 2, size.height * 3 / 4), size.width / 4,
                             size.height / 5);
        for (int r = 0; r <= 4; ++r)
            cv::line(img, {table.x, table.y + r * table.height / 4},
                     {table.br().x, table.y + r * table.height / 4}, ink, 1, cv::LINE_AA);
        cv::rectangle(img, table, ink, 1, cv::LINE_AA);
    }
    return img;
}

}  // namespace mengscan::scenes
