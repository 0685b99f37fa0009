#include "harness/scenario/scenario_runner.hpp"

#include <catch2/catch.hpp>

#include "harness/scenario/scenario_loader.hpp"

namespace multihook::harness {
namespace {

const std::string kFixtures = std::string(MULTIHOOK_SOURCE_DIR) + "/tests/harness/fixtures/";

const Failure* FindFailure(const ScenarioResult& result, const std::string& at) {
  for (const Failure& f : result.failures) {
    if (f.at == at) return &f;
  }
  return nullptr;
}

TEST_CASE("A passing scenario passes", "[harness]") {
  auto scenario = LoadScenarioFile(kFixtures + "passing.json");
  REQUIRE(scenario.ok());
  const ScenarioResult result = RunScenario(*scenario, {});
  INFO((result.failures.empty() ? "" : result.failures.front().message));
  CHECK(result.outcome == Outcome::kPassed);
  CHECK(result.steps_run == 2);
}

TEST_CASE("A deliberately wrong expectation is a failure with a readable explanation",
          "[harness]") {
  auto scenario = LoadScenarioFile(kFixtures + "wrong_expectation.json");
  REQUIRE(scenario.ok());
  const ScenarioResult result = RunScenario(*scenario, {});
  CHECK(result.outcome == Outcome::kFailed);
  REQUIRE(result.failures.size() == 2);

  const Failure* count = FindFailure(result, "/expect/receivers/backup/count");
  REQUIRE(count != nullptr);
  CHECK(count->message == "receiver 'backup' got 1 request(s), expected 2");
  CHECK(count->expected == "2");
  CHECK(count->actual == "1");
  CHECK_THAT(count->context, Catch::StartsWith("received:\n  #0 POST /hook {\"object\""));

  const Failure* body = FindFailure(
      result, "/expect/receivers/backup/requests/0/body/~1value~1messages~10~1text~1body");
  REQUIRE(body != nullptr);
  CHECK(body->message ==
        "request #0 to 'backup': /entry/0/changes/0/value/messages/0/text/body is \"hello\", "
        "expected \"goodbye\"");
  CHECK(body->expected == "\"goodbye\"");
  CHECK(body->actual == "\"hello\"");
}

TEST_CASE("Event and extra states are compared as states, and a mismatch names both", "[harness]") {
  auto scenario = LoadScenarioText(R"({
    "receivers": {"main": {"host": "main.example.com"}, "backup": {"host": "backup.example.com"}},
    "steps": [
      {"request": {"method": "POST", "path": "/v1/configs/webhook", "body": {"url": "https://main.example.com/h"}}},
      {"request": {"method": "POST", "path": "/multi_webhook", "body": {"enabled": true, "destinations": [{"name": "backup", "url": "https://backup.example.com/h"}]}}},
      {"flush": true},
      {"inbound": {"message": {"type": "text", "text": {"body": "x"}}}, "as": "e1"}
    ],
    "expect": {
      "receivers": {"main": {"count": 1}, "backup": {"count": 1}},
      "events": {"e1": {"state": "expired", "extras": {"backup": {"state": "failed"}}}}
    }
  })",
                                   "inline.json");
  REQUIRE(scenario.ok());
  const ScenarioResult result = RunScenario(*scenario, {});
  CHECK(result.outcome == Outcome::kFailed);
  REQUIRE(result.failures.size() == 2);
  const Failure* state = FindFailure(result, "/expect/events/e1/state");
  REQUIRE(state != nullptr);
  CHECK_THAT(state->message, Catch::EndsWith(") is delivered, expected expired"));
  CHECK(state->expected == "expired");
  CHECK(state->actual == "delivered");
  const Failure* extra = FindFailure(result, "/expect/events/e1/extras/backup/state");
  REQUIRE(extra != nullptr);
  CHECK_THAT(extra->message, Catch::EndsWith(": extra 'backup' is succeeded, expected failed"));
}

