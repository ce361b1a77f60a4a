#include "label.hpp"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace mengscan::scenes {
namespace {

QuadF rectQuad(float x, float y, float w, float h) {
    return {cv::Point2f(x, y), cv::Point2f(x + w, y), cv::Point2f(x + w, y + h),
            cv::Point2f(x, y + h)};
}

void blendArtwork(cv::Mat& bgr, const Artwork& art, const cv::Rect& at) {
    cv::Mat colour, alpha;
    cv::resize(art.bgr, colour, at.size(), 0, 0, cv::INTER_AREA);
    cv::resize(art.alpha, alpha, at.size(), 0, 0, cv::INTER_AREA);
    cv::Mat roi = bgr(at);
    for (int y = 0; y < roi.rows; ++y) {
        auto* d = roi.ptr<cv::Vec3b>(y);
        const auto* s = colour.ptr<cv::Vec3b>(y);
        const uint8_t* a = alpha.ptr<uint8_t>(y);
        for (int x = 0; x < roi.cols; ++x) {
            for (int c = 0; c < 3; ++c)
                d[x][c] =
                    static_cast<uint8_t>((d[x][c] * (255 - a[x]) + s[x][c] * a[x] + 127) / 255);
        }
    }
}

}  // namespace

Expected<RenderedLabel> renderLabel(Rng& rng, const LabelContent& content, int emblemWidthPx,
                                    const TextPainter& font) {
    const int m = emblemWidthPx;
    const int pad = std::max(4, static_cast<int>(m * rng.uniform(0.08, 0.16)));
    const int gap = std::max(4, static_cast<int>(m * rng.uniform(0.1, 0.25)));

    int emblemW = 0, emblemH = 0;
    if (content.emblem) {
        emblemW = m;
        emblemH = std::max(
            1, static_cast<int>(std::lround(m * static_cast<double>(content.emblem->bgr.rows) /
                                            content.emblem->bgr.cols)));
    }
    std::optional<CodeImage> code;
    if (content.codeText) {
        auto modules = symbolModules(*content.codeText, content.symbology);
        if (!modules) return Unexpected(modules.error());
        const int quiet = rng.uniformInt(2, 4);
        const double side = m * rng.uniform(0.9, 1.3);
        const int modulePx = std::max(2, static_cast<int>(side / *modules));
        auto rendered = renderCode(*content.codeText, content.symbology, modulePx, quiet);
        if (!rendered) return Unexpected(rendered.error());
        code = std::move(*rendered);
    }
    const int codeW = code ? code->gray.cols : 0, codeH = code ? code->gray.rows : 0;
    const bool both = content.emblem && code;
    const int rowW = emblemW + codeW + (both ? gap : 0);
    const int rowH = std::max(emblemH, codeH);
    const int width = std::max(rowW, m * 2) + 2 * pad;

    // The printed line fits the label's width, at most 13% of the emblem size tall.
    cv::Mat text = font.render(content.printedLine, std::max(8, m / 8));
    if (!text.empty() && text.cols > width - 2 * pad) {
        const double f = static_cast<double>(width - 2 * pad) / text.cols;
        cv::resize(text, text, cv::Size(), f, f, cv::INTER_AREA);
    }
    const int textH = text.empty() ? 0 : text.rows;
    const int height = pad + rowH + (textH ? gap / 2 + textH : 0) + pad;

    static const std::vector<cv::Scalar> kPaper = {
        {255, 255, 255}, {240, 248, 252}, {230, 242, 245}, {245, 245, 238}};
    RenderedLabel out;
    out.bgr = cv::Mat(height, width, CV_8UC3, rng.pick(kPaper));
    out.emblemWidthPx = emblemW;
    const bool codeFirst = both && rng.chance(0.3);
    const int x0 = pad + (width - 2 * pad - rowW) / 2;
    const int emblemX = codeFirst ? x0 + codeW + gap : x0;
    const int codeX = codeFirst ? x0 : x0 + (content.emblem ? emblemW + gap : 0);
    if (content.emblem) {
        const int y = pad + (rowH - emblemH) / 2;
        blendArtwork(out.bgr, *content.emblem, cv::Rect(emblemX, y, emblemW, emblemH));
        out.emblemQuad = rectQuad(static_cast<float>(emblemX), static_cast<float>(y),
                                  static_cast<float>(emblemW), static_cast<float>(emblemH));
    }
    if (code) {
        const int y = pad + (rowH - codeH) / 2;
        cv::Mat codeBgr;
        cv::cvtColor(code->gray, codeBgr, cv::COLOR_GRAY2BGR);
        // Print the code with the paper's colour for white (multiply blend).
        cv::Mat roi = out.bgr(cv::Rect(codeX, y, codeW, codeH));
        cv::multiply(roi, codeBgr, roi, 1.0 / 255);
        QuadF q = code->corners;
        for (auto& p : q) p += cv::Point2f(static_cast<float>(codeX), static_cast<float>(y));
        out.codeQuad = q;
    }
    if (!text.empty()) {
        const cv::Point at((width - text.cols) / 2, pad + rowH + gap / 2);
        paintCoverage(out.bgr, text, at, cv::Scalar(30, 30, 30));
    }
    return out;
}

}  // namespace mengscan::scenes
