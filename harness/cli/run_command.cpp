#include "harness/cli/run_command.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <map>
#include <optional>
#include <thread>

#include "harness/report/reporters.hpp"
#include "harness/scenario/scenario_loader.hpp"
#include "harness/scenario/scenario_runner.hpp"
#include "mock_server/core/route_table.hpp"

namespace multihook::harness {
namespace {

struct RunArgs {
  std::vector<std::string> paths;
  RunOptions run;
  std::optional<std::string> json_file;
  std::optional<std::string> junit_file;
  std::vector<std::string> tags;  // run only scenarios with one of these tags
  bool quiet = false;
  bool progress = true;
  bool help = false;
};

// Returns an error message, or nothing.
std::optional<std::string> Parse(const std::vector<std::string_view>& args, RunArgs& parsed) {
  parsed.run.jobs = std::max(2u, std::thread::hardware_concurrency());
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    std::string name(arg);
    std::optional<std::string> value;
    if (arg.rfind("--", 0) == 0 && arg.find('=') != std::string_view::npos) {
      name = std::string(arg.substr(0, arg.find('=')));
      value = std::string(arg.substr(arg.find('=') + 1));
    } else if (arg.rfind("-j", 0) == 0 && arg.size() > 2) {
      name = "-j";
      value = std::string(arg.substr(2));
    }
    const auto need_value = [&]() -> std::optional<std::string> {
      if (value) return std::nullopt;
      if (i + 1 >= args.size()) return name + " needs a value";
      value = std::string(args[++i]);
      return std::nullopt;
    };
    if (name == "-h" || name == "--help") {
      parsed.help = true;
    } else if (name == "--quiet" || name == "-q") {
      parsed.quiet = true;
    } else if (name == "--no-progress") {
      parsed.progress = false;
    } else if (name == "-j" || name == "--jobs") {
      if (auto e = need_value()) return e;
      unsigned jobs = 0;
      const auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), jobs);
      if (value->empty() || ec != std::errc() || end != value->data() + value->size() || jobs < 1 ||
          jobs > 256) {
        return name + ": expected a whole number from 1 to 256, got '" + *value + "'";
      }
      parsed.run.jobs = jobs;
    } else if (name == "--target") {
      if (auto e = need_value()) return e;
      if (!core::ParseHostRoute("target=" + *value).ok()) {
        return "--target: expected http://HOST:PORT of a running multihook-mock, got '" + *value +
               "'";
      }
      parsed.run.target = *value;
    } else if (name == "--receiver") {
      if (auto e = need_value()) return e;
      const std::size_t eq = value->find('=');
      if (eq == std::string::npos || eq == 0 ||
          !core::ParseHostRoute("receiver=" + value->substr(eq + 1)).ok()) {
        return "--receiver: expected NAME=http[s]://HOST[:PORT], got '" + *value + "'";
      }
      parsed.run.external_receivers[value->substr(0, eq)] = value->substr(eq + 1);
    } else if (name == "--secret") {
      if (auto e = need_value()) return e;
      if (value->empty()) return "--secret needs a value (the receiver's signing secret)";
      parsed.run.secret = *value;
    } else if (name == "--tag") {
      if (auto e = need_value()) return e;
      if (value->empty()) return "--tag needs a tag name (e.g. --tag receiver)";
      parsed.tags.push_back(*value);
    } else if (name == "--json" || name == "--junit") {
      if (auto e = need_value()) return e;
      if (value->empty()) return name + " needs a file name";
      (name == "--json" ? parsed.json_file : parsed.junit_file) = *value;
    } else if (arg.size() > 1 && arg[0] == '-') {
      return "unknown option '" + std::string(arg) + "'";
    } else {
      parsed.paths.emplace_back(arg);
    }
  }
  if (!parsed.help && parsed.paths.empty()) return "no scenario files or directories given";
  return std::nullopt;
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
  return R"(usage: multihook run [OPTIONS] FILE|DIR...

Runs scenario files (JSON, see scenarios/README.md) against the multihook mock and reports
which passed. A directory means every *.json file in it (schema.json excluded).

By default each scenario gets its own embedded mock on an ephemeral port (virtual time unless
the scenario asks for real time) and its own scripted receivers; scenarios run in parallel.

Options:
  -j, --jobs N            scenarios run at once (default: number of cores, at least 2)
      --target URL        run against a running multihook-mock instead (e.g.
                          http://127.0.0.1:8360); it is reset before each scenario and
                          scenarios run one at a time. Each scenario's options are set
                          through PATCH /mock/options (refused: the scenario is skipped) and
                          the mock is reset to its startup options afterwards.
      --receiver NAME=URL deliveries for receiver NAME go to your own receiver at URL (the
                          mock connects there; the webhook URLs stay as in the scenario).
                          Repeatable. Request contents are then not inspected; counts and
                          events are checked through the mock's journal.
                          A scenario runs only if its receiver NAME may be replaced (it says
                          "stand_in") and asks for no fault (500, delay, reset); otherwise
                          it is skipped with the reason.
      --secret S          sign every delivery with S (x-360dialog-signature, overriding the
                          scenarios' signing_secret): the secret your receiver verifies with
      --tag TAG           run only scenarios tagged TAG (repeatable; e.g. --tag receiver: the
                          suite that makes sense against any receiver)
      --json FILE         also write the report as JSON
      --junit FILE        also write the report as JUnit XML (for CI)
  -q, --quiet             print failing scenarios only (and the summary)
      --no-progress       no progress line on a terminal
  -h, --help              this help

The summary ends with the line "N passed, N failed, N skipped"; each skip prints its reason.

Exit status: 0 nothing failed (skips allowed); 1 some failed; 2 unusable input (bad option,
unreadable or invalid scenario file: the error names the file and the JSON pointer).
)";
}

int RunRunCommand(const std::vector<std::string_view>& args, std::ostream& out, std::ostream& err,
                  Terminal terminal) {
  RunArgs parsed;
  if (auto error = Parse(args, parsed)) {
    err << "multihook run: " << *error << " (see multihook run --help)\n";
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
