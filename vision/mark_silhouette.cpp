#include "mark_silhouette.hpp"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <optional>

namespace mengscan::vision::detail {
namespace {

constexpr int kDownscale = 2;      // outlines are found at half size (a 40 px mark: 20 px)
constexpr int kInkBlock = 25;      // local mean window (half-size px) for "darker than paper"
constexpr double kInkMargin = 10;  // grey levels below the local mean that count as ink
// An outline within this share of the mark's size and this log area ratio of one already
// tried is not tried again.
constexpr double kTriedOffset = 0.04;
constexpr double kTriedLogArea = 0.1;
// A veil: the fitted brightness rises by at least this many grey levels per mark width.
constexpr double kMinVeilRise = 15;
// An ellipse fitted to an opened ring's hull is tried when its area is this many times the
// hull's (less: the hull is as good; more: a short arc's fit is not to be trusted).
constexpr double kMinArcGrowth = 1.1;
constexpr double kMaxArcGrowth = 2.5;
// ... for contours covering at most this share of their hull (0.85: the same marks, +6.3 %
// instructions on the median frames of seed 2029 against +3.2 %).
constexpr double kMaxArcSolidity = 0.5;

Outline outlineOf(const std::vector<cv::Point>& contour, double scale, double offset) {
    Outline o;
    const cv::Moments m = cv::moments(contour);
    if (m.m00 <= 0) return o;
    o.area = m.m00 * scale * scale;
    o.centre = {m.m10 / m.m00 * scale + offset, m.m01 / m.m00 * scale + offset};
    o.cov = cv::Matx22d(m.mu20, m.mu11, m.mu11, m.mu02) * (scale * scale / m.m00);
    const double det = o.cov(0, 0) * o.cov(1, 1) - o.cov(0, 1) * o.cov(1, 0);
    o.ellipseFill = det > 0 ? o.area / (4 * CV_PI * std::sqrt(det)) : 0;
    std::vector<cv::Point> hull;
    cv::convexHull(contour, hull);
    const double hullArea = cv::contourArea(hull);
    o.solidity = hullArea > 0 ? m.m00 / hullArea : 0;
    return o;
}

// Smaller over larger eigenvalue of a covariance: 1 for a disc, cos^2(tilt) for a tilted one.
double eigenRatio(const cv::Matx22d& c) {
    const double tr = c(0, 0) + c(1, 1), det = c(0, 0) * c(1, 1) - c(0, 1) * c(1, 0);
    const double d = std::sqrt(std::max(0.0, tr * tr / 4 - det));
    const double hi = tr / 2 + d, lo = tr / 2 - d;
    return hi > 0 ? std::max(0.0, lo) / hi : 0;
}

// Ink: darker than the paper around it (local mean), in any colour; or (blackHat) darker
// than the local morphological closing, which a glare's smooth brightness slope does not
// trip (next to a glare spot the local mean is raised and paper reads as ink). Closed so a
// ring broken by letters knocked out of it stays one outline.
cv::Mat inkMask(const cv::Mat& gray, bool blackHat) {
    cv::Mat ink;
    if (blackHat) {
        cv::Mat bh;
        cv::morphologyEx(gray, bh, cv::MORPH_BLACKHAT,
                         cv::getStructuringElement(cv::MORPH_RECT, cv::Size(kInkBlock, kInkBlock)));
        cv::threshold(bh, ink, kInkMargin, 255, cv::THRESH_BINARY);
    } else
        cv::adaptiveThreshold(gray, ink, 255, cv::ADAPTIVE_THRESH_MEAN_C, cv::THRESH_BINARY_INV,
                              kInkBlock, kInkMargin);
    cv::morphologyEx(ink, ink, cv::MORPH_CLOSE,
                     cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(3, 3)));
    return ink;
}

// A ring that glare or a break has opened into a C: its hull is cut off by the chord across
// the gap, so the hull's moments put the mark too small and off-centre, away from the gap.
// The hull's vertices all lie on the outer arc (a chord has none between its ends), so an
// ellipse fitted to them is the whole outline when the arc is long enough. Tried for
// contours covering at most half their hull (an open C, not a dented disc), when it is
// 1.1-2.5 times the hull's area and centred near it (seeds 2026, 4002, seed 7: +1, +3, +1
// marks; alt emblem sets and look-alikes unchanged, no false positives). `hull` in half-size
// px, `area` the contour's there; `hullOutline` the hull's outline (full-frame px), whose
// shape figures the fit is ranked by: it is only as good as the hull is outline-like.
std::optional<Outline> ellipseThroughHull(const std::vector<cv::Point>& hull, double area,
                                          const Outline& hullOutline) {
    const double k = kDownscale, off = (kDownscale - 1) / 2.0;
    if (hull.size() < 6 || area * k * k > kMaxArcSolidity * hullOutline.area) return std::nullopt;
    const cv::RotatedRect e = cv::fitEllipseDirect(hull);
    // A filled ellipse's variance along a semi-axis s is s^2 / 4.
    const double t = e.angle * CV_PI / 180, c = std::cos(t), sn = std::sin(t);
    const double va = std::pow(e.size.width * k / 4, 2), vb = std::pow(e.size.height * k / 4, 2);
    Outline o = hullOutline;  // its ellipseFill and solidity
    o.arcFit = true;
    o.area = CV_PI * e.size.width * e.size.height / 4 * k * k;
    o.centre = {e.center.x * k + off, e.center.y * k + off};
    o.cov = cv::Matx22d(c * c * va + sn * sn * vb, c * sn * (va - vb), c * sn * (va - vb),
                        sn * sn * va + c * c * vb);
    if (!(o.area > kMinArcGrowth * hullOutline.area && o.area < kMaxArcGrowth * hullOutline.area) ||
        !(cv::norm(o.centre - hullOutline.centre) <= 0.5 * std::sqrt(o.area)))
        return std::nullopt;
    return o;
}

// Outer boundaries at every depth (a mark sits inside the hole a label's paper makes in
// a darker background), as outlines in full-frame pixels.
std::vector<Outline> outlines(const cv::Mat& mask, double minArea, double maxArea) {
    std::vector<std::vector<cv::Point>> contours;
    std::vector<cv::Vec4i> hierarchy;
    cv::findContours(mask, contours, hierarchy, cv::RETR_CCOMP, cv::CHAIN_APPROX_SIMPLE);
    std::vector<Outline> out;
    for (size_t i = 0; i < contours.size(); ++i) {
        if (hierarchy[i][3] >= 0) continue;  // a hole
        // Its box bounds its hull: most contours are specks, not worth a hull.
        if (cv::boundingRect(contours[i]).area() < minArea) continue;
        const double area = std::abs(cv::contourArea(contours[i]));
        if (area > maxArea) continue;
        // Glare or a fold can bite into the outline; its convex hull is then the better
        // estimate of where the whole mark is. A ring that glare has opened is only its
        // stroke, far smaller than the mark: it is judged by its hull's area.
        std::vector<cv::Point> hull;
        cv::convexHull(contours[i], hull);
        const double hullArea = cv::contourArea(hull);
        if (hullArea < minArea) continue;
        if (area >= minArea)
            out.push_back(outlineOf(contours[i], kDownscale, (kDownscale - 1) / 2.0));
        if (area < 0.85 * hullArea) {
            const Outline hullOutline = outlineOf(hull, kDownscale, (kDownscale - 1) / 2.0);
            if (auto arc = ellipseThroughHull(hull, area, hullOutline)) out.push_back(*arc);
            out.push_back(hullOutline);
        }
    }
    return out;
}

}  // namespace

