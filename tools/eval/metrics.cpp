#include "metrics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <opencv2/imgproc.hpp>

namespace mengscan::evaluation {
namespace {

std::vector<cv::Point2f> quadOf(const nlohmann::json& q) {
    std::vector<cv::Point2f> pts;
    if (!q.is_array()) return pts;
    for (const auto& p : q)
        if (p.is_array() && p.size() == 2) pts.emplace_back(p[0].get<float>(), p[1].get<float>());
    return pts;
}

double iou(std::vector<cv::Point2f> a, std::vector<cv::Point2f> b) {
    if (a.size() != 4 || b.size() != 4) return 0;
    try {
        for (auto* q : {&a, &b}) {
            std::vector<cv::Point2f> hull;
            cv::convexHull(*q, hull);
            *q = hull;
        }
        std::vector<cv::Point2f> inter;
        const double i = cv::intersectConvexConvex(a, b, inter, true);
        const double u = cv::contourArea(a) + cv::contourArea(b) - i;
        return u > 0 ? std::max(0.0, i) / u : 0;
    } catch (const cv::Exception&) {
        return 0;
    }
}

double round3(double v) {
    return std::round(v * 1000) / 1000;
}

nlohmann::ordered_json rateJson(const Rate& r) {
    return {{"n", r.n}, {"hits", r.hits}, {"rate", round3(r.rate())}};
}

}  // namespace

double percentile(std::vector<double> values, double p) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const double pos = p * (values.size() - 1);
    const size_t lo = static_cast<size_t>(std::floor(pos));
    const size_t hi = std::min(values.size() - 1, lo + 1);
    return values[lo] + (values[hi] - values[lo]) * (pos - lo);
}

SceneScore scoreScene(const SceneEntry& scene, const FrameResult& result) {
    const auto& t = scene.truth;
    SceneScore s;
    s.image = scene.image;
    s.kind = t.value("kind", std::string());
    if (t.contains("tags") && t["tags"].is_array())
        for (const auto& tag : t["tags"]) s.tags.push_back(tag.get<std::string>());
    s.markExpected = t.contains("mark") && t["mark"].value("present", false);
    s.markFound = result.mark.found;
    s.markScore = result.mark.score;
    if (s.markExpected && s.markFound) {
        std::vector<cv::Point2f> found;
        for (const auto& p : result.mark.quad) found.emplace_back(p.x, p.y);
        s.markIou = iou(quadOf(t["mark"]["quad"]), found);
        s.markLocated = s.markIou >= kMinMarkIou;
    }
    std::vector<std::string> expected;
    if (t.contains("codes") && t["codes"].is_array())
        for (const auto& c : t["codes"]) expected.push_back(c.value("text", std::string()));
    s.codesExpected = static_cast<int>(expected.size());
    for (const auto& text : expected) {
        const bool read = std::any_of(result.codes.begin(), result.codes.end(),
                                      [&](const vision::DecodedCode& c) { return c.text == text; });
        if (read) ++s.codesRead;
    }
    for (const auto& c : result.codes)
        if (std::find(expected.begin(), expected.end(), c.text) == expected.end()) ++s.wrongReads;
    s.markMs = result.markMs;
    s.codesMs = result.codesMs;
    s.totalMs = result.totalMs;
    return s;
}

Summary summarise(const std::vector<SceneScore>& scores) {
    Summary sum;
    sum.scenes = static_cast<int>(scores.size());
    std::vector<double> total, mark, codes;
    for (const auto& s : scores) {
        total.push_back(s.totalMs);
        mark.push_back(s.markMs);
        codes.push_back(s.codesMs);
        sum.codeRead.n += s.codesExpected;
        sum.codeRead.hits += s.codesRead;
        sum.wrongReads += s.wrongReads;
        std::vector<std::string> tags = s.tags;
        tags.push_back("all");
        for (const auto& tag : tags) {
            TagStats& ts = sum.byTag[tag];
            ts.codes.n += s.codesExpected;
            ts.codes.hits += s.codesRead;
            if (s.markExpected) {
                ++ts.recall.n;
                ts.recall.hits += s.markLocated;
            } else {
                ++ts.fp.n;
                ts.fp.hits += s.markFound;
            }
        }
        if (s.markExpected) {
            ++sum.markRecall.n;
            sum.markRecall.hits += s.markLocated;
            ++sum.markFound.n;
            sum.markFound.hits += s.markFound;
            if (std::find(s.tags.begin(), s.tags.end(), "washed_out") == s.tags.end()) {
                ++sum.markRecallVisible.n;
                sum.markRecallVisible.hits += s.markLocated;
            }
        } else {
            ++sum.falsePositives.n;
            sum.falsePositives.hits += s.markFound;
            ++sum.fpByKind[s.kind].n;
            sum.fpByKind[s.kind].hits += s.markFound;
        }
    }
    sum.medianMs = percentile(total, 0.5);
    sum.p95Ms = percentile(total, 0.95);
    double acc = 0;
    for (double v : total) acc += v;
    sum.meanMs = total.empty() ? 0 : acc / total.size();
    sum.markMedianMs = percentile(mark, 0.5);
    sum.codesMedianMs = percentile(codes, 0.5);
    return sum;
}

