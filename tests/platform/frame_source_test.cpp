#include <doctest/doctest.h>

#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "common/test_support.hpp"
#include "mengscan/platform/clock.hpp"
#include "mengscan/platform/frame_source.hpp"

namespace fs = std::filesystem;
using namespace mengscan;

namespace {

cv::Mat pattern(int value, cv::Size size = {64, 48}) {
    cv::Mat m(size, CV_8UC3, cv::Scalar(value, 255 - value, value / 2));
    cv::rectangle(m, {4, 4}, {20, 20}, cv::Scalar(0, 0, 0), cv::FILLED);
    return m;
}

std::vector<platform::Frame> drain(platform::FrameSource& source) {
    std::vector<platform::Frame> frames;
    while (auto f = source.next()) frames.push_back(std::move(*f));
    return frames;
}

}  // namespace

TEST_CASE("image files of every supported format load as 8-bit frames") {
    test::TempDir dir;
    for (const std::string ext : {".png", ".jpg", ".webp", ".bmp"}) {
        const auto path = (dir / ("img" + ext)).string();
        REQUIRE(cv::imwrite(path, pattern(100)));
        auto image = platform::readImageFile(path);
        REQUIRE_MESSAGE(image, ext << ": " << image.error().message);
        CHECK(image->cols == 64);
        CHECK(image->rows == 48);
        CHECK(image->depth() == CV_8U);
    }
}

TEST_CASE("16-bit and alpha images are normalised to 8-bit BGR/gray") {
    test::TempDir dir;
    cv::Mat rgba(10, 12, CV_8UC4, cv::Scalar(10, 20, 30, 128));
    cv::Mat deep(10, 12, CV_16UC1, cv::Scalar(65535));
    REQUIRE(cv::imwrite((dir / "a.png").string(), rgba));
    REQUIRE(cv::imwrite((dir / "d.png").string(), deep));
    auto a = platform::readImageFile((dir / "a.png").string());
    auto d = platform::readImageFile((dir / "d.png").string());
    REQUIRE(a);
    REQUIRE(d);
    CHECK(a->channels() == 3);
    CHECK(d->depth() == CV_8U);
    CHECK(d->at<uchar>(0, 0) == 255);
}

TEST_CASE("missing, empty, garbage and truncated files give clear errors, not exceptions") {
    test::TempDir dir;
    test::writeFile(dir / "empty.png", "");
    test::writeFile(dir / "garbage.png", "this is not a PNG at all");
    REQUIRE(cv::imwrite((dir / "whole.jpg").string(), pattern(50, {320, 240})));
    const std::string whole = test::readFile(dir / "whole.jpg");
    test::writeFile(dir / "cut.jpg", whole.substr(0, 20));

    auto missing = platform::readImageFile((dir / "nope.png").string());
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == "file_not_found");
    CHECK(missing.error().message.find("nope.png") != std::string::npos);

    auto empty = platform::readImageFile((dir / "empty.png").string());
    REQUIRE_FALSE(empty);
    CHECK(empty.error().code == "empty_file");

    auto garbage = platform::readImageFile((dir / "garbage.png").string());
    REQUIRE_FALSE(garbage);
    CHECK(garbage.error().code == "undecodable");

    auto cut = platform::readImageFile((dir / "cut.jpg").string());
    CHECK_FALSE(cut);

    auto folder = platform::readImageFile(dir.path().string());
    REQUIRE_FALSE(folder);
    CHECK(folder.error().code == "is_directory");
}

TEST_CASE("a folder yields its images recursively in sorted order and reports bad ones") {
    test::TempDir dir;
    fs::create_directories(dir / "b" / "inner");
    REQUIRE(cv::imwrite((dir / "c.png").string(), pattern(1)));
    REQUIRE(cv::imwrite((dir / "a.png").string(), pattern(2)));
    REQUIRE(cv::imwrite((dir / "b" / "inner" / "x.jpg").string(), pattern(3)));
    test::writeFile(dir / "b" / "broken.png", "garbage");
    test::writeFile(dir / "notes.txt", "not an image, skipped");

    auto source = platform::openPath(dir.path().string(), {});
    const auto frames = drain(*source);
    REQUIRE(frames.size() == 4);
    CHECK(fs::path(frames[0].source).filename() == "a.png");
    CHECK(fs::path(frames[1].source).filename() == "broken.png");
    CHECK_FALSE(frames[1].ok());
    CHECK(fs::path(frames[2].source).filename() == "x.jpg");
    CHECK(fs::path(frames[3].source).filename() == "c.png");
    CHECK(frames[0].ok());
    CHECK(frames[3].ok());
}

TEST_CASE("a video yields every Nth frame with its index") {
    test::TempDir dir;
    const auto path = (dir / "clip.avi").string();
    {
        cv::VideoWriter writer(path, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 10,
                               cv::Size(64, 48));
        REQUIRE(writer.isOpened());
        for (int i = 0; i < 10; ++i) writer.write(pattern(i * 20));
    }
    platform::SourceOptions options;
    options.everyNth = 3;
    auto source = platform::openPath(path, options);
    const auto frames = drain(*source);
    REQUIRE(frames.size() == 4);  // frames 0, 3, 6, 9
    CHECK(frames[0].index == 0);
    CHECK(frames[1].index == 3);
    CHECK(frames[3].index == 9);
    for (const auto& f : frames) {
        CHECK(f.ok());
        CHECK(f.image.cols == 64);
    }
}

TEST_CASE("a missing or corrupt video gives one error frame") {
    test::TempDir dir;
    test::writeFile(dir / "bad.avi", "RIFF....garbage");
    for (const auto& path : {(dir / "missing.mp4").string(), (dir / "bad.avi").string()}) {
        auto source = platform::openPath(path, {});
        const auto frames = drain(*source);
        REQUIRE(frames.size() == 1);
        CHECK_FALSE(frames[0].ok());
        CHECK_FALSE(frames[0].error.message.empty());
    }
}

TEST_CASE("fake clock moves only when told") {
    platform::FakeClock fake(1000);
    CHECK(fake.nowUnixSeconds() == 1000);
    fake.advance(60);
    CHECK(fake.nowUnixSeconds() == 1060);
    auto real = platform::makeSystemClock();
    CHECK(real->nowUnixSeconds() > 1700000000);
}
