#include "harness/verify/verify_reporters.hpp"

#include <cstdio>
#include <iomanip>
#include <sstream>

#include "mock_server/core/duration.hpp"
#include "mock_server/core/markup_escape.hpp"

namespace multihook::harness {
namespace {

using core::XmlEscape;
using Json = nlohmann::json;

// A start this late means the load ran out of connections (not scheduling jitter).
constexpr core::Micros kBusyLagNote = std::chrono::milliseconds(20);

std::string Seconds(core::Micros value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6f", static_cast<double>(value.count()) / 1e6);
  return buffer;
}

std::string OutcomeText(const RequestOutcome& r) {
  return r.error == delivery::ErrorClass::kNone ? std::to_string(r.status)
                                                : std::string(delivery::ErrorClassName(r.error));
}

std::string StatusText(const CaseResult& c) {
  std::string text;
  for (const RequestOutcome& r : c.requests) {
    if (!text.empty()) text += ",";
    text += OutcomeText(r);
  }
  return text;
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

// "accepted a bad signature: signature.wrong, signature.missing; no refusal (no answer):
// signature.body_changed", or empty when every check passed (or none ran).
std::string SignatureFailureText(const VerifyReport& report) {
  std::vector<std::string> unanswered;
  for (const SignatureCheckResult& s : report.signature_checks) {
    if (!s.passed() && !s.accepted()) unanswered.push_back(s.name);
  }
  const std::vector<std::string> accepted = report.AcceptedSignatureFaults();
  std::string text;
  if (!accepted.empty()) text = "accepted a bad signature: " + JoinNames(accepted);
  if (!unanswered.empty()) {
    text += (text.empty() ? "" : "; ") + std::string("no refusal (no answer): ") +
            JoinNames(unanswered);
  }
  return text;
}

void PrintSignatureChecks(const VerifyReport& report, std::size_t width, std::ostream& out) {
  if (report.signature_checks.empty()) {
    if (report.signature_checks_off.empty()) return;
    out << "signature checks: off (" << report.signature_checks_off << ")\n";
    return;
  }
  out << "signature checks (a receiver that verifies must refuse each):\n";
  for (const SignatureCheckResult& s : report.signature_checks) {
    out << "  " << (s.passed() ? "PASS" : "FAIL") << "  " << std::left
        << std::setw(static_cast<int>(width)) << s.name << "  " << std::setw(7)
        << OutcomeText(s.request) << " " << (s.passed() ? s.description : s.Reason()) << std::right
        << "\n";
  }
}

Json SignatureChecksJson(const VerifyReport& report) {
  Json checks = Json::array();
  for (const SignatureCheckResult& s : report.signature_checks) {
    checks.push_back(Json{{"name", s.name},
                          {"description", s.description},
                          {"passed", s.passed()},
                          {"accepted", s.accepted()},
                          {"reason", s.Reason()},
                          {"status", s.request.status},
                          {"error", std::string(delivery::ErrorClassName(s.request.error))},
                          {"detail", s.request.detail}});
  }
  return checks;
}

std::string LatencyText(const CaseResult& c) {
  std::string text;
  for (const RequestOutcome& r : c.requests) {
    if (!text.empty()) text += ", ";
    text += FormatMillis(r.latency);
  }
  return text;
}

Json LatencyJson(const LatencyStats& latency) {
  const delivery::LatencySummary s = delivery::Summarize(latency.histogram);
  return Json{{"source", latency.source},   {"count", s.count},
              {"p50_us", s.p50.count()},    {"p90_us", s.p90.count()},
              {"p99_us", s.p99.count()},    {"max_us", s.max.count()},
              {"over_1s", latency.over_1s}, {"over_1s_fraction", latency.SlowFraction()}};
}

std::string JunitProperties(const VerifyReport& report) {
  const auto property = [](std::string_view name, const std::string& value) {
    return "      <property name=\"" + std::string(name) + "\" value=\"" + XmlEscape(value) +
           "\"/>\n";
  };
  return "    <properties>\n" + property("url", report.url) +
         property("signed", report.signed_requests ? "true" : "false") +
         property("signature_checks",
                  report.signature_checks.empty() ? "off: " + report.signature_checks_off : "on") +
         property("summary", SummaryLine(report)) + "    </properties>\n";
}

}  // namespace

std::string SummaryLine(const VerifyReport& report) {
  std::ostringstream line;
  line << (report.passed() ? "PASS" : "FAIL") << ": ";
  if (report.setup_error) {
    line << "could not run: " << *report.setup_error;
    return line.str();
  }
  line << report.CasesPassed() << "/" << report.cases.size() << " cases passed";
  const auto& h = report.latency.histogram;
  if (h.Count() > 0) {
    char percent[32];
    std::snprintf(percent, sizeof percent, "%.2f %%", report.latency.SlowFraction() * 100.0);
    line << "; median " << FormatMillis(h.Percentile(0.5)) << ", p99 "
         << FormatMillis(h.Percentile(0.99)) << ", " << percent << " over 1 s ("
         << report.latency.source << ", " << h.Count() << " answers)";
  }
  std::string failed;
  for (const StandardResult& s : report.standards) {
    if (!s.passed) failed += (failed.empty() ? "" : "; ") + s.detail;
  }
  const std::size_t failed_cases = report.cases.size() - report.CasesPassed();
  if (failed_cases > 0) {
    failed += (failed.empty() ? "" : "; ") + std::to_string(failed_cases) +
              (failed_cases == 1 ? " case" : " cases") + " not answered 200";
  }
  if (const std::string signatures = SignatureFailureText(report); !signatures.empty()) {
    failed += (failed.empty() ? "" : "; ") + signatures;
  }
  if (!failed.empty()) line << "; failed: " << failed;
  return line.str();
}

void PrintConsoleReport(const VerifyReport& report, std::ostream& out) {
  out << "multihook verify " << report.url << (report.signed_requests ? " (signed)" : "") << "\n";
  if (report.setup_error) {
    out << SummaryLine(report) << "\n";
    return;
  }
  std::size_t width = 4;
  for (const CaseResult& c : report.cases) width = std::max(width, c.name.size());
  for (const StandardResult& s : report.standards) width = std::max(width, s.name.size());
  for (const auto& s : report.signature_checks) width = std::max(width, s.name.size());

  out << "catalogue:\n";
  for (const CaseResult& c : report.cases) {
    out << "  " << (c.passed() ? "PASS" : "FAIL") << "  " << std::left
        << std::setw(static_cast<int>(width)) << c.name << "  " << std::setw(7) << StatusText(c)
        << " " << LatencyText(c);
    if (!c.passed()) out << "  " << c.Reason();
    out << std::right << "\n";
  }
  PrintSignatureChecks(report, width, out);
  if (report.load) {
    const LoadResult& l = *report.load;
    const delivery::LatencySummary s = delivery::Summarize(report.latency.histogram);
    out << "load: " << l.scheduled << " requests at " << l.rate << "/s for "
        << core::FormatDuration(l.duration) << " over " << l.connections
        << " connections: " << l.answered_200 << " answered 200";
    for (const auto& [status, n] : l.other_statuses) out << ", " << n << " x " << status;
    for (const auto& [name, n] : l.errors) out << ", " << n << " x " << name;
    if (l.completed < l.scheduled) out << ", " << (l.scheduled - l.completed) << " not sent";
    out << "\n      latency from due time: p50 " << FormatMillis(s.p50) << ", p90 "
        << FormatMillis(s.p90) << ", p99 " << FormatMillis(s.p99) << ", max " << FormatMillis(s.max)
        << "; latest start " << FormatMillis(l.max_start_lag) << " after due\n";
    if (l.max_start_lag > kBusyLagNote) {
      out << "      note: all " << l.connections << " connections were busy at times, so requests "
          << "left up to " << FormatMillis(l.max_start_lag) << " after their due time; that wait "
          << "counts as latency (the provider would not wait either)\n";
    }
  }
  out << "standards:\n";
  for (const StandardResult& s : report.standards) {
    out << "  " << (s.passed ? "PASS" : "FAIL") << "  " << std::left
        << std::setw(static_cast<int>(width)) << s.name << std::right << "  " << s.detail << "\n";
  }
  out << SummaryLine(report) << "\n";
}

Json ReportToJson(const VerifyReport& report) {
  Json cases = Json::array();
  for (const CaseResult& c : report.cases) {
    Json requests = Json::array();
    for (const RequestOutcome& r : c.requests) {
      requests.push_back(Json{{"status", r.status},
                              {"error", std::string(delivery::ErrorClassName(r.error))},
                              {"detail", r.detail},
                              {"latency_us", r.latency.count()},
                              {"bytes", r.bytes}});
    }
    cases.push_back(Json{{"name", c.name},
                         {"description", c.description},
                         {"passed", c.passed()},
                         {"reason", c.Reason()},
                         {"requests", std::move(requests)}});
  }
  Json standards = Json::array();
  for (const StandardResult& s : report.standards) {
    standards.push_back(Json{{"name", s.name}, {"passed", s.passed}, {"detail", s.detail}});
  }
  Json load = nullptr;
  if (report.load) {
    const LoadResult& l = *report.load;
    Json other = Json::object();
    for (const auto& [status, n] : l.other_statuses) other[std::to_string(status)] = n;
    load = Json{{"rate", l.rate},
                {"duration_us", l.duration.count()},
                {"connections", l.connections},
                {"scheduled", l.scheduled},
                {"completed", l.completed},
                {"answered_200", l.answered_200},
                {"other_statuses", std::move(other)},
                {"errors", l.errors},
                {"elapsed_us", l.elapsed.count()},
                {"max_start_lag_us", l.max_start_lag.count()}};
  }
  Json out{{"url", report.url},
           {"passed", report.passed()},
           {"summary", SummaryLine(report)},
           {"signed", report.signed_requests},
           {"setup_error", report.setup_error ? Json(*report.setup_error) : Json(nullptr)},
           {"elapsed_us", report.elapsed.count()},
           {"cases", std::move(cases)},
           {"signature_checks", SignatureChecksJson(report)},
           {"signature_checks_off",
            report.signature_checks.empty() ? Json(report.signature_checks_off) : Json(nullptr)},
           {"accepted_signature_faults", report.AcceptedSignatureFaults()},
           {"load", std::move(load)},
           {"latency", LatencyJson(report.latency)},
           {"standards", std::move(standards)}};
  return out;
}

std::string ReportToJunitXml(const VerifyReport& report) {
  std::size_t tests =
      report.cases.size() + report.signature_checks.size() + report.standards.size();
  std::size_t failures = 0;
  for (const CaseResult& c : report.cases) failures += c.passed() ? 0 : 1;
  for (const SignatureCheckResult& s : report.signature_checks) failures += s.passed() ? 0 : 1;
  for (const StandardResult& s : report.standards) failures += s.passed ? 0 : 1;
  if (report.setup_error) {
    ++tests;
    ++failures;
  }
  std::ostringstream xml;
  const std::string totals = " tests=\"" + std::to_string(tests) + "\" failures=\"" +
                             std::to_string(failures) + "\" errors=\"0\" time=\"" +
                             Seconds(report.elapsed) + "\"";
  xml << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<testsuites name=\"multihook verify\"" << totals << ">\n"
      << "  <testsuite name=\"multihook.verify\"" << totals << ">\n"
      << JunitProperties(report);
  const auto testcase = [&xml](std::string_view classname, std::string_view name, core::Micros time,
                               const std::string* failure, std::string_view type) {
    xml << "    <testcase classname=\"" << classname << "\" name=\"" << XmlEscape(name)
        << "\" time=\"" << Seconds(time) << "\"";
    if (failure == nullptr) {
      xml << "/>\n";
      return;
    }
    xml << ">\n      <failure type=\"" << type << "\" message=\"" << XmlEscape(*failure) << "\">"
        << XmlEscape(*failure) << "</failure>\n    </testcase>\n";
  };
  if (report.setup_error) {
    testcase("multihook.verify", "setup", core::Micros(0), &*report.setup_error, "setup");
  }
  for (const CaseResult& c : report.cases) {
    const std::string reason = c.Reason();
    core::Micros total{0};
    for (const RequestOutcome& r : c.requests) total += r.latency;
    testcase("multihook.verify.catalogue", c.name, total, c.passed() ? nullptr : &reason, "status");
  }
  for (const SignatureCheckResult& s : report.signature_checks) {
    const std::string reason = s.Reason();
    testcase("multihook.verify.signature", s.name, s.request.latency,
             s.passed() ? nullptr : &reason, "signature");
  }
  for (const StandardResult& s : report.standards) {
    testcase("multihook.verify.standards", s.name, core::Micros(0), s.passed ? nullptr : &s.detail,
             "standard");
  }
  xml << "  </testsuite>\n</testsuites>\n";
  return xml.str();
}

}  // namespace multihook::harness
