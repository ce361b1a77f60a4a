// Scores pipeline results against scene ground truth and sums them up: mark recall,
// false positives on negatives, code read rate, a per-distortion breakdown and timing.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "scene_set.hpp"
#include "vision_run.hpp"

namespace mengscan::evaluation {

// A located mark overlaps the true quad at least this much (intersection over union).
constexpr double kMinMarkIou = 0.5;

struct SceneScore {
    std::string image;
    std::string kind;
    std::vector<std::string> tags;
    bool markExpected = false;
    bool markFound = false;    // the detector said found
    bool markLocated = false;  // found, and IoU with the true quad >= kMinMarkIou
    double markIou = 0;
    double markScore = 0;
    int codesExpected = 0;
    int codesRead = 0;   // expected texts among the decoded ones
    int wrongReads = 0;  // decoded texts that are not in the truth
    double markMs = 0, codesMs = 0, totalMs = 0;
};

SceneScore scoreScene(const SceneEntry& scene, const FrameResult& result);

struct Rate {
    int n = 0;
    int hits = 0;
    double rate() const { return n ? static_cast<double>(hits) / n : 0.0; }
};

struct TagStats {
    Rate recall;  // positives: mark located
    Rate codes;   // scenes with a code: read
    Rate fp;      // negatives: mark found
};

struct Summary {
    int scenes = 0;
    Rate markRecall;         // over positives
    Rate markFound;          // over positives, found anywhere
    Rate markRecallVisible;  // over positives not tagged washed_out (glare whitened the ink)
    Rate falsePositives;     // over negatives
    Rate codeRead;           // over expected codes
    int wrongReads = 0;
    std::map<std::string, Rate> fpByKind;
    std::map<std::string, TagStats> byTag;
    double medianMs = 0, p95Ms = 0, meanMs = 0;
    double markMedianMs = 0, codesMedianMs = 0;
};

Summary summarise(const std::vector<SceneScore>& scores);
double percentile(std::vector<double> values, double p);

nlohmann::ordered_json toJson(const Summary& summary);
nlohmann::ordered_json toJson(const SceneScore& score);
std::string toText(const Summary& summary);

}  // namespace mengscan::evaluation
