// Errors as values at component boundaries (after Mender's common/error.hpp).
#pragma once

#include <string>
#include <utility>

namespace mengscan {

// Which component produced the error; lets callers and logs tell layers apart.
enum class ErrorCategory {
    None,
    Usage,     // bad command-line or configuration input
    Io,        // files, devices, disk
    Image,     // unreadable or unsupported image / video data
    Vision,    // detector or decoder failure
    Payload,   // label payload could not be parsed
    Cache,     // certificate cache (SQLite)
    Network,   // HTTP transfers
    Crypto,    // signatures, hashes
    Internal,  // a library threw something unexpected
};

const char* toString(ErrorCategory category);

struct Error {
    ErrorCategory category = ErrorCategory::None;
    std::string code;     // stable machine code, e.g. "file_not_found"
    std::string message;  // human-readable, says what and where

    Error() = default;
    Error(ErrorCategory cat, std::string machineCode, std::string text)
        : category(cat), code(std::move(machineCode)), message(std::move(text)) {}

    explicit operator bool() const { return category != ErrorCategory::None; }
    // "io/file_not_found: cannot open x.png"
    std::string describe() const;
};

}  // namespace mengscan
