#include "harness/cli/run_command.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <thread>

#include "harness/report/reporters.hpp"
#include "harness/scenario/scenario_loader.hpp"
#include "harness/scenario/scenario_runner.hpp"
#include "mock_server/app/flag_set.hpp"
#include "mock_server/core/route_table.hpp"

namespace multihook::harness {
namespace {

constexpr std::size_t kHelpColumn = 26;

constexpr char kTargetHelp[] =
    "run against a running multihook-mock instead (e.g.\n"
    "http://127.0.0.1:8360); it is reset before each scenario and\n"
    "scenarios run one at a time. Each scenario's options are set\n"
    "through PATCH /mock/options (refused: the scenario is skipped) and\n"
    "the mock is reset to its startup options afterwards.";
constexpr char kReceiverHelp[] =
    "deliveries for receiver NAME go to your own receiver at URL (the\n"
    "mock connects there; the webhook URLs stay as in the scenario).\n"
    "Repeatable. Request contents are then not inspected; counts and\n"
    "events are checked through the mock's journal.\n"
    "A scenario runs only if its receiver NAME may be replaced (it says\n"
    "\"stand_in\") and asks for no fault (500, delay, reset); otherwise\n"
    "it is skipped with the reason.";
constexpr char kSecretHelp[] =
    "sign every delivery with S (x-360dialog-signature, overriding the\n"
    "scenarios' signing_secret): the secret your receiver verifies with";

RunOptions DefaultRunOptions() {
  RunOptions run;
  run.jobs = std::max(2u, std::thread::hardware_concurrency());
  return run;
}

struct RunArgs {
  std::vector<std::string> paths;
  RunOptions run = DefaultRunOptions();
  std::optional<std::string> json_file;
  std::optional<std::string> junit_file;
  std::vector<std::string> tags;  // run only scenarios with one of these tags
  bool quiet = false;
  bool progress = true;
  bool help = false;
};

core::Status CheckedReceiver(std::string_view value, const std::string& where, RunArgs& parsed) {
  const std::string text(value);
  const std::size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0 ||
      !core::ParseHostRoute("receiver=" + text.substr(eq + 1)).ok()) {
    return core::InvalidArgument(where, "expected NAME=http[s]://HOST[:PORT], got '" + text + "'");
  }
  parsed.run.external_receivers[text.substr(0, eq)] = text.substr(eq + 1);
  return core::Status::Ok();
}

// Every option of `multihook run`, applied to `parsed`.
app::FlagSet RunFlags(RunArgs& parsed) {
  using core::InvalidArgument;
  using core::Status;
  app::FlagSet flags;
  flags
      .Add({"jobs", "N", "scenarios run at once (default: number of cores, at least 2)",
            [&parsed](std::string_view v, const std::string& where) -> Status {
              MULTIHOOK_ASSIGN_OR_RETURN(parsed.run.jobs,
                                         app::ParseWholeNumber<std::size_t>(v, where, 1, 256));
              return Status::Ok();
            },
            'j'})
      .Add({"target", "URL", kTargetHelp,
            [&parsed](std::string_view v, const std::string& where) -> Status {
              if (!core::ParseHostRoute("target=" + std::string(v)).ok()) {
                return InvalidArgument(where,
                                       "expected http://HOST:PORT of a running multihook-mock, "
                                       "got '" +
                                           std::string(v) + "'");
              }
              parsed.run.target = std::string(v);
              return Status::Ok();
            }})
      .Add({"receiver", "NAME=URL", kReceiverHelp,
            [&parsed](std::string_view v, const std::string& where) {
              return CheckedReceiver(v, where, parsed);
            }})
      .Add({"secret", "S", kSecretHelp,
            [&parsed](std::string_view v, const std::string& where) -> Status {
              if (v.empty()) return InvalidArgument(where, "must not be empty");
              parsed.run.secret = std::string(v);
              return Status::Ok();
            }})
      .Add({"tag", "TAG",
            "run only scenarios tagged TAG (repeatable; e.g. --tag receiver: the\n"
            "suite that makes sense against any receiver)",
            [&parsed](std::string_view v, const std::string& where) -> Status {
              if (v.empty())
                return InvalidArgument(where, "needs a tag name (e.g. --tag receiver)");
              parsed.tags.emplace_back(v);
              return Status::Ok();
            }})
      .Add(app::OutputFileFlag("json", "also write the report as JSON", parsed.json_file))
      .Add(app::OutputFileFlag("junit", "also write the report as JUnit XML (for CI)",
                               parsed.junit_file))
      .Add({"quiet", "", "print failing scenarios only (and the summary)",
            [&parsed](std::string_view, const std::string&) {
              parsed.quiet = true;
              return Status::Ok();
            },
            'q'})
      .Add({"no-progress", "", "no progress line on a terminal",
            [&parsed](std::string_view, const std::string&) {
              parsed.progress = false;
              return Status::Ok();
            }})
      .Add({"help", "", "this help", nullptr, 'h'});
  return flags;
}

core::Status Parse(const std::vector<std::string_view>& args, RunArgs& parsed) {
  if (app::AnyArgIs(args, {"-h", "--help"})) {
    parsed.help = true;
    return core::Status::Ok();
  }
  MULTIHOOK_ASSIGN_OR_RETURN(parsed.paths, RunFlags(parsed).Parse(args));
  if (parsed.paths.empty()) {
    return core::InvalidArgument("", "no scenario files or directories given");
  }
  return core::Status::Ok();
}

bool HasTag(const Scenario& scenario, const std::vector<std::string>& tags) {
  if (tags.empty()) return true;
  for (const std::string& tag : tags) {
    const auto& have = scenario.tags;
    if (std::find(have.begin(), have.end(), tag) != have.end()) return true;
  }
  return false;
}

// Loads every file (all errors are printed) and keeps those with a wanted tag. A --receiver name
// that no scenario has is probably a typo: warned about, and each scenario says why it skipped.
std::optional<std::vector<Scenario>> LoadScenarios(const std::vector<std::string>& files,
                                                   const RunArgs& parsed, std::ostream& err) {
  std::vector<Scenario> scenarios;
  bool bad = false;
  for (const std::string& file : files) {
    auto scenario = LoadScenarioFile(file);
    if (!scenario.ok()) {
      err << "multihook run: " << LoadErrorMessage(scenario.status()) << "\n";
      bad = true;
    } else if (HasTag(*scenario, parsed.tags)) {
      scenarios.push_back(std::move(*scenario));
    }
  }
  if (bad) return std::nullopt;
  if (scenarios.empty()) {
    err << "multihook run: no scenario has the tag(s) given with --tag\n";
    return std::nullopt;
  }
  for (const auto& [name, url] : parsed.run.external_receivers) {
    bool known = false;
    for (const Scenario& s : scenarios) {
      for (const ReceiverSpec& r : s.receivers) known = known || r.name == name;
    }
    if (!known) {
      err << "multihook run: warning: --receiver " << name << ": no scenario has a receiver named '"
          << name << "'\n";
    }
  }
  return scenarios;
}

bool WriteFile(const std::string& path, const std::string& text, std::ostream& err) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << text;
  file.close();
  if (!file) {
    err << "multihook run: cannot write '" << path << "'\n";
    return false;
  }
  return true;
}

}  // namespace

