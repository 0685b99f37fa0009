// The table of multihook-mock's options: each option's name, --help text, how a textual value
// applies to MockOptions and how its value is written in a --config file. The command line,
// --config files, PATCH /mock/options, --help and the documentation check all read this one
// table. Internal to the app library.
//
// The table is immutable after first use; thread-safe.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "mock_server/app/mock_options.hpp"
#include "mock_server/codec/json_reader.hpp"

namespace multihook::app {

inline constexpr char kMaskedSecret[] = "********";

struct OptionSpec {
  std::string name;         // without "--"
  std::string placeholder;  // the value in --help; empty for a flag
  std::string help;         // without the default, which `format` of MockOptions{} gives
  // Applies a textual value (flags get "true"/"false"); `where` names the option for errors.
  std::function<core::Status(MockOptions&, std::string_view value, const std::string& where)> apply;
  // The value in a --config file's encoding; null when it has none (unset, repeatable).
  std::function<codec::Json(const MockOptions&)> format = nullptr;
  bool runtime = false;     // settable through PATCH /mock/options
  bool in_profile = false;  // grouped by --profile (ApplyProfile sets it)
};

// Every option, in --help order.
const std::vector<OptionSpec>& MockOptionTable();
const OptionSpec* FindOption(std::string_view name);

std::string ConfigKey(std::string_view option_name);  // "apply-delay" -> "apply_delay"
std::string ToOptionName(std::string_view json_key);  // "apply_delay" -> "apply-delay"

core::Result<Profile> ParseProfile(std::string_view text, const std::string& where);
// "KEY" or "KEY:PHONE_NUMBER_ID" (a --channel value, or a string in a config's "channels").
core::Result<core::ChannelSpec> ParseChannel(std::string_view text, const std::string& where);

}  // namespace multihook::app
