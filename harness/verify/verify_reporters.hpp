// Reporters for a VerifyReport: a console report (a line per case, the load, a line per standard,
// a summary line), JSON and JUnit XML (a testcase per catalogue case plus one per standard).
// Free functions over the report; thread-safe for distinct streams.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "harness/verify/verify_report.hpp"

namespace multihook::harness {

void PrintConsoleReport(const VerifyReport& report, std::ostream& out);

// The one summary line, e.g. "FAIL: 24/24 cases passed; median 301.2 ms, p99 304.1 ms,
// 0.00 % over 1 s (load); failed: median 301.2 ms > 250 ms (load, 20 answers)".
std::string SummaryLine(const VerifyReport& report);

nlohmann::json ReportToJson(const VerifyReport& report);

// Well-formed XML 1.0: text is escaped and characters XML cannot carry are replaced by U+FFFD.
std::string ReportToJunitXml(const VerifyReport& report);

}  // namespace multihook::harness
