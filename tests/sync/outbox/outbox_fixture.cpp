#include "outbox_fixture.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <stdexcept>

namespace mengscan::test {

std::vector<uint8_t> noiseJpeg(int approxBytes, unsigned seed) {
    // Quality-90 JPEG of uniform noise: roughly 0.9 bytes per pixel.
    const int side = std::max(8, static_cast<int>(std::sqrt(approxBytes / 0.9)));
    cv::Mat image(side, side, CV_8UC1);
    cv::RNG rng(seed);
    rng.fill(image, cv::RNG::UNIFORM, 0, 256);
    std::vector<uint8_t> jpeg;
    cv::imencode(".jpg", image, jpeg, {cv::IMWRITE_JPEG_QUALITY, 90});
    return jpeg;
}

sync::ReportEvent makeEvent(const std::string& verdict, const std::string& itemCode, int64_t timeMs,
                            std::vector<uint8_t> jpeg) {
    sync::ReportEvent e;
    e.timeMs = timeMs;
    e.verdict = verdict;
    e.reasons = {verdict == "invalid" ? "certificate_revoked" : "item_code_unknown"};
    e.payload = "https://trace.mzb.example/t/0021-MZB-24-00057/" + itemCode;
    e.certNo = "0021-MZB-24-00057";
    e.itemCode = itemCode;
    e.evidenceJpeg = std::move(jpeg);
    return e;
}

sync::ScanRecord makeScan(const std::string& itemCode, int64_t timeMs, const std::string& verdict) {
    sync::ScanRecord s;
    s.itemCode = itemCode;
    s.scannedAtMs = timeMs;
    s.session = "test";
    s.verdict = verdict;
    s.certNo = "0021-MZB-24-00057";
    return s;
}

namespace {
struct Connection {
    sqlite3* db = nullptr;
    explicit Connection(const std::string& path) {
        if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
            throw std::runtime_error("cannot open " + path);
        }
        sqlite3_busy_timeout(db, 5000);
    }
    ~Connection() { sqlite3_close(db); }
};
}  // namespace

int64_t queryInt(const std::string& path, const std::string& sql) {
    Connection c(path);
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(c.db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
        throw std::runtime_error(std::string("query failed: ") + sqlite3_errmsg(c.db));
    }
    int64_t value = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : -1;
    sqlite3_finalize(stmt);
    return value;
}

std::vector<std::string> queryTexts(const std::string& path, const std::string& sql) {
    Connection c(path);
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(c.db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
        throw std::runtime_error(std::string("query failed: ") + sqlite3_errmsg(c.db));
    }
    std::vector<std::string> out;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
        const auto* t = sqlite3_column_text(stmt, 0);
        out.emplace_back(t ? reinterpret_cast<const char*>(t) : "");
    }
    sqlite3_finalize(stmt);
    return out;
}

void execSql(const std::string& path, const std::string& sql) {
    Connection c(path);
    char* message = nullptr;
    if (sqlite3_exec(c.db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        std::string text = message ? message : "?";
        sqlite3_free(message);
        throw std::runtime_error("exec failed: " + text);
    }
}

}  // namespace mengscan::test
