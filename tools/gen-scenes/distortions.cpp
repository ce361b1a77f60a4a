#include "distortions.hpp"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace mengscan::scenes {
namespace {

double round2(double v) {
    return std::round(v * 100) / 100;
}

// Uneven light: the frame multiplied by a smooth ramp (0.55..1.15).
void shading(Rng& rng, cv::Mat& bgr, DistortionRecord& rec) {
    const double angle = rng.uniform(0, 2 * M_PI);
    const double lo = rng.uniform(0.55, 0.85), hi = rng.uniform(0.95, 1.15);
    const double dx = std::cos(angle), dy = std::sin(angle);
    const double span = std::abs(dx) * bgr.cols + std::abs(dy) * bgr.rows;
    cv::Mat gain(bgr.size(), CV_32FC1);
    for (int y = 0; y < bgr.rows; ++y) {
        float* g = gain.ptr<float>(y);
        for (int x = 0; x < bgr.cols; ++x) {
            double t = ((x - bgr.cols / 2.0) * dx + (y - bgr.rows / 2.0) * dy) / span + 0.5;
            g[x] = static_cast<float>(lo + (hi - lo) * std::clamp(t, 0.0, 1.0));
        }
    }
    cv::Mat f, gain3;
    bgr.convertTo(f, CV_32FC3);
    cv::merge(std::vector<cv::Mat>{gain, gain, gain}, gain3);
    cv::multiply(f, gain3, f);
    f.convertTo(bgr, CV_8UC3);
    rec.params["shading"] = {{"low", round2(lo)}, {"high", round2(hi)}};
    rec.tags.push_back("shading");
}

// Specular glare: a bright soft blob, often partly over the label.
void glare(Rng& rng, cv::Mat& bgr, cv::Point2f focus, float focusSize, DistortionRecord& rec) {
    const cv::Point2f centre(focus.x + static_cast<float>(rng.uniform(-0.8, 0.8)) * focusSize,
                             focus.y + static_cast<float>(rng.uniform(-0.8, 0.8)) * focusSize);
    const double radius = std::max(15.0, focusSize * rng.uniform(0.25, 0.7));
    const double strength = rng.uniform(120, 255);
    const cv::Rect box =
        cv::Rect(cv::Point(static_cast<int>(centre.x - 3 * radius),
                           static_cast<int>(centre.y - 3 * radius)),
                 cv::Size(static_cast<int>(6 * radius), static_cast<int>(6 * radius))) &
        cv::Rect(0, 0, bgr.cols, bgr.rows);
    for (int y = box.y; y < box.br().y; ++y) {
        auto* p = bgr.ptr<cv::Vec3b>(y);
        for (int x = box.x; x < box.br().x; ++x) {
            const double d2 = (x - centre.x) * (x - centre.x) + (y - centre.y) * (y - centre.y);
            const double add = strength * std::exp(-d2 / (2 * radius * radius));
            for (int c = 0; c < 3; ++c) p[x][c] = cv::saturate_cast<uint8_t>(p[x][c] + add);
        }
    }
    rec.params["glare"] = {{"x", round2(centre.x)},
                           {"y", round2(centre.y)},
                           {"radius", round2(radius)},
                           {"strength", round2(strength)}};
    rec.tags.push_back("glare");
}

void colourCast(Rng& rng, cv::Mat& bgr, DistortionRecord& rec) {
    const bool warm = rng.chance(0.5);
    const double strong = rng.uniform(1.06, 1.22), weak = rng.uniform(0.7, 0.9);
    const cv::Scalar gain = warm ? cv::Scalar(weak, rng.uniform(0.95, 1.03), strong)
                                 : cv::Scalar(strong, rng.uniform(0.97, 1.05), weak);
    cv::multiply(bgr, gain, bgr);
    rec.params["colour_cast"] = {{"kind", warm ? "warm" : "cold"},
                                 {"gain_bgr", {round2(gain[0]), round2(gain[1]), round2(gain[2])}}};
    rec.tags.push_back(warm ? "cast_warm" : "cast_cold");
}

void blur(Rng& rng, cv::Mat& bgr, DistortionRecord& rec) {
    if (rng.chance(0.25)) {
        const int length = rng.uniformInt(4, 10);
        const double angle = rng.uniform(0, 180);
        cv::Mat kernel = cv::Mat::zeros(length, length, CV_32F);
        const cv::Point2f c((length - 1) / 2.0f, (length - 1) / 2.0f);
        const cv::Point2f d(static_cast<float>(std::cos(angle * M_PI / 180) * (length - 1) / 2),
                            static_cast<float>(std::sin(angle * M_PI / 180) * (length - 1) / 2));
        cv::line(kernel, c - d, c + d, cv::Scalar(1.0), 1, cv::LINE_AA);
        kernel /= cv::sum(kernel)[0];
        cv::filter2D(bgr, bgr, -1, kernel);
        rec.params["motion_blur"] = {{"length", length}, {"angle_deg", round2(angle)}};
        rec.tags.push_back("motion_blur");
    } else {
        const double sigma = rng.uniform(0.7, 2.2);
        cv::GaussianBlur(bgr, bgr, cv::Size(0, 0), sigma);
        rec.params["blur"] = {{"sigma", round2(sigma)}};
        rec.tags.push_back("blur");
    }
}

void noise(Rng& rng, cv::Mat& bgr, DistortionRecord& rec) {
    const double sigma = rng.uniform(3, 12);
    cv::RNG cvRng(rng.fork());
    cv::Mat n(bgr.size(), CV_16SC3);
    cvRng.fill(n, cv::RNG::NORMAL, cv::Scalar::all(0), cv::Scalar::all(sigma));
    cv::Mat f;
    bgr.convertTo(f, CV_16SC3);
    f += n;
    f.convertTo(bgr, CV_8UC3);
    rec.params["noise"] = {{"sigma", round2(sigma)}};
    rec.tags.push_back("noise");
}

}  // namespace

void applyDistortions(Rng& rng, cv::Mat& bgr, cv::Point2f focus, float focusSize, bool clean,
                      DistortionRecord& record) {
    if (clean) return;
    // Draw every decision first, so adding an effect never shifts the others' parameters.
    const bool doShading = rng.chance(0.35), doGlare = rng.chance(0.25), doCast = rng.chance(0.35),
               doBlur = rng.chance(0.35), doNoise = rng.chance(0.35);
    Rng sub(rng.fork());
    if (doShading) shading(sub, bgr, record);
    if (doGlare) glare(sub, bgr, focus, focusSize, record);
    if (doCast) colourCast(sub, bgr, record);
    if (doBlur) blur(sub, bgr, record);
    if (doNoise) noise(sub, bgr, record);
}

}  // namespace mengscan::scenes
