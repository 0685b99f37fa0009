#include "mock_server/app/mock_options.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

namespace multihook::app {
namespace {

core::Result<CliCommand> Parse(std::vector<std::string_view> args) {
  return ParseCommandLine(args);
}

TEST_CASE("No options: the demo defaults", "[app][cli]") {
  auto command = Parse({});
  REQUIRE(command.ok());
  CHECK(command->action == CliAction::kRun);
  const MockOptions& o = command->options;
  CHECK(o.bind == "127.0.0.1");
  CHECK(o.port == 8360);
  CHECK(o.apply_delay == std::chrono::seconds(2));
  CHECK(o.channels.empty());
  CHECK(o.rules.url_policy == core::UrlPolicy::kStrict);
  CHECK(o.rules.duplicate_names == core::DuplicateNames::kSkip);
  CHECK(o.rules.primary_in_limit == core::PrimaryInLimit::kExcluded);
}

TEST_CASE("Every option parses, in both spellings", "[app][cli]") {
  auto command =
      Parse({"--bind", "::1", "--port=0", "--apply-delay", "500ms", "--channel", "k1",
             "--channel=k2:4915100000001", "--duplicate-names", "reject", "--limit-counts-primary",
             "--url-policy=lenient", "--http-threads", "64", "--seed", "7"});
  REQUIRE(command.ok());
  const MockOptions& o = command->options;
  CHECK(o.bind == "::1");
  CHECK(o.port == 0);
  CHECK(o.apply_delay == std::chrono::milliseconds(500));
  REQUIRE(o.channels.size() == 2);
  CHECK(o.channels[0].api_key == "k1");
  CHECK_FALSE(o.channels[0].phone_number_id.has_value());
  CHECK(o.channels[1].phone_number_id == "4915100000001");
  CHECK(o.rules.duplicate_names == core::DuplicateNames::kReject);
  CHECK(o.rules.primary_in_limit == core::PrimaryInLimit::kCounted);
  CHECK(o.rules.url_policy == core::UrlPolicy::kLenient);
  CHECK(o.http_threads == 64);
  CHECK(o.seed == 7u);
}

TEST_CASE("Bad options are one clear line", "[app][cli]") {
  const auto [args, error] = GENERATE(table<std::vector<std::string_view>, std::string>({
      {{"--nope"}, "invalid_argument at --nope: unknown option"},
      {{"positional"}, "invalid_argument at positional: unexpected argument"},
      {{"--port"}, "invalid_argument at --port: needs a value"},
      {{"--port", "70000"},
       "invalid_argument at --port: expected a whole number from 0 to 65535, got '70000'"},
      {{"--apply-delay", "2"},
       "invalid_argument at --apply-delay: invalid duration '2': missing unit (us, ms, s, m, h, "
       "d)"},
      {{"--url-policy", "loose"},
       "invalid_argument at --url-policy: expected strict or documented or lenient, got 'loose'"},
      {{"--profile", "loose"},
       "invalid_argument at --profile: expected strict or lenient, got 'loose'"},
      {{"--duplicate-names", "merge"},
       "invalid_argument at --duplicate-names: expected reject or skip, got 'merge'"},
      {{"--limit-counts-primary=yes"},
       "invalid_argument at --limit-counts-primary: takes no value"},
      {{"--channel", ":123"},
       "invalid_argument at --channel: expected KEY or KEY:PHONE_NUMBER_ID, got ':123'"},
      {{"--channel", "k:12a"},
       "invalid_argument at --channel: 'k:12a': phone_number_id must be 1 to 20 digits"},
      {{"--channel", "k", "--channel", "k:1"},
       "invalid_argument at --channel: API key 'k' is given twice"},
      {{"--config", "/nonexistent/multihook.json"},
       "invalid_argument at --config: cannot read '/nonexistent/multihook.json'"},
  }));
  auto command = Parse(args);
  REQUIRE_FALSE(command.ok());
  CHECK(command.status().ToString() == error);
}

TEST_CASE("Flags --help and --version win over everything else", "[app][cli]") {
  CHECK(Parse({"--port", "x", "--help"})->action == CliAction::kHelp);
  CHECK(Parse({"-h"})->action == CliAction::kHelp);
  CHECK(Parse({"--version"})->action == CliAction::kPrintVersion);
}

TEST_CASE("Usage lists every option", "[app][cli]") {
  const std::string usage = UsageText();
  for (const char* option : {"--bind",
                             "--port",
                             "--apply-delay",
                             "--channel",
                             "--duplicate-names",
                             "--limit-counts-primary",
                             "--url-policy",
                             "--http-threads",
                             "--seed",
                             "--event-capacity",
                             "--journal-capacity",
                             "--max-pending",
                             "--clock",
                             "--fanout",
                             "--route",
                             "--signing-secret",
                             "--status-delays",
                             "--config",
                             "--help",
                             "--version"}) {
    INFO(option);
    CHECK(usage.find(option) != std::string::npos);
  }
}

TEST_CASE("A config file holds the same options, and the command line overrides it",
          "[app][config]") {
  MockOptions options;
  REQUIRE(ApplyConfigJson(R"({"port": 9000, "apply_delay": "1s", "url_policy": "lenient",
                              "limit_counts_primary": true,
                              "channels": ["a:111", {"api_key": "b", "waba_id": "222"}]})",
                          options)
              .ok());
  CHECK(options.port == 9000);
  CHECK(options.apply_delay == std::chrono::seconds(1));
  CHECK(options.rules.url_policy == core::UrlPolicy::kLenient);
  CHECK(options.rules.primary_in_limit == core::PrimaryInLimit::kCounted);
  REQUIRE(options.channels.size() == 2);
  CHECK(options.channels[0].phone_number_id == "111");
  CHECK(options.channels[1].waba_id == "222");

