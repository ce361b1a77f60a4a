#include "mark_verify.hpp"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace mengscan::vision::detail {
namespace {

constexpr int kCanonical = 96;  // long side of the canonical patch
constexpr int kGrid = 3;        // 3x3 blocks: local correlation catches a different centre
constexpr double kBlurSigma = 1.0;
constexpr double kCoarseSigma = 4.0;
constexpr int kSaturated = 250;         // glare: such frame pixels carry no evidence
constexpr double kContrastSigma = 8.0;  // canonical px: about a twelfth of the mark
// Candidates scoring in [floor, below) are re-sampled at the residual shift (up to twice)
// and at +-6 % scale; `below` is the detector's default minScore (a higher score needs no
// help, a lower one is no mark).
constexpr double kShiftRetryFloor = 0.3;
constexpr double kShiftRetryBelow = 0.5;
constexpr double kMaxShift = 0.08;  // of the canonical width
constexpr double kRetryScales[] = {0.94, 1.06};
// Marks narrower than kSmallUpTo frame px lose up to kSmallPenalty of their score, all of it
// at kSmallFull px and below (generated scenes: a same-shape, same-colour seal with another
// character scored up to 0.53 at 45-52 px; 97 of 99 true marks under 60 px scored 0.56+).
constexpr double kSmallPenalty = 0.06;
constexpr double kSmallFull = 48;
constexpr double kSmallUpTo = 64;

cv::Mat toGrayF(const cv::Mat& bgr) {
    cv::Mat gray, f;
    cv::cvtColor(bgr, gray, cv::COLOR_BGR2GRAY);
    gray.convertTo(f, CV_32F);
    return f;
}

// Correlation of a and b over some pixels; NaN when either side is flat.
struct Moments {
    double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0, n = 0;
    void add(double a, double b) {
        sa += a, sb += b, saa += a * a, sbb += b * b, sab += a * b, n += 1;
    }
    double ncc() const {
        if (n < 4) return std::nan("");
        const double va = saa - sa * sa / n, vb = sbb - sb * sb / n;
        if (va < 1e-6 * n || vb < 1e-6 * n) return std::nan("");
        return (sab - sa * sb / n) / std::sqrt(va * vb);
    }
};

// Strokes and details, not the big flat areas: two seals of the same colour and shape
// agree on their large areas and differ in their strokes.
// `pixel` is one frame pixel in canonical pixels: finer detail than that is noise.
cv::Mat bandPass(const cv::Mat& in, double pixel) {
    cv::Mat fine, coarse;
    const double sigma = kBlurSigma * std::max(1.0, pixel);
    cv::GaussianBlur(in, fine, cv::Size(0, 0), sigma);
    cv::GaussianBlur(in, coarse, cv::Size(0, 0), sigma * kCoarseSigma);
    return fine - coarse;
}

// Each pixel over the local energy of its neighbourhood: a glare veil or shading that
// compresses the strokes' contrast on one side of the mark no longer lets the other side
// dominate the correlation.
void equaliseContrast(cv::Mat& bandPassed) {
    cv::Mat energy;
    cv::GaussianBlur(bandPassed.mul(bandPassed), energy, cv::Size(0, 0), kContrastSigma);
    cv::sqrt(energy + 1.0, energy);
    bandPassed = bandPassed / energy;
}

// Correlation of what is not rotationally symmetric: each pixel minus the mean of its ring
// about the artwork's centre, in both images (glare-saturated frame pixels left out).
double detailCorrelation(const cv::Mat& ref, const cv::Mat& frame, const cv::Mat& raw,
                         const VerifyModel& model) {
    const auto forEachPixel = [&](auto&& use) {
        for (int y = 0; y < model.size.height; ++y) {
            const float* a = ref.ptr<float>(y);
            const float* b = frame.ptr<float>(y);
            const uint8_t* r = raw.ptr<uint8_t>(y);
            const int* ring = model.ring.ptr<int>(y);
            for (int x = 0; x < model.size.width; ++x) {
                if (ring[x] >= 0 && r[x] < kSaturated)
                    use(static_cast<size_t>(ring[x]), a[x], b[x]);
            }
        }
    };
    const size_t rings = static_cast<size_t>(model.rings);
    std::vector<double> sumA(rings), sumB(rings), count(rings);
    forEachPixel([&](size_t k, float a, float b) {
        sumA[k] += a;
        sumB[k] += b;
        count[k] += 1;
    });
    Moments residual;
    forEachPixel([&](size_t k, float a, float b) {
        residual.add(a - sumA[k] / count[k], b - sumB[k] / count[k]);
    });
    const double d = residual.ncc();
    return std::isnan(d) ? 0 : d;
}

constexpr int kRefStep = 2;  // frame px between cached template references
constexpr int kRefMinWidth = 8;

// The template compared at the resolution the mark was seen at: a 40 px mark cannot show
// the template's fine strokes, so the template is brought down to that size first.
cv::Mat referenceAt(const VerifyModel& m, double frameWidth) {
    cv::Mat ref = m.gray;
    if (frameWidth < m.size.width) {
        const double k = std::max(8.0, frameWidth) / m.size.width;
        cv::Mat low, up;  // never write into ref: it shares the model's pixels
        cv::resize(m.gray, low, cv::Size(), k, k, cv::INTER_AREA);
        cv::resize(low, up, m.size, 0, 0, cv::INTER_LINEAR);
        ref = up;
    }
    ref = bandPass(ref, m.size.width / std::max(1.0, frameWidth));
    equaliseContrast(ref);
    return ref;
}

size_t refIndex(const VerifyModel& m, double frameWidth) {
    const double i = std::round((frameWidth - m.refMinWidth) / kRefStep);
    return static_cast<size_t>(std::clamp(i, 0.0, static_cast<double>(m.refs.size() - 1)));
}

}  // namespace

