// `multihook sample TYPE [--secret S] [--curl URL] [--channel PHONE_NUMBER_ID] [--seed N]
// [--timestamp SECONDS]`: prints one realistic notification as the mock delivers it, so that a
// receiver test in any language can use the same fixtures as the scenario library.
//
// The body comes from the codec the mock uses (codec::BuildInboundNotification) with a seeded
// IdSource and a fixed timestamp, so the same arguments print the same bytes on every run. The
// output is the request's headers (`Content-Type: application/json`, and `x-360dialog-signature`
// when a secret is given), a blank line and the body; with `--curl URL`, one curl command line
// that posts exactly those headers and bytes to URL, every argument single-quoted for a POSIX
// shell. Exit codes: 0 printed, 2 unusable input (unknown type, bad option).
//
// Free functions; thread-safe (all state is local to a call).
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mock_server/core/status.hpp"

namespace multihook::harness {

// What to build: a TYPE as the command line names it and the channel and seed to build it with.
struct SampleRequest {
  std::string type;  // a message type, "interactive:list_reply", "status:NAME" or "error"
  std::optional<std::string> secret;           // signs the body when given
  std::optional<std::string> phone_number_id;  // default: generated from the seed
  std::uint64_t seed = 1;
  std::int64_t timestamp = 1767225600;  // 2026-01-01T00:00:00Z
};

// One notification as delivered: headers in sending order, then the exact body bytes.
struct Sample {
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

// Every TYPE the command accepts, in the order `--help` lists them: the codec's message types,
// the variants, the statuses and "error".
std::vector<std::string> SampleTypes();

core::Result<Sample> BuildSample(const SampleRequest& request);

// `text` single-quoted for a POSIX shell: 'it'\''s' for it's.
std::string ShellQuote(std::string_view text);

// The curl command line (no trailing newline) that posts `sample` to `url`.
std::string CurlCommand(std::string_view url, const Sample& sample);

int RunSampleCommand(const std::vector<std::string_view>& args, std::ostream& out,
                     std::ostream& err);

std::string SampleUsageText();

}  // namespace multihook::harness
