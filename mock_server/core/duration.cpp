#include "mock_server/core/duration.hpp"

#include <array>
#include <charconv>
#include <cstdint>
#include <limits>

namespace multihook::core {
namespace {

struct Unit {
  std::string_view suffix;
  std::int64_t micros;
};

// Longest suffixes first so "ms" is not read as "m" + garbage.
constexpr std::array<Unit, 6> kUnits = {{
    {"us", 1},
    {"ms", 1'000},
    {"s", 1'000'000},
    {"m", 60'000'000},
    {"h", 3'600'000'000},
    {"d", 86'400'000'000},
}};

}  // namespace

Result<std::chrono::microseconds> ParseDuration(std::string_view text, std::string location) {
  const auto fail = [&](std::string_view reason) {
    return InvalidArgument(location,
                           "invalid duration '" + std::string(text) + "': " + std::string(reason));
  };
  if (text == "0") return std::chrono::microseconds(0);
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0) return fail("expected a whole number followed by a unit (us, ms, s, m, h, d)");
  const std::string_view suffix = text.substr(digits);
  if (suffix.empty()) return fail("missing unit (us, ms, s, m, h, d)");
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + digits, value);
  if (ec != std::errc() || end != text.data() + digits) return fail("number out of range");
  for (const Unit& unit : kUnits) {
    if (suffix != unit.suffix) continue;
    if (value > std::numeric_limits<std::int64_t>::max() / unit.micros) {
      return fail("number out of range");
    }
    return std::chrono::microseconds(value * unit.micros);
  }
  return fail("unknown unit '" + std::string(suffix) + "' (use us, ms, s, m, h, d)");
}

std::string FormatDuration(std::chrono::microseconds d) {
  const std::int64_t us = d.count();
  if (us == 0) return "0";
  for (auto it = kUnits.rbegin(); it != kUnits.rend(); ++it) {
    if (us % it->micros == 0) return std::to_string(us / it->micros) + std::string(it->suffix);
  }
  return std::to_string(us) + "us";
}

}  // namespace multihook::core
