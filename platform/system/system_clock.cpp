#include <chrono>

#include "mengscan/platform/clock.hpp"

namespace mengscan::platform {
namespace {

class SystemClock : public Clock {
public:
    int64_t nowUnixSeconds() const override {
        using namespace std::chrono;
        return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
    }
    int64_t monotonicNanos() const override {
        using namespace std::chrono;
        return duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count();
    }
};

}  // namespace

std::unique_ptr<Clock> makeSystemClock() { return std::make_unique<SystemClock>(); }

}  // namespace mengscan::platform