std::string RunUsageText() {
  RunArgs scratch;
  return R"(usage: multihook run [OPTIONS] FILE|DIR...

Runs scenario files (JSON, see scenarios/README.md) against the multihook mock and reports
which passed. A directory means every *.json file in it (schema.json excluded).

By default each scenario gets its own embedded mock on an ephemeral port (virtual time unless
the scenario asks for real time) and its own scripted receivers; scenarios run in parallel.

Options:
)" + RunFlags(scratch).Help(kHelpColumn) +
         R"(
The summary ends with the line "N passed, N failed, N skipped"; each skip prints its reason.

Exit status: 0 nothing failed (skips allowed); 1 some failed; 2 unusable input (bad option,
unreadable or invalid scenario file: the error names the file and the JSON pointer).
)";
}

int RunRunCommand(const std::vector<std::string_view>& args, std::ostream& out, std::ostream& err,
                  Terminal terminal) {
  RunArgs parsed;
  if (const core::Status parsed_ok = Parse(args, parsed); !parsed_ok.ok()) {
    err << "multihook run: " << parsed_ok.ToString() << " (see multihook run --help)\n";
    return kExitUsage;
  }
  if (parsed.help) {
    out << RunUsageText();
    return kExitPassed;
  }
  auto files = ExpandScenarioPaths(parsed.paths);
  if (!files.ok()) {
    err << "multihook run: " << LoadErrorMessage(files.status()) << "\n";
    return kExitUsage;
  }
  if (files->empty()) {
    err << "multihook run: no scenario files found in the given directories\n";
    return kExitUsage;
  }
  auto scenarios = LoadScenarios(*files, parsed, err);
  if (!scenarios) return kExitUsage;
  const bool show_progress = parsed.progress && terminal == Terminal::kYes && scenarios->size() > 1;
  std::size_t failed_so_far = 0;
  parsed.run.on_finished = [&](const ScenarioResult& result, std::size_t done, std::size_t total) {
    if (result.outcome == Outcome::kFailed || result.outcome == Outcome::kError) ++failed_so_far;
    if (show_progress) {
      err << "\r[" << done << "/" << total << "] " << failed_so_far
          << " failed, last: " << result.name << "\x1b[K" << std::flush;
    }
  };
  const RunReport report = RunScenarios(*scenarios, parsed.run);
  if (show_progress) err << "\r\x1b[K" << std::flush;

  WriteConsoleReport(report, out, ConsoleOptions{.show_passed = !parsed.quiet});
  bool written = true;
  if (parsed.json_file) written = WriteFile(*parsed.json_file, JsonReport(report), err) && written;
  if (parsed.junit_file)
    written = WriteFile(*parsed.junit_file, JunitReport(report), err) && written;
  if (!written) return kExitUsage;
  return report.NoneFailed() ? kExitPassed : kExitFailed;
}

}  // namespace multihook::harness