VerifyModel makeVerifyModel(const MarkTemplate& t) {
    VerifyModel m;
    m.fromTemplate = static_cast<double>(kCanonical) / std::max(t.bgr.cols, t.bgr.rows);
    m.size = cv::Size(std::max(8, static_cast<int>(std::lround(t.bgr.cols * m.fromTemplate))),
                      std::max(8, static_cast<int>(std::lround(t.bgr.rows * m.fromTemplate))));
    cv::Mat small, maskSmall;
    cv::resize(t.bgr, small, m.size, 0, 0, cv::INTER_AREA);
    cv::resize(t.mask, maskSmall, m.size, 0, 0, cv::INTER_AREA);
    m.gray = toGrayF(small);
    // Erode: the rim mixes mark and whatever it is printed on.
    cv::erode(maskSmall >= 250, m.mask, cv::Mat(), cv::Point(-1, -1), 1);
    m.ink = (m.gray < cv::mean(m.gray, m.mask)[0]) & m.mask;
    m.grid = cv::Mat(m.size, CV_32S, cv::Scalar(-1));
    m.blocks = kGrid * kGrid;
    for (int y = 0; y < m.size.height; ++y) {
        for (int x = 0; x < m.size.width; ++x) {
            if (!m.mask.at<uint8_t>(y, x)) continue;
            m.grid.at<int>(y, x) = (y * kGrid / m.size.height) * kGrid + x * kGrid / m.size.width;
        }
    }
    const cv::Moments mo = cv::moments(m.mask, true);
    const cv::Point2d centre(mo.m10 / std::max(1.0, mo.m00), mo.m01 / std::max(1.0, mo.m00));
    m.ring = cv::Mat(m.size, CV_32S, cv::Scalar(-1));
    for (int y = 0; y < m.size.height; ++y) {
        for (int x = 0; x < m.size.width; ++x) {
            if (!m.mask.at<uint8_t>(y, x)) continue;
            const int r = static_cast<int>(std::hypot(x - centre.x, y - centre.y) / 2);
            m.ring.at<int>(y, x) = r;
            m.rings = std::max(m.rings, r + 1);
        }
    }
    cv::Mat inside, hann;
    m.mask.convertTo(inside, CV_32F, 1.0 / 255);
    cv::createHanningWindow(hann, m.size, CV_32F);
    m.shiftWindow = inside.mul(hann);
    m.refMinWidth = kRefMinWidth;
    for (int w = kRefMinWidth; w < m.size.width + kRefStep; w += kRefStep)
        m.refs.push_back(referenceAt(m, std::min(w, m.size.width)));
    return m;
}

