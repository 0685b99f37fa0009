// Durations as users write them on the command line and in scenario files: a whole number with a
// unit (us, ms, s, m, h, d), or a bare 0. Pure functions.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "mock_server/core/status.hpp"

namespace multihook::core {

// "500ms" -> 500 ms; "2s", "1h", "7d", "0". Rejects negatives, fractions, missing or unknown
// units and values that overflow; errors are located at `location`.
Result<std::chrono::microseconds> ParseDuration(std::string_view text, std::string location = "");

// The shortest exact spelling: 2000000us -> "2s", 1500us -> "1500us", 0 -> "0".
std::string FormatDuration(std::chrono::microseconds d);

}  // namespace multihook::core
