#include <doctest/doctest.h>

#include "mengscan/expected.hpp"

using namespace mengscan;

namespace {
Expected<int> half(int x) {
    if (x % 2) return makeUnexpected(ErrorCategory::Usage, "odd", "odd input");
    return x / 2;
}
}  // namespace

TEST_CASE("Expected carries either a value or an error") {
    auto ok = half(4);
    REQUIRE(ok);
    CHECK(*ok == 2);
    auto bad = half(3);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == "odd");
    CHECK(bad.error().describe() == "usage/odd: odd input");
}

TEST_CASE("Status is ok by default and keeps its error") {
    Status s;
    CHECK(s);
    Status failed = makeUnexpected(ErrorCategory::Io, "disk_full", "no space");
    CHECK_FALSE(failed);
    CHECK((failed.error().category == ErrorCategory::Io));
}
