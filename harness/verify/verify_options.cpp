#include "harness/verify/verify_options.hpp"

#include <algorithm>

#include "harness/verify/verify_catalogue.hpp"
#include "mock_server/app/flag_set.hpp"
#include "mock_server/core/duration.hpp"
#include "mock_server/core/url_rules.hpp"

namespace multihook::harness {
namespace {

using core::InvalidArgument;
using core::Status;

constexpr std::size_t kAutoConnectionCap = 256;
constexpr std::size_t kHelpColumn = 28;

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

void AddCaseAndOutputFlags(app::FlagSet& flags, VerifyOptions& o, bool& list_cases) {
  flags
      .Add({"case", "NAME", "run only this catalogue case; repeatable (see --list-cases)",
            [&o](std::string_view v, const std::string& where) -> Status {
              const auto& names = CatalogueCaseNames();
              if (std::find(names.begin(), names.end(), v) == names.end()) {
                return InvalidArgument(where,
                                       "unknown case '" + std::string(v) + "' (see --list-cases)");
              }
              o.plan.cases.emplace_back(v);
              return Status::Ok();
            }})
      .Add({"seed", "N", "seed for the generated ids (default: random)",
            [&o](std::string_view v, const std::string& where) -> Status {
              MULTIHOOK_ASSIGN_OR_RETURN(
                  o.plan.seed, app::ParseWholeNumber<std::uint64_t>(v, where, 0, UINT64_MAX));
              o.seed_given = true;
              return Status::Ok();
            }})
      .Add(app::OutputFileFlag("json", "write the report as JSON", o.json_file))
      .Add(app::OutputFileFlag("junit",
                               "write the report as JUnit XML (a testcase per case and\n"
                               "standard)",
                               o.junit_file))
      .Add(app::CaFileFlag(o.transport))
      .Add(app::InsecureFlag(o.transport))
      .Add({"list-cases", "", "print the catalogue's case names and exit",
            [&list_cases](std::string_view, const std::string&) {
              list_cases = true;
              return Status::Ok();
            }})
      .Add({"help", "", "print this help and exit", nullptr, 'h'});
}

LoadPlan& Load(VerifyOptions& o) {
  if (!o.plan.load) o.plan.load = LoadPlan{};
  return *o.plan.load;
}

// Every option of `multihook verify`, applied to `o`; --list-cases sets `list_cases`.
app::FlagSet VerifyFlags(VerifyOptions& o, bool& list_cases) {
  app::FlagSet flags;
  flags.Add(app::RouteFlag(o.routes))
      .Add({"secret", "S", "sign every body: x-360dialog-signature = hex HMAC-SHA256(S, body)",
            [&o](std::string_view v, const std::string& where) -> Status {
              if (v.empty()) return InvalidArgument(where, "must not be empty");
              o.plan.secret = std::string(v);
              return Status::Ok();
            }})
      .Add({"no-signature-checks", "",
            "with --secret, do not send the wrong, changed-body and missing\n"
            "signature notifications (for a receiver that does not verify)",
            [&o](std::string_view, const std::string&) {
              o.plan.signature_checks = false;
              return Status::Ok();
            }})
      .Add({"rate", "R",
            "load: R requests per second (1 to " + std::to_string(kMaxVerifyRate) + ")",
            [&o](std::string_view v, const std::string& where) -> Status {
              MULTIHOOK_ASSIGN_OR_RETURN(Load(o).rate,
                                         app::ParseWholeNumber(v, where, 1, kMaxVerifyRate));
              return Status::Ok();
            }})
      .Add({"duration", "D",
            "load: for D (e.g. 10s, 500ms; at most " + core::FormatDuration(kMaxVerifyDuration) +
                ")",
            [&o](std::string_view v, const std::string& where) -> Status {
              MULTIHOOK_ASSIGN_OR_RETURN(Load(o).duration,
                                         app::ParsePositiveDuration(v, where, kMaxVerifyDuration));
              return Status::Ok();
            }})
      .Add({"connections", "N", "load: at most N requests in flight (default: min(R, 256))",
            [&o](std::string_view v, const std::string& where) -> Status {
              MULTIHOOK_ASSIGN_OR_RETURN(
                  Load(o).connections,
                  app::ParseWholeNumber<std::size_t>(v, where, 1, kMaxVerifyConnections));
              return Status::Ok();
            }})
      .Add({"timeout", "D",
            "per request, at most " + core::FormatDuration(kMaxVerifyTimeout) +
                "; the default is the provider's limit",
            [&o](std::string_view v, const std::string& where) -> Status {
              MULTIHOOK_ASSIGN_OR_RETURN(o.plan.timeout,
                                         app::ParsePositiveDuration(v, where, kMaxVerifyTimeout));
              return Status::Ok();
            }});
  AddCaseAndOutputFlags(flags, o, list_cases);
  return flags;
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
  if (app::AnyArgIs(args, {"-h", "--help"})) return VerifyCommandLine{VerifyAction::kHelp, {}};
  VerifyCommandLine command;
  VerifyOptions& options = command.options;
  bool list_cases = false;
  MULTIHOOK_ASSIGN_OR_RETURN(const std::vector<std::string> urls,
                             VerifyFlags(options, list_cases).Parse(args));
  if (list_cases) return VerifyCommandLine{VerifyAction::kListCases, {}};
  for (const std::string& url : urls) MULTIHOOK_RETURN_IF_ERROR(ApplyUrl(url, options));
  if (options.plan.url.empty()) {
    return InvalidArgument("URL",
                           "missing: give the receiver's URL, e.g. "
                           "https://crm.example.com/webhook");
  }
  if (const auto& load = options.plan.load) {
    if (load->rate == 0) {
      return InvalidArgument("--rate", "is required with --duration/--connections");
    }
    if (load->duration.count() == 0)
      return InvalidArgument("--duration", "is required with --rate");
  }
  return command;
}

std::string VerifyUsageText() {
  VerifyOptions scratch;
  bool list_cases = false;
  const VerifyOptions defaults;
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
         "With --secret, after the catalogue it also sends three notifications a receiver that\n"
         "verifies signatures must refuse (any status but 2xx): one with a wrong signature, one\n"
         "whose body changed after signing, one without the signature header. Any it accepts\n"
         "fails the run; --no-signature-checks leaves them out.\n"
         "\n"
         "The load goes to whatever URL you give: only point it at receivers you own.\n"
         "\n"
         "Options:\n" +
         VerifyFlags(scratch, list_cases)
             .Help(kHelpColumn,
                   [&defaults](const app::FlagSpec& flag) {
                     return flag.name == "timeout" ? core::FormatDuration(defaults.plan.timeout)
                                                   : std::string();
                   }) +
         "\n"
         "Exit status: 0 every case, signature check and standard passed, 1 something failed,\n"
         "2 unusable input.\n"
         "\n"
         "Example:\n"
         "  multihook verify https://crm.example.com/webhook \\\n"
         "      --route crm.example.com=http://127.0.0.1:8081 --secret s3cret \\\n"
         "      --rate 50 --duration 10s --junit verify.xml\n";
}

}  // namespace multihook::harness
