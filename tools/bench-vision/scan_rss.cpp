#include "scan_rss.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace mengscan::evaluation {
namespace {

// VmRSS and VmHWM of a live process, in kB (0 when unreadable).
RssSample readStatus(pid_t pid) {
    RssSample s;
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string key;
        long kb = 0;
        fields >> key >> kb;
        if (key == "VmRSS:") s.rssKb = kb;
        if (key == "VmHWM:") s.peakKb = kb;
    }
    return s;
}

}  // namespace

Expected<ScanRssReport> measureScanRss(const std::string& mengscan,
                                       const std::vector<std::string>& paths, int every) {
    int out[2];
    if (pipe(out) != 0) return makeUnexpected(ErrorCategory::Io, "pipe", "pipe() failed");
    std::vector<std::string> argv = {mengscan, "scan", "--json"};
    argv.insert(argv.end(), paths.begin(), paths.end());
    const auto t0 = std::chrono::steady_clock::now();
    const pid_t pid = fork();
    if (pid < 0) return makeUnexpected(ErrorCategory::Io, "fork", "fork() failed");
    if (pid == 0) {
        dup2(out[1], STDOUT_FILENO);
        close(out[0]);
        close(out[1]);
        const int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0) dup2(devnull, STDERR_FILENO);
        std::vector<char*> cargv;
        for (auto& a : argv) cargv.push_back(a.data());
        cargv.push_back(nullptr);
        execv(cargv[0], cargv.data());
        _exit(127);
    }
    close(out[1]);
    ScanRssReport report;
    FILE* stream = fdopen(out[0], "r");
    char buffer[1 << 14];
    long lastPeak = 0;
    // One line per frame; lines may be longer than the buffer, so count newlines.
    while (stream && fgets(buffer, sizeof buffer, stream)) {
        const size_t len = std::char_traits<char>::length(buffer);
        if (len == 0 || buffer[len - 1] != '\n') continue;
        ++report.frames;
        if (report.frames % every == 0) {
            RssSample s = readStatus(pid);
            s.frames = report.frames;
            report.samples.push_back(s);
        }
        // Keep the latest peak while the process is surely alive.
        if (report.frames % 10 == 0) lastPeak = std::max(lastPeak, readStatus(pid).peakKb);
    }
    lastPeak = std::max(lastPeak, readStatus(pid).peakKb);
    if (stream) fclose(stream);
    int status = 0;
    waitpid(pid, &status, 0);
    report.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    // VmHWM, not the child's ru_maxrss: that also counts the forked copy of this process
    // (with all its in-memory frames) before exec.
    report.peakKb = lastPeak;
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return report;
}

}  // namespace mengscan::evaluation
