#include "harness/verify/verify_options.hpp"

#include <catch2/catch.hpp>
#include <sstream>

#include "harness/verify/verify_catalogue.hpp"
#include "harness/verify/verify_command.hpp"

namespace multihook::harness {
namespace {

using Args = std::vector<std::string_view>;

TEST_CASE("verify options: URL, routes, secret, load, outputs", "[verify][options]") {
  auto parsed = ParseVerifyArgs(
      {"https://crm.example.com/hook", "--route", "crm.example.com=http://127.0.0.1:8081",
       "--secret=s3cret", "--rate", "50", "--duration", "10s", "--timeout", "2s", "--json",
       "r.json", "--junit", "r.xml", "--case", "message.text", "--seed", "7"});
  REQUIRE(parsed.ok());
  const VerifyOptions& o = parsed->options;
  CHECK(parsed->action == VerifyAction::kRun);
  CHECK(o.plan.url == "https://crm.example.com/hook");
  REQUIRE(o.routes.size() == 1);
  CHECK(o.routes[0].ToString() == "crm.example.com=http://127.0.0.1:8081");
  CHECK(o.plan.secret == "s3cret");
  REQUIRE(o.plan.load.has_value());
  CHECK(o.plan.load->rate == 50);
  CHECK(o.plan.load->duration == std::chrono::seconds(10));
  CHECK(o.plan.load->RequestCount() == 500);
  CHECK(o.plan.load->EffectiveConnections() == 50);
  CHECK(o.plan.timeout == std::chrono::seconds(2));
  CHECK(o.json_file == "r.json");
  CHECK(o.junit_file == "r.xml");
  CHECK(o.plan.cases == std::vector<std::string>{"message.text"});
  CHECK(o.plan.seed == 7);
  CHECK(o.seed_given);
  CHECK(o.plan.signature_checks);
}

TEST_CASE("verify options: --no-signature-checks turns the signature faults off",
          "[verify][options]") {
  auto parsed =
      ParseVerifyArgs({"http://127.0.0.1:9/hook", "--secret", "s", "--no-signature-checks"});
  REQUIRE(parsed.ok());
  CHECK_FALSE(parsed->options.plan.signature_checks);
  CHECK_THAT(VerifyUsageText(), Catch::Matchers::Contains("--no-signature-checks"));
}

TEST_CASE("verify options: without --rate only the catalogue runs", "[verify][options]") {
  auto parsed = ParseVerifyArgs({"http://127.0.0.1:9/hook"});
  REQUIRE(parsed.ok());
  CHECK_FALSE(parsed->options.plan.load.has_value());
  CHECK(parsed->options.plan.timeout == std::chrono::seconds(5));
  CHECK_FALSE(parsed->options.seed_given);
}

TEST_CASE("verify options: unusable input is rejected with a message naming the option",
          "[verify][options]") {
  using Row = std::tuple<Args, std::string>;
  const auto [args, message] = GENERATE(table<Args, std::string>({
      Row{Args{}, "invalid_argument at URL: missing"},
      Row{{"ftp://x.example.com/"}, "invalid_argument at URL: scheme must be http or https"},
      Row{{"not a url"}, "invalid_argument at URL:"},
      Row{{"http://a.example.com/", "http://b.example.com/"}, "the URL is already given"},
      Row{{"http://a.example.com/", "--rate", "0", "--duration", "1s"},
          "invalid_argument at --rate: expected a whole number from 1 to 10000, got '0'"},
      Row{{"http://a.example.com/", "--rate", "10001", "--duration", "1s"},
          "invalid_argument at --rate: expected a whole number from 1 to 10000, got '10001'"},
      Row{{"http://a.example.com/", "--rate", "5x", "--duration", "1s"},
          "invalid_argument at --rate: expected a whole number from 1 to 10000, got '5x'"},
      Row{{"http://a.example.com/", "--rate", "50", "--duration", "11m"},
          "invalid_argument at --duration: must be at most 10m"},
      Row{{"http://a.example.com/", "--rate", "50", "--duration", "10"},
          "invalid_argument at --duration:"},
      Row{{"http://a.example.com/", "--rate", "50"},
          "invalid_argument at --duration: is required with --rate"},
      Row{{"http://a.example.com/", "--duration", "1s"}, "invalid_argument at --rate: is required"},
      Row{{"http://a.example.com/", "--timeout", "0"},
          "invalid_argument at --timeout: must be more than 0"},
      Row{{"http://a.example.com/", "--timeout", "2m"},
          "invalid_argument at --timeout: must be at most 1m"},
      Row{{"http://a.example.com/", "--route", "nope"}, "invalid_argument at --route:"},
      Row{{"http://a.example.com/", "--case", "message.fax"},
          "invalid_argument at --case: unknown case 'message.fax' (see --list-cases)"},
      Row{{"http://a.example.com/", "--secret"}, "invalid_argument at --secret: needs a value"},
      Row{{"http://a.example.com/", "--insecure=yes"},
          "invalid_argument at --insecure: takes no value"},
      Row{{"http://a.example.com/", "--bogus"}, "invalid_argument at --bogus: unknown option"},
      Row{{"http://a.example.com/", "-x"}, "invalid_argument at -x: unknown option"},
  }));
  CAPTURE(args);
  auto parsed = ParseVerifyArgs(args);
  REQUIRE_FALSE(parsed.ok());
  CHECK_THAT(parsed.status().ToString(), Catch::Matchers::Contains(message));

  // The command: exit 2, one line on err, nothing on out.
  std::ostringstream out, err;
  CHECK(RunVerifyCommand(args, out, err) == 2);
  CHECK(out.str().empty());
  const std::string text = err.str();
  CHECK_THAT(text, Catch::Matchers::StartsWith("multihook verify: invalid_argument at "));
  CHECK_THAT(text, Catch::Matchers::Contains(message));
  REQUIRE_FALSE(text.empty());
  CHECK(text.find('\n') == text.size() - 1);
}

TEST_CASE("verify --help and --list-cases exit 0 without sending", "[verify][options]") {
  std::ostringstream out, err;
  CHECK(RunVerifyCommand({"--help"}, out, err) == 0);
  CHECK_THAT(out.str(), Catch::Matchers::StartsWith("Usage: multihook verify URL"));
  CHECK_THAT(out.str(), Catch::Matchers::Contains("--rate R"));
  CHECK_THAT(out.str(), Catch::Matchers::Contains("Exit status: 0"));
  CHECK(err.str().empty());

  std::ostringstream list;
  CHECK(RunVerifyCommand({"--list-cases"}, list, err) == 0);
  std::string expected;
  for (const auto name : CatalogueCaseNames()) expected += std::string(name) + "\n";
  CHECK(list.str() == expected);
}

TEST_CASE("verify options: the load's connection count and request count", "[verify][options]") {
  CHECK(LoadPlan{1, std::chrono::milliseconds(500), 0}.RequestCount() == 1);  // at least one
  CHECK(LoadPlan{20, std::chrono::seconds(1), 0}.RequestCount() == 20);
  CHECK(LoadPlan{10'000, std::chrono::minutes(10), 0}.RequestCount() == 6'000'000);
  CHECK(LoadPlan{10'000, std::chrono::seconds(1), 0}.EffectiveConnections() == 256);
  CHECK(LoadPlan{3, std::chrono::seconds(1), 0}.EffectiveConnections() == 3);
  CHECK(LoadPlan{3, std::chrono::seconds(1), 9}.EffectiveConnections() == 9);
}

}  // namespace
}  // namespace multihook::harness
