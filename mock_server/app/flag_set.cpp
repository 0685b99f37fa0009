#include "mock_server/app/flag_set.hpp"

#include <algorithm>

#include "mock_server/core/duration.hpp"

namespace multihook::app {
namespace {

using core::InvalidArgument;
using core::Status;

// "--name=value", "--name value", "--flag"; `i` moves past a value taken from the next argument.
core::Result<GivenFlag> SplitLong(const FlagSet& set, const std::vector<std::string_view>& args,
                                  std::size_t& i) {
  const std::string_view arg = args[i];
  const std::size_t eq = arg.find('=');
  const std::string_view name = arg.substr(2, eq == std::string_view::npos ? arg.npos : eq - 2);
  const std::string where = "--" + std::string(name);
  const FlagSpec* spec = set.Find(name);
  if (spec == nullptr) return InvalidArgument(where, "unknown option");
  GivenFlag given{spec, "true", where};
  if (spec->placeholder.empty()) {
    if (eq != std::string_view::npos) return InvalidArgument(where, "takes no value");
  } else if (eq != std::string_view::npos) {
    given.value = std::string(arg.substr(eq + 1));
  } else {
    if (i + 1 >= args.size()) return InvalidArgument(where, "needs a value");
    given.value = std::string(args[++i]);
  }
  return given;
}

// "-q", "-j4", "-j 4".
core::Result<GivenFlag> SplitShort(const std::vector<FlagSpec>& specs,
                                   const std::vector<std::string_view>& args, std::size_t& i) {
  const std::string_view arg = args[i];
  const auto it = std::find_if(specs.begin(), specs.end(),
                               [&](const FlagSpec& s) { return s.short_name == arg[1]; });
  if (it == specs.end() || (it->placeholder.empty() && arg.size() > 2)) {
    return InvalidArgument(std::string(arg), "unknown option");
  }
  GivenFlag given{&*it, "true", "--" + it->name};
  if (it->placeholder.empty()) return given;
  if (arg.size() > 2) {
    given.value = std::string(arg.substr(2));
  } else {
    if (i + 1 >= args.size()) return InvalidArgument(given.where, "needs a value");
    given.value = std::string(args[++i]);
  }
  return given;
}

}  // namespace

FlagSet& FlagSet::Add(FlagSpec spec) {
  specs_.push_back(std::move(spec));
  return *this;
}

const FlagSpec* FlagSet::Find(std::string_view name) const {
  for (const FlagSpec& spec : specs_) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

core::Result<SplitArgs> FlagSet::Split(const std::vector<std::string_view>& args) const {
  SplitArgs split;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg.empty() || arg[0] != '-' || arg == "-") {
      split.positional.emplace_back(arg);
      continue;
    }
    if (arg == "--") return InvalidArgument(std::string(arg), "unexpected argument");
    auto given = arg.substr(0, 2) == "--" ? SplitLong(*this, args, i) : SplitShort(specs_, args, i);
    MULTIHOOK_RETURN_IF_ERROR(given);
    split.flags.push_back(std::move(*given));
  }
  return split;
}

core::Result<std::vector<std::string>> FlagSet::Parse(
    const std::vector<std::string_view>& args) const {
  MULTIHOOK_ASSIGN_OR_RETURN(SplitArgs split, Split(args));
  for (const GivenFlag& given : split.flags) {
    MULTIHOOK_RETURN_IF_ERROR(given.spec->apply(given.value, given.where));
  }
  return std::move(split.positional);
}

std::string FlagSet::Help(std::size_t column,
                          const std::function<std::string(const FlagSpec&)>& defaults) const {
  std::string out;
  for (const FlagSpec& spec : specs_) {
    std::string left = spec.short_name != '\0' ? std::string("-") + spec.short_name + ", " : "    ";
    left += "--" + spec.name;
    if (!spec.placeholder.empty()) left += " " + spec.placeholder;
    std::string help = spec.help;
    if (defaults) {
      if (const std::string value = defaults(spec); !value.empty()) {
        help += " (default " + value + ")";
      }
    }
    out += HelpLine(left, help, column);
  }
  return out;
}

bool AnyArgIs(const std::vector<std::string_view>& args,
              std::initializer_list<std::string_view> spellings) {
  return std::any_of(args.begin(), args.end(), [&](std::string_view arg) {
    return std::find(spellings.begin(), spellings.end(), arg) != spellings.end();
  });
}

std::string HelpLine(std::string left, std::string_view help, std::size_t column) {
  left = "  " + left;
  left.resize(std::max(left.size() + 2, column), ' ');
  std::string out = left;
  for (char c : help) {
    out += c;
    if (c == '\n') out += std::string(column, ' ');
  }
  return out + "\n";
}

core::Result<core::Micros> ParsePositiveDuration(std::string_view text, const std::string& where,
                                                 core::Micros limit) {
  MULTIHOOK_ASSIGN_OR_RETURN(const core::Micros value, core::ParseDuration(text, where));
  if (value.count() <= 0) return InvalidArgument(where, "must be more than 0");
  if (value > limit)
    return InvalidArgument(where, "must be at most " + core::FormatDuration(limit));
  return value;
}

FlagSpec RouteFlag(std::vector<core::HostRoute>& routes) {
  return FlagSpec{"route", "HOST=http[s]://ADDR:PORT",
                  "send requests for HOST to a local address, keeping the URL's\n"
                  "path and Host header (the stored URL is unchanged); repeatable",
                  [&routes](std::string_view value, const std::string& where) -> Status {
                    auto route = core::ParseHostRoute(value);
                    if (!route.ok()) return InvalidArgument(where, route.status().reason());
                    routes.push_back(std::move(*route));
                    return Status::Ok();
                  }};
}

FlagSpec CaFileFlag(delivery::HttpTransportOptions& transport) {
  return FlagSpec{"ca-file", "FILE", "trust the CA certificates in FILE (PEM) for https receivers",
                  [&transport](std::string_view value, const std::string& where) -> Status {
                    if (value.empty()) return InvalidArgument(where, "needs a file name");
                    transport.ca_file = std::string(value);
                    return Status::Ok();
                  }};
}

FlagSpec InsecureFlag(delivery::HttpTransportOptions& transport) {
  return FlagSpec{"insecure", "", "do not verify receivers' certificates (local testing only)",
                  [&transport](std::string_view value, const std::string&) -> Status {
                    transport.insecure = value == "true";
                    return Status::Ok();
                  }};
}

FlagSpec OutputFileFlag(std::string name, std::string help, std::optional<std::string>& file) {
  return FlagSpec{std::move(name), "FILE", std::move(help),
                  [&file](std::string_view value, const std::string& where) -> Status {
                    if (value.empty()) return InvalidArgument(where, "needs a file name");
                    file = std::string(value);
                    return Status::Ok();
                  }};
}

}  // namespace multihook::app
