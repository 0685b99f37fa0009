// Loading scenario files (scenarios/README.md) strictly: unknown keys, wrong types, unknown
// receivers or captures are errors that name the file and the JSON pointer, e.g.
//   "scenarios/gate_500.json at /steps/3/expect/status: expected an integer, got string".
// The key tables below are what scenarios/schema.json must list (a test keeps them in sync).
//
// Free functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "harness/scenario/scenario.hpp"
#include "mock_server/core/status.hpp"

namespace multihook::harness {

inline constexpr std::string_view kScenarioKeys[] = {
    "$schema", "name", "description", "tags", "options", "receivers", "steps", "expect"};
inline constexpr std::string_view kReceiverKeys[] = {"host",   "external", "stand_in",
                                                     "script", "then",     "faults"};
inline constexpr std::string_view kStandInValues[] = {"answers_200"};
inline constexpr std::string_view kStepKinds[] = {"request", "inbound", "send_message",
                                                  "advance", "flush",   "wait"};
inline constexpr std::string_view kStepKeys[] = {
    "request", "inbound", "send_message", "advance", "flush", "wait", "expect", "as", "note"};
inline constexpr std::string_view kExpectKeys[] = {"receivers", "events", "unexpected"};
inline constexpr std::string_view kMatcherKeys[] = {"path",    "body",      "headers",
                                                    "message", "signature", "same_as"};
// A receiver's answer; "times" (last) only in a script.
inline constexpr std::string_view kAnswerKeys[] = {"status",  "delay", "body",
                                                   "headers", "reset", "times"};

// The error's location is "FILE at POINTER" (or just FILE); LoadErrorMessage renders it.
core::Result<Scenario> LoadScenarioText(std::string_view text, const std::string& file);
core::Result<Scenario> LoadScenarioFile(const std::string& file);

// "FILE at POINTER: reason".
std::string LoadErrorMessage(const core::Status& status);

// Expands files and directories (their *.json files, sorted, without *schema.json) in the order
// given; not_found for a path that does not exist.
core::Result<std::vector<std::string>> ExpandScenarioPaths(const std::vector<std::string>& paths);

}  // namespace multihook::harness