  const std::string path = "multihook_test_config_" + std::to_string(::getpid()) + ".json";
  {
    std::ofstream out(path);
    out << R"({"port": 9000, "apply_delay": "1s"})";
  }
  auto command = Parse({"--port", "0", "--config", path});
  std::remove(path.c_str());
  REQUIRE(command.ok());
  CHECK(command->options.port == 0);  // the command line wins, wherever --config stands
  CHECK(command->options.apply_delay == std::chrono::seconds(1));
}

TEST_CASE("Config file errors name the JSON pointer", "[app][config]") {
  const auto [json, error] = GENERATE(table<std::string, std::string>({
      {R"({"prot": 1})", "invalid_argument at /prot: unknown option"},
      {R"({"apply-delay": "1s"})", "invalid_argument at /apply-delay: unknown option"},
      {R"({"port": "x"})",
       "invalid_argument at /port: expected a whole number from 0 to 65535, got 'x'"},
      {R"({"port": -1})",
       "invalid_argument at /port: expected a string or a whole number, got number"},
      {R"({"limit_counts_primary": "yes"})",
       "invalid_argument at /limit_counts_primary: expected a boolean, got string"},
      {R"({"channels": [{"waba_id": "1"}]})",
       "invalid_argument at /channels/0/api_key: is required"},
      {R"([])", "invalid_argument: expected an object, got array"},
  }));
  MockOptions options;
  CHECK(ApplyConfigJson(json, options).ToString() == error);
}

TEST_CASE("The user-agent option sets the deliveries' User-Agent; the default names the mock",
          "[app][config]") {
  CHECK(MockOptions{}.transport.user_agent == std::string("multihook/") + kMockVersion);
  auto command = Parse({"--user-agent", "partner-ci/7 (+https://example.com)"});
  REQUIRE(command.ok());
  CHECK(command->options.transport.user_agent == "partner-ci/7 (+https://example.com)");
  MockOptions options;
  CHECK(ApplyConfigJson(R"({"user_agent": "from-config/1"})", options).ok());
  CHECK(options.transport.user_agent == "from-config/1");
  CHECK(Parse({"--user-agent", ""}).status().ToString() ==
        "invalid_argument at --user-agent: expected 1 to 256 printable ASCII characters, got ''");
  CHECK(Parse({"--user-agent", "a\r\nX-Injected: 1"}).status().code() ==
        core::StatusCode::kInvalidArgument);
}

TEST_CASE("Profiles set their options together; explicit options win in any order",
          "[app][cli][profile]") {
  SECTION("the default is the strict profile, which is the behaviour without profiles") {
    MockOptions strict;
    ApplyProfile(Profile::kStrict, strict);
    for (const std::string& key : ConfigKeys()) {
      INFO(key);
      CHECK(OptionValueText(strict, key) == OptionValueText(MockOptions{}, key));
    }
  }
  SECTION("lenient relaxes what is our own reading, keeps what the provider's page states") {
    auto command = Parse({"--profile", "lenient"});
    REQUIRE(command.ok());
    const core::RuleOptions& r = command->options.rules;
    CHECK(r.url_policy == core::UrlPolicy::kDocumented);
    CHECK(r.disabled_changes == core::DisabledChanges::kAllow);
    CHECK(r.enable_with_destinations == core::EnableWithDestinations::kAppend);
    CHECK(r.unknown_names == core::UnknownNames::kIgnore);
    CHECK(r.header_rules == core::HeaderRules::kLenient);
    CHECK(r.unknown_fields == core::UnknownFields::kIgnore);
    CHECK(r.null_values == core::NullValues::kAbsent);
    CHECK(r.duplicate_names == MockOptions{}.rules.duplicate_names);  // in no profile
  }
  SECTION("an explicit option overrides its profile, before or after it") {
    for (const auto& args :
         {std::vector<std::string_view>{"--unknown-names", "reject", "--profile", "lenient"},
          std::vector<std::string_view>{"--profile", "lenient", "--unknown-names", "reject"}}) {
      auto command = Parse(args);
      REQUIRE(command.ok());
      CHECK(command->options.rules.unknown_names == core::UnknownNames::kReject);
      CHECK(command->options.rules.disabled_changes == core::DisabledChanges::kAllow);
    }
  }
  SECTION("in a config file, and the command line's profile wins over the file's") {
    MockOptions options;
    REQUIRE(ApplyConfigJson(R"({"null_values": "reject", "profile": "lenient"})", options).ok());
    CHECK(options.rules.null_values == core::NullValues::kReject);
    CHECK(options.rules.unknown_fields == core::UnknownFields::kIgnore);

    const std::string path = "multihook_test_profile_" + std::to_string(::getpid()) + ".json";
    {
      std::ofstream out(path);
      out << R"({"profile": "lenient", "unknown_fields": "reject"})";
    }
    auto command = Parse({"--config", path, "--profile", "strict"});
    std::remove(path.c_str());
    REQUIRE(command.ok());
    CHECK(command->options.profile == Profile::kStrict);
    CHECK(command->options.rules.disabled_changes == core::DisabledChanges::kReject);
    CHECK(command->options.rules.unknown_fields == core::UnknownFields::kReject);
  }
}