SilhouetteModel makeSilhouetteModel(const cv::Mat& templateBgr, const cv::Mat& templateMask) {
    SilhouetteModel m;
    // The artwork on white paper, at the size a frame would show a mid-sized mark, through
    // the same ink function the frames go through.
    constexpr int kWidth = 60, kPad = 16;
    cv::Mat white(templateBgr.size(), CV_8UC3, cv::Scalar(255, 255, 255));
    templateBgr.copyTo(white, templateMask);
    const double s = static_cast<double>(kWidth) / std::max(templateBgr.cols, templateBgr.rows);
    cv::Mat small, gray, padded;
    cv::resize(white, small, cv::Size(), s, s, cv::INTER_AREA);
    cv::cvtColor(small, gray, cv::COLOR_BGR2GRAY);
    cv::copyMakeBorder(gray, padded, kPad, kPad, kPad, kPad, cv::BORDER_CONSTANT, 255);
    const cv::Mat ink = inkMask(padded, false);
    std::vector<std::vector<cv::Point>> contours;
    cv::findContours(ink, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_NONE);
    if (contours.empty()) return m;
    const auto largest =
        std::max_element(contours.begin(), contours.end(), [](const auto& a, const auto& b) {
            return std::abs(cv::contourArea(a)) < std::abs(cv::contourArea(b));
        });
    // Back to template pixels.
    Outline o = outlineOf(*largest, 1.0 / s, 0);
    o.centre -= cv::Point2d(kPad / s, kPad / s);
    // Too little of the artwork's box: not an outline the frames can show.
    if (o.area < 0.15 * templateBgr.cols * templateBgr.rows) return m;
    m.outline = o;
    const double side = std::max(templateBgr.cols, templateBgr.rows);
    m.areaFraction = o.area / (side * side);
    m.usable = true;
    return m;
}

