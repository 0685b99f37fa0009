#include <iomanip>
#include <sstream>

#include "harness/report/reporters.hpp"
#include "mock_server/core/markup_escape.hpp"

namespace multihook::harness {
namespace {

using core::XmlEscape;

std::string Seconds(std::chrono::milliseconds d) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(3) << static_cast<double>(d.count()) / 1000.0;
  return out.str();
}

}  // namespace

std::string JunitReport(const RunReport& report, const std::string& suite_name) {
  std::ostringstream out;
  const std::size_t failed = report.Count(Outcome::kFailed);
  const std::size_t errors = report.Count(Outcome::kError);
  const std::size_t skipped = report.Count(Outcome::kSkipped);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites name=\"" << XmlEscape(suite_name) << "\" tests=\"" << report.scenarios.size()
      << "\" failures=\"" << failed << "\" errors=\"" << errors << "\" time=\""
      << Seconds(report.duration) << "\">\n";
  out << "  <testsuite name=\"" << XmlEscape(suite_name) << "\" tests=\"" << report.scenarios.size()
      << "\" failures=\"" << failed << "\" errors=\"" << errors << "\" skipped=\"" << skipped
      << "\" time=\"" << Seconds(report.duration) << "\">\n";
  for (const ScenarioResult& s : report.scenarios) {
    out << "    <testcase name=\"" << XmlEscape(s.name) << "\" classname=\"scenarios\" file=\""
        << XmlEscape(s.file) << "\" time=\"" << Seconds(s.duration) << "\"";
    if (s.outcome == Outcome::kPassed && s.notes.empty()) {
      out << "/>\n";
      continue;
    }
    out << ">\n";
    if (s.outcome == Outcome::kSkipped) {
      out << "      <skipped message=\"" << XmlEscape(s.skip_reason) << "\"/>\n";
    } else if (s.outcome != Outcome::kPassed) {
      const char* element = s.outcome == Outcome::kError ? "error" : "failure";
      const std::string first = s.failures.empty() ? "failed" : s.failures.front().message;
      std::string text;
      for (const Failure& f : s.failures) {
        text += (f.at.empty() ? "" : "at " + f.at + ": ") + f.message + "\n";
        if (!f.expected.empty() || !f.actual.empty()) {
          text += "  - expected: " + f.expected + "\n  + actual:   " + f.actual + "\n";
        }
        if (!f.context.empty()) text += "  " + f.context + "\n";
      }
      out << "      <" << element << " message=\"" << XmlEscape(first) << "\" type=\"" << element
          << "\">" << XmlEscape(text) << "</" << element << ">\n";
    }
    if (!s.notes.empty()) {
      std::string notes;
      for (const auto& n : s.notes) notes += n + "\n";
      out << "      <system-out>" << XmlEscape(notes) << "</system-out>\n";
    }
    out << "    </testcase>\n";
  }
  out << "  </testsuite>\n</testsuites>\n";
  return out.str();
}

}  // namespace multihook::harness
