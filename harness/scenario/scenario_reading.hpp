// What the scenario loader's files share (scenario_loader.cpp, scenario_step_loader.cpp,
// scenario_expect_loader.cpp): errors located at JSON pointers, the strict ObjectReader
// (codec/json_reader.hpp) for every object of the file, and what earlier parts of the file
// declared (receivers, capture names). Internal to the loader.
//
// Free functions; thread-safe.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "harness/scenario/scenario.hpp"
#include "mock_server/codec/json_reader.hpp"
#include "mock_server/core/status.hpp"

namespace multihook::harness::loader {

using codec::ObjectReader;
using core::Result;
using core::Status;

// Capture names ("as") declared by the steps so far.
struct Captures {
  std::set<std::string> events;    // from inbound steps
  std::set<std::string> messages;  // from inbound and send_message steps
};

Status Error(const std::string& at, std::string reason);
std::string Child(const std::string& at, std::string_view key);
std::string Child(const std::string& at, std::size_t index);

// An array element that must be a non-empty string.
Result<std::string> NonEmptyElement(const Json& value, const std::string& at);
// A duration written as a string ("500ms").
Result<core::Micros> ReadDuration(const Json& value, const std::string& at);
Result<std::optional<core::Micros>> OptionalDuration(const ObjectReader& reader,
                                                     std::string_view key);
// {"JSON pointer": value, ...}; with `notification`, "/value/..." is expanded.
Result<std::vector<PointerMatch>> PointerMatches(const Json& value, const std::string& at,
                                                 bool notification);

const ReceiverSpec* FindReceiver(const Scenario& scenario, const std::string& name);
Status UnknownReceiver(const Scenario& scenario, const std::string& at, const std::string& name);

// scenario_step_loader.cpp
Status ParseStep(const Json& value, const std::string& at, Scenario& scenario, Captures& captures);
// scenario_expect_loader.cpp
Status ParseExpect(const Json& value, const std::string& at, Scenario& scenario,
                   const Captures& captures);

}  // namespace multihook::harness::loader
