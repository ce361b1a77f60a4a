// A small deterministic random source (splitmix64). The standard distributions are not
// specified bit-for-bit across library versions, so the generator draws only from this:
// the same seed gives the same scenes everywhere.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

namespace mengscan::scenes {

class Rng {
public:
    explicit Rng(uint64_t seed) : state_(seed) {}

    uint64_t next() {
        uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    // [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    // Log-uniform in [lo, hi]: as many small as large scales per octave.
    double logUniform(double lo, double hi) {
        return std::exp(uniform(std::log(lo), std::log(hi)));
    }
    // Integer in [lo, hi], both included.
    int uniformInt(int lo, int hi) {
        return lo + static_cast<int>(next() % static_cast<uint64_t>(hi - lo + 1));
    }
    bool chance(double p) { return uniform() < p; }
    template <class T>
    const T& pick(const std::vector<T>& items) {
        return items[next() % items.size()];
    }
    // A seed for an independent stream (e.g. cv::RNG for noise).
    uint64_t fork() { return next(); }

private:
    uint64_t state_;
};

// Seed of scene `index` in a set made from `seed`: every scene can be made on its own.
inline uint64_t sceneSeed(uint64_t seed, int index) {
    Rng mix(seed ^ (0xa0761d6478bd642fULL * static_cast<uint64_t>(index + 1)));
    mix.next();
    return mix.next();
}

}  // namespace mengscan::scenes
