// Everything `multihook-mock` can be told, from its command line or a --config JSON file (the
// same names, with '_' for '-'). Parsing is table-driven so both sources share one set of rules
// and one set of error messages.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mock_server/app/option_values.hpp"
#include "mock_server/core/clock.hpp"
#include "mock_server/core/route_table.hpp"
#include "mock_server/core/status.hpp"
#include "mock_server/core/webhook_config.hpp"
#include "mock_server/core/webhook_rules.hpp"
#include "mock_server/delivery/body_store.hpp"
#include "mock_server/delivery/delivery_policy.hpp"
#include "mock_server/delivery/transport_options.hpp"

namespace multihook::app {

// Deliveries say who sends them: User-Agent "multihook/<version>".
inline delivery::HttpTransportOptions DefaultTransportOptions() {
  delivery::HttpTransportOptions options;
  options.user_agent = std::string("multihook/") + kMockVersion;
  return options;
}

struct MockOptions {
  Profile profile = Profile::kStrict;  // the defaults below are the strict profile's values
  std::string bind = "127.0.0.1";
  int port = 8360;
  core::Micros apply_delay = std::chrono::seconds(2);
  std::vector<core::ChannelSpec> channels;  // none given: the demo channel `demo-key`
  std::optional<std::string> state_file;    // --state-file: none, nothing touches the disk
  core::RuleOptions rules;
  std::size_t http_threads = 32;
  std::optional<std::uint64_t> seed;  // none: seeded from the OS

  // Delivery (contract §6).
  ClockMode clock = ClockMode::kReal;
  delivery::DeliveryPolicy delivery;  // fan-out, retries, success rule, timeout, journal
  std::optional<std::string> signing_secret;
  std::vector<core::HostRoute> routes;
  delivery::HttpTransportOptions transport = DefaultTransportOptions();  // --ca-file, --insecure,
                                                                         // --user-agent
  std::size_t delivery_workers = delivery::kDefaultDeliveryWorkers;
  // Events whose delivered body GET /mock/events/{id} and the delivery view show (0: none).
  std::size_t keep_bodies = delivery::kDefaultKeptBodies;
  // Status notifications scheduled by POST /messages, after the send.
  core::Micros sent_after = std::chrono::milliseconds(0);
  core::Micros delivered_after = std::chrono::seconds(1);
  core::Micros read_after = std::chrono::seconds(2);
};

enum class CliAction { kRun, kHelp, kPrintVersion };

struct CliCommand {
  CliAction action = CliAction::kRun;
  MockOptions options;
};

// Parses argv (without argv[0]). A --config file is read first, wherever it appears; options on
// the command line then override it. Errors name the option, e.g. "invalid_argument at --port:
// expected a whole number from 0 to 65535, got 'x'".
core::Result<CliCommand> ParseCommandLine(const std::vector<std::string_view>& args);

// Applies a --config document (JSON text) onto `options`; errors name the JSON pointer.
core::Status ApplyConfigJson(std::string_view json_text, MockOptions& options);

std::string UsageText();

// Sets every option that `profile` groups (the rule options and url_policy).
void ApplyProfile(Profile profile, MockOptions& options);

// GET /mock/options: every option that can change at runtime, keys and values as in a --config
// file (signing_secret masked as "********", or null when none is set).
std::string EncodeRuntimeOptions(const MockOptions& options);

// PATCH /mock/options: applies `json_text` (an object of --config keys) onto `options`. `profile`
// goes first, then the other keys override it. An unknown key, a bad value or an option that
// cannot change at runtime is an error located at its key; `options` may then be partly changed,
// so callers apply onto a copy. signing_secret: null removes the secret, "********" keeps it.
core::Status ApplyRuntimeOptionsJson(std::string_view json_text, MockOptions& options);

// Every option as written in a --config file, in --help order (for documentation checks).
std::vector<std::string> ConfigKeys();
// Whether an option (config key) can change at runtime.
bool IsRuntimeOption(std::string_view config_key);
// Whether --profile sets the option.
bool IsProfileOption(std::string_view config_key);
// An option's value in `options` as the option table of docs/semantics.md writes it: the
// --config encoding without JSON quotes ("2s", "strict", "false", "2.0"); empty when none.
std::string OptionValueText(const MockOptions& options, std::string_view config_key);

}  // namespace multihook::app
