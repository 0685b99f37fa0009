#include "harness/verify/verify_options.hpp"

#include <algorithm>
#include <charconv>

#include "harness/verify/verify_catalogue.hpp"
#include "mock_server/core/duration.hpp"
#include "mock_server/core/url_rules.hpp"

namespace multihook::harness {
namespace {

using core::InvalidArgument;
using core::Status;

constexpr std::size_t kAutoConnectionCap = 256;

template <typename T>
core::Result<T> ParseWhole(std::string_view text, const std::string& where, T low, T high,
                           const std::string& unit) {
  T value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
    return InvalidArgument(where, "expected a whole number, got '" + std::string(text) + "'");
  }
  if (value < low) return InvalidArgument(where, "must be at least " + std::to_string(low) + unit);
  if (value > high) return InvalidArgument(where, "must be at most " + std::to_string(high) + unit);
  return value;
}

core::Result<core::Micros> ParseBoundedDuration(std::string_view text, const std::string& where,
                                                core::Micros limit) {
  auto value = core::ParseDuration(text, where);
  if (!value.ok()) return value.status();
  if (value->count() <= 0) return InvalidArgument(where, "must be more than 0");
  if (*value > limit) {
    return InvalidArgument(where, "must be at most " + core::FormatDuration(limit));
  }
  return *value;
}

Status ApplyUrl(std::string_view text, VerifyOptions& options) {
  if (!options.plan.url.empty()) {
    return InvalidArgument(std::string(text), "unexpected argument: the URL is already given ('" +
                                                  options.plan.url + "')");
  }
  auto url = core::ParseUrl(text);
  if (!url.ok()) return InvalidArgument("URL", url.status().reason());
  if (url->scheme != "http" && url->scheme != "https") {
    return InvalidArgument("URL", "scheme must be http or https");
  }
  options.plan.url = std::string(text);
  return Status::Ok();
}

// Applies one "--name value" pair. `takes_value` tells the caller whether to consume a value.
struct OptionSpec {
  std::string_view name;
  bool takes_value;
  Status (*apply)(VerifyOptions&, std::string_view value, const std::string& where);
};

LoadPlan& Load(VerifyOptions& o) {
  if (!o.plan.load) o.plan.load = LoadPlan{};
  return *o.plan.load;
}

const OptionSpec kOptions[] = {
    {"route", true,
     [](VerifyOptions& o, std::string_view v, const std::string& where) -> Status {
       auto route = core::ParseHostRoute(v);
       if (!route.ok()) return InvalidArgument(where, route.status().reason());
       o.routes.push_back(std::move(*route));
       return Status::Ok();
     }},
    {"secret", true,
     [](VerifyOptions& o, std::string_view v, const std::string& where) -> Status {
       if (v.empty()) return InvalidArgument(where, "must not be empty");
       o.plan.secret = std::string(v);
       return Status::Ok();
     }},
    {"rate", true,
     [](VerifyOptions& o, std::string_view v, const std::string& where) -> Status {
       auto rate = ParseWhole<int>(v, where, 1, kMaxVerifyRate, " requests per second");
       if (!rate.ok()) return rate.status();
       Load(o).rate = *rate;
       return Status::Ok();
     }},
    {"duration", true,
     [](VerifyOptions& o, std::string_view v, const std::string& where) -> Status {
       auto duration = ParseBoundedDuration(v, where, kMaxVerifyDuration);
       if (!duration.ok()) return duration.status();
       Load(o).duration = *duration;
       return Status::Ok();
     }},
    {"connections", true,
     [](VerifyOptions& o, std::string_view v, const std::string& where) -> Status {
       auto n = ParseWhole<std::size_t>(v, where, 1, kMaxVerifyConnections, "");
       if (!n.ok()) return n.status();
       Load(o).connections = *n;
       return Status::Ok();
     }},
    {"timeout", true,
     [](VerifyOptions& o, std::string_view v, const std::string& where) -> Status {
       auto timeout = ParseBoundedDuration(v, where, kMaxVerifyTimeout);
       if (!timeout.ok()) return timeout.status();
       o.plan.timeout = *timeout;
       return Status::Ok();
     }},
    {"json", true,
     [](VerifyOptions& o, std::string_view v, const std::string& where) -> Status {
       if (v.empty()) return InvalidArgument(where, "needs a file name");
       o.json_file = std::string(v);
       return Status::Ok();
     }},
    {"junit", true,
     [](VerifyOptions& o, std::string_view v, const std::string& where) -> Status {
       if (v.empty()) return InvalidArgument(where, "needs a file name");
       o.junit_file = std::string(v);
       return Status::Ok();
     }},
    {"case", true,
     [](VerifyOptions& o, std::string_view v, const std::string& where) -> Status {
       const auto& names = CatalogueCaseNames();
       if (std::find(names.begin(), names.end(), v) == names.end()) {
         return InvalidArgument(where, "unknown case '" + std::string(v) + "' (see --list-cases)");
       }
       o.plan.cases.emplace_back(v);
       return Status::Ok();
     }},
    {"seed", true,
     [](VerifyOptions& o, std::string_view v, const std::string& where) -> Status {
       auto seed = ParseWhole<std::uint64_t>(v, where, 0, UINT64_MAX, "");
       if (!seed.ok()) return seed.status();
       o.plan.seed = *seed;
       o.seed_given = true;
       return Status::Ok();
     }},
    {"ca-file", true,
     [](VerifyOptions& o, std::string_view v, const std::string& where) -> Status {
       if (v.empty()) return InvalidArgument(where, "needs a file name");
       o.transport.ca_file = std::string(v);
       return Status::Ok();
     }},
    {"insecure", false,
     [](VerifyOptions& o, std::string_view, const std::string&) -> Status {
       o.transport.insecure = true;
       return Status::Ok();
     }},
};

const OptionSpec* FindOption(std::string_view name) {
  for (const OptionSpec& spec : kOptions) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

}  // namespace

std::uint64_t LoadPlan::RequestCount() const {
  const auto micros = static_cast<std::uint64_t>(std::max<std::int64_t>(duration.count(), 0));
  const std::uint64_t count = micros * static_cast<std::uint64_t>(std::max(rate, 0)) / 1'000'000;
  return std::max<std::uint64_t>(count, 1);
}

std::size_t LoadPlan::EffectiveConnections() const {
  if (connections > 0) return connections;
  return std::clamp<std::size_t>(static_cast<std::size_t>(std::max(rate, 1)), 1,
                                 kAutoConnectionCap);
}

core::Result<VerifyCommandLine> ParseVerifyArgs(const std::vector<std::string_view>& args) {
  VerifyCommandLine command;
  VerifyOptions& options = command.options;
  bool list_cases = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "-h" || arg == "--help") return VerifyCommandLine{VerifyAction::kHelp, {}};
    if (arg == "--list-cases") {
      list_cases = true;
      continue;
    }
    if (arg.substr(0, 2) != "--") {
      if (!arg.empty() && arg[0] == '-') {
        return InvalidArgument(std::string(arg), "unknown option");
      }
      if (Status s = ApplyUrl(arg, options); !s.ok()) return s;
      continue;
    }
    const std::size_t eq = arg.find('=');
    const std::string_view name = arg.substr(2, eq == std::string_view::npos ? arg.npos : eq - 2);
    const std::string where = "--" + std::string(name);
    const OptionSpec* spec = FindOption(name);
    if (spec == nullptr) return InvalidArgument(where, "unknown option");
    std::string_view value;
    if (eq != std::string_view::npos) {
      if (!spec->takes_value) return InvalidArgument(where, "takes no value");
      value = arg.substr(eq + 1);
    } else if (spec->takes_value) {
      if (i + 1 >= args.size()) return InvalidArgument(where, "needs a value");
      value = args[++i];
    }
    if (Status s = spec->apply(options, value, where); !s.ok()) return s;
  }
  if (list_cases) return VerifyCommandLine{VerifyAction::kListCases, {}};
  if (options.plan.url.empty()) {
    return InvalidArgument("URL",
                           "missing: give the receiver's URL, e.g. "
                           "https://crm.example.com/webhook");
  }
  if (const auto& load = options.plan.load) {
    if (load->rate == 0)
      return InvalidArgument("--rate", "is required with --duration/--connections");
    if (load->duration.count() == 0)
      return InvalidArgument("--duration", "is required with --rate");
  }
  return command;
}

