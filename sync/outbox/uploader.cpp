// Batches out of the outbox, one POST each, acknowledged only after the server answered.
#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>
#include <unordered_set>

#include "mengscan/sync/outbox_uploader.hpp"
#include "report_poster.hpp"

namespace mengscan::sync {
namespace {

int64_t nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string reportsUrl(std::string server) {
    while (!server.empty() && server.back() == '/') server.pop_back();
    return server + "/v1/reports";
}

std::string batchBody(const std::string& deviceId, const std::vector<PendingEvent>& batch) {
    std::string body = "{\"device_id\":" + nlohmann::json(deviceId).dump() + ",\"events\":[";
    for (size_t i = 0; i < batch.size(); ++i) {
        if (i) body += ',';
        body += batch[i].json;
    }
    body += "]}";
    return body;
}

struct Answer {
    std::vector<std::string> done, rejected;
    int64_t stored = 0, duplicates = 0;
};

// {"results":[{"event_id":..., "status":"stored"|"duplicate"|"rejected", "error":...}]}.
// Every id of the batch must be answered: an id the server skipped stays pending.
Expected<Answer> parseAnswer(const std::string& text, const std::vector<PendingEvent>& batch) {
    Answer a;
    std::unordered_set<std::string> sent;
    for (const auto& e : batch) sent.insert(e.eventId);
    try {
        const auto j = nlohmann::json::parse(text);
        for (const auto& r : j.at("results")) {
            const auto id = r.at("event_id").get<std::string>();
            const auto status = r.at("status").get<std::string>();
            if (!sent.count(id)) continue;  // not ours: ignore rather than trust it
            if (status == "stored") {
                a.done.push_back(id);
                ++a.stored;
            } else if (status == "duplicate") {
                a.done.push_back(id);
                ++a.duplicates;
            } else if (status == "rejected") {
                a.rejected.push_back(id);
            }
        }
    } catch (const std::exception& ex) {
        return makeUnexpected(ErrorCategory::Network, "bad_answer",
                              std::string("report upload: unreadable server answer: ") + ex.what());
    }
    if (a.done.size() + a.rejected.size() < batch.size()) {
        return makeUnexpected(ErrorCategory::Network, "incomplete_answer",
                              "report upload: the server answered " +
                                  std::to_string(a.done.size() + a.rejected.size()) + " of " +
                                  std::to_string(batch.size()) + " events");
    }
    return a;
}

}  // namespace

Uploader::Uploader(Outbox& outbox, UploaderOptions options)
    : outbox_(outbox), options_(std::move(options)) {}

Expected<UploadSummary> Uploader::uploadAll() {
    if (options_.serverUrl.empty()) {
        return makeUnexpected(ErrorCategory::Usage, "no_server", "no report server URL given");
    }
    const auto& transfer = options_.transfer;
    const std::string url = reportsUrl(options_.serverUrl);
    const int maxAttempts = std::max(1, transfer.maxAttempts);
    report_poster::Poster poster(transfer);
    std::mt19937_64 rng{std::random_device{}()};
    UploadSummary summary;
    size_t batchEvents = std::max<size_t>(1, options_.batchEvents);
    auto fail = [&](const Error& error) -> Expected<UploadSummary> {
        (void)outbox_.noteUploadError(error, nowMs());
        return Unexpected(error);
    };

    while (options_.maxBatches < 0 || summary.batches < options_.maxBatches) {
        auto batch = outbox_.nextBatch(batchEvents, options_.batchBytes);
        if (!batch) return Unexpected(batch.error());
        if (batch->empty()) break;
        const std::string body = batchBody(outbox_.options().deviceId, *batch);

        report_poster::PostResult result;
        bool shrink = false;
        for (int attempt = 1; attempt <= maxAttempts; ++attempt) {
            if (attempt > 1) {
                // Full jitter: a random delay up to the exponential bound.
                const long cap = std::min(transfer.backoffCapMs,
                                          transfer.backoffBaseMs << std::min(attempt - 2, 20));
                const long delay = std::uniform_int_distribution<long>(0, cap)(rng);
                if (observer_) observer_(attempt, delay, result.error);
                ++summary.retries;
                std::this_thread::sleep_for(std::chrono::milliseconds(delay));
            }
            result = poster.postJson(url, body, options_.token);
            if (!result.error) break;
            if (result.status == 413 && batch->size() > 1) {
                shrink = true;  // too large for the server: retry with smaller batches
                break;
            }
            if (!result.retryable) break;
        }
        if (shrink) {
            batchEvents = std::max<size_t>(1, batch->size() / 2);
            continue;
        }
        if (result.error) {
            Error error = result.error;
            if (result.retryable) {
                error.message += " (gave up after " + std::to_string(maxAttempts) + " attempts)";
            }
            return fail(error);
        }
        auto answer = parseAnswer(result.body, *batch);
        if (!answer) return fail(answer.error());
        if (auto s = outbox_.acknowledge(answer->done, answer->rejected, nowMs()); !s) {
            return Unexpected(s.error());
        }
        ++summary.batches;
        summary.stored += answer->stored;
        summary.duplicates += answer->duplicates;
        summary.rejected += static_cast<int64_t>(answer->rejected.size());
    }
    return summary;
}

}  // namespace mengscan::sync
