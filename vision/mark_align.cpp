#include "mark_align.hpp"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace mengscan::vision::detail {
namespace {

constexpr int kPatch = 32;                  // whitened patch side
constexpr int kView = 24;                   // template view side: +-4 px of centring slack
constexpr double kPerStd = kPatch / 4.6;    // canonical px per outline std (disc: r = 2 std)
constexpr int kAngles = 24;                 // 15 degree steps; the refinement does the rest
constexpr double kMinAngleGap = CV_PI / 6;  // distinct hypotheses
constexpr int kRefMark = 64, kRefPad = 12;
// Refinement sizes: kRefMark / 4, / 2 and / 1. The quarter size (sixth session) finds poses
// the other two miss on small marks under glare (seeds 2027, 2028, 4001: +2, +3, +1 marks,
// tests/samples/refinement-*; no false positives on the tuning and look-alike sets). On a
// clean, blurred or noisy rendered mark it converges from the same starts as before (up to
// 0.7x the scale and 5 degrees off), so the gain is not a wider basin there.
constexpr int kRefLevels = 3;
constexpr int kSmooth = 5;        // Gaussian kernel on both patches before refinement
constexpr double kVeilSigma = 4;  // refinement px (the mark is kRefMark): brightness slopes
constexpr int kRefineIterations = 25;
constexpr double kRefineEpsilon = 0.03;  // px (0.01: same marks and codes on seed 7, slower)

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

// Refinement coordinates: the patch centre at 0, its half side at 1 (well-conditioned
// homography parameters).
struct Normaliser {
    double halfSide;
    cv::Matx33d fromPx, toPx;
};

Normaliser normaliser(const cv::Size& size) {
    const double cx = (size.width - 1) / 2.0, cy = (size.height - 1) / 2.0;
    const double h = std::max(size.width, size.height) / 2.0;
    return {h, cv::Matx33d(1 / h, 0, -cx / h, 0, 1 / h, -cy / h, 0, 0, 1),
            cv::Matx33d(h, 0, cx, 0, h, cy, 0, 0, 1)};
}

// What the refinement compares: smoothed against pixel noise, minus the smooth brightness
// a glare veil or shading lays over the mark. On raw grey the fit followed the veil: from
// the true pose of washed-out marks it moved to where verification failed (0.78 -> 0.43).
cv::Mat refinementView(const cv::Mat& f) {
    cv::Mat fine, coarse;
    cv::GaussianBlur(f, fine, cv::Size(kSmooth, kSmooth), 0);
    cv::GaussianBlur(f, coarse, cv::Size(0, 0), kVeilSigma);
    return fine - coarse;
}

// The refinement model: steepest-descent images of the homography parameters
// p = (a-1, b, c, d-1, tx, ty, g, h) of [[a c tx] [b d ty] [g h 1]] at p = 0, with the
// constant and the template projected out (Baker & Matthews' project-out); t is the
// template's refinement view at one level.
void makeRefinementLevel(const cv::Mat& t, AlignModel::RefinementLevel& m) {
    cv::Mat gx, gy;
    cv::Sobel(t, gx, CV_32F, 1, 0, 3, 1.0 / 8);
    cv::Sobel(t, gy, CV_32F, 0, 1, 3, 1.0 / 8);
    const Normaliser n = normaliser(t.size());
    const int N = t.rows * t.cols;
    cv::Mat sd(8, N, CV_32F);
    for (int y = 0; y < t.rows; ++y) {
        for (int x = 0; x < t.cols; ++x) {
            const int i = y * t.cols + x;
            const double u = (x - (t.cols - 1) / 2.0) / n.halfSide,
                         v = (y - (t.rows - 1) / 2.0) / n.halfSide;
            // d(pixel)/dp = halfSide * d(normalised)/dp.
            const double tx = gx.at<float>(y, x) * n.halfSide, ty = gy.at<float>(y, x) * n.halfSide;
            const double row[8] = {tx * u,
                                   ty * u,
                                   tx * v,
                                   ty * v,
                                   tx,
                                   ty,
                                   -(tx * u * u + ty * u * v),
                                   -(tx * u * v + ty * v * v)};
            for (int k = 0; k < 8; ++k) sd.at<float>(k, i) = static_cast<float>(row[k]);
        }
    }
    cv::Mat flat = t.reshape(1, 1).clone();
    flat -= cv::mean(flat)[0];
    const double norm = cv::norm(flat);
    m.templ = flat;
    m.templNorm = norm;
    // Project out the constant and the template: a brightness or contrast change is not a
    // step.
    const cv::Mat one = cv::Mat::ones(1, N, CV_32F) / std::sqrt(static_cast<double>(N));
    const cv::Mat unitT = flat / std::max(norm, 1e-9);
    for (int k = 0; k < 8; ++k) {
        cv::Mat r = sd.row(k);
        r -= one * r.dot(one);
        r -= unitT * r.dot(unitT);
    }
    cv::Mat H;
    cv::mulTransposed(sd, H, false);  // 8 x 8: sd * sd^T
    cv::Mat Hd;
    H.convertTo(Hd, CV_64F);
    m.hessianInv = cv::Matx<double, 8, 8>(cv::Mat(Hd.inv(cv::DECOMP_SVD)));
    m.steepest = sd;
    m.size = t.size();
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
        cv::Mat v = bandPass(f)(cv::Rect(cvRound(off), cvRound(off), kView, kView)).clone();
        v -= cv::mean(v)[0];
        cv::Mat padded = cv::Mat::zeros(kPatch, kPatch, CV_32F), spectrum;
        v.copyTo(padded(cv::Rect(0, 0, kView, kView)));
        cv::dft(padded, spectrum);
        m.viewSpectra.push_back(spectrum);
        m.viewNorms.push_back(cv::norm(v));
        m.angles.push_back(a);
    }
    m.refScale = static_cast<double>(kRefMark) / std::max(t.bgr.cols, t.bgr.rows);
    cv::Mat refSmall, refPadded;
    cv::resize(gray, refSmall, cv::Size(), m.refScale, m.refScale, cv::INTER_AREA);
    cv::copyMakeBorder(refSmall, refPadded, kRefPad, kRefPad, kRefPad, kRefPad, cv::BORDER_CONSTANT,
                       255);
    cv::Mat refF;
    refPadded.convertTo(refF, CV_32F);
    const cv::Mat refView = refinementView(refF);
    m.refLevels.resize(kRefLevels);
    for (int i = 0; i < kRefLevels; ++i) {
        const int shrink = 1 << (kRefLevels - 1 - i);
        cv::Mat level = refView;
        if (shrink > 1)
            cv::resize(refView, level, cv::Size(refView.cols / shrink, refView.rows / shrink), 0, 0,
                       cv::INTER_AREA);
        makeRefinementLevel(level, m.refLevels[static_cast<size_t>(i)]);
    }
    m.usable = true;
    return m;
}

