#include "vision/mark_scene.hpp"

#include <cmath>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <random>
#include <vector>

namespace mengscan::test {
namespace {

constexpr double kPi = 3.14159265358979323846;

const char* const kPhotos[] = {"fruits.jpg",       "home.jpg",  "building.jpg", "baboon.jpg",
                               "board.jpg",        "aero3.jpg", "leuvenA.jpg",  "messi5.jpg",
                               "orange.jpg",       "apple.jpg", "graf1.png",    "starry_night.jpg",
                               "box_in_scene.png", "stuff.jpg", "smarties.png", "butterfly.jpg"};

cv::Mat coverFrame(const cv::Mat& photo) {
    // Scale to cover 1280x720, then centre-crop.
    const double s = std::max(double(kSceneWidth) / photo.cols, double(kSceneHeight) / photo.rows);
    cv::Mat big;
    cv::resize(photo, big, cv::Size(), s, s, cv::INTER_LINEAR);
    const int x = (big.cols - kSceneWidth) / 2, y = (big.rows - kSceneHeight) / 2;
    return big(cv::Rect(x, y, kSceneWidth, kSceneHeight)).clone();
}

}  // namespace

cv::Mat backgroundPhoto(int i) {
    static std::vector<cv::Mat> photos = [] {
        std::vector<cv::Mat> out;
        const std::filesystem::path dir = "/usr/share/doc/opencv-doc/examples/data";
        for (const char* name : kPhotos) {
            cv::Mat m = cv::imread((dir / name).string(), cv::IMREAD_COLOR);
            if (!m.empty()) out.push_back(coverFrame(m));
        }
        return out;
    }();
    if (photos.empty()) return cv::Mat();
    return photos[static_cast<size_t>(i) % photos.size()].clone();
}

cv::Mat renderMarkScene(const cv::Mat& background, const cv::Mat& artworkBgra, const MarkScene& sc,
                        std::array<cv::Point2f, 4>* quadOut) {
    std::mt19937 rng(sc.seed);
    cv::Mat frame = background.empty()
                        ? cv::Mat(kSceneHeight, kSceneWidth, CV_8UC3, cv::Scalar(128, 128, 128))
                        : background.clone();
    cv::Mat art = artworkBgra.clone();
    if (sc.oneColour) {
        // One ink: dark parts of the artwork print black, light parts are bare paper.
        cv::Mat gray;
        cv::cvtColor(art, gray, cv::COLOR_BGRA2GRAY);
        for (int y = 0; y < art.rows; ++y)
            for (int x = 0; x < art.cols; ++x) {
                const uint8_t v = gray.at<uint8_t>(y, x) > 170 ? 250 : 25;
                auto& p = art.at<cv::Vec4b>(y, x);
                p[0] = p[1] = p[2] = v;
            }
    }
    // Perspective: the artwork as a plane in 3D, tilted, rotated, projected.
    const double w = art.cols, h = art.rows, s = sc.markPx / std::max(w, h);
    const double f = 1500;
    const double ta = sc.tiltAxisDeg * kPi / 180, t = sc.tiltDeg * kPi / 180,
                 r = sc.rotationDeg * kPi / 180;
    auto project = [&](double x, double y) {
        // centred, scaled plane coordinates
        double px = (x - w / 2) * s, py = (y - h / 2) * s, pz = 0;
        // tilt about an in-plane axis at angle ta: rotate into axis frame, tilt, rotate back
        const double u = px * std::cos(ta) + py * std::sin(ta);
        double v = -px * std::sin(ta) + py * std::cos(ta);
        pz = v * std::sin(t);
        v = v * std::cos(t);
        px = u * std::cos(ta) - v * std::sin(ta);
        py = u * std::sin(ta) + v * std::cos(ta);
        const double rx = px * std::cos(r) - py * std::sin(r),
                     ry = px * std::sin(r) + py * std::cos(r);
        const double k = f / (f + pz);
        return cv::Point2f(static_cast<float>(sc.centre.x + rx * k),
                           static_cast<float>(sc.centre.y + ry * k));
    };
    const std::vector<cv::Point2f> src = {
        {0, 0}, {float(w), 0}, {float(w), float(h)}, {0, float(h)}};
    std::vector<cv::Point2f> dst;
    for (const auto& p : src) dst.push_back(project(p.x, p.y));
    if (quadOut) std::copy(dst.begin(), dst.end(), quadOut->begin());
    const cv::Mat H = cv::getPerspectiveTransform(src, dst);

    if (sc.onWhiteLabel) {
        // A white label 1.5x the mark around it (same plane).
        std::vector<cv::Point2f> label;
        for (const auto& p : std::vector<cv::Point2f>{{-0.25f * float(w), -0.25f * float(h)},
                                                      {1.25f * float(w), -0.25f * float(h)},
                                                      {1.25f * float(w), 1.25f * float(h)},
                                                      {-0.25f * float(w), 1.25f * float(h)}})
            label.push_back(project(p.x, p.y));
        std::vector<cv::Point> poly;
        for (const auto& p : label) poly.emplace_back(cvRound(p.x), cvRound(p.y));
        cv::fillConvexPoly(frame, poly, cv::Scalar(235, 238, 240), cv::LINE_AA);
    }
    cv::Mat warped, alpha;
    std::vector<cv::Mat> ch;
    cv::split(art, ch);
    cv::Mat bgr;
    cv::merge(std::vector<cv::Mat>{ch[0], ch[1], ch[2]}, bgr);
    // Downscale first when shrinking a lot, so the print is not aliased.
    cv::warpPerspective(bgr, warped, H, frame.size(), cv::INTER_AREA, cv::BORDER_CONSTANT);
    cv::warpPerspective(ch[3], alpha, H, frame.size(), cv::INTER_AREA, cv::BORDER_CONSTANT);
    for (int y = 0; y < frame.rows; ++y) {
        const uint8_t* a = alpha.ptr<uint8_t>(y);
        const auto* c = warped.ptr<cv::Vec3b>(y);
        auto* o = frame.ptr<cv::Vec3b>(y);
        for (int x = 0; x < frame.cols; ++x) {
            if (!a[x]) continue;
            const float k = a[x] / 255.0f;
            for (int i = 0; i < 3; ++i)
                o[x][i] = cv::saturate_cast<uint8_t>(c[x][i] * k + o[x][i] * (1 - k));
        }
    }
    cv::Mat f32;
    frame.convertTo(f32, CV_32FC3);
    if (sc.glare > 0) {
        // A bright soft spot over part of the mark.
        std::uniform_real_distribution<float> off(-0.4f, 0.4f);
        const cv::Point2f c = sc.centre + cv::Point2f(off(rng) * sc.markPx, off(rng) * sc.markPx);
        const float rad = 0.3f * sc.markPx + 10;
        for (int y = 0; y < f32.rows; ++y) {
            auto* o = f32.ptr<cv::Vec3f>(y);
            for (int x = 0; x < f32.cols; ++x) {
                const float d2 = ((x - c.x) * (x - c.x) + (y - c.y) * (y - c.y)) / (rad * rad);
                if (d2 > 9) continue;
                const float g = static_cast<float>(sc.glare) * 255.0f * std::exp(-d2);
                o[x] += cv::Vec3f(g, g, g);
            }
        }
    }
    cv::multiply(f32, cv::Scalar(sc.cast[0], sc.cast[1], sc.cast[2]), f32);
    if (sc.blurSigma > 0) cv::GaussianBlur(f32, f32, cv::Size(0, 0), sc.blurSigma);
    if (sc.noiseSigma > 0) {
        cv::Mat noise(f32.size(), CV_32FC3);
        cv::theRNG().state = sc.seed * 7919ull + 1;
        cv::randn(noise, 0, sc.noiseSigma);
        f32 += noise;
    }
    f32.convertTo(frame, CV_8UC3);
    if (sc.jpegQuality > 0) {
        std::vector<uint8_t> buf;
        cv::imencode(".jpg", frame, buf, {cv::IMWRITE_JPEG_QUALITY, sc.jpegQuality});
        frame = cv::imdecode(buf, cv::IMREAD_COLOR);
    }
    return frame;
}

MarkScene randomScene(uint32_t seed, int minPx, int maxPx) {
    std::mt19937 rng(seed);
    auto uni = [&](double a, double b) {
        return std::uniform_real_distribution<double>(a, b)(rng);
    };
    MarkScene sc;
    sc.seed = seed;
    // Log-uniform size: as many small marks as large ones.
    sc.markPx = static_cast<int>(std::exp(uni(std::log(minPx), std::log(maxPx))));
    sc.rotationDeg = uni(0, 360);
    sc.tiltDeg = uni(0, 45);
    sc.tiltAxisDeg = uni(0, 180);
    const double margin = sc.markPx * 0.8 + 10;
    sc.centre = cv::Point2f(static_cast<float>(uni(margin, kSceneWidth - margin)),
                            static_cast<float>(uni(margin, kSceneHeight - margin)));
    sc.blurSigma = uni(0, 1) < 0.5 ? 0 : uni(0.3, 1.5);
    sc.noiseSigma = uni(0, 1) < 0.5 ? 0 : uni(2, 8);
    sc.jpegQuality = uni(0, 1) < 0.5 ? 0 : static_cast<int>(uni(40, 95));
    sc.glare = uni(0, 1) < 0.25 ? uni(0.3, 0.8) : 0;
    const double c = uni(0, 1);
    if (c < 0.2)
        sc.cast = {0.8, 0.95, 1.15};  // warm
    else if (c < 0.4)
        sc.cast = {1.15, 1.0, 0.85};  // cold
    else
        sc.cast = cv::Scalar::all(uni(0.7, 1.1));  // brightness
    sc.onWhiteLabel = uni(0, 1) < 0.7;
    return sc;
}

}  // namespace mengscan::test
