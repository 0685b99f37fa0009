#include "harness/scenario/scenario_runner.hpp"

#include <algorithm>
#include <atomic>
#include <sstream>
#include <thread>

#include "harness/scenario/scenario_run.hpp"
#include "harness/scenario/stand_in.hpp"
#include "mock_server/core/mutex.hpp"

namespace multihook::harness {
namespace internal {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

std::string Describe(const std::vector<ReceivedRequest>& requests) {
  if (requests.empty()) return "received: nothing";
  std::ostringstream out;
  out << "received:";
  for (const auto& r : requests) {
    out << "\n  #" << r.sequence << " " << r.method << " " << r.path << " " << Preview(r.body);
  }
  return out.str();
}

ScenarioRun::ScenarioRun(const Scenario& scenario, const RunOptions& options)
    : scenario_(scenario),
      options_(options),
      secret_(options.secret ? options.secret : scenario.options.signing_secret) {
  result_.name = scenario.name;
  result_.file = scenario.file;
  result_.description = scenario.description;
}

ScenarioResult ScenarioRun::Run() {
  const auto started = Clock::now();
  if (Setup()) {
    RunSteps();
    if (!stopped_) CheckExpectations();
    if (!result_.failures.empty()) ExplainRejectedSignature();
  }
  if (result_.outcome == Outcome::kPassed && !result_.failures.empty()) {
    result_.outcome = Outcome::kFailed;
  }
  if (options_.target && client_) RestoreTarget();
  // Close our keep-alive connection and the mock's (to the receivers) before stopping the
  // servers, so none of them waits for an idle connection to time out.
  client_.reset();
  mock_.reset();
  for (auto& [name, receiver] : receivers_) receiver->Stop();
  result_.duration = std::chrono::duration_cast<milliseconds>(Clock::now() - started);
  return std::move(result_);
}

void ScenarioRun::Fail(std::string at, std::string message, std::string expected,
                       std::string actual, std::string context) {
  result_.failures.push_back(Failure{std::move(at), std::move(message), std::move(expected),
                                     std::move(actual), std::move(context)});
}

void ScenarioRun::Error(std::string at, std::string message) {
  Fail(std::move(at), std::move(message));
  result_.outcome = Outcome::kError;
}

void ScenarioRun::Skip(std::string reason) {
  result_.outcome = Outcome::kSkipped;
  result_.skip_reason = std::move(reason);
}

}  // namespace internal

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPassed:
      return "passed";
    case Outcome::kFailed:
      return "failed";
    case Outcome::kError:
      return "error";
    case Outcome::kSkipped:
      return "skipped";
  }
  return "error";
}

ScenarioResult RunScenario(const Scenario& scenario, const RunOptions& options) {
  if (auto reason =
          StandInSkipReason(scenario, options.external_receivers, options.secret.has_value())) {
    ScenarioResult skipped;
    skipped.name = scenario.name;
    skipped.file = scenario.file;
    skipped.description = scenario.description;
    skipped.outcome = Outcome::kSkipped;
    skipped.skip_reason = std::move(*reason);
    return skipped;
  }
  return internal::ScenarioRun(scenario, options).Run();
}

RunReport RunScenarios(const std::vector<Scenario>& scenarios, const RunOptions& options) {
  const auto started = Clock::now();
  RunReport report;
  report.scenarios.resize(scenarios.size());
  std::atomic<std::size_t> next{0};
  std::size_t done = 0;
  core::Mutex mu;  // guards report.scenarios and done
  const auto work = [&] {
    for (std::size_t i = next++; i < scenarios.size(); i = next++) {
      ScenarioResult result = RunScenario(scenarios[i], options);
      core::MutexLock lock(mu);
      report.scenarios[i] = std::move(result);
      ++done;
      if (options.on_finished) options.on_finished(report.scenarios[i], done, scenarios.size());
    }
  };
  const std::size_t jobs =
      options.target
          ? 1
          : std::clamp<std::size_t>(options.jobs, 1, std::max<std::size_t>(1, scenarios.size()));
  {
    std::vector<std::jthread> workers;
    for (std::size_t j = 1; j < jobs; ++j) workers.emplace_back(work);
    work();
  }  // jthreads join here
  report.duration = std::chrono::duration_cast<milliseconds>(Clock::now() - started);
  return report;
}

}  // namespace multihook::harness
