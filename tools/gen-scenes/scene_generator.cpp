#include "scene_generator.hpp"

#include <algorithm>
#include <cmath>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <optional>

#include "distortions.hpp"
#include "label.hpp"
#include "scene_geometry.hpp"
#include "visibility.hpp"

namespace mengscan::scenes {
namespace {

// A mark with at least this share of its ink turned near-white by glare is "washed_out".
constexpr double kWashedOut = 0.15;
// The label is drawn with its emblem this wide, then scaled to the scene's mark size.
constexpr int kLabelEmblemPx = 320;

SceneKind drawKind(Rng& rng) {
    const double u = rng.uniform();
    if (u < 0.55) return SceneKind::MarkAndCode;
    if (u < 0.65) return SceneKind::MarkOnly;
    if (u < 0.76) return SceneKind::CodeOnly;
    if (u < 0.88) return SceneKind::NoLabel;
    return SceneKind::Lookalike;
}

nlohmann::ordered_json quadJson(const QuadF& q) {
    auto out = nlohmann::ordered_json::array();
    for (const auto& p : q) {
        out.push_back({std::round(double(p.x) * 10) / 10, std::round(double(p.y) * 10) / 10});
    }
    return out;
}

double round2(double v) {
    return std::round(v * 100) / 100;
}

// What the device should conclude; the verdict itself is known only for labels that came
// from a labels.jsonl with an expected verdict.
nlohmann::ordered_json expectedJson(SceneKind kind, bool hasCode, const LabelData* label) {
    nlohmann::ordered_json e;
    e["mark_found"] = markExpected(kind);
    e["code_texts"] = nlohmann::ordered_json::array();
    if (hasCode && label) e["code_texts"].push_back(label->payload);
    std::vector<std::string> reasons;
    nlohmann::ordered_json verdict = nullptr;
    if (!markExpected(kind) && !hasCode) verdict = "no_label";
    if (!markExpected(kind) && hasCode) reasons.push_back("mark_missing");
    if (markExpected(kind) && !hasCode) reasons.push_back("code_missing");
    if (markExpected(kind) && hasCode && label && !label->expectedVerdict.empty()) {
        verdict = label->expectedVerdict;
        for (const auto& r : label->expectedReasons) reasons.push_back(r);
    }
    e["verdict"] = verdict;
    e["reasons"] = reasons;
    return e;
}

}  // namespace

const char* toString(SceneKind kind) {
    switch (kind) {
        case SceneKind::MarkAndCode:
            return "mark_and_code";
        case SceneKind::MarkOnly:
            return "mark_only";
        case SceneKind::CodeOnly:
            return "code_only";
        case SceneKind::NoLabel:
            return "no_label";
        case SceneKind::Lookalike:
            return "lookalike";
    }
    return "unknown";
}

std::optional<SceneKind> parseSceneKind(const std::string& name) {
    for (SceneKind k : {SceneKind::MarkAndCode, SceneKind::MarkOnly, SceneKind::CodeOnly,
                        SceneKind::NoLabel, SceneKind::Lookalike}) {
        if (name == toString(k)) return k;
    }
    return std::nullopt;
}

bool markExpected(SceneKind kind) {
    return kind == SceneKind::MarkAndCode || kind == SceneKind::MarkOnly;
}

Expected<Scene> generateScene(const GeneratorResources& res, const GeneratorOptions& options,
                              uint64_t seed, int index) {
    Rng rng(sceneSeed(seed, index));
    const SceneKind kind = options.onlyKind ? *options.onlyKind : drawKind(rng);
    const bool clean = options.clean;
    nlohmann::ordered_json truth;
    std::vector<std::string> tags;

    cv::Mat frame = res.backgrounds.background(rng, options.frame);

    // --- the label's content
    Artwork emblem;
    bool hasEmblem = false, hasCode = false;
    std::string oneColourInk;
    if (markExpected(kind)) {
        hasEmblem = true;
        emblem = res.mark;
        if (!clean && rng.chance(0.12)) {
            static const std::vector<std::pair<std::string, cv::Scalar>> kInks = {
                {"black", {20, 20, 20}},
                {"dark_blue", {110, 40, 20}},
                {"dark_red", {30, 30, 150}},
                {"dark_green", {40, 90, 20}}};
            const auto& ink = rng.pick(kInks);
            oneColourInk = ink.first;
            emblem = oneColour(res.mark, ink.second);
            tags.push_back("one_colour");
        }
    } else if (kind == SceneKind::Lookalike) {
        hasEmblem = true;
        const SealFonts fonts{&res.sansBold, &res.serif};
        if (!res.lookalikes.empty() && rng.chance(0.5))
            emblem = rng.pick(res.lookalikes);
        else
            emblem = randomLookalike(rng, fonts, 400);
    }
    if (kind == SceneKind::MarkAndCode || kind == SceneKind::CodeOnly) hasCode = true;
    if (kind == SceneKind::Lookalike) hasCode = rng.chance(0.6);

    LabelData label;
    if (!res.labels.empty()) {
        label = res.labels[rng.next() % res.labels.size()];
    } else {
        const auto payloadKind = static_cast<PayloadKind>(rng.uniformInt(0, 3));
        label = randomLabel(rng, payloadKind, rng.chance(0.3));
    }
    const Symbology symbology =
        label.asciiOnly && rng.chance(0.25) ? Symbology::DataMatrix : Symbology::QRCode;

    // --- geometry of the label in the frame
    const double markPx =
        clean ? rng.uniform(std::max(160, options.minMarkPx), std::max(170, options.maxMarkPx))
              : rng.logUniform(options.minMarkPx, options.maxMarkPx);
    PoseParams pose;
    // Clean scenes stay near upright: ZXing-cpp 1.4 misses some DataMatrix at odd angles.
    pose.rotationDeg = clean             ? rng.uniform(-20, 20)
                       : rng.chance(0.4) ? rng.uniform(-180, 180)
                                         : rng.uniform(-15, 15);
    pose.tiltDeg = rng.uniform(0, clean ? std::min(15.0, options.maxTiltDeg) : options.maxTiltDeg);
    pose.tiltAxisDeg = rng.uniform(0, 180);
    pose.focalPx = rng.uniform(900, 1800);
    const bool onPackaging = rng.chance(0.6);
    const double surfaceGrowW = rng.uniform(1.4, 2.4), surfaceGrowH = rng.uniform(1.4, 2.4);
    const double packX = rng.uniform(0, 1), packY = rng.uniform(0, 1);
    const double shiftX = rng.uniform(0, 1), shiftY = rng.uniform(0, 1);
    Rng contentRng(rng.fork());
    Rng effectsRng(rng.fork());

    std::optional<QuadF> markQuad;  // the mark's corners in the frame, when it is there
    if (kind == SceneKind::NoLabel) {
        // Packaging without any label (or just the photo).
        if (onPackaging) {
            const cv::Size size(static_cast<int>(options.frame.width * rng.uniform(0.3, 0.7)),
                                static_cast<int>(options.frame.height * rng.uniform(0.3, 0.8)));
            cv::Mat pack = packagingSurface(contentRng, size, res.sansBold, res.sans);
            const QuadF whole = {cv::Point2f(0, 0), cv::Point2f(size.width, 0),
                                 cv::Point2f(size.width, size.height), cv::Point2f(0, size.height)};
            auto placed =
                placeSurface(pack, whole, 1.0, pose, options.frame, {shiftX, shiftY}, frame);
            truth["geometry"] = placed.json;
        }
    } else {
        LabelContent content;
        content.emblem = hasEmblem ? &emblem : nullptr;
        if (hasCode) content.codeText = label.payload;
        content.symbology = symbology;
        content.printedLine = label.printedLine;
        auto rendered = renderLabel(contentRng, content, kLabelEmblemPx, res.sans);
        if (!rendered) return Unexpected(rendered.error());
        cv::Mat surface = rendered->bgr;
        cv::Point2f offset(0, 0);
        if (onPackaging) {
            const cv::Size size(static_cast<int>(surface.cols * surfaceGrowW),
                                static_cast<int>(surface.rows * surfaceGrowH));
            cv::Mat pack = packagingSurface(contentRng, size, res.sansBold, res.sans);
            offset = cv::Point2f(static_cast<float>((size.width - surface.cols) * packX),
                                 static_cast<float>((size.height - surface.rows) * packY));
            surface.copyTo(
                pack(cv::Rect(cv::Point(static_cast<int>(offset.x), static_cast<int>(offset.y)),
                              surface.size())));
            surface = pack;
            offset = cv::Point2f(std::floor(offset.x), std::floor(offset.y));
        }
        const float lw = static_cast<float>(rendered->bgr.cols);
        const float lh = static_cast<float>(rendered->bgr.rows);
        const QuadF labelQuad = {offset, offset + cv::Point2f(lw, 0), offset + cv::Point2f(lw, lh),
                                 offset + cv::Point2f(0, lh)};
        auto placed = placeSurface(surface, labelQuad, markPx / kLabelEmblemPx, pose, options.frame,
                                   {shiftX, shiftY}, frame);
        const double finalMarkPx = placed.scale * kLabelEmblemPx;
        truth["geometry"] = placed.json;
        truth["geometry"]["surface"] = onPackaging ? "packaging" : "sticker";
        auto toFrame = [&](QuadF q) {
            for (auto& p : q) p = placed.map(p + offset);
            return q;
        };
        if (rendered->emblemQuad) {
            const QuadF q = toFrame(*rendered->emblemQuad);
            if (markExpected(kind)) {
                markQuad = q;
                truth["mark"] = {
                    {"present", true},
                    {"quad", quadJson(q)},
                    {"width_px", round2(finalMarkPx)},
                    {"template", res.markFile},
                    {"one_colour", oneColourInk.empty() ? nlohmann::ordered_json(nullptr)
                                                        : nlohmann::ordered_json(oneColourInk)}};
            } else {
                truth["lookalike"] = {{"name", emblem.name},
                                      {"quad", quadJson(q)},
                                      {"width_px", round2(finalMarkPx)}};
            }
        }
        if (rendered->codeQuad) {
            truth["codes"] = {{{"format", toString(symbology)},
                               {"text", label.payload},
                               {"quad", quadJson(toFrame(*rendered->codeQuad))}}};
        }
        if (rendered->codeQuad)
            tags.push_back(symbology == Symbology::QRCode ? "qrcode" : "datamatrix");
        if (finalMarkPx < 80) tags.push_back("small_mark");
        if (finalMarkPx > 250) tags.push_back("large_mark");
        if (pose.tiltDeg > 30) tags.push_back("tilt_30_45");
        if (std::abs(pose.rotationDeg) > 15) tags.push_back("rotated");
    }

    DistortionRecord effects;
    const cv::Point2f centre(options.frame.width / 2.0f, options.frame.height / 2.0f);
    cv::Point2f focus = centre;
    float focusSize = 100;
    if (truth.contains("mark") || truth.contains("lookalike")) {
        const auto& q = truth.contains("mark") ? truth["mark"]["quad"] : truth["lookalike"]["quad"];
        focus = cv::Point2f(0, 0);
        for (const auto& p : q) focus += cv::Point2f(p[0].get<float>(), p[1].get<float>()) * 0.25f;
        focusSize = static_cast<float>(markPx);
    }
    applyDistortions(effectsRng, frame, focus, focusSize, clean, effects);
    for (const auto& t : effects.tags) tags.push_back(t);
    if (markQuad) {
        // Glare that whitened a good part of the mark's ink: tagged, so the evaluation can
        // tell misses of a visible mark from misses of one that is not in the pixels.
        const double washed = round2(inkWashedOut(frame, emblem, *markQuad));
        truth["mark"]["ink_washed_out"] = washed;
        if (washed >= kWashedOut) tags.push_back("washed_out");
    }

    Scene scene;
    scene.extension = options.format == "png" ? ".png" : ".jpg";
    int quality = 0;
    try {
        if (scene.extension == ".png") {
            cv::imencode(".png", frame, scene.encoded, {cv::IMWRITE_PNG_COMPRESSION, 6});
        } else {
            const bool low = !clean && effectsRng.chance(0.35);
            quality = clean ? 95
                      : low ? effectsRng.uniformInt(30, 60)
                            : effectsRng.uniformInt(70, 95);
            if (low) tags.push_back("jpeg_low");
            cv::imencode(".jpg", frame, scene.encoded, {cv::IMWRITE_JPEG_QUALITY, quality});
        }
    } catch (const cv::Exception& e) {
        return makeUnexpected(ErrorCategory::Image, "encode_failed", e.what());
    }
    if (quality > 0) effects.params["jpeg_quality"] = quality;
    if (tags.empty()) tags.push_back("none");

    nlohmann::ordered_json out;
    out["generator"] = "mengscan-gen-scenes/1";
    out["seed"] = seed;
    out["index"] = index;
    out["width"] = options.frame.width;
    out["height"] = options.frame.height;
    out["kind"] = toString(kind);
    out["mark"] =
        truth.contains("mark") ? truth["mark"] : nlohmann::ordered_json{{"present", false}};
    out["lookalike"] = truth.contains("lookalike") ? truth["lookalike"] : nlohmann::ordered_json();
    out["codes"] = truth.contains("codes") ? truth["codes"] : nlohmann::ordered_json::array();
    if (hasCode || markExpected(kind) || kind == SceneKind::Lookalike) {
        out["payload"] = {{"kind", hasCode ? nlohmann::ordered_json(toString(label.kind))
                                           : nlohmann::ordered_json(nullptr)},
                          {"cert_no", label.certNo},
                          {"item_code", label.itemCode},
                          {"signature", label.signature},
                          {"origin", label.origin}};
        out["printed_line"] = label.printedLine;
    } else {
        out["payload"] = nullptr;
        out["printed_line"] = nullptr;
    }
    out["geometry"] = truth.contains("geometry") ? truth["geometry"] : nlohmann::ordered_json();
    out["distortions"] = effects.params;
    out["tags"] = tags;
    out["expected"] = expectedJson(kind, hasCode, &label);
    scene.truth = std::move(out);
    return scene;
}

}  // namespace mengscan::scenes
