#include "mark_align.hpp"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <opencv2/video/tracking.hpp>

namespace mengscan::vision::detail {
namespace {

constexpr int kPatch = 32;                  // whitened patch side
constexpr int kView = 24;                   // template view side: +-4 px of centring slack
constexpr double kPerStd = kPatch / 4.6;    // canonical px per outline std (disc: r = 2 std)
constexpr int kAngles = 24;                 // 15 degree steps; ECC refines the rest
constexpr double kMinAngleGap = CV_PI / 6;  // distinct hypotheses
constexpr int kEccMark = 64, kEccPad = 12;
constexpr int kEccIterations = 25;
constexpr double kEccEpsilon = 3e-3;

cv::Matx22d sqrtSym(const cv::Matx22d& c, bool inverse) {
    cv::Mat values, vectors;
    cv::eigen(cv::Mat(c), values, vectors);  // rows of `vectors` are eigenvectors
    const cv::Matx22d V(vectors);
    cv::Matx22d D = cv::Matx22d::zeros();
    for (int i = 0; i < 2; ++i) {
        const double v = std::sqrt(std::max(values.at<double>(i), 1e-9));
        D(i, i) = inverse ? 1 / v : v;
    }
    return V.t() * D * V;
}

double largestStd(const cv::Matx22d& c) {
    const double tr = c(0, 0) + c(1, 1), det = c(0, 0) * c(1, 1) - c(0, 1) * c(1, 0);
    return std::sqrt(std::max(1e-9, tr / 2 + std::sqrt(std::max(0.0, tr * tr / 4 - det))));
}

cv::Mat bandPass(const cv::Mat& f) {
    cv::Mat fine, coarse;
    cv::GaussianBlur(f, fine, cv::Size(0, 0), 1.0);
    cv::GaussianBlur(f, coarse, cv::Size(0, 0), 4.0);
    return fine - coarse;
}

// The pyramid level at which `pxPerCanon` frame px per canonical px is below 2 (no
// aliasing when sampling), and the scale of that level.
int levelFor(double pxPerCanon, size_t levels, double* scale) {
    int level = 0;
    while (level + 1 < static_cast<int>(levels) && pxPerCanon >= 2.0) {
        ++level;
        pxPerCanon /= 2;
    }
    *scale = 1.0 / (1 << level);
    return level;
}

cv::Matx33d affine3(const cv::Matx22d& A, const cv::Point2d& t) {
    return {A(0, 0), A(0, 1), t.x, A(1, 0), A(1, 1), t.y, 0, 0, 1};
}

}  // namespace

AlignModel makeAlignModel(const MarkTemplate& t, const Outline& outline) {
    AlignModel m;
    if (outline.area <= 0) return m;
    cv::Mat white(t.bgr.size(), CV_8UC3, cv::Scalar(255, 255, 255)), gray;
    t.bgr.copyTo(white, t.mask);
    cv::cvtColor(white, gray, cv::COLOR_BGR2GRAY);
    m.centre = outline.centre;
    m.invSqrtCov = sqrtSym(outline.cov, true);
    const cv::Matx22d sqrtCov = sqrtSym(outline.cov, false);
    // Template shrunk so one of its px is about one canonical px (no aliasing).
    const double s0 = std::min(1.0, kPerStd / largestStd(outline.cov) * 1.2);
    cv::Mat small;
    cv::resize(gray, small, cv::Size(), s0, s0, cv::INTER_AREA);
    const double c = (kPatch - 1) / 2.0, off = (kPatch - kView) / 2.0;
    for (int i = 0; i < kAngles; ++i) {
        const double a = 2 * CV_PI * i / kAngles;
        const cv::Matx22d Rinv(std::cos(a), std::sin(a), -std::sin(a), std::cos(a));
        // canonical u -> template p = centre + sqrtCov * Rinv * (u - c) / kPerStd, in `small`.
        const cv::Matx22d A = sqrtCov * Rinv * (s0 / kPerStd);
        const cv::Point2d b = m.centre * s0 - cv::Point2d(A * cv::Vec2d(c, c));
        const cv::Matx23d M(A(0, 0), A(0, 1), b.x, A(1, 0), A(1, 1), b.y);
        cv::Mat view, f;
        cv::warpAffine(small, view, M, cv::Size(kPatch, kPatch),
                       cv::INTER_LINEAR | cv::WARP_INVERSE_MAP, cv::BORDER_CONSTANT, 255);
        view.convertTo(f, CV_32F);
        m.views.push_back(bandPass(f)(cv::Rect(cvRound(off), cvRound(off), kView, kView)).clone());
        m.angles.push_back(a);
    }
    m.eccScale = static_cast<double>(kEccMark) / std::max(t.bgr.cols, t.bgr.rows);
    cv::Mat eccSmall, eccPadded;
    cv::resize(gray, eccSmall, cv::Size(), m.eccScale, m.eccScale, cv::INTER_AREA);
    cv::copyMakeBorder(eccSmall, eccPadded, kEccPad, kEccPad, kEccPad, kEccPad, cv::BORDER_CONSTANT,
                       255);
    eccPadded.convertTo(m.eccTemplate, CV_32F);
    m.usable = true;
    return m;
}

std::vector<Alignment> coarseAlignments(const std::vector<cv::Mat>& pyramid, const Outline& outline,
                                        const AlignModel& model, int maxHypotheses,
                                        double minRotationScore) {
    std::vector<Alignment> out;
    if (!model.usable || outline.area <= 0) return out;
    const cv::Matx22d sqrtCov = sqrtSym(outline.cov, false);
    // 1. The frame's whitened patch: the outline becomes a unit-covariance shape.
    double scale = 1;
    const int level = levelFor(largestStd(outline.cov) / kPerStd, pyramid.size(), &scale);
    const double c = (kPatch - 1) / 2.0;
    const cv::Matx22d A = sqrtCov * (scale / kPerStd);
    const cv::Point2d b = outline.centre * scale - cv::Point2d(A * cv::Vec2d(c, c));
    cv::Mat patch, f;
    cv::warpAffine(pyramid[static_cast<size_t>(level)], patch,
                   cv::Matx23d(A(0, 0), A(0, 1), b.x, A(1, 0), A(1, 1), b.y),
                   cv::Size(kPatch, kPatch), cv::INTER_LINEAR | cv::WARP_INVERSE_MAP,
                   cv::BORDER_REPLICATE);
    patch.convertTo(f, CV_32F);
    f = bandPass(f);
    // 2. Rotation (and a little shift) by normalised correlation with each template view.
    struct Hypothesis {
        double score, angle;
        cv::Point2d shift;  // canonical px
    };
    std::vector<Hypothesis> hyps;
    cv::Mat result;
    for (size_t i = 0; i < model.views.size(); ++i) {
        cv::matchTemplate(f, model.views[i], result, cv::TM_CCOEFF_NORMED);
        double best = 0;
        cv::Point at;
        cv::minMaxLoc(result, nullptr, &best, nullptr, &at);
        const double off = (kPatch - kView) / 2.0;
        hyps.push_back({best, model.angles[i], {at.x - off, at.y - off}});
    }
    std::sort(hyps.begin(), hyps.end(),
              [](const auto& x, const auto& y) { return x.score > y.score; });
    std::vector<Hypothesis> chosen;
    for (const auto& h : hyps) {
        if (static_cast<int>(chosen.size()) >= maxHypotheses || h.score < minRotationScore) break;
        bool near = false;
        for (const auto& o : chosen) {
            double d = std::abs(h.angle - o.angle);
            d = std::min(d, 2 * CV_PI - d);
            near = near || d < kMinAngleGap;
        }
        if (!near) chosen.push_back(h);
    }
    // 3. Each hypothesis as an affine map template -> frame.
    const double markPx = largestStd(outline.cov) * 4;  // a disc's diameter is 4 std
    for (const auto& h : chosen) {
        const cv::Matx22d R(std::cos(h.angle), -std::sin(h.angle), std::sin(h.angle),
                            std::cos(h.angle));
        const cv::Matx22d A0 = sqrtCov * R * model.invSqrtCov;
        const cv::Point2d shift(sqrtCov * cv::Vec2d(h.shift.x, h.shift.y) * (1 / kPerStd));
        const cv::Point2d t0 =
            outline.centre + shift - cv::Point2d(A0 * cv::Vec2d(model.centre.x, model.centre.y));
        out.push_back({affine3(A0, t0), h.score, markPx});
    }
    return out;
}

Alignment refineAlignment(const std::vector<cv::Mat>& pyramid, const Alignment& coarse,
                          const AlignModel& model) {
    // ECC canonical px -> template px -> frame px.
    const cv::Matx33d eccToTemplate(1 / model.eccScale, 0, -kEccPad / model.eccScale, 0,
                                    1 / model.eccScale, -kEccPad / model.eccScale, 0, 0, 1);
    const cv::Matx33d templateToEcc(model.eccScale, 0, kEccPad, 0, model.eccScale, kEccPad, 0, 0,
                                    1);
    const cv::Matx33d eccToFrame = coarse.templateToFrame * eccToTemplate;
    double s = 1;
    const int level = levelFor(coarse.markPx / kEccMark, pyramid.size(), &s);
    const cv::Matx33d toLevel(s, 0, 0, 0, s, 0, 0, 0, 1);
    cv::Mat rect, rectF;
    cv::warpPerspective(pyramid[static_cast<size_t>(level)], rect, toLevel * eccToFrame,
                        model.eccTemplate.size(), cv::INTER_LINEAR | cv::WARP_INVERSE_MAP,
                        cv::BORDER_REPLICATE);
    rect.convertTo(rectF, CV_32F);
    cv::Mat W = cv::Mat::eye(3, 3, CV_32F);
    try {
        cv::findTransformECC(model.eccTemplate, rectF, W, cv::MOTION_HOMOGRAPHY,
                             cv::TermCriteria(cv::TermCriteria::COUNT | cv::TermCriteria::EPS,
                                              kEccIterations, kEccEpsilon),
                             cv::noArray(), 5);
    } catch (const cv::Exception&) {
        return coarse;  // did not converge: the coarse estimate may still verify
    }
    cv::Mat W64;
    W.convertTo(W64, CV_64F);
    Alignment refined = coarse;
    refined.templateToFrame = eccToFrame * cv::Matx33d(W64.ptr<double>()) * templateToEcc;
    return refined;
}

}  // namespace mengscan::vision::detail
