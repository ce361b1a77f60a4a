#include "mengscan/error.hpp"

namespace mengscan {

const char* toString(ErrorCategory category) {
    switch (category) {
        case ErrorCategory::None: return "none";
        case ErrorCategory::Usage: return "usage";
        case ErrorCategory::Io: return "io";
        case ErrorCategory::Image: return "image";
        case ErrorCategory::Vision: return "vision";
        case ErrorCategory::Payload: return "payload";
        case ErrorCategory::Cache: return "cache";
        case ErrorCategory::Network: return "network";
        case ErrorCategory::Crypto: return "crypto";
        case ErrorCategory::Internal: return "internal";
    }
    return "unknown";
}

std::string Error::describe() const {
    if (!*this) return "no error";
    return std::string(toString(category)) + "/" + code + ": " + message;
}

}  // namespace mengscan
