#include "harness/scenario/scenario_loader.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "harness/scenario/scenario_mock_options.hpp"

namespace multihook::harness {
namespace {

std::string Load(const std::string& text) {
  auto scenario = LoadScenarioText(text, "scenarios/example.json");
  return scenario.ok() ? "ok" : LoadErrorMessage(scenario.status());
}

constexpr char kValidSteps[] = R"("steps": [{"flush": true}])";

TEST_CASE("Loader errors name the file and the JSON pointer", "[harness]") {
  const auto [text, error] = GENERATE(table<std::string, std::string>({
      {R"({"steps": [{"flush": true}, {"request": {"method": "GET", "path": "/x"}, "expect": {"status": "200"}}]})",
       "scenarios/example.json at /steps/1/expect/status: expected an integer, got string"},
      {R"({"steps": [], "bogus": 1})", "scenarios/example.json at /bogus: unknown field"},
      {R"({"receivers": {"main": {"host": "m.example.com", "stand_in": "answers_500"}}, "steps": []})",
       "scenarios/example.json at /receivers/main/stand_in: expected \"answers_200\", got "
       "'answers_500'"},
      {R"({"receivers": {"main": {"host": "m.example.com", "stand_in": "answers_200", "script": [{"status": 200}, {"delay": "1s"}]}}, "steps": []})",
       "scenarios/example.json at /receivers/main/stand_in: a receiver a real endpoint stands in "
       "for answers 200, but script entry 1 asks it to wait 1000ms, then answer 200"},
      {R"({"receivers": {"main": {"host": "m.example.com", "stand_in": "answers_200", "then": {"reset": true}}}, "steps": []})",
       "scenarios/example.json at /receivers/main/stand_in: a receiver a real endpoint stands in "
       "for answers 200, but 'then' asks it to reset the connection"},
      {R"({"tags": ["receiver", "Big"], "steps": []})",
       "scenarios/example.json at /tags/1: a tag is lowercase letters, digits, '_' and '-'"},
      {R"({"tags": "receiver", "steps": []})", ""},
      {R"({"name": "x"})", "scenarios/example.json at /steps: is required"},
      {R"({"steps": [{"flush": true, "advance": "1s"}]})",
       "scenarios/example.json at /steps/0: a step needs exactly one of request, inbound, "
       "send_message, advance, flush, wait; got 2"},
      {R"({"steps": [{"advance": "soon"}]})", ""},  // the duration parser's own reason
      {R"({"options": {"fanout": "sideways"}, "steps": []})",
       "scenarios/example.json at /options/fanout: expected sequential or parallel, got "
       "'sideways'"},
      {R"({"options": {"port": 8080}, "steps": []})",
       "scenarios/example.json at /options/port: a scenario's mock always listens on an ephemeral "
       "loopback port"},
      {R"({"receivers": {"main": {"host": "main.example.com", "script": [{"status": 99}]}}, "steps": []})",
       "scenarios/example.json at /receivers/main/script/0/status: expected an integer from 100 to "
       "599, got 99"},
      {R"({"receivers": {"main": {}}, "steps": []})",
       "scenarios/example.json at /receivers/main/host: is required"},
      {R"({"steps": [{"wait": {"receiver": "ghost"}}]})",
       "scenarios/example.json at /steps/0/wait/receiver: no receiver named 'ghost' (receivers: "
       "none)"},
      {R"({"steps": [], "expect": {"events": {"e9": {"state": "delivered"}}}})",
       "scenarios/example.json at /expect/events/e9: no inbound step has \"as\": \"e9\""},
      {R"({"receivers": {"m": {"host": "m.example.com"}}, "steps": [], "expect": {"receivers": {"m": {"requests": [{"body": {"value": 1}}]}}}})",
       "scenarios/example.json at /expect/receivers/m/requests/0/body/value: a JSON pointer must "
       "be "
       "empty or start with '/'"},
      {R"({"steps": [})", ""},  // malformed JSON: named by the file
      {R"({"receivers": {"m": {"host": "m.example.com"}}, "steps": [], "expect": {"receivers": {"m": {"requests": [{"same_as": {"receiver": "ghost", "request": 0}}]}}}})",
       "scenarios/example.json at /expect/receivers/m/requests/0/same_as/receiver: no receiver "
       "named "
       "'ghost' (receivers: 'm')"},
      {R"({"receivers": {"m": {"host": "m.example.com"}}, "steps": [], "expect": {"receivers": {"m": {"every": {"same_as": {"receiver": "m"}}}}}})",
       "scenarios/example.json at /expect/receivers/m/every/same_as/request: is required"},
      {R"({"receivers": {"m": {"host": "m.example.com"}}, "steps": [], "expect": {"receivers": {"m": {"every": {"same_as": {"receiver": "m", "request": -1}}}}}})",
       "scenarios/example.json at /expect/receivers/m/every/same_as/request: expected an integer "
       "from "
       "0 to 1000000, got -1"},
      {R"({"receivers": {"m": {"host": "m.example.com"}}, "steps": [], "expect": {"receivers": {"m": {"every": {"same_as": {"receiver": "m", "request": 0, "headers": true}}}}}})",
       "scenarios/example.json at /expect/receivers/m/every/same_as/headers: unknown field"},
      {R"({"receivers": {"x": {"host": "x.example.com", "external": "http://127.0.0.1:9"}, "m": {"host": "m.example.com"}}, "steps": [], "expect": {"receivers": {"m": {"every": {"same_as": {"receiver": "x", "request": 0}}}}}})",
       "scenarios/example.json at /expect/receivers/m/every/same_as/receiver: 'x' is an external "
       "receiver; same_as needs an embedded one"},
      {R"({"receivers": {"m": {"host": "m.example.com", "script": [{"status": 302, "headers": {"Bad Name": "x"}}]}}, "steps": []})",
       "scenarios/example.json at /receivers/m/script/0/headers/Bad Name: not a valid header name"},
      {R"({"receivers": {"m": {"host": "m.example.com", "then": {"status": 302, "headers": {"Location": "/a\r\nX-Evil: 1"}}}}, "steps": []})",
       "scenarios/example.json at /receivers/m/then/headers/Location: a header value must not "
       "contain "
       "CR, LF or NUL"},
      {R"({"receivers": {"m": {"host": "m.example.com", "script": [{"reset": true, "headers": {"Location": "/a"}}]}}, "steps": []})",
       "scenarios/example.json at /receivers/m/script/0/reset: a reset sends no status, headers or "
       "body"},
      {R"({"receivers": {"m": {"host": "m.example.com", "faults": {"seed": 7, "p500": "0.1"}}}, "steps": []})",
       "scenarios/example.json at /receivers/m/faults/p500: expected a number, got string"},
      {R"({"receivers": {"m": {"host": "m.example.com", "faults": {"p500": 0.6, "p_reset": 0.5}}}, "steps": []})",
       "scenarios/example.json at /receivers/m/faults/p_reset: probabilities sum to 1.1, over 1"},
      {R"({"receivers": {"m": {"host": "m.example.com", "faults": {"delay_ms": {"p50": 9, "p90": 1}}}}, "steps": []})",
       "scenarios/example.json at /receivers/m/faults/delay_ms/p90: unknown field"},
      {R"({"receivers": {"m": {"host": "m.example.com", "faults": [0.1]}}, "steps": []})",
       "scenarios/example.json at /receivers/m/faults: expected an object, got array"},
      {R"({"receivers": {"m": {"host": "m.example.com", "faults": {}, "then": {"status": 500}}}, "steps": []})",
       "scenarios/example.json at /receivers/m/then: a receiver with faults takes no then: the "
       "profile answers every request after the script"},
      {R"({"receivers": {"m": {"host": "m.example.com", "external": "http://127.0.0.1:9", "faults": {}}}, "steps": []})",
       "scenarios/example.json at /receivers/m/external: an external receiver takes no script, "
       "then or faults"},
      {R"({"receivers": {"m": {"host": "m.example.com", "stand_in": "answers_200", "faults": {"seed": 1}}}, "steps": []})",
       "scenarios/example.json at /receivers/m/stand_in: a receiver a real endpoint stands in for "
       "answers 200, but 'faults' asks it to answer from a fault profile"},
  }));
  CAPTURE(text);
  const std::string message = Load(text);
  CHECK(message != "ok");
  CHECK(message.rfind("scenarios/example.json", 0) == 0);
  if (!error.empty()) CHECK(message == error);
}

TEST_CASE("Scenario defaults: virtual time, changes applied at once, one channel", "[harness]") {
  auto scenario = LoadScenarioText(std::string("{") + kValidSteps + "}", "dir/my_case.json");
  REQUIRE(scenario.ok());
  CHECK(scenario->name == "my_case");
  CHECK(scenario->options.clock == app::ClockMode::kVirtual);
  auto embedded = EmbeddedMockOptions(scenario->options_json);
  REQUIRE(embedded.ok());
  CHECK(embedded->apply_delay == core::Micros{0});
  CHECK(embedded->port == 0);
  CHECK(scenario->api_key == "scenario-key");
  CHECK(scenario->unexpected_fails);

  auto real = LoadScenarioText(
      R"({"options": {"clock": "real", "apply_delay": "2s", "channels": ["k1"]}, "steps": []})",
      "x.json");
  REQUIRE(real.ok());
  CHECK(real->options.clock == app::ClockMode::kReal);
  CHECK(EmbeddedMockOptions(real->options_json)->apply_delay == std::chrono::seconds(2));
  CHECK(real->api_key == "k1");
}

TEST_CASE("A receiver script expands 'times' and notification pointers expand '/value'",
          "[harness]") {
  auto scenario = LoadScenarioText(R"({
    "receivers": {"main": {"host": "Main.Example.com", "script": [{"status": 500, "times": 2}, {"reset": true}]}},
    "steps": [{"inbound": {"message": {"type": "text", "text": {"body": "x"}}}, "as": "e1"}],
    "expect": {"receivers": {"main": {"requests": [{"message": "e1", "body": {"/value/messages/0/id": "m"}}]}}}
  })",
                                   "x.json");
  REQUIRE(scenario.ok());
  REQUIRE(scenario->receivers.size() == 1);
  CHECK(scenario->receivers[0].host == "main.example.com");
  CHECK(!scenario->receivers[0].stand_in);
  REQUIRE(scenario->receivers[0].script.size() == 3);
  CHECK(scenario->receivers[0].script[1].status == 500);
  CHECK(scenario->receivers[0].script[2].kind == Answer::Kind::kReset);
  REQUIRE(scenario->receiver_expects.size() == 1);
  CHECK(scenario->receiver_expects[0].count == 1u);
  CHECK(scenario->receiver_expects[0].requests[0].body[0].pointer ==
        "/entry/0/changes/0/value/messages/0/id");
  CHECK(scenario->receiver_expects[0].requests[0].body[0].at ==
        "/expect/receivers/main/requests/0/body/~1value~1messages~10~1id");
}

