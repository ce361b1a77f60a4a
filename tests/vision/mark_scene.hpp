// Test support: renders an emblem into a real background photo the way a camera sees a
// printed label: size, rotation, perspective tilt, blur, noise, JPEG, glare, colour cast.
// Deterministic from the spec (and its seed).
#pragma once

#include <array>
#include <cstdint>
#include <opencv2/core.hpp>
#include <string>

namespace mengscan::test {

struct MarkScene {
    int markPx = 120;        // width of the mark's longer side, frame px (before tilt)
    double rotationDeg = 0;  // in-plane rotation
    double tiltDeg = 0;      // out-of-plane tilt (perspective)
    double tiltAxisDeg = 0;  // direction of the tilt axis
    cv::Point2f centre{640, 360};
    double blurSigma = 0;
    double noiseSigma = 0;
    int jpegQuality = 0;       // 0 = no JPEG round trip
    double glare = 0;          // 0..1 strength of a bright spot over part of the mark
    cv::Scalar cast{1, 1, 1};  // per-channel gain (BGR): warm/cold light
    bool oneColour = false;    // print the artwork in black ink only
    bool onWhiteLabel = true;  // a white label around the mark (else straight on the photo)
    uint32_t seed = 1;
};

// The frame size every scene has.
constexpr int kSceneWidth = 1280;
constexpr int kSceneHeight = 720;

// Background photo number i (cycled) from Debian's opencv-doc samples or the corpus,
// resized to 1280x720. Empty when none is installed.
cv::Mat backgroundPhoto(int i);

// artwork: BGRA (alpha = artwork). quadOut: the artwork's corners TL, TR, BR, BL in frame px.
cv::Mat renderMarkScene(const cv::Mat& background, const cv::Mat& artworkBgra,
                        const MarkScene& scene, std::array<cv::Point2f, 4>* quadOut = nullptr);

// A random but reproducible scene: sizes 40-400 px, any rotation, tilt up to 45 degrees,
// and the distortions above at random strengths.
MarkScene randomScene(uint32_t seed, int minPx = 40, int maxPx = 400);

}  // namespace mengscan::test
