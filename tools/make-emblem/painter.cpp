#include "painter.hpp"

#include <cmath>
#include <opencv2/imgproc.hpp>

namespace mengscan::tools {
namespace {

constexpr double kSuper = 2.0;  // supersampling factor
constexpr int kShift = 4;       // sub-pixel bits for OpenCV drawing
constexpr double kPi = 3.14159265358979323846;

cv::Point fixed(cv::Point2d p) {
    return {static_cast<int>(std::lround(p.x * kSuper * (1 << kShift))),
            static_cast<int>(std::lround(p.y * kSuper * (1 << kShift)))};
}

}  // namespace

Painter::Painter(int size)
    : size_(size),
      bgr_(cv::Mat::zeros(static_cast<int>(size * kSuper), static_cast<int>(size * kSuper),
                          CV_32FC3)),
      alpha_(cv::Mat::zeros(bgr_.size(), CV_32FC1)) {}

void Painter::paintCoverage(const cv::Mat& coverage, cv::Scalar bgr) {
    for (int y = 0; y < coverage.rows; ++y) {
        const uint8_t* c = coverage.ptr<uint8_t>(y);
        auto* px = bgr_.ptr<cv::Vec3f>(y);
        float* a = alpha_.ptr<float>(y);
        for (int x = 0; x < coverage.cols; ++x) {
            if (c[x] == 0) continue;
            const float k = c[x] / 255.0f;
            for (int ch = 0; ch < 3; ++ch)
                px[x][ch] = px[x][ch] * (1 - k) + static_cast<float>(bgr[ch]) * k;
            a[x] = a[x] * (1 - k) + k;
        }
    }
}

void Painter::disc(cv::Point2d centre, double radius, cv::Scalar bgr) {
    cv::Mat cov = cv::Mat::zeros(bgr_.size(), CV_8UC1);
    cv::circle(cov, fixed(centre), static_cast<int>(std::lround(radius * kSuper * (1 << kShift))),
               255, cv::FILLED, cv::LINE_AA, kShift);
    paintCoverage(cov, bgr);
}

void Painter::ring(cv::Point2d centre, double radius, double thickness, cv::Scalar bgr) {
    cv::Mat cov = cv::Mat::zeros(bgr_.size(), CV_8UC1);
    cv::circle(cov, fixed(centre), static_cast<int>(std::lround(radius * kSuper * (1 << kShift))),
               255, std::max(1, static_cast<int>(std::lround(thickness * kSuper))), cv::LINE_AA,
               kShift);
    paintCoverage(cov, bgr);
}

void Painter::polygon(const std::vector<cv::Point2d>& points, cv::Scalar bgr) {
    std::vector<cv::Point> pts;
    for (const auto& p : points) pts.push_back(fixed(p));
    cv::Mat cov = cv::Mat::zeros(bgr_.size(), CV_8UC1);
    cv::fillPoly(cov, std::vector<std::vector<cv::Point>>{pts}, 255, cv::LINE_AA, kShift);
    paintCoverage(cov, bgr);
}

void Painter::star(cv::Point2d centre, double radius, double angleDeg, cv::Scalar bgr) {
    std::vector<cv::Point2d> pts;
    for (int i = 0; i < 10; ++i) {
        const double r = (i % 2 == 0) ? radius : radius * 0.4;
        const double a = (angleDeg + i * 36.0) * kPi / 180.0;
        pts.push_back({centre.x + r * std::sin(a), centre.y - r * std::cos(a)});
    }
    polygon(pts, bgr);
}

void Painter::roundedRect(cv::Rect2d rect, double cornerRadius, cv::Scalar bgr) {
    std::vector<cv::Point2d> pts;
    const double r = std::min({cornerRadius, rect.width / 2, rect.height / 2});
    const cv::Point2d corners[4] = {{rect.x + rect.width - r, rect.y + r},
                                    {rect.x + rect.width - r, rect.y + rect.height - r},
                                    {rect.x + r, rect.y + rect.height - r},
                                    {rect.x + r, rect.y + r}};
    for (int c = 0; c < 4; ++c) {
        for (int k = 0; k <= 8; ++k) {
            const double a = (-90.0 + c * 90.0 + k * 90.0 / 8) * kPi / 180.0;
            pts.push_back({corners[c].x + r * std::cos(a), corners[c].y + r * std::sin(a)});
        }
    }
    polygon(pts, bgr);
}

void Painter::glyph(const GlyphRenderer& font, char32_t cp, cv::Point2d centre, double height,
                    double angleDeg, cv::Scalar bgr) {
    // Render big, then scale the ink box to the requested height.
    auto g = font.glyph(cp, static_cast<int>(std::lround(height * kSuper * 1.15)));
    if (!g || cv::countNonZero(*g) == 0) return;
    const double s = height * kSuper / g->rows;
    cv::Mat m = (cv::Mat_<double>(2, 3) << 1, 0, 0, 0, 1, 0);
    // Map glyph centre to the target centre with rotation (clockwise on screen) and scale.
    cv::Mat rot =
        cv::getRotationMatrix2D(cv::Point2f(g->cols / 2.0f, g->rows / 2.0f), -angleDeg, s);
    rot.at<double>(0, 2) += centre.x * kSuper - g->cols / 2.0;
    rot.at<double>(1, 2) += centre.y * kSuper - g->rows / 2.0;
    cv::Mat cov;
    cv::warpAffine(*g, cov, rot, bgr_.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, 0);
    paintCoverage(cov, bgr);
}

void Painter::arcText(const GlyphRenderer& font, const std::string& utf8, cv::Point2d centre,
                      double radius, double glyphHeight, double spanDeg, bool bottom,
                      cv::Scalar bgr) {
    const std::u32string text = decodeUtf8(utf8);
    if (text.empty()) return;
    const double step = text.size() > 1 ? spanDeg / (text.size() - 1) : 0.0;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == U' ') continue;
        // Angles clockwise from the top of the circle.
        const double a = bottom ? 180.0 + spanDeg / 2 - i * step : -spanDeg / 2 + i * step;
        const double rad = a * kPi / 180.0;
        const cv::Point2d p{centre.x + radius * std::sin(rad), centre.y - radius * std::cos(rad)};
        // Latin glyphs are shorter than CJK ones; keep their size proportional to the em.
        const bool latin = text[i] < 0x2e80;
        glyph(font, text[i], p, latin ? glyphHeight * 0.75 : glyphHeight, bottom ? a - 180.0 : a,
              bgr);
    }
}

cv::Mat Painter::result() const {
    const cv::Size out(static_cast<int>(size_), static_cast<int>(size_));
    cv::Mat bgrSmall, alphaSmall;
    cv::resize(bgr_, bgrSmall, out, 0, 0, cv::INTER_AREA);
    cv::resize(alpha_, alphaSmall, out, 0, 0, cv::INTER_AREA);
    cv::Mat rgba(out, CV_8UC4);
    for (int y = 0; y < out.height; ++y) {
        const auto* c = bgrSmall.ptr<cv::Vec3f>(y);
        const float* a = alphaSmall.ptr<float>(y);
        auto* o = rgba.ptr<cv::Vec4b>(y);
        for (int x = 0; x < out.width; ++x) {
            // Colours were painted over black; un-premultiply by the coverage.
            const float k = a[x] > 1e-4f ? 1.0f / a[x] : 0.0f;
            for (int i = 0; i < 3; ++i) o[x][i] = cv::saturate_cast<uint8_t>(c[x][i] * k);
            o[x][3] = cv::saturate_cast<uint8_t>(a[x] * 255.0f);
        }
    }
    return rgba;
}

}  // namespace mengscan::tools