namespace {

// The frame sampled onto the canonical patch: raw grey (for glare) and band-passed,
// contrast-equalised (what is compared), with the matching template reference.
struct Sampled {
    cv::Mat patch, f;
    const cv::Mat* ref = nullptr;
    double frameWidth = 0;  // the template's width in the frame, px
};

Sampled sample(const std::vector<cv::Mat>& pyramid, const cv::Matx33d& canonToFrame,
               const VerifyModel& model) {
    std::vector<cv::Point2f> corners = {
        {0, 0},
        {static_cast<float>(model.size.width), 0},
        {static_cast<float>(model.size.width), static_cast<float>(model.size.height)},
        {0, static_cast<float>(model.size.height)}};
    std::vector<cv::Point2f> mapped;
    cv::perspectiveTransform(corners, mapped, cv::Mat(canonToFrame));
    const double frameWidth =
        (cv::norm(mapped[1] - mapped[0]) + cv::norm(mapped[2] - mapped[3])) / 2;
    // Pick the pyramid level at which the patch is at least as large as the canonical one.
    int level = 0;
    double pxPerCanon = frameWidth / model.size.width;
    while (level + 1 < static_cast<int>(pyramid.size()) && pxPerCanon >= 2.0) {
        ++level;
        pxPerCanon /= 2;
    }
    const double s = 1.0 / (1 << level);
    const cv::Matx33d toLevel(s, 0, 0, 0, s, 0, 0, 0, 1);
    Sampled out;
    cv::warpPerspective(pyramid[static_cast<size_t>(level)], out.patch,
                        cv::Mat(toLevel * canonToFrame), model.size,
                        cv::INTER_LINEAR | cv::WARP_INVERSE_MAP, cv::BORDER_REPLICATE);
    out.patch.convertTo(out.f, CV_32F);
    const double pixel = model.size.width / std::max(1.0, frameWidth);
    out.f = bandPass(out.f, pixel);
    equaliseContrast(out.f);
    out.ref = &model.refs[refIndex(model, frameWidth)];
    out.frameWidth = frameWidth;
    return out;
}

double score(const Sampled& sampled, const VerifyModel& model) {
    const cv::Mat& patch = sampled.patch;
    const cv::Mat& f = sampled.f;
    const cv::Mat& ref = *sampled.ref;

    std::vector<Moments> blocks(static_cast<size_t>(model.blocks));
    Moments all;
    int ink = 0, inkUsed = 0;
    for (int y = 0; y < model.size.height; ++y) {
        const float* a = ref.ptr<float>(y);
        const float* b = f.ptr<float>(y);
        const uint8_t* raw = patch.ptr<uint8_t>(y);
        const int* g = model.grid.ptr<int>(y);
        const uint8_t* isInk = model.ink.ptr<uint8_t>(y);
        for (int x = 0; x < model.size.width; ++x) {
            if (g[x] < 0) continue;
            ink += isInk[x] != 0;
            if (raw[x] >= kSaturated) continue;
            inkUsed += isInk[x] != 0;
            blocks[static_cast<size_t>(g[x])].add(a[x], b[x]);
            all.add(a[x], b[x]);
        }
    }
    // The artwork's ink mostly washed out by glare: not enough evidence either way. Paper
    // the glare saturates is not missing evidence (it is where the template is light too):
    // counting it, a mark under a bright veil, its paper at 255 and its ink still clear,
    // was rejected unseen.
    if (inkUsed < ink / 2) return 0.0;
    const double global = all.ncc();
    if (std::isnan(global)) return 0.0;
    double sum = 0;
    int n = 0;
    for (const auto& b : blocks) {
        const double v = b.ncc();
        // A flat block (in the template, or fully glared) carries no evidence; skip it.
        if (std::isnan(v)) continue;
        sum += v;
        ++n;
    }
    if (n < model.blocks / 2) return 0.0;
    // Appearance a third, the non-symmetric detail two thirds (docs/vision.md).
    const double appearance = 0.5 * global + 0.5 * sum / n;
    const double detail = detailCorrelation(ref, f, patch, model);
    return std::clamp(appearance / 3 + 2 * detail / 3, 0.0, 1.0);
}

// Shift (canonical px) that best aligns the sampled patch with its reference, inside the
// artwork: phase correlation of the band-passed, contrast-equalised images, which a glare
// veil barely touches.
cv::Point2d residualShift(const Sampled& sampled, const VerifyModel& model) {
    const cv::Mat a = sampled.ref->mul(model.shiftWindow), b = sampled.f.mul(model.shiftWindow);
    return cv::phaseCorrelate(a, b);
}

}  // namespace

