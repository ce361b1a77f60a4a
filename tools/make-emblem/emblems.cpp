// Each design is flat vector-like artwork. The detector must never be tuned to any of
// these shapes; they only exercise it (see docs/vision.md).
#include "emblems.hpp"

#include <cmath>

#include "painter.hpp"

namespace mengscan::tools {
namespace {

constexpr double kPi = 3.14159265358979323846;
const cv::Scalar kWhite(255, 255, 255);
const cv::Scalar kMengGreen(61, 132, 0);  // #00843D, a regional-brand green (BGR)
const cv::Scalar kAltBlue(156, 79, 27);   // #1B4F9C
const cv::Scalar kSealRed(40, 30, 200);
const cv::Scalar kBlack(20, 20, 20);

std::vector<cv::Point2d> regularPolygon(cv::Point2d c, double r, int n, double startDeg) {
    std::vector<cv::Point2d> pts;
    for (int i = 0; i < n; ++i) {
        const double a = (startDeg + i * 360.0 / n) * kPi / 180.0;
        pts.push_back({c.x + r * std::sin(a), c.y - r * std::cos(a)});
    }
    return pts;
}

// The stand-in certification mark: a round green seal, 蒙 in the centre, ring text.
cv::Mat mengMark(const Fonts& f, int size) {
    Painter p(size);
    const auto c = p.centre();
    const double R = size * 0.49;
    p.disc(c, R, kMengGreen);
    p.ring(c, R * 0.94, R * 0.016, kWhite);
    p.disc(c, R * 0.69, kWhite);
    p.ring(c, R * 0.64, R * 0.02, kMengGreen);
    p.arcText(f.sansBold, "内蒙古优质农畜产品", c, R * 0.815, R * 0.16, 150, false, kWhite);
    p.arcText(f.sansBold, "MENG MARK", c, R * 0.815, R * 0.15, 72, true, kWhite);
    p.star(
        {c.x + R * 0.815 * std::sin(112 * kPi / 180), c.y - R * 0.815 * std::cos(112 * kPi / 180)},
        R * 0.06, 0, kWhite);
    p.star(
        {c.x + R * 0.815 * std::sin(248 * kPi / 180), c.y - R * 0.815 * std::cos(248 * kPi / 180)},
        R * 0.06, 0, kWhite);
    p.glyph(f.serifBold, U'蒙', {c.x, c.y - R * 0.03}, R * 0.78, 0, kMengGreen);
    // A grassland line under the character.
    p.polygon({{c.x - R * 0.42, c.y + R * 0.47},
               {c.x - R * 0.1, c.y + R * 0.40},
               {c.x + R * 0.2, c.y + R * 0.45},
               {c.x + R * 0.42, c.y + R * 0.39},
               {c.x + R * 0.40, c.y + R * 0.44},
               {c.x + R * 0.2, c.y + R * 0.50},
               {c.x - R * 0.1, c.y + R * 0.45},
               {c.x - R * 0.40, c.y + R * 0.52}},
              kMengGreen);
    return p.result();
}

// A different emblem (shape, colour, character) for the template-swap test.
cv::Mat altEmblem(const Fonts& f, int size) {
    Painter p(size);
    const auto c = p.centre();
    const double R = size * 0.49;
    p.polygon(regularPolygon(c, R, 6, 0), kAltBlue);
    p.polygon(regularPolygon(c, R * 0.88, 6, 0), kWhite);
    p.polygon(regularPolygon(c, R * 0.82, 6, 0), kAltBlue);
    p.glyph(f.serifBold, U'源', {c.x, c.y - R * 0.17}, R * 0.62, 0, kWhite);
    p.roundedRect({c.x - R * 0.6, c.y + R * 0.28, R * 1.2, R * 0.28}, R * 0.06, kWhite);
    const std::u32string band = U"产地认证";
    for (size_t i = 0; i < band.size(); ++i) {
        p.glyph(f.sansBold, band[i], {c.x + (i - 1.5) * R * 0.27, c.y + R * 0.42}, R * 0.19, 0,
                kAltBlue);
    }
    for (int i = -1; i <= 1; ++i) {
        p.star({c.x + i * R * 0.22, c.y - R * 0.66 + std::abs(i) * R * 0.05}, R * 0.07, 0, kWhite);
    }
    return p.result();
}

// Look-alike: same colour and shape class as the mark, another character and ring text.
cv::Mat greenSealOtherChar(const Fonts& f, int size) {
    Painter p(size);
    const auto c = p.centre();
    const double R = size * 0.49;
    p.disc(c, R, kMengGreen);
    p.ring(c, R * 0.96, R * 0.01, kWhite);
    p.ring(c, R * 0.92, R * 0.01, kWhite);
    p.disc(c, R * 0.72, kWhite);
    p.arcText(f.sansBold, "绿色农产品认证中心", c, R * 0.82, R * 0.15, 160, false, kWhite);
    p.arcText(f.sansBold, "GREEN FOOD", c, R * 0.82, R * 0.14, 80, true, kWhite);
    p.glyph(f.serifBold, U'农', c, R * 0.8, 0, kMengGreen);
    return p.result();
}

cv::Mat redRoundSeal(const Fonts& f, int size) {
    Painter p(size);
    const auto c = p.centre();
    const double R = size * 0.49;
    p.disc(c, R, kSealRed);
    p.disc(c, R * 0.9, kWhite);
    p.arcText(f.serifBold, "吉祥如意百年老店", c, R * 0.72, R * 0.17, 200, false, kSealRed);
    p.star({c.x, c.y + R * 0.72}, R * 0.09, 0, kSealRed);
    p.glyph(f.serifBold, U'福', c, R * 0.7, 0, kSealRed);
    return p.result();
}

cv::Mat squareChop(const Fonts& f, int size) {
    Painter p(size);
    const auto c = p.centre();
    const double R = size * 0.47;
    p.roundedRect({c.x - R, c.y - R, 2 * R, 2 * R}, R * 0.08, kSealRed);
    const std::u32string chars = U"品质保证";
    // Traditional reading order: right column top-down, then the left column.
    const cv::Point2d cells[4] = {{c.x + R * 0.45, c.y - R * 0.45},
                                  {c.x + R * 0.45, c.y + R * 0.45},
                                  {c.x - R * 0.45, c.y - R * 0.45},
                                  {c.x - R * 0.45, c.y + R * 0.45}};
    for (int i = 0; i < 4; ++i) p.glyph(f.serifBold, chars[i], cells[i], R * 0.78, 0, kWhite);
    return p.result();
}

// The bare character in another font (Sans Regular), in the mark's own green.
cv::Mat bareCharacter(const Fonts& f, int size) {
    Painter p(size);
    p.glyph(f.sansRegular, U'蒙', p.centre(), size * 0.9, 0, kMengGreen);
    return p.result();
}

// The same bare character in black (a one-colour print of text, not of the mark).
cv::Mat bareCharacterBlack(const Fonts& f, int size) {
    Painter p(size);
    p.glyph(f.sansRegular, U'蒙', p.centre(), size * 0.9, 0, kBlack);
    return p.result();
}

}  // namespace

std::vector<Artwork> makeAllArtwork(const Fonts& fonts, int size) {
    return {
        {"meng-mark.png", mengMark(fonts, size)},
        {"alt-emblem.png", altEmblem(fonts, size)},
        {"lookalikes/green-seal-nong.png", greenSealOtherChar(fonts, size)},
        {"lookalikes/red-seal-fu.png", redRoundSeal(fonts, size)},
        {"lookalikes/square-chop.png", squareChop(fonts, size)},
        {"lookalikes/bare-meng-sans-green.png", bareCharacter(fonts, size)},
        {"lookalikes/bare-meng-sans-black.png", bareCharacterBlack(fonts, size)},
    };
}

}  // namespace mengscan::tools
