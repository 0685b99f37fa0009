#include "harness/verify/verify_report.hpp"

#include <algorithm>
#include <cstdio>

namespace multihook::harness {
namespace {

std::string Percent(double fraction) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f %%", fraction * 100.0);
  return buffer;
}

std::string DescribeOutcome(const RequestOutcome& r) {
  if (r.error != delivery::ErrorClass::kNone) {
    std::string text = std::string(delivery::ErrorClassName(r.error));
    if (!r.detail.empty()) text += " (" + r.detail + ")";
    return text;
  }
  return "status " + std::to_string(r.status) + " (expected 200)";
}

}  // namespace

std::string FormatMillis(core::Micros value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f ms", static_cast<double>(value.count()) / 1000.0);
  return buffer;
}

bool CaseResult::passed() const {
  return !requests.empty() &&
         std::all_of(requests.begin(), requests.end(), [](const auto& r) { return r.ok(); });
}

std::string CaseResult::Reason() const {
  if (requests.empty()) return "nothing was sent";
  for (std::size_t i = 0; i < requests.size(); ++i) {
    if (requests[i].ok()) continue;
    std::string prefix = requests.size() > 1 ? "request " + std::to_string(i + 1) + " of " +
                                                   std::to_string(requests.size()) + ": "
                                             : "";
    return prefix + DescribeOutcome(requests[i]);
  }
  return {};
}

core::Micros CaseResult::Latency() const {
  core::Micros slowest{0};
  for (const auto& r : requests) slowest = std::max(slowest, r.latency);
  return slowest;
}

bool SignatureCheckResult::accepted() const {
  return request.error == delivery::ErrorClass::kNone && request.status >= 200 &&
         request.status < 300;
}

bool SignatureCheckResult::passed() const {
  return request.error == delivery::ErrorClass::kNone && !accepted() && request.status != 0;
}

std::string SignatureCheckResult::Reason() const {
  if (passed()) return {};
  if (accepted()) {
    return "accepted: answered " + std::to_string(request.status) +
           " (expected a refusal: any status but 2xx)";
  }
  std::string text = "no answer: " + std::string(delivery::ErrorClassName(request.error));
  if (!request.detail.empty()) text += " (" + request.detail + ")";
  return text + " (expected a refusal: any status but 2xx)";
}

double LatencyStats::SlowFraction() const {
  const std::uint64_t count = histogram.Count();
  return count == 0 ? 0.0 : static_cast<double>(over_1s) / static_cast<double>(count);
}

bool VerifyReport::passed() const {
  if (setup_error) return false;
  const bool cases_ok =
      std::all_of(cases.begin(), cases.end(), [](const auto& c) { return c.passed(); });
  const bool standards_ok =
      std::all_of(standards.begin(), standards.end(), [](const auto& s) { return s.passed; });
  const bool signatures_ok = std::all_of(signature_checks.begin(), signature_checks.end(),
                                         [](const auto& s) { return s.passed(); });
  return cases_ok && standards_ok && signatures_ok;
}

std::vector<std::string> VerifyReport::AcceptedSignatureFaults() const {
  std::vector<std::string> names;
  for (const SignatureCheckResult& s : signature_checks) {
    if (s.accepted()) names.push_back(s.name);
  }
  return names;
}

std::size_t VerifyReport::CasesPassed() const {
  return static_cast<std::size_t>(
      std::count_if(cases.begin(), cases.end(), [](const auto& c) { return c.passed(); }));
}

std::vector<StandardResult> JudgeStandards(const LatencyStats& latency,
                                           const std::optional<LoadResult>& load) {
  std::vector<StandardResult> standards;
  const std::uint64_t count = latency.histogram.Count();
  const std::string over = " (" + latency.source + ", " + std::to_string(count) + " answers)";
  if (count == 0) {
    standards.push_back({kStandardMedian, false, "no answers to measure"});
    standards.push_back({kStandardSlow, false, "no answers to measure"});
  } else {
    // Percentiles are bucket upper edges (at most ~1.6 % high; see delivery::Histogram).
    const core::Micros median = latency.histogram.Percentile(0.5);
    const bool median_ok = median <= kMedianLimit;
    standards.push_back(
        {kStandardMedian, median_ok,
         "median " + FormatMillis(median) + (median_ok ? " <= " : " > ") + "250 ms" + over});
    const double slow = latency.SlowFraction();
    const bool slow_ok = slow < kSlowFractionLimit;
    standards.push_back({kStandardSlow, slow_ok,
                         Percent(slow) + " over 1 s" + (slow_ok ? " < " : " >= ") + "1 % (" +
                             latency.source + ", " + std::to_string(latency.over_1s) + " of " +
                             std::to_string(count) + " answers)"});
  }
  if (load) {
    const std::uint64_t bad = load->completed - load->answered_200;
    const std::uint64_t missing = load->scheduled - load->completed;
    const bool ok = bad == 0 && missing == 0;
    std::string detail = std::to_string(load->answered_200) + " of " +
                         std::to_string(load->scheduled) + " load requests answered 200";
    if (!ok) {
      std::string parts;
      for (const auto& [status, n] : load->other_statuses) {
        parts +=
            (parts.empty() ? "" : ", ") + std::to_string(n) + " x status " + std::to_string(status);
      }
      for (const auto& [name, n] : load->errors) {
        parts += (parts.empty() ? "" : ", ") + std::to_string(n) + " x " + name;
      }
      if (missing > 0) parts += (parts.empty() ? "" : ", ") + std::to_string(missing) + " not sent";
      detail += "; " + parts;
    }
    standards.push_back({kStandardStatus, ok, std::move(detail)});
  }
  return standards;
}

}  // namespace multihook::harness
