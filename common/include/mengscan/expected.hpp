// Expected<T>: a value or the Error explaining why there is none (C++17 stand-in for
// std::expected; after Mender's common/expected.hpp).
#pragma once

#include <cassert>
#include <utility>
#include <variant>

#include "mengscan/error.hpp"

namespace mengscan {

struct Unexpected {
    Error error;
    explicit Unexpected(Error e) : error(std::move(e)) {}
};

inline Unexpected makeUnexpected(ErrorCategory cat, std::string code, std::string message) {
    return Unexpected(Error(cat, std::move(code), std::move(message)));
}

template <class T>
class Expected {
public:
    Expected(T value) : state_(std::in_place_index<0>, std::move(value)) {}
    Expected(Unexpected u) : state_(std::in_place_index<1>, std::move(u.error)) {}

    bool hasValue() const { return state_.index() == 0; }
    explicit operator bool() const { return hasValue(); }

    T& value() & {
        assert(hasValue());
        return std::get<0>(state_);
    }
    const T& value() const& {
        assert(hasValue());
        return std::get<0>(state_);
    }
    T&& value() && {
        assert(hasValue());
        return std::get<0>(std::move(state_));
    }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const {
        assert(!hasValue());
        return std::get<1>(state_);
    }

private:
    std::variant<T, Error> state_;
};

// For operations that return nothing but may fail.
template <>
class Expected<void> {
public:
    Expected() = default;
    Expected(Unexpected u) : error_(std::move(u.error)) {}

    bool hasValue() const { return !error_; }
    explicit operator bool() const { return hasValue(); }
    const Error& error() const {
        assert(!hasValue());
        return error_;
    }

private:
    Error error_;
};

using Status = Expected<void>;

}  // namespace mengscan