TEST_CASE("A receiver's faults are a seeded profile, after its script", "[harness]") {
  auto scenario = LoadScenarioText(
      R"({"receivers": {"main": {"host": "main.example.com", "script": [{"status": 200}],
            "faults": {"seed": 7, "p500": 0.25, "p_reset": 0.25, "delay_ms": {"p50": 2, "p99": 8}}},
          "plain": {"host": "plain.example.com"}}, "steps": []})",
      "f.json");
  REQUIRE(scenario.ok());
  const ReceiverSpec& main = scenario->receivers.at(0);
  CHECK(main.script.size() == 1);
  REQUIRE(main.faults.has_value());
  CHECK(main.faults->seed == 7);
  CHECK(main.faults->p500 == 0.25);
  CHECK(main.faults->p_reset == 0.25);
  CHECK(main.faults->delay_p50 == std::chrono::milliseconds(2));
  CHECK(main.faults->delay_p99 == std::chrono::milliseconds(8));
  CHECK_FALSE(scenario->receivers.at(1).faults.has_value());
}

TEST_CASE("same_as names a receiver and a request; an answer may carry headers", "[harness]") {
  auto scenario = LoadScenarioText(R"({
    "receivers": {"main": {"host": "main.example.com", "script": [{"status": 302, "headers": {"Location": "/moved"}}]},
                  "crm": {"host": "crm.example.com"}},
    "steps": [],
    "expect": {"receivers": {"crm": {"requests": [{"same_as": {"receiver": "main", "request": 2}}]}}}
  })",
                                   "x.json");
  REQUIRE(scenario.ok());
  REQUIRE(scenario->receivers.size() == 2);
  REQUIRE(scenario->receivers[1].name == "main");
  REQUIRE(scenario->receivers[1].script.size() == 1);
  const Answer& answer = scenario->receivers[1].script[0];
  CHECK(answer.status == 302);
  REQUIRE(answer.headers.size() == 1);
  CHECK(answer.headers.begin()->first == "Location");
  CHECK(answer.headers.begin()->second == "/moved");
  REQUIRE(scenario->receiver_expects.size() == 1);
  const auto& same = scenario->receiver_expects[0].requests.at(0).same_as;
  REQUIRE(same.has_value());
  CHECK(same->receiver == "main");
  CHECK(same->request == 2u);
  CHECK(same->at == "/expect/receivers/crm/requests/0/same_as");
}

