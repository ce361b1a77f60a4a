// Runs `mengscan scan --json PATH...` as a child process and samples its memory from
// /proc/<pid>/status every N frames (one JSON line per frame on its stdout), to show that
// resident memory stays flat over a long run.
#pragma once

#include <string>
#include <vector>

#include "mengscan/expected.hpp"

namespace mengscan::evaluation {

struct RssSample {
    int frames = 0;   // frames reported so far
    long rssKb = 0;   // VmRSS
    long peakKb = 0;  // VmHWM (peak so far)
};

struct ScanRssReport {
    std::vector<RssSample> samples;
    int frames = 0;
    long peakKb = 0;  // VmHWM just before the process ended
    int exitCode = -1;
    double seconds = 0;
};

Expected<ScanRssReport> measureScanRss(const std::string& mengscan,
                                       const std::vector<std::string>& paths, int every);

}  // namespace mengscan::evaluation
