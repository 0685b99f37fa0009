// A real endpoint standing in for a scenario's receiver (`multihook run --receiver NAME=URL
// --secret S`): which scenarios are skipped and why, that --secret signs every delivery, and that
// a receiver rejecting the signature is named as the cause of the failure.
#include "harness/scenario/stand_in.hpp"

#include <catch2/catch.hpp>

#include "harness/scenario/scenario_loader.hpp"
#include "harness/scenario/scenario_runner.hpp"
#include "harness/scripted_receiver.hpp"
#include "mock_server/codec/signature.hpp"

namespace multihook::harness {
namespace {

constexpr char kSteps[] = R"(
    "steps": [
      {"request": {"method": "POST", "path": "/v1/configs/webhook", "body": {"url": "https://main.example.com/h"}}},
      {"inbound": {"message": {"type": "text", "text": {"body": "x"}}}, "as": "e1"}
    ])";

Scenario Load(const std::string& receivers, const std::string& rest = "") {
  auto scenario =
      LoadScenarioText("{\"receivers\": " + receivers + "," + kSteps + rest + "}", "inline.json");
  INFO((scenario.ok() ? "" : LoadErrorMessage(scenario.status())));
  REQUIRE(scenario.ok());
  return *scenario;
}

TEST_CASE("A scenario a real endpoint cannot take part in is skipped with the reason",
          "[harness]") {
  const auto [receivers, rest, reason] = GENERATE(table<std::string, std::string, std::string>({
      {R"({"crm": {"host": "crm.example.com", "stand_in": "answers_200"}})", "",
       "no receiver 'main' in this scenario (--receiver main)"},
      {R"({"main": {"host": "main.example.com", "script": [{"status": 500, "times": 2}]}})", "",
       "receiver 'main' is scripted to answer 500, which a real endpoint cannot be told to do"},
      {R"({"main": {"host": "main.example.com", "script": [{"delay": "700ms"}]}})", "",
       "receiver 'main' is scripted to wait 700ms, then answer 200, which a real endpoint cannot "
       "be told to do"},
      {R"({"main": {"host": "main.example.com", "then": {"reset": true}}})", "",
       "receiver 'main' is scripted to reset the connection, which a real endpoint cannot be told "
       "to do"},
      {R"({"main": {"host": "main.example.com"}})", "",
       "receiver 'main' is not marked \"stand_in\" in inline.json: a real endpoint may not replace "
       "it here"},
      {R"({"main": {"host": "main.example.com", "stand_in": "answers_200"}, "b": {"host": "b.example.com"}})",
       R"(, "expect": {"receivers": {"b": {"count": 0, "every": {"signature": "absent"}}}})",
       "the scenario expects unsigned deliveries to 'b' (/expect/receivers/b/every/signature), but "
       "--secret signs every delivery"},
  }));
  CAPTURE(receivers, rest);
  const Scenario scenario = Load(receivers, rest);
  RunOptions options;
  options.external_receivers["main"] = "http://127.0.0.1:9";  // nothing listens: never contacted
  options.secret = "s";
  const ScenarioResult result = RunScenario(scenario, options);
  CHECK(result.outcome == Outcome::kSkipped);
  CHECK(result.skip_reason == reason);
  CHECK(result.failures.empty());
}

TEST_CASE("A wait on a replaced receiver's requests is a skip, not a failure", "[harness]") {
  auto scenario = LoadScenarioText(R"({
    "receivers": {"main": {"host": "main.example.com", "stand_in": "answers_200"}},
    "steps": [{"wait": {"receiver": "main", "count": 1}}]
  })",
                                   "inline.json");
  REQUIRE(scenario.ok());
  RunOptions options;
  options.external_receivers["main"] = "http://127.0.0.1:9";
  const ScenarioResult result = RunScenario(*scenario, options);
  CHECK(result.outcome == Outcome::kSkipped);
  CHECK(result.skip_reason ==
        "step /steps/0 counts the requests receiver 'main' got, which only "
        "an embedded receiver can report");
}

TEST_CASE("The --secret option signs every delivery, overriding the file's secret", "[harness]") {
  const Scenario scenario = Load(R"({"main": {"host": "main.example.com"}})",
                                 R"(, "options": {"signing_secret": "from-the-file"},
                                    "expect": {"receivers": {"main": {"count": 1,
                                      "every": {"signature": "valid"}}}})");
  RunOptions options;
  options.secret = "from-the-command-line";
  const ScenarioResult result = RunScenario(scenario, options);
  INFO((result.failures.empty() ? "" : result.failures.front().message));
  CHECK(result.outcome == Outcome::kPassed);
  CHECK(result.notes.empty());  // the signature was checked, not skipped
}

TEST_CASE("A real receiver answering 401 is named as having rejected the signature", "[harness]") {
  auto partner = ScriptedReceiver::Start();
  REQUIRE(partner.ok());
  (*partner)->Script({}, Answer::Status(401));
  const Scenario scenario =
      Load(R"({"main": {"host": "main.example.com", "stand_in": "answers_200"}})",
           R"(, "expect": {"events": {"e1": {"state": "delivered", "attempts": ["main 200"]}}})");
  RunOptions options;
  options.external_receivers["main"] = (*partner)->BaseUrl();
  options.secret = "not-the-receivers-secret";
  const ScenarioResult result = RunScenario(scenario, options);
  CHECK(result.outcome == Outcome::kFailed);
  REQUIRE(result.failures.size() >= 2);
  CHECK(result.failures[0].at == "/receivers/main");
  CHECK(result.failures[0].message ==
        "receiver 'main' (" + (*partner)->BaseUrl() +
            ") answered 401 to a signed notification: "
            "it rejected the x-360dialog-signature; is --secret the receiver's secret?");
  // It did get a signed request, and the expectation that failed is still reported.
  REQUIRE((*partner)->RequestCount() >= 1);
  const ReceivedRequest first = (*partner)->Requests().front();
  CHECK(first.Header("x-360dialog-signature") ==
        codec::SignatureHex("not-the-receivers-secret", first.body));
  CHECK(result.failures[1].at == "/expect/events/e1/state");

  SECTION("unsigned: the message asks for --secret") {
    RunOptions unsigned_options;
    unsigned_options.external_receivers["main"] = (*partner)->BaseUrl();
    const ScenarioResult got = RunScenario(scenario, unsigned_options);
    REQUIRE(!got.failures.empty());
    CHECK_THAT(got.failures[0].message,
               Catch::EndsWith("answered 401 to an unsigned notification: it wants an "
                               "x-360dialog-signature; give the receiver's secret with --secret"));
  }
}

TEST_CASE("A receiver that answers 200 passes as a stand-in", "[harness]") {
  auto partner = ScriptedReceiver::Start();
  REQUIRE(partner.ok());
  const Scenario scenario =
      Load(R"({"main": {"host": "main.example.com", "stand_in": "answers_200"}})",
           R"(, "expect": {"events": {"e1": {"state": "delivered", "attempts": ["main 200"]}}})");
  RunOptions options;
  options.external_receivers["main"] = (*partner)->BaseUrl();
  options.secret = "s";
  const ScenarioResult result = RunScenario(scenario, options);
  INFO((result.failures.empty() ? "" : result.failures.front().message));
  CHECK(result.outcome == Outcome::kPassed);
  CHECK((*partner)->RequestCount() == 1);
}

}  // namespace
}  // namespace multihook::harness
