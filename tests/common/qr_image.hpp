// Test label images: a QR code written by ZXing-cpp's encoder, for tests that need a real
// image to go through the real decoder.
#pragma once

#include <string>

namespace mengscan::test {

// A white label with one QR code of `text`, 6 px per module, 4-module quiet zone.
// False when the image cannot be written.
bool writeQrPng(const std::string& text, const std::string& path);

}  // namespace mengscan::test
