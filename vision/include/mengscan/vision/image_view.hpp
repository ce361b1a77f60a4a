// Non-owning view of 8-bit grayscale pixels: the vision core's input type.
// The cv::Mat adapter (mat_adapter.hpp) sits at the edge (after ZXing-cpp's ImageView).
#pragma once

#include <cstdint>

namespace mengscan::vision {

struct GrayView {
    const uint8_t* data = nullptr;
    int width = 0;
    int height = 0;
    int stride = 0;  // bytes from one row to the next

    bool empty() const { return data == nullptr || width <= 0 || height <= 0; }
    const uint8_t* row(int y) const { return data + static_cast<long>(y) * stride; }
};

}  // namespace mengscan::vision
