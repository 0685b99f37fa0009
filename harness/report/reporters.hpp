// Reporters: print a RunReport. Each is a pure function of the report (no I/O besides the given
// stream), so tests check their output directly.
//   console: a line per scenario, and under each failure what was expected, what came (a
//            diff-like "- expected / + actual" pair) and the context; each skip with its reason;
//            last, alone on a line, "N passed, N failed, N skipped" (errors count as failed).
//   JSON:    {"summary": {..., "skipped"}, "scenarios": [{"name", "file", "outcome", "failures":
//            [...]}]}; a skipped scenario has "outcome": "skipped" and its "skip_reason".
//   JUnit:   <testsuites><testsuite><testcase><failure/> XML, as CI systems read it; a skip is
//            <skipped message="REASON"/>.
//
// Free functions; thread-safe.
#pragma once

#include <ostream>
#include <string>

#include "harness/report/run_report.hpp"

namespace multihook::harness {

struct ConsoleOptions {
  bool show_passed = true;  // a line for each passing scenario too
};

void WriteConsoleReport(const RunReport& report, std::ostream& out, ConsoleOptions options = {});
std::string JsonReport(const RunReport& report);
std::string JunitReport(const RunReport& report,
                        const std::string& suite_name = "multihook scenarios");

}  // namespace multihook::harness
