#include "mock_server/core/duration.hpp"

#include <catch2/catch.hpp>

namespace multihook::core {
namespace {

using std::chrono::microseconds;

TEST_CASE("Durations parse with a unit", "[core][duration]") {
  const auto [text, micros] = GENERATE(table<std::string, long long>({
      {"0", 0},
      {"250us", 250},
      {"500ms", 500'000},
      {"2s", 2'000'000},
      {"5m", 300'000'000},
      {"1h", 3'600'000'000},
      {"7d", 604'800'000'000},
      {"0ms", 0},
  }));
  auto parsed = ParseDuration(text);
  REQUIRE(parsed.ok());
  CHECK(parsed->count() == micros);
}

TEST_CASE("Durations reject what a user could mean two ways", "[core][duration]") {
  const auto [text, reason] = GENERATE(table<std::string, std::string>({
      {"", "expected a whole number followed by a unit (us, ms, s, m, h, d)"},
      {"5", "missing unit (us, ms, s, m, h, d)"},
      {"-1s", "expected a whole number followed by a unit (us, ms, s, m, h, d)"},
      {"1.5s", "unknown unit '.5s' (use us, ms, s, m, h, d)"},
      {"2 s", "unknown unit ' s' (use us, ms, s, m, h, d)"},
      {"3w", "unknown unit 'w' (use us, ms, s, m, h, d)"},
      {"99999999999999999999s", "number out of range"},
      {"999999999999999d", "number out of range"},
  }));
  auto parsed = ParseDuration(text, "--apply-delay");
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.status().ToString() ==
        "invalid_argument at --apply-delay: invalid duration '" + text + "': " + reason);
}

TEST_CASE("Durations format to their shortest exact spelling", "[core][duration]") {
  CHECK(FormatDuration(microseconds(0)) == "0");
  CHECK(FormatDuration(microseconds(2'000'000)) == "2s");
  CHECK(FormatDuration(microseconds(1'500)) == "1500us");
  CHECK(FormatDuration(microseconds(604'800'000'000)) == "7d");
}

}  // namespace
}  // namespace multihook::core
