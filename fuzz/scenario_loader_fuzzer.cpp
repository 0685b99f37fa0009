// The scenario loader (harness/scenario/scenario_loader.hpp) on arbitrary scenario files.
// Properties: no crash, no exception, no unbounded work; every error names the file, and its
// message reads "FILE at POINTER: reason" or "FILE: reason"; loading is deterministic.
#include <string>

#include "fuzz/fuzz_support.hpp"
#include "harness/scenario/scenario_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace harness = multihook::harness;
  const std::string_view text = multihook::fuzz::AsText(data, size);
  const std::string file = "fuzz.json";
  const auto loaded = harness::LoadScenarioText(text, file);
  if (loaded.ok()) {
    const auto again = harness::LoadScenarioText(text, file);
    MULTIHOOK_FUZZ_CHECK(again.ok(), "a scenario loads once and fails the second time");
    return 0;
  }
  const std::string message = harness::LoadErrorMessage(loaded.status());
  MULTIHOOK_FUZZ_CHECK(message.rfind(file, 0) == 0, "error does not name the file: " + message);
  MULTIHOOK_FUZZ_CHECK(!loaded.status().reason().empty(), "error without a reason: " + message);
  const auto again = harness::LoadScenarioText(text, file);
  MULTIHOOK_FUZZ_CHECK(!again.ok() && harness::LoadErrorMessage(again.status()) == message,
                       "a different error the second time: " + message);
  return 0;
}
