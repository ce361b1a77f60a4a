#include "artwork.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace mengscan::scenes {
namespace {

// Crops to the bounding box of alpha >= 128, as the detector does with its template.
Expected<Artwork> cropped(cv::Mat bgr, cv::Mat alpha, const std::string& name) {
    std::vector<cv::Point> ink;
    cv::findNonZero(alpha >= 128, ink);
    if (ink.empty())
        return makeUnexpected(ErrorCategory::Image, "empty_artwork", name + ": no artwork pixels");
    const cv::Rect box = cv::boundingRect(ink);
    return Artwork{bgr(box).clone(), alpha(box).clone(), name};
}

}  // namespace

Expected<Artwork> loadArtwork(const std::string& path) {
    cv::Mat image;
    try {
        image = cv::imread(path, cv::IMREAD_UNCHANGED);
    } catch (const cv::Exception& e) {
        return makeUnexpected(ErrorCategory::Image, "unreadable", path + ": " + e.what());
    }
    if (image.empty() || image.depth() != CV_8U)
        return makeUnexpected(ErrorCategory::Image, "unreadable", "cannot read image " + path);
    const std::string name = std::filesystem::path(path).filename().string();
    cv::Mat bgr, alpha;
    if (image.channels() == 4) {
        std::vector<cv::Mat> planes;
        cv::split(image, planes);
        alpha = planes[3];
        cv::merge(std::vector<cv::Mat>{planes[0], planes[1], planes[2]}, bgr);
    } else {
        if (image.channels() == 1)
            cv::cvtColor(image, bgr, cv::COLOR_GRAY2BGR);
        else
            bgr = image;
        // No alpha: the uniform border colour around the artwork is not part of it.
        const cv::Vec3b border = bgr.at<cv::Vec3b>(0, 0);
        cv::Mat diff;
        cv::absdiff(bgr, cv::Scalar(border[0], border[1], border[2]), diff);
        cv::Mat maxDiff;
        cv::transform(diff, maxDiff, cv::Matx13f(1, 1, 1));
        alpha = maxDiff > 36;
    }
    return cropped(bgr, alpha, name);
}

std::vector<Artwork> loadArtworkFolder(const std::string& dir) {
    std::vector<std::string> paths;
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) return {};
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        const std::string ext = entry.path().extension().string();
        if (ext == ".png" || ext == ".jpg" || ext == ".jpeg") paths.push_back(entry.path());
    }
    std::sort(paths.begin(), paths.end());
    std::vector<Artwork> out;
    for (const auto& p : paths)
        if (auto art = loadArtwork(p)) out.push_back(std::move(*art));
    return out;
}

Artwork oneColour(const Artwork& art, const cv::Scalar& ink) {
    cv::Mat gray;
    cv::cvtColor(art.bgr, gray, cv::COLOR_BGR2GRAY);
    gray.setTo(255, art.alpha < 128);
    cv::Mat dark;
    cv::threshold(gray, dark, 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
    // Keep the anti-aliased edge of the artwork's own alpha.
    cv::Mat alpha;
    cv::min(dark, art.alpha, alpha);
    cv::GaussianBlur(alpha, alpha, cv::Size(3, 3), 0.6);
    Artwork out{cv::Mat(art.bgr.size(), CV_8UC3, ink), alpha, art.name + " (one colour)"};
    return out;
}

Artwork randomLookalike(Rng& rng, const SealFonts& fonts, int sizePx) {
    static const std::vector<std::string> kGlyphs = {"绿", "农", "品", "优", "鲜", "草", "牧",
                                                     "福", "寿", "安", "食", "质", "禾", "乳"};
    static const std::vector<std::string> kPairs = {"有机", "绿色", "认证", "优品",
                                                    "草原", "安全", "农产", "牧场"};
    static const std::vector<cv::Scalar> kColours = {{60, 140, 40}, {40, 120, 0},  {30, 30, 200},
                                                     {150, 80, 20}, {20, 20, 20},  {0, 110, 220},
                                                     {90, 160, 60}, {120, 40, 140}};
    const cv::Scalar colour = rng.pick(kColours);
    const int n = sizePx;
    cv::Mat alpha(n, n, CV_8UC1, cv::Scalar(0));
    const cv::Point c(n / 2, n / 2);
    const int style = rng.uniformInt(0, 4);
    const int thick = std::max(2, n / rng.uniformInt(14, 24));
    std::string name;
    std::string text;
    const TextPainter* font = rng.chance(0.5) ? fonts.sans : fonts.serif;
    if (style == 4) {
        // The bare character of the mark, in another font, no ring: must not pass.
        text = "蒙";
        font = fonts.serif;
        name = "bare 蒙 (serif)";
    } else {
        text = rng.chance(0.6) ? rng.pick(kGlyphs) : rng.pick(kPairs);
        if (style == 0 || style == 1) {
            cv::circle(alpha, c, n / 2 - thick, cv::Scalar(255), thick, cv::LINE_AA);
            if (style == 1)
                cv::circle(alpha, c, n / 2 - 3 * thick, cv::Scalar(255), std::max(1, thick / 2),
                           cv::LINE_AA);
            name = std::string(style == 0 ? "round" : "double-ring") + " seal " + text;
        } else if (style == 2) {
            cv::rectangle(alpha, cv::Rect(thick, thick, n - 2 * thick, n - 2 * thick),
                          cv::Scalar(255), thick, cv::LINE_AA);
            name = "square seal " + text;
        } else {
            cv::circle(alpha, c, n / 2 - 1, cv::Scalar(255), cv::FILLED, cv::LINE_AA);
            name = "filled disc seal " + text;
        }
    }
    const bool multi = text.size() > 3;
    cv::Mat glyphs = font->render(text, multi ? n * 2 / 5 : n * 3 / 5);
    if (!glyphs.empty()) {
        const double fit = std::min(1.0, 0.62 * n / std::max(glyphs.cols, glyphs.rows));
        if (fit < 1.0) cv::resize(glyphs, glyphs, cv::Size(), fit, fit, cv::INTER_AREA);
        const cv::Rect at(c.x - glyphs.cols / 2, c.y - glyphs.rows / 2, glyphs.cols, glyphs.rows);
        cv::Mat roi = alpha(at & cv::Rect(0, 0, n, n));
        if (style == 3) {
            cv::subtract(roi, glyphs(cv::Rect(0, 0, roi.cols, roi.rows)), roi);  // knocked out
        } else {
            cv::max(roi, glyphs(cv::Rect(0, 0, roi.cols, roi.rows)), roi);
        }
    }
    Artwork art{cv::Mat(n, n, CV_8UC3, colour), alpha, name};
    auto croppedArt = cropped(art.bgr, art.alpha, name);
    return croppedArt ? *croppedArt : art;
}

}  // namespace mengscan::scenes