// The schema and the loader must agree on the keys; and every library scenario must load and use
// only keys and step kinds the schema lists.
TEST_CASE("scenarios/schema.json lists what the loader accepts; every scenario loads",
          "[harness]") {
  const std::filesystem::path root = MULTIHOOK_SOURCE_DIR;
  std::ifstream in(root / "scenarios" / "schema.json");
  REQUIRE(in);
  const auto schema = nlohmann::json::parse(in);
  std::set<std::string> schema_keys;
  for (const auto& item : schema.at("properties").items()) schema_keys.insert(item.key());
  std::set<std::string> loader_keys(std::begin(kScenarioKeys), std::end(kScenarioKeys));
  CHECK(schema_keys == loader_keys);

  const auto& step = schema.at("$defs").at("step");
  std::set<std::string> schema_step_keys;
  for (const auto& item : step.at("properties").items()) schema_step_keys.insert(item.key());
  CHECK(schema_step_keys == std::set<std::string>(std::begin(kStepKeys), std::end(kStepKeys)));
  std::set<std::string> schema_kinds;
  for (const auto& one : step.at("oneOf"))
    schema_kinds.insert(one.at("required").at(0).get<std::string>());
  CHECK(schema_kinds == std::set<std::string>(std::begin(kStepKinds), std::end(kStepKinds)));
  std::set<std::string> schema_expect_keys;
  for (const auto& item : schema.at("$defs").at("expect").at("properties").items()) {
    schema_expect_keys.insert(item.key());
  }
  CHECK(schema_expect_keys ==
        std::set<std::string>(std::begin(kExpectKeys), std::end(kExpectKeys)));
  const auto& receiver = schema.at("$defs").at("receiver").at("properties");
  std::set<std::string> schema_receiver_keys;
  for (const auto& item : receiver.items()) schema_receiver_keys.insert(item.key());
  CHECK(schema_receiver_keys ==
        std::set<std::string>(std::begin(kReceiverKeys), std::end(kReceiverKeys)));
  const auto& faults = schema.at("$defs").at("faults").at("properties");
  std::set<std::string> schema_fault_keys, schema_delay_keys;
  for (const auto& item : faults.items()) schema_fault_keys.insert(item.key());
  for (const auto& item : faults.at("delay_ms").at("properties").items()) {
    schema_delay_keys.insert(item.key());
  }
  CHECK(schema_fault_keys ==
        std::set<std::string>(std::begin(kFaultProfileKeys), std::end(kFaultProfileKeys)));
  CHECK(schema_delay_keys ==
        std::set<std::string>(std::begin(kFaultDelayKeys), std::end(kFaultDelayKeys)));
  CHECK(receiver.at("stand_in").at("enum") ==
        nlohmann::json(
            std::vector<std::string>(std::begin(kStandInValues), std::end(kStandInValues))));
  std::set<std::string> schema_matcher_keys;
  for (const auto& item : schema.at("$defs").at("matcher").at("properties").items()) {
    schema_matcher_keys.insert(item.key());
  }
  CHECK(schema_matcher_keys ==
        std::set<std::string>(std::begin(kMatcherKeys), std::end(kMatcherKeys)));
  std::set<std::string> schema_answer_keys;
  for (const auto& item : schema.at("$defs").at("answer").at("properties").items()) {
    schema_answer_keys.insert(item.key());
  }
  CHECK(schema_answer_keys ==
        std::set<std::string>(std::begin(kAnswerKeys), std::end(kAnswerKeys)));

  auto files = ExpandScenarioPaths({(root / "scenarios").string()});
  REQUIRE(files.ok());
  CHECK(files->size() >= 15);
  for (const std::string& file : *files) {
    CAPTURE(file);
    auto scenario = LoadScenarioFile(file);
    CHECK(scenario.ok());
    if (!scenario.ok()) UNSCOPED_INFO(LoadErrorMessage(scenario.status()));
    std::ifstream f(file);
    const auto json = nlohmann::json::parse(f);
    for (const auto& item : json.items()) CHECK(schema_keys.count(item.key()) == 1);
    for (const auto& s : json.at("steps")) {
      std::size_t kinds = 0;
      for (const auto& item : s.items()) {
        CHECK(schema_step_keys.count(item.key()) == 1);
        kinds += schema_kinds.count(item.key());
      }
      CHECK(kinds == 1);
    }
  }
}

}  // namespace
}  // namespace multihook::harness

namespace multihook::harness {
namespace {

// Event and extra states are the engine's names (delivery::ParseEventState/ParseExtraState).
TEST_CASE("Expected states are the engine's state names", "[harness]") {
  const auto [event_state, extra_state,
              error] = GENERATE(table<std::string, std::string, std::string>({
      {"delivered", "succeeded", ""},
      {"fanning_out", "waiting", ""},
      {"undeliverable", "skipped", ""},
      {"done", "succeeded",
       "scenarios/example.json at /expect/events/e1/state: unknown event state 'done'"},
      {"delivered", "ok",
       "scenarios/example.json at /expect/events/e1/extras/crm/state: unknown extra state 'ok'"},
  }));
  const std::string text =
      R"({"steps": [{"inbound": {"message": {"type": "text", "text": {"body": "x"}}}, "as": "e1"}],
          "expect": {"events": {"e1": {"state": ")" +
      event_state + R"(", "extras": {"crm": {"state": ")" + extra_state + R"("}}}}}})";
  CAPTURE(text);
  CHECK(Load(text) == (error.empty() ? "ok" : error));
}

}  // namespace
}  // namespace multihook::harness