std::vector<SilhouetteCandidate> proposeSilhouettes(const cv::Mat& gray, const cv::Mat& bgr,
                                                    OutlineSource source,
                                                    const SilhouetteModel& model,
                                                    const ColourModel& colour, double minMarkPx,
                                                    double maxMarkPx, int maxCandidates,
                                                    const std::vector<Outline>& exclude) {
    std::vector<SilhouetteCandidate> out;
    if (!model.usable) return out;
    const bool coloured = source == OutlineSource::Colour;
    const bool chromatic = source == OutlineSource::ChromaticInk;
    const bool hasColour = !bgr.empty() && bgr.channels() == 3;
    if ((coloured && (!colour.usable || !hasColour)) || (chromatic && !hasColour)) return out;
    const Outline& t = model.outline;
    const cv::Size half(gray.cols / kDownscale, gray.rows / kDownscale);
    const double k2 = kDownscale * kDownscale;
    const double areaFraction = model.areaFraction;
    // Area bounds in half-size px; a mark tilted by 50 degrees keeps ~0.6 of its area.
    const double minArea = 0.5 * areaFraction * minMarkPx * minMarkPx / k2;
    const double maxArea = 1.3 * areaFraction * maxMarkPx * maxMarkPx / k2;
    cv::Mat small, mask;
    cv::resize(coloured ? bgr : gray, small, half, 0, 0, cv::INTER_AREA);
    if (coloured) {
        mask = colourMask(small, colour);
    } else {
        mask = inkMask(small, source == OutlineSource::InkTopHat);
        if (chromatic) {
            // Only ink of some colour: a mark printed in one (non-template) ink then stands
            // apart from the black code and text beside it, which the plain ink mask merges.
            cv::Mat smallBgr;
            cv::resize(bgr, smallBgr, half, 0, 0, cv::INTER_AREA);
            mask &= chromaticMask(smallBgr);
        }
    }
    const double tRatio = eigenRatio(t.cov);
    for (const auto& o : outlines(mask, minArea, maxArea)) {
        // Tilted by up to ~55 degrees: the short axis shrinks to cos(55) = 0.57.
        if (eigenRatio(o.cov) < 0.3 * tRatio) continue;
        const double fillPenalty =
            std::abs(std::log(std::max(1e-3, o.ellipseFill) / t.ellipseFill));
        const double solidPenalty = std::max(0.0, t.solidity - o.solidity);
        if (fillPenalty > 0.5 || solidPenalty > 0.35) continue;
        SilhouetteCandidate c;
        c.outline = o;
        c.markPx = std::sqrt(o.area / areaFraction);
        c.likeness = 1.0 - 2 * fillPenalty - 2 * solidPenalty;
        // An outline found twice here, or already tried (from another mask). Glare bites
        // differently into each mask's outline: one a few px off or a tenth smaller than
        // the one tried is another hypothesis, and may be the one that aligns.
        // An arc fit and an outline alike are both kept: either may be the one that aligns
        // (the arc replacing its hull lost a washed-out 45 px mark,
        // tests/samples/washed-out-alt-1).
        const auto same = [&](const Outline& d) {
            return d.arcFit == o.arcFit && cv::norm(d.centre - o.centre) < 0.15 * c.markPx &&
                   std::abs(std::log(d.area / o.area)) < 0.3;
        };
        const auto tried = [&](const Outline& d) {
            return cv::norm(d.centre - o.centre) < kTriedOffset * c.markPx &&
                   std::abs(std::log(d.area / o.area)) < kTriedLogArea;
        };
        if (std::any_of(exclude.begin(), exclude.end(), tried)) continue;
        bool duplicate = false;
        for (auto& d : out) {
            if (!same(d.outline)) continue;
            duplicate = true;
            if (c.likeness > d.likeness) d = c;
            break;
        }
        if (!duplicate) out.push_back(c);
    }
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.likeness > b.likeness; });
    if (static_cast<int>(out.size()) > maxCandidates)
        out.resize(static_cast<size_t>(maxCandidates));
    return out;
}

std::vector<Outline> veilCompletedOutlines(const cv::Mat& gray, const Outline& outline,
                                           double markPx, const std::vector<double>& growths) {
    std::vector<Outline> out;
    // A plane fitted to the grey levels on a sparse grid over the mark and as much around
    // it: its slope is the veil's direction and strength.
    constexpr int kGrid = 16;
    cv::Mat A(kGrid * kGrid, 3, CV_64F), b(kGrid * kGrid, 1, CV_64F);
    int n = 0;
    for (int j = 0; j < kGrid; ++j) {
        for (int i = 0; i < kGrid; ++i) {
            const double u = (i + 0.5) / kGrid * 2 - 1, v = (j + 0.5) / kGrid * 2 - 1;
            const int x = cvRound(outline.centre.x + u * markPx),
                      y = cvRound(outline.centre.y + v * markPx);
            if (x < 0 || y < 0 || x >= gray.cols || y >= gray.rows) continue;
            A.at<double>(n, 0) = 1, A.at<double>(n, 1) = u, A.at<double>(n, 2) = v;
            b.at<double>(n, 0) = gray.at<uint8_t>(y, x);
            ++n;
        }
    }
    if (n < kGrid * kGrid / 2) return out;
    cv::Mat plane;
    if (!cv::solve(A.rowRange(0, n), b.rowRange(0, n), plane, cv::DECOMP_SVD)) return out;
    // Grey levels gained per mark width along the slope.
    const cv::Point2d slope(plane.at<double>(1, 0), plane.at<double>(2, 0));
    const double rise = cv::norm(slope);
    if (rise < kMinVeilRise) return out;
    for (const double g : growths) {
        Outline o = outline;
        o.cov = outline.cov * (g * g);
        o.area = outline.area * g * g;
        o.centre = outline.centre + slope * ((g - 1) * markPx / 2 / rise);
        out.push_back(o);
    }
    return out;
}

}  // namespace mengscan::vision::detail