std::vector<Alignment> coarseAlignments(const std::vector<cv::Mat>& pyramid, const Outline& outline,
                                        const AlignModel& model, int maxHypotheses,
                                        double minRotationScore, double closeGap) {
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
    // 2. Rotation (and a little shift) by normalised correlation with each template view
    // (TM_CCOEFF_NORMED over kSlack x kSlack shifts): the numerator as one spectrum
    // product and inverse DFT per angle, the window energies from integral images once.
    struct Hypothesis {
        double score, angle;
        cv::Point2d shift;  // canonical px
    };
    constexpr int kSlack = kPatch - kView + 1;
    cv::Mat sum, sqsum;
    cv::integral(f, sum, sqsum, CV_64F, CV_64F);
    const double n = kView * kView;
    double windowNorm[kSlack][kSlack];
    for (int y = 0; y < kSlack; ++y) {
        for (int x = 0; x < kSlack; ++x) {
            const auto box = [&](const cv::Mat& s) {
                return s.at<double>(y + kView, x + kView) - s.at<double>(y, x + kView) -
                       s.at<double>(y + kView, x) + s.at<double>(y, x);
            };
            const double s1 = box(sum);
            windowNorm[y][x] = std::sqrt(std::max(0.0, box(sqsum) - s1 * s1 / n));
        }
    }
    cv::Mat spectrum, product, correlation;
    cv::dft(f, spectrum);
    std::vector<Hypothesis> hyps;
    const double off = (kPatch - kView) / 2.0;
    for (size_t i = 0; i < model.viewSpectra.size(); ++i) {
        cv::mulSpectrums(spectrum, model.viewSpectra[i], product, 0, true);
        cv::dft(product, correlation, cv::DFT_INVERSE | cv::DFT_SCALE | cv::DFT_REAL_OUTPUT);
        double best = -1;
        cv::Point at;
        for (int y = 0; y < kSlack; ++y) {
            const float* row = correlation.ptr<float>(y);
            for (int x = 0; x < kSlack; ++x) {
                const double denominator = windowNorm[y][x] * model.viewNorms[i];
                const double r = denominator > 1e-6 ? row[x] / denominator : 0;
                if (r > best) best = r, at = {x, y};
            }
        }
        hyps.push_back({best, model.angles[i], {at.x - off, at.y - off}});
    }
    std::sort(hyps.begin(), hyps.end(),
              [](const auto& x, const auto& y) { return x.score > y.score; });
    std::vector<Hypothesis> chosen;
    for (const auto& h : hyps) {
        if (h.score < minRotationScore) break;
        // One more than maxHypotheses only if it correlates within closeGap of the best.
        const int size = static_cast<int>(chosen.size());
        if (size > maxHypotheses ||
            (size == maxHypotheses && !(h.score >= chosen.front().score - closeGap)))
            break;
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
    // Refinement px -> template px -> frame px. cv::resize puts pixel centres at
    // (i + 0.5) / scale - 0.5: without the half pixels the refined quad sat ~1 % of the
    // mark's size off (tests/vision/mark_stages_test.cpp).
    const double k = model.refScale, o = (0.5 - kRefPad) / k - 0.5;
    const cv::Matx33d refToTemplate(1 / k, 0, o, 0, 1 / k, o, 0, 0, 1);
    const cv::Matx33d templateToRef(k, 0, -o * k, 0, k, -o * k, 0, 0, 1);
    const cv::Matx33d refToFrame = coarse.templateToFrame * refToTemplate;
    double s = 1;
    const int level = levelFor(coarse.markPx / kRefMark, pyramid.size(), &s);
    const cv::Matx33d toLevel(s, 0, 0, 0, s, 0, 0, 0, 1);
    cv::Mat rect, rectF;
    cv::warpPerspective(pyramid[static_cast<size_t>(level)], rect, toLevel * refToFrame,
                        model.refLevels.back().size, cv::INTER_LINEAR | cv::WARP_INVERSE_MAP,
                        cv::BORDER_REPLICATE);
    rect.convertTo(rectF, CV_32F);
    rectF = refinementView(rectF);
    // Inverse compositional (Baker & Matthews): W <- W * dW(dp)^-1, dp from the template's
    // precomputed steepest-descent images, so one step is one warp and 8 dot products.
    // Smallest size first, then each larger from there: normalised coordinates are the same
    // at all of them.
    cv::Matx33d W = cv::Matx33d::eye();  // normalised refinement coords -> rect coords
    cv::Mat warped, e, shrunk;
    for (const AlignModel::RefinementLevel& ref : model.refLevels) {
        const cv::Mat* image = &rectF;
        if (ref.size != rectF.size()) {
            cv::resize(rectF, shrunk, ref.size, 0, 0, cv::INTER_AREA);
            image = &shrunk;
        }
        const Normaliser n = normaliser(ref.size);
        for (int it = 0; it < kRefineIterations; ++it) {
            const cv::Matx33d Wpx = n.toPx * W * n.fromPx;
            cv::warpPerspective(*image, warped, Wpx, ref.size,
                                cv::INTER_LINEAR | cv::WARP_INVERSE_MAP, cv::BORDER_REPLICATE);
            // The warped patch brought to the template's mean (0) and norm: contrast and
            // brightness are not evidence of misalignment.
            e = warped.reshape(1, 1);
            cv::Scalar mean, stddev;
            cv::meanStdDev(e, mean, stddev);
            const double norm = stddev[0] * std::sqrt(static_cast<double>(e.cols));
            if (norm < 1e-3) return coarse;  // flat: nothing to align
            e.convertTo(e, CV_32F, ref.templNorm / norm, -mean[0] * ref.templNorm / norm);
            e -= ref.templ;
            cv::Vec<double, 8> gd;
            for (int i = 0; i < 8; ++i) gd[i] = ref.steepest.row(i).dot(e);
            const cv::Vec<double, 8> dp = ref.hessianInv * gd;
            const cv::Matx33d dW(1 + dp[0], dp[2], dp[4], dp[1], 1 + dp[3], dp[5], dp[6], dp[7], 1);
            const double det = cv::determinant(dW);
            if (!(std::abs(det) > 1e-6)) return coarse;
            W = W * dW.inv();
            W = W * (1.0 / W(2, 2));
            // A step under kRefineEpsilon px of this level: converged.
            if (std::abs(dp[4]) + std::abs(dp[5]) + std::abs(dp[0]) + std::abs(dp[3]) <
                kRefineEpsilon / n.halfSide)
                break;
        }
    }
    const Normaliser n = normaliser(model.refLevels.back().size);
    // A refinement that ran away (a corner of the mark moved by more than a third of the
    // mark's side, or folded over): keep the coarse estimate, which may still verify.
    const double m = kRefMark / 2.0 / n.halfSide;  // the mark's half side, normalised
    for (const cv::Vec3d& corner :
         {cv::Vec3d(-m, -m, 1), cv::Vec3d(m, -m, 1), cv::Vec3d(m, m, 1), cv::Vec3d(-m, m, 1)}) {
        const cv::Vec3d q = W * corner;
        if (!(q[2] > 0.1) ||
            !(std::hypot(q[0] / q[2] - corner[0], q[1] / q[2] - corner[1]) < 2 * m / 3))
            return coarse;
    }
    Alignment refined = coarse;
    refined.templateToFrame = refToFrame * (n.toPx * W * n.fromPx) * templateToRef;
    return refined;
}

}  // namespace mengscan::vision::detail