std::string VerifyUsageText() {
  return "Usage: multihook verify URL [OPTIONS]\n"
         "\n"
         "Checks a webhook receiver the way the provider will use it. Sends the catalogue of\n"
         "notifications (every message type, statuses, an error, a 3 MB payload, unicode text, a\n"
         "duplicate delivery) one at a time and requires 200 for each; then, with --rate and\n"
         "--duration, a fixed-rate open-loop load (latency counted from each request's due time).\n"
         "Judges the provider's standards: median <= 250 ms and fewer than 1 % of answers over 1 "
         "s\n"
         "(over the load when one ran, else over the catalogue).\n"
         "\n"
         "The load goes to whatever URL you give: only point it at receivers you own.\n"
         "\n"
         "Options:\n"
         "  --route HOST=ADDR     send requests for HOST to ADDR (http[s]://ip:port), keeping the\n"
         "                        URL's path and Host header; repeatable\n"
         "  --secret S            sign every body: x-360dialog-signature = hex HMAC-SHA256(S, "
         "body)\n"
         "  --rate R              load: R requests per second (1 to 10000)\n"
         "  --duration D          load: for D (e.g. 10s, 500ms; at most 10m)\n"
         "  --connections N       load: at most N requests in flight (default: min(R, 256))\n"
         "  --timeout D           per request (default 5s, the provider's limit; at most 1m)\n"
         "  --case NAME           run only this catalogue case; repeatable (see --list-cases)\n"
         "  --seed N              seed for the generated ids (default: random)\n"
         "  --json FILE           write the report as JSON\n"
         "  --junit FILE          write the report as JUnit XML (a testcase per case and "
         "standard)\n"
         "  --ca-file FILE        trust these CAs for https receivers\n"
         "  --insecure            do not verify the receiver's certificate (local testing only)\n"
         "  --list-cases          print the catalogue's case names and exit\n"
         "  -h, --help            print this help and exit\n"
         "\n"
         "Exit status: 0 every case and standard passed, 1 something failed, 2 unusable input.\n"
         "\n"
         "Example:\n"
         "  multihook verify https://crm.example.com/webhook \\\n"
         "      --route crm.example.com=http://127.0.0.1:8081 --secret s3cret \\\n"
         "      --rate 50 --duration 10s --junit verify.xml\n";
}

}  // namespace multihook::harness
