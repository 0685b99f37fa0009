// ScenarioRunner: executes loaded scenarios and returns a RunReport (data; printing is the
// reporters' job). By default each scenario gets its own MockProvider on an ephemeral port and
// its own ScriptedReceivers, so scenarios run in parallel without sharing anything. With
// `target`, scenarios run one at a time against a running mock: the runner resets it, applies the
// scenario's options (`PATCH /mock/options`; refused: the scenario is skipped with the mock's
// reason; no such endpoint: a note), adds the scenario's channels, posts a route per receiver, and
// resets the mock again afterwards so it is back to its startup options.
//
// Nothing here sleeps: steps wait on the mock's long-poll (/mock/deliveries?min_count=) or on
// ScriptedReceiver::WaitForCount, always bounded; under virtual time `POST /mock/clock/advance
// {"ms": 0}` is the barrier after which every delivery due now has finished.
//
// Thread-safe: RunScenarios owns its worker threads (std::jthread) and joins them before it
// returns; `on_finished` is called under a lock, one scenario at a time.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness/report/run_report.hpp"
#include "harness/scenario/scenario.hpp"

namespace multihook::harness {

struct RunOptions {
  std::optional<std::string> target;  // base URL of a running mock ("http://127.0.0.1:8360")
  // Receivers by name that are the partner's own (URL the mock connects to instead of an
  // embedded receiver), overriding the scenario file.
  // A scenario runs only if each of them may be replaced (its receiver says "stand_in" and its
  // script asks for no fault); otherwise it is skipped with the reason.
  std::map<std::string, std::string> external_receivers;
  // The signing secret for every scenario (overrides a scenario's `signing_secret`), e.g. the
  // one the partner's receiver verifies x-360dialog-signature with.
  std::optional<std::string> secret;
  std::size_t jobs = 1;  // scenarios at once (1 with a target)
  std::function<void(const ScenarioResult&, std::size_t done, std::size_t total)> on_finished;
};

ScenarioResult RunScenario(const Scenario& scenario, const RunOptions& options);
RunReport RunScenarios(const std::vector<Scenario>& scenarios, const RunOptions& options);

}  // namespace multihook::harness