nlohmann::ordered_json toJson(const SceneScore& s) {
    return {{"image", s.image},
            {"kind", s.kind},
            {"tags", s.tags},
            {"mark_expected", s.markExpected},
            {"mark_found", s.markFound},
            {"mark_located", s.markLocated},
            {"mark_iou", round3(s.markIou)},
            {"mark_score", round3(s.markScore)},
            {"codes_expected", s.codesExpected},
            {"codes_read", s.codesRead},
            {"wrong_reads", s.wrongReads},
            {"ms", round3(s.totalMs)},
            {"mark_ms", round3(s.markMs)},
            {"codes_ms", round3(s.codesMs)}};
}

nlohmann::ordered_json toJson(const Summary& sum) {
    nlohmann::ordered_json j;
    j["scenes"] = sum.scenes;
    j["mark_recall"] = rateJson(sum.markRecall);
    j["mark_found_anywhere"] = rateJson(sum.markFound);
    j["mark_recall_not_washed_out"] = rateJson(sum.markRecallVisible);
    j["false_positives"] = rateJson(sum.falsePositives);
    j["code_read"] = rateJson(sum.codeRead);
    j["wrong_code_reads"] = sum.wrongReads;
    for (const auto& [kind, r] : sum.fpByKind) j["false_positives_by_kind"][kind] = rateJson(r);
    for (const auto& [tag, ts] : sum.byTag) {
        j["by_tag"][tag] = {{"recall", rateJson(ts.recall)},
                            {"code_read", rateJson(ts.codes)},
                            {"false_positives", rateJson(ts.fp)}};
    }
    j["ms"] = {{"median", round3(sum.medianMs)},
               {"p95", round3(sum.p95Ms)},
               {"mean", round3(sum.meanMs)},
               {"mark_median", round3(sum.markMedianMs)},
               {"codes_median", round3(sum.codesMedianMs)}};
    return j;
}

std::string toText(const Summary& sum) {
    std::string out;
    char line[256];
    auto add = [&](const char* fmt, auto... args) {
        std::snprintf(line, sizeof line, fmt, args...);
        out += line;
    };
    add("scenes: %d (positives %d, negatives %d)\n", sum.scenes, sum.markRecall.n,
        sum.falsePositives.n);
    add("mark recall:        %6.2f%%  (%d/%d located, IoU >= %.1f; found anywhere %d)\n",
        100 * sum.markRecall.rate(), sum.markRecall.hits, sum.markRecall.n, kMinMarkIou,
        sum.markFound.hits);
    add("  not washed out:   %6.2f%%  (%d/%d: positives without the washed_out tag)\n",
        100 * sum.markRecallVisible.rate(), sum.markRecallVisible.hits, sum.markRecallVisible.n);
    add("false positives:    %6.2f%%  (%d/%d negatives)\n", 100 * sum.falsePositives.rate(),
        sum.falsePositives.hits, sum.falsePositives.n);
    for (const auto& [kind, r] : sum.fpByKind)
        add("  %-16s %6.2f%%  (%d/%d)\n", kind.c_str(), 100 * r.rate(), r.hits, r.n);
    add("code read rate:     %6.2f%%  (%d/%d codes; %d wrong texts)\n", 100 * sum.codeRead.rate(),
        sum.codeRead.hits, sum.codeRead.n, sum.wrongReads);
    add("ms per frame:       median %.1f  p95 %.1f  mean %.1f  (mark median %.1f, codes median "
        "%.1f)\n",
        sum.medianMs, sum.p95Ms, sum.meanMs, sum.markMedianMs, sum.codesMedianMs);
    add("\n%-14s %5s %8s   %5s %8s   %5s %8s\n", "distortion", "pos", "recall", "codes", "read",
        "neg", "FP");
    for (const auto& [tag, ts] : sum.byTag) {
        add("%-14s %5d %7.1f%%   %5d %7.1f%%   %5d %7.1f%%\n", tag.c_str(), ts.recall.n,
            100 * ts.recall.rate(), ts.codes.n, 100 * ts.codes.rate(), ts.fp.n, 100 * ts.fp.rate());
    }
    return out;
}

}  // namespace mengscan::evaluation