TEST_CASE("Unexpected requests fail; a failed step stops the scenario", "[harness]") {
  auto scenario = LoadScenarioText(R"({
    "receivers": {"main": {"host": "main.example.com"}},
    "steps": [
      {"request": {"method": "POST", "path": "/v1/configs/webhook", "body": {"url": "https://main.example.com/h"}}},
      {"inbound": {"message": {"type": "text", "text": {"body": "x"}}}},
      {"request": {"method": "GET", "path": "/multi_webhook"}, "expect": {"status": 404}},
      {"advance": "1s"}
    ]
  })",
                                   "inline.json");
  REQUIRE(scenario.ok());
  const ScenarioResult result = RunScenario(*scenario, {});
  CHECK(result.outcome == Outcome::kFailed);
  REQUIRE(result.failures.size() == 1);
  CHECK(result.failures[0].at == "/steps/2/expect/status");
  CHECK(result.failures[0].message == "GET /multi_webhook answered 200, expected 404");
  CHECK(result.steps_run == 2);
  REQUIRE(result.notes.size() == 1);
  CHECK_THAT(result.notes[0], Catch::Contains("1 later step(s) and the expectations were not run"));

  auto unexpected = LoadScenarioText(R"({
    "receivers": {"main": {"host": "main.example.com"}},
    "steps": [
      {"request": {"method": "POST", "path": "/v1/configs/webhook", "body": {"url": "https://main.example.com/h"}}},
      {"inbound": {"message": {"type": "text", "text": {"body": "x"}}}}
    ]
  })",
                                     "inline.json");
  REQUIRE(unexpected.ok());
  const ScenarioResult got = RunScenario(*unexpected, {});
  REQUIRE(got.failures.size() == 1);
  CHECK(got.failures[0].at == "/receivers/main");
  CHECK_THAT(got.failures[0].message, Catch::Contains("1 unexpected request(s)"));
}

TEST_CASE("same_as compares raw body bytes and the signature with another receiver's request",
          "[harness]") {
  // crm's second copy is compared with main's first request (another notification): the bodies
  // differ, and so do the signatures; a request that never came cannot be compared.
  auto scenario = LoadScenarioText(R"({
    "options": {"signing_secret": "s"},
    "receivers": {"main": {"host": "main.example.com"}, "crm": {"host": "crm.example.com"}},
    "steps": [
      {"request": {"method": "POST", "path": "/v1/configs/webhook", "body": {"url": "https://main.example.com/h"}}},
      {"request": {"method": "POST", "path": "/multi_webhook", "body": {"enabled": true, "destinations": [{"name": "crm", "url": "https://crm.example.com/h"}]}}},
      {"flush": true},
      {"inbound": {"message": {"type": "text", "text": {"body": "one"}}}},
      {"inbound": {"message": {"type": "text", "text": {"body": "two"}}}}
    ],
    "expect": {"receivers": {
      "main": {"count": 2},
      "crm": {"requests": [{"same_as": {"receiver": "main", "request": 0}},
                           {"same_as": {"receiver": "main", "request": 0}}],
              "every": {"same_as": {"receiver": "main", "request": 5}}}
    }}
  })",
                                   "inline.json");
  REQUIRE(scenario.ok());
  const ScenarioResult result = RunScenario(*scenario, {});
  CHECK(result.outcome == Outcome::kFailed);
  CHECK(FindFailure(result, "/expect/receivers/crm/requests/0/same_as") == nullptr);
  std::vector<const Failure*> second;
  for (const Failure& f : result.failures) {
    if (f.at == "/expect/receivers/crm/requests/1/same_as") second.push_back(&f);
  }
  REQUIRE(second.size() == 2);
  CHECK_THAT(
      second[0]->message,
      Catch::StartsWith("request #1 to 'crm': body differs from request #0 to 'main' at byte "));
  // Both sides show the bytes around the first difference.
  CHECK_FALSE(second[0]->expected.empty());
  CHECK(second[0]->expected != second[0]->actual);
  CHECK(second[1]->message ==
        "request #1 to 'crm': x-360dialog-signature differs from request #0 to 'main'");
  CHECK(second[1]->expected.size() == 64);
  CHECK(second[1]->actual.size() == 64);
  CHECK(second[1]->expected != second[1]->actual);
  const Failure* missing = FindFailure(result, "/expect/receivers/crm/every/same_as/request");
  REQUIRE(missing != nullptr);
  CHECK(missing->message == "request #0 to 'crm' cannot be compared: 'main' got only 2 request(s)");
  CHECK(result.failures.size() == 4);  // the two above and crm's second request for every
}

TEST_CASE("Scenarios run in parallel and keep their order in the report", "[harness]") {
  auto pass = LoadScenarioFile(kFixtures + "passing.json");
  auto fail = LoadScenarioFile(kFixtures + "wrong_expectation.json");
  REQUIRE(pass.ok());
  REQUIRE(fail.ok());
  RunOptions options;
  options.jobs = 3;
  std::size_t finished = 0;
  options.on_finished = [&](const ScenarioResult&, std::size_t done, std::size_t total) {
    CHECK(total == 4);
    finished = done;
  };
  const RunReport report = RunScenarios({*pass, *fail, *pass, *pass}, options);
  CHECK(finished == 4);
  REQUIRE(report.scenarios.size() == 4);
  CHECK(report.scenarios[1].name == "wrong_expectation");
  CHECK(report.Count(Outcome::kPassed) == 3);
  CHECK(report.Count(Outcome::kFailed) == 1);
  CHECK_FALSE(report.AllPassed());
}

}  // namespace
}  // namespace multihook::harness
