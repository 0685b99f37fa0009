#include <iomanip>
#include <sstream>

#include "harness/report/reporters.hpp"

namespace multihook::harness {
namespace {

std::string Seconds(std::chrono::milliseconds d) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(2) << static_cast<double>(d.count()) / 1000.0 << " s";
  return out.str();
}

void Indented(std::ostream& out, const std::string& prefix, const std::string& text) {
  std::istringstream lines(text);
  std::string line;
  bool first = true;
  while (std::getline(lines, line)) {
    out << (first ? prefix : std::string(prefix.size(), ' ')) << line << "\n";
    first = false;
  }
}

}  // namespace

void WriteConsoleReport(const RunReport& report, std::ostream& out, ConsoleOptions options) {
  for (const ScenarioResult& s : report.scenarios) {
    if (s.outcome == Outcome::kPassed && !options.show_passed) continue;
    if (s.outcome == Outcome::kSkipped) {
      // Skips always print their reason: a skip must never pass unexplained.
      out << "SKIP  " << s.name << "  (" << s.file << ")\n";
      Indented(out, "      skipped: ", s.skip_reason);
      continue;
    }
    const char* tag = s.outcome == Outcome::kPassed   ? "PASS "
                      : s.outcome == Outcome::kFailed ? "FAIL "
                                                      : "ERROR";
    out << tag << " " << s.name << "  (" << s.file << ", " << Seconds(s.duration) << ")\n";
    for (const Failure& f : s.failures) {
      out << "      " << (f.at.empty() ? "" : "at " + f.at + ": ") << f.message << "\n";
      if (!f.expected.empty() || !f.actual.empty()) {
        Indented(out, "        - expected: ", f.expected);
        Indented(out, "        + actual:   ", f.actual);
      }
      if (!f.context.empty()) Indented(out, "          ", f.context);
    }
    if (s.outcome != Outcome::kPassed) {
      for (const std::string& note : s.notes) out << "      note: " << note << "\n";
    }
  }
  const std::size_t errors = report.Count(Outcome::kError);
  out << report.scenarios.size() << " scenario(s) in " << Seconds(report.duration);
  if (errors > 0) out << "; " << errors << " of the failed could not run (error)";
  out << "\n";
  // The last line, alone: what CI scripts grep for.
  out << report.Count(Outcome::kPassed) << " passed, " << report.Count(Outcome::kFailed) + errors
      << " failed, " << report.Count(Outcome::kSkipped) << " skipped\n";
}

}  // namespace multihook::harness