TEST_CASE("Flag --help gives every default from the default options", "[app][cli]") {
  const std::string usage = UsageText();
  CHECK(usage.find("--timeout DURATION") != std::string::npos);
  CHECK(usage.find("(default 5s)") != std::string::npos);
  CHECK(usage.find("(default strict)") != std::string::npos);
  CHECK(usage.find("(default 0,1s,2s)") != std::string::npos);
  for (const std::string& key : ConfigKeys()) {
    std::string flag = "--" + key;
    for (char& c : flag) c = c == '_' ? '-' : c;
    INFO(flag);
    CHECK(usage.find(flag) != std::string::npos);
  }
}

// The option table of docs/semantics.md, by flag: its cells after the first.
std::map<std::string, std::vector<std::string>> DocumentedOptions() {
  std::ifstream in(std::string(MULTIHOOK_SOURCE_DIR) + "/docs/semantics.md");
  REQUIRE(in);
  std::map<std::string, std::vector<std::string>> rows;
  std::string line;
  bool in_section = false;
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) in_section = line == "## Options";
    if (!in_section || line.rfind("| `--", 0) != 0) continue;
    std::vector<std::string> cells;
    std::stringstream row(line.substr(1));
    std::string cell;
    while (std::getline(row, cell, '|')) {
      const auto first = cell.find_first_not_of(' ');
      const auto last = cell.find_last_not_of(' ');
      cells.push_back(first == std::string::npos ? "" : cell.substr(first, last - first + 1));
    }
    const std::string flag = cells.at(0).substr(1, cells.at(0).find('`', 1) - 1);
    cells.erase(cells.begin());
    rows[flag] = cells;
  }
  return rows;
}

TEST_CASE("docs/semantics.md's option table has every option, its default and profile values",
          "[app][docs]") {
  const auto rows = DocumentedOptions();
  REQUIRE(rows.size() > 10);
  MockOptions strict;
  ApplyProfile(Profile::kStrict, strict);
  MockOptions lenient;
  ApplyProfile(Profile::kLenient, lenient);
  std::vector<std::string> flags = {"--config"};
  for (const std::string& key : ConfigKeys()) {
    std::string flag = "--" + key;
    for (char& c : flag) c = c == '_' ? '-' : c;
    flags.push_back(flag);
    INFO(flag);
    const auto row = rows.find(flag);
    REQUIRE(row != rows.end());
    const std::vector<std::string>& cells = row->second;  // values, default, strict, lenient, ...
    REQUIRE(cells.size() >= 6);
    const std::string defaults = OptionValueText(MockOptions{}, key);
    if (!defaults.empty()) CHECK(cells[1] == "`" + defaults + "`");
    if (IsProfileOption(key)) {
      CHECK(cells[2] == "`" + OptionValueText(strict, key) + "`");
      CHECK(cells[3] == "`" + OptionValueText(lenient, key) + "`");
    } else {
      CHECK(cells[2] == "—");
      CHECK(cells[3] == "—");
    }
    CHECK(cells[4].rfind(IsRuntimeOption(key) ? "yes" : "no", 0) == 0);
  }
  for (const auto& [flag, cells] : rows) {
    INFO(flag << " is documented but is no option");
    CHECK(std::find(flags.begin(), flags.end(), flag) != flags.end());
  }
}

}  // namespace
}  // namespace multihook::app

namespace multihook::app {
namespace {

TEST_CASE("Runtime options: a PATCH body changes what it names and nothing else",
          "[app][runtime]") {
  MockOptions options;
  const std::string before = EncodeRuntimeOptions(options);
  REQUIRE(ApplyRuntimeOptionsJson(R"({"timeout": "1500ms", "fanout": "parallel",
                                      "retry_factor": 1.5, "retry_extras": true,
                                      "max_pending": 5, "status_delays": "0,0,0",
                                      "signing_secret": "s3"})",
                                  options)
              .ok());
  for (const std::string& key : ConfigKeys()) {
    INFO(key);
    const bool named = key == "timeout" || key == "fanout" || key == "retry_factor" ||
                       key == "retry_extras" || key == "max_pending" || key == "status_delays" ||
                       key == "signing_secret";
    CHECK((OptionValueText(options, key) != OptionValueText(MockOptions{}, key)) == named);
  }
}

}  // namespace
}  // namespace multihook::app