double verifyCandidate(const std::vector<cv::Mat>& pyramid, const cv::Matx33d& templateToFrame,
                       const VerifyModel& model) {
    // Patch scale: frame px per canonical px, from the mapped width of the template.
    const cv::Matx33d canonToTemplate(1 / model.fromTemplate, 0, 0, 0, 1 / model.fromTemplate, 0, 0,
                                      0, 1);
    const cv::Matx33d canonToFrame = templateToFrame * canonToTemplate;
    const Sampled first = sample(pyramid, canonToFrame, model);
    // A small mark shows little of its figure, so any seal of the same shape and colour
    // correlates better with it: the evidence asked for grows as the mark gets smaller.
    const double penalty =
        kSmallPenalty *
        std::clamp((kSmallUpTo - first.frameWidth) / (kSmallUpTo - kSmallFull), 0.0, 1.0);
    const double firstScore = score(first, model) - penalty;
    // A near miss may be a mark the alignment left a few px off or a few % too small or
    // large (glare pulls an intensity fit towards the bright spot, bites into the outline):
    // re-sampled where the band-passed patches agree best, then at +-6 % scale.
    if (firstScore < kShiftRetryFloor || firstScore >= kShiftRetryBelow)
        return std::max(0.0, firstScore);
    double best = firstScore;
    cv::Matx33d at = canonToFrame;
    Sampled current = first;
    for (int round = 0; round < 2; ++round) {
        const cv::Point2d d = residualShift(current, model);
        const double len = std::hypot(d.x, d.y);
        if (len < 0.5 || len > kMaxShift * model.size.width) break;
        const cv::Matx33d shifted = at * cv::Matx33d(1, 0, d.x, 0, 1, d.y, 0, 0, 1);
        Sampled moved = sample(pyramid, shifted, model);
        const double sc = score(moved, model) - penalty;
        if (sc <= best) break;
        best = sc;
        at = shifted;
        current = std::move(moved);
        if (best >= kShiftRetryBelow) return best;
    }
    const double cx = model.size.width / 2.0, cy = model.size.height / 2.0;
    for (const double k : kRetryScales) {
        const cv::Matx33d scale(k, 0, cx * (1 - k), 0, k, cy * (1 - k), 0, 0, 1);
        best = std::max(best, score(sample(pyramid, at * scale, model), model) - penalty);
    }
    return best;
}

}  // namespace mengscan::vision::detail
