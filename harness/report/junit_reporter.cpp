#include <iomanip>
#include <sstream>

#include "harness/report/reporters.hpp"

namespace multihook::harness {
namespace {

// XML 1.0 text/attribute escaping; control characters XML cannot carry become '?'.
std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        out += (c < 0x20 && ch != '\n' && ch != '\t' && ch != '\r') ? '?' : ch;
    }
  }
  return out;
}

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
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites name=\"" << Escape(suite_name) << "\" tests=\"" << report.scenarios.size()
      << "\" failures=\"" << failed << "\" errors=\"" << errors << "\" time=\""
      << Seconds(report.duration) << "\">\n";
  out << "  <testsuite name=\"" << Escape(suite_name) << "\" tests=\"" << report.scenarios.size()
      << "\" failures=\"" << failed << "\" errors=\"" << errors << "\" skipped=\"0\" time=\""
      << Seconds(report.duration) << "\">\n";
  for (const ScenarioResult& s : report.scenarios) {
    out << "    <testcase name=\"" << Escape(s.name) << "\" classname=\"scenarios\" file=\""
        << Escape(s.file) << "\" time=\"" << Seconds(s.duration) << "\"";
    if (s.outcome == Outcome::kPassed && s.notes.empty()) {
      out << "/>\n";
      continue;
    }
    out << ">\n";
    if (s.outcome != Outcome::kPassed) {
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
      out << "      <" << element << " message=\"" << Escape(first) << "\" type=\"" << element
          << "\">" << Escape(text) << "</" << element << ">\n";
    }
    if (!s.notes.empty()) {
      std::string notes;
      for (const auto& n : s.notes) notes += n + "\n";
      out << "      <system-out>" << Escape(notes) << "</system-out>\n";
    }
    out << "    </testcase>\n";
  }
  out << "  </testsuite>\n</testsuites>\n";
  return out.str();
}

}  // namespace multihook::harness
