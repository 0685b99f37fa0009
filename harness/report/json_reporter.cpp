#include <nlohmann/json.hpp>

#include "harness/report/reporters.hpp"

namespace multihook::harness {

std::string JsonReport(const RunReport& report) {
  using Json = nlohmann::ordered_json;
  Json scenarios = Json::array();
  for (const ScenarioResult& s : report.scenarios) {
    Json failures = Json::array();
    for (const Failure& f : s.failures) {
      failures.push_back(Json{{"at", f.at},
                              {"message", f.message},
                              {"expected", f.expected},
                              {"actual", f.actual},
                              {"context", f.context}});
    }
    scenarios.push_back(Json{{"name", s.name},
                             {"file", s.file},
                             {"description", s.description},
                             {"outcome", OutcomeName(s.outcome)},
                             {"duration_ms", s.duration.count()},
                             {"steps_run", s.steps_run},
                             {"failures", std::move(failures)},
                             {"notes", s.notes}});
    if (s.outcome == Outcome::kSkipped) scenarios.back()["skip_reason"] = s.skip_reason;
  }
  Json summary{
      {"total", report.scenarios.size()},           {"passed", report.Count(Outcome::kPassed)},
      {"failed", report.Count(Outcome::kFailed)},   {"errors", report.Count(Outcome::kError)},
      {"skipped", report.Count(Outcome::kSkipped)}, {"duration_ms", report.duration.count()}};
  // Invalid UTF-8 in a received body must not make the report unprintable.
  return Json{{"summary", std::move(summary)}, {"scenarios", std::move(scenarios)}}.dump(
             2, ' ', false, Json::error_handler_t::replace) +
         "\n";
}

}  // namespace multihook::harness
