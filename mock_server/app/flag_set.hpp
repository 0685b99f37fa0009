// One command-line grammar for multihook-mock, `multihook run` and `multihook verify`:
// "--name value" and "--name=value"; flags ("--insecure") take no value; a short name takes its
// value attached or next ("-j4", "-j 4", "-q"); anything not starting with '-' is positional.
// Every error is one line naming the option: "invalid_argument at --port: needs a value".
//
// Also the value parsers and flags the programs share, each defined once: whole numbers,
// durations, --route, --ca-file and --insecure.
//
// Why not CLI11 (Debian's 2.1): it accepts a value for a flag ("--insecure=true", even with
// disable_flag_override), which our documented grammar rejects ("takes no value"); its errors
// are exception texts ("--port: 1 required INT missing", "The following argument was not
// expected: --bogus") that would have to be parsed back into the option they name; and the
// mock applies --profile and --config before every other option, so CLI11 would only split
// the arguments. Splitting is the 100 lines below.
//
// A FlagSet is a plain value; thread-compatible.
#pragma once

#include <charconv>
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mock_server/core/clock.hpp"
#include "mock_server/core/route_table.hpp"
#include "mock_server/core/status.hpp"
#include "mock_server/delivery/http_transport.hpp"

namespace multihook::app {

struct FlagSpec {
  std::string name;         // without "--", e.g. "port"
  std::string placeholder;  // the value in --help, e.g. "N"; empty: a flag, which takes no value
  std::string help;
  // Applies the value given (a flag gets "true"); `where` names the option, e.g. "--port".
  std::function<core::Status(std::string_view value, const std::string& where)> apply;
  char short_name = '\0';  // e.g. 'j' for "-j"; '\0': none
};

// One option as given on the command line, in order.
struct GivenFlag {
  const FlagSpec* spec = nullptr;
  std::string value;  // "true" for a flag
  std::string where;  // "--port" (the long name, however it was spelled)
};

struct SplitArgs {
  std::vector<GivenFlag> flags;
  std::vector<std::string> positional;
};

class FlagSet {
 public:
  FlagSet& Add(FlagSpec spec);
  const FlagSpec* Find(std::string_view name) const;

  // Splits `args` into options (not applied yet) and positional arguments. An unknown option, a
  // missing value or a value given to a flag is an error.
  core::Result<SplitArgs> Split(const std::vector<std::string_view>& args) const;
  // Splits, then applies every option in the order given; the first error wins.
  core::Result<std::vector<std::string>> Parse(const std::vector<std::string_view>& args) const;

  // One line per option: "  -j, --jobs N  help", the help starting at `column` (continuation
  // lines of a multi-line help too). `defaults` gives an option's default ("" for none).
  std::string Help(std::size_t column,
                   const std::function<std::string(const FlagSpec&)>& defaults = nullptr) const;

 private:
  std::vector<FlagSpec> specs_;
};

// Whether any argument is one of `spellings` (e.g. "-h", "--help"): such a request wins over
// every other argument, even a bad one.
bool AnyArgIs(const std::vector<std::string_view>& args,
              std::initializer_list<std::string_view> spellings);

// A help line: "  LEFT  HELP", HELP starting at `column`; continuation lines aligned with it.
std::string HelpLine(std::string left, std::string_view help, std::size_t column);

// The one whole-number parser: "expected a whole number from MIN to MAX, got 'TEXT'".
template <typename Int>
core::Result<Int> ParseWholeNumber(std::string_view text, const std::string& where, Int min,
                                   Int max) {
  Int value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < min ||
      value > max) {
    return core::InvalidArgument(where, "expected a whole number from " + std::to_string(min) +
                                            " to " + std::to_string(max) + ", got '" +
                                            std::string(text) + "'");
  }
  return value;
}

// A duration (core::ParseDuration: "500ms", "5s") more than 0 and at most `limit`.
core::Result<core::Micros> ParsePositiveDuration(std::string_view text, const std::string& where,
                                                 core::Micros limit);

// The shared flags, bound to where their values go.
FlagSpec RouteFlag(std::vector<core::HostRoute>& routes);
FlagSpec CaFileFlag(delivery::HttpTransportOptions& transport);
FlagSpec InsecureFlag(delivery::HttpTransportOptions& transport);
// A file to write (a report): "--json FILE"; empty is an error.
FlagSpec OutputFileFlag(std::string name, std::string help, std::optional<std::string>& file);

}  // namespace multihook::app
