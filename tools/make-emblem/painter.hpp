// A small RGBA canvas for flat, seal-style artwork: shapes and text are painted as
// coverage masks in one colour each, drawn at 2x and downsampled for clean edges.
#pragma once

#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "glyph_renderer.hpp"

namespace mengscan::tools {

class Painter {
public:
    explicit Painter(int size);  // final size in pixels (square); painted at 2x

    // Shapes (coordinates in final pixels, centre-relative helpers below).
    void disc(cv::Point2d centre, double radius, cv::Scalar bgr);
    void ring(cv::Point2d centre, double radius, double thickness, cv::Scalar bgr);
    void polygon(const std::vector<cv::Point2d>& points, cv::Scalar bgr);
    void star(cv::Point2d centre, double radius, double angleDeg, cv::Scalar bgr);
    void roundedRect(cv::Rect2d rect, double cornerRadius, cv::Scalar bgr);
    // A glyph `height` px tall centred at `centre`, rotated clockwise by angleDeg.
    void glyph(const GlyphRenderer& font, char32_t cp, cv::Point2d centre, double height,
               double angleDeg, cv::Scalar bgr);
    // Text along a circle: top arc reads clockwise (glyph tops outward), bottom arc reads
    // left to right with glyph tops towards the centre. spanDeg is the arc covered.
    void arcText(const GlyphRenderer& font, const std::string& utf8, cv::Point2d centre,
                 double radius, double glyphHeight, double spanDeg, bool bottom, cv::Scalar bgr);

    // BGRA result at the final size; alpha is everything painted so far.
    cv::Mat result() const;
    double size() const { return size_; }
    cv::Point2d centre() const { return {size_ / 2.0, size_ / 2.0}; }

private:
    void paintCoverage(const cv::Mat& coverage, cv::Scalar bgr);  // coverage at 2x, 8U
    double size_;
    cv::Mat bgr_;    // CV_32FC3 at 2x
    cv::Mat alpha_;  // CV_32FC1 at 2x
};

}  // namespace mengscan::tools
