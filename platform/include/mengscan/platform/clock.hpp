// Wall clock behind an interface so that verification rules (expiry, staleness,
// duplicate windows) can be tested with a fake clock.
#pragma once

#include <cstdint>
#include <memory>

namespace mengscan::platform {

class Clock {
public:
    virtual ~Clock() = default;
    // Seconds since the Unix epoch, UTC.
    virtual int64_t nowUnixSeconds() const = 0;
    // Monotonic time for measuring durations, in nanoseconds.
    virtual int64_t monotonicNanos() const = 0;
};

std::unique_ptr<Clock> makeSystemClock();

// A clock that only moves when told to; for tests.
class FakeClock : public Clock {
public:
    explicit FakeClock(int64_t unixSeconds = 0) : now_(unixSeconds) {}
    int64_t nowUnixSeconds() const override { return now_; }
    int64_t monotonicNanos() const override { return now_ * 1000000000LL + nanos_; }
    void set(int64_t unixSeconds) { now_ = unixSeconds; }
    void advance(int64_t seconds) { now_ += seconds; }
    void advanceNanos(int64_t nanos) { nanos_ += nanos; }

private:
    int64_t now_;
    int64_t nanos_ = 0;
};

}  // namespace mengscan::platform
