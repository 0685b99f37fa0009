// RunReport: what a scenario run found, as data. The runner fills it; reporters (reporters.hpp)
// print it as console text, JSON or JUnit XML. Failures point into the scenario file (`at`, a
// JSON pointer) and carry what was expected, what came, and the context needed to see why.
//
// Plain value types; thread-compatible.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace multihook::harness {

struct Failure {
  std::string at;        // JSON pointer into the scenario file, e.g. "/expect/receivers/main/count"
  std::string message;   // one readable sentence
  std::string expected;  // may be empty
  std::string actual;    // may be empty
  std::string context;   // e.g. the requests a receiver got; may be empty, may span lines
};

enum class Outcome {
  kPassed,
  kFailed,   // an expectation did not hold
  kError,    // the scenario could not run (a receiver or the mock did not start, no connection)
  kSkipped,  // not applicable here (e.g. a real receiver cannot play its script): `skip_reason`
};
std::string_view OutcomeName(Outcome outcome);  // "passed", "failed", "error", "skipped"

struct ScenarioResult {
  std::string name;
  std::string file;
  std::string description;
  Outcome outcome = Outcome::kPassed;
  std::vector<Failure> failures;
  std::vector<std::string> notes;  // what was not checked, and why
  std::string skip_reason;         // why the scenario did not run (kSkipped only)
  std::size_t steps_run = 0;
  std::chrono::milliseconds duration{0};
};

struct RunReport {
  std::vector<ScenarioResult> scenarios;  // in the order the files were given
  std::chrono::milliseconds duration{0};

  std::size_t Count(Outcome outcome) const {
    std::size_t n = 0;
    for (const auto& s : scenarios) n += s.outcome == outcome ? 1 : 0;
    return n;
  }
  bool AllPassed() const { return Count(Outcome::kPassed) == scenarios.size(); }
  // Nothing failed and nothing could not run; skipped scenarios are allowed.
  bool NoneFailed() const { return Count(Outcome::kFailed) == 0 && Count(Outcome::kError) == 0; }
};

}  // namespace multihook::harness
