#include "scan_pipeline.hpp"

#include <chrono>

#include "mengscan/sync/verdict_engine.hpp"
#include "scan_outbox.hpp"
#include "mengscan/vision/guided_reader.hpp"
#include "mengscan/vision/mat_adapter.hpp"

namespace mengscan::firmware {

ScanPipeline::ScanPipeline(ScanOptions options)
    : options_(std::move(options)), reader_(options_.reader) {
    if (options_.markTemplate) {
        markDetector_ = std::make_unique<vision::MarkDetector>(*options_.markTemplate);
    }
}

void ScanPipeline::process(const cv::Mat& image, FrameReport& report) const {
    const auto start = std::chrono::steady_clock::now();
    report.width = image.cols;
    report.height = image.rows;
    auto gray = vision::toGray(image);
    if (!gray) {
        report.error = gray.error();
    } else {
        // Mark first (on colour: it helps), then codes where the mark says they are.
        vision::MarkDetection mark;
        if (markDetector_) {
            mark = markDetector_->detect(image, image.channels() == 3 ? *gray : cv::Mat());
            report.mark = MarkReport{mark.found, mark.score, mark.quad};
        }
        report.codes = vision::readCodesGuided(reader_, *gray, markDetector_ ? &mark : nullptr);
    }
    if (options_.verifier != nullptr && !report.error) verify(report);  // keep last
    if (options_.outbox != nullptr && report.verification) {
        const OutboxRecording recording{options_.outbox, options_.recordScans, {}};
        const auto nowMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
        auto stored = recordInOutbox(recording, image, report, options_.session, nowMs);
        if (!stored) report.error = stored.error();
    }
    const auto end = std::chrono::steady_clock::now();
    report.elapsedMs = std::chrono::duration<double, std::milli>(end - start).count();
}

namespace {
// GS1 symbology identifiers tell the payload parser that the text is a GS1 element string.
bool isGs1Symbology(const std::string& id) {
    return id == "]Q3" || id == "]d2" || id == "]C1";
}
}  // namespace

void ScanPipeline::verify(FrameReport& report) const {
    sync::FrameObservation frame;
    for (const auto& code : report.codes) {
        if (!code.ok()) {
            ++frame.undecodedSymbols;
        } else if (isGs1Symbology(code.symbologyIdentifier)) {
            frame.payloads.push_back(code.symbologyIdentifier + code.text);
        } else {
            frame.payloads.push_back(code.text);
        }
    }
    if (report.mark) frame.context.markFound = report.mark->found;
    frame.context.session = options_.session;
    sync::Verdict verdict = options_.verifier->verifyFrame(frame);
    if (options_.recordScans && options_.outbox == nullptr) {
        if (auto recorded = options_.verifier->recordScan(verdict, options_.session); !recorded) {
            report.error = recorded.error();
        }
    }
    report.verdict = verdict.name();
    report.reasons.clear();
    for (const auto& reason : verdict.reasons) report.reasons.emplace_back(reason.name());
    report.verification = std::move(verdict);
}

}  // namespace mengscan::firmware
