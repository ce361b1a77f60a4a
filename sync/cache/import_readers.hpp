// The two import encodings (docs/cache-format.md). Each reads records line by line and hands
// them to the Applier; an error is returned as "<name>:<line>: <message>".
#pragma once

#include <istream>
#include <string>

#include "import_apply.hpp"

namespace mengscan::sync::cache_import {

Status readJsonLines(std::istream& in, const std::string& name, Applier& applier, int64_t& lines);
Status readCsv(std::istream& in, const std::string& name, Applier& applier, int64_t& lines);

// Prefixes an error message with "<name>:<line>: ".
Unexpected atLine(const Error& error, const std::string& name, int64_t line);

}  // namespace mengscan::sync::cache_import
