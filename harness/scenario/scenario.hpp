// Scenario: one behaviour of the mock written down as data (scenarios/*.json, format in
// scenarios/README.md): the mock's options, the receivers it delivers to, the steps to run and
// what must be true afterwards. The loader (scenario_loader.hpp) builds it; the runner
// (scenario_runner.hpp) executes it. Every element remembers the JSON pointer it came from
// (`at`), so a failed expectation can name the exact place in the file.
//
// Plain value types; thread-compatible (the runner shares loaded scenarios read-only).
#pragma once

#include <chrono>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "harness/answer.hpp"
#include "harness/fault_profile.hpp"
#include "mock_server/app/option_values.hpp"
#include "mock_server/core/clock.hpp"
#include "mock_server/core/delivery_states.hpp"
#include "mock_server/core/duration.hpp"
#include "mock_server/core/webhook_config.hpp"

namespace multihook::harness {

using Json = nlohmann::json;

// What a real endpoint must do to stand in for a receiver (`"stand_in"` in the file).
enum class StandIn {
  kAnswers200,  // "answers_200": it answers 200 to every (signed) notification
};

// A receiver the runner routes `host` to: an embedded ScriptedReceiver answering `script` and then
// `then` (or, with `faults`, from a seeded fault profile), or the partner's own receiver at
// `external_url`.
struct ReceiverSpec {
  std::string at;    // "/receivers/main"
  std::string name;  // key in "receivers"
  std::string host;  // e.g. "main.example.com"; webhook URLs use https://HOST/...
  std::optional<std::string> external_url;  // "http://127.0.0.1:9000": not embedded
  std::vector<Answer> script;
  Answer then = Answer::Status(200);
  // Set: once the script is used up, request n (0-based, counted from there) is answered with
  // faults->Draw(n) (fault_profile.hpp) instead of `then`; the loader allows no `then` with it.
  std::optional<FaultProfile> faults;
  // Set: a real endpoint may replace this receiver (`multihook run --receiver NAME=URL`). The
  // loader guarantees that such a receiver's script asks for nothing but 200.
  std::optional<StandIn> stand_in;
};

// The value at a JSON pointer must equal `value` (null: the pointer must not resolve).
struct PointerMatch {
  std::string at;       // where this match is written in the scenario
  std::string pointer;  // into the body, "/value/..." already expanded for notifications
  Json value;
};

struct HttpExpect {
  std::string at;
  std::optional<int> status;  // none: any 2xx
  std::vector<PointerMatch> body;
  std::optional<std::string> body_contains;
};

enum class StepKind { kRequest, kInbound, kSendMessage, kAdvance, kFlush, kWait };

struct Step {
  std::string at;  // "/steps/3"
  StepKind kind = StepKind::kRequest;
  // kRequest / kInbound / kSendMessage
  std::string method;
  std::string path;
  std::optional<Json> body;
  std::optional<std::string> api_key;  // none: the scenario's key; "" sends no key
  HttpExpect expect;
  std::optional<std::string> capture;  // "as": a name for ids the answer returned
  // kAdvance
  core::Micros advance{0};
  // kWait: a receiver's request count, or journal records (event / destination filters).
  std::optional<std::string> wait_receiver;
  std::optional<std::string> wait_event;  // a capture name
  std::optional<std::string> wait_destination;
  std::size_t wait_count = 1;
  std::chrono::milliseconds wait_timeout{5000};
};

enum class SignatureExpect { kValid, kAbsent };

struct HeaderMatch {
  std::string at;
  std::string name;
  std::optional<std::string> value;  // none: the header must be absent
};

// The request must carry the same raw body bytes and the same x-360dialog-signature (or lack of
// one) as request #`request` to the embedded receiver `receiver`: how a clone is checked against
// what the main webhook received.
struct SameAsMatch {
  std::string at;
  std::string receiver;
  std::size_t request = 0;  // 0-based, in arrival order at that receiver
};

// What one received request must look like.
struct RequestMatcher {
  std::string at;
  std::optional<std::string> path;
  std::vector<PointerMatch> body;
  std::vector<HeaderMatch> headers;
  std::optional<std::string> message;  // a capture: the notification is about its message id
  std::optional<SignatureExpect> signature;
  std::optional<SameAsMatch> same_as;
};

struct ReceiverExpect {
  std::string at;
  std::string receiver;
  std::optional<std::size_t> count;      // none: the number of `requests` when given
  std::vector<RequestMatcher> requests;  // the i-th request must match the i-th matcher
  std::optional<RequestMatcher> every;   // every request must match
};

struct ExtraExpect {
  std::string at;
  std::string destination;
  std::optional<core::ExtraState> state;  // "succeeded", "failed", "skipped", ...
  std::optional<core::Micros> added_latency_min;
  std::optional<core::Micros> added_latency_max;
};

struct EventExpect {
  std::string at;
  std::string capture;                    // the inbound step's "as"
  std::optional<core::EventState> state;  // "delivered", "expired", ...
  std::vector<ExtraExpect> extras;
  // The journal's attempts for the event in order, "DESTINATION OUTCOME" ("main 500").
  std::optional<std::vector<std::string>> attempts;
};

// What the runner reads of the scenario's mock options, as plain values. The embedded mock's whole
// configuration is built from `Scenario::options_json` by EmbeddedMockOptions
// (scenario_mock_options.hpp), so this model does not pull in the delivery engine.
struct ScenarioOptions {
  app::ClockMode clock = app::ClockMode::kVirtual;  // unless the file says otherwise
  std::vector<core::ChannelSpec> channels;          // the file's, or one default channel
  std::optional<std::string> signing_secret;
};

struct Scenario {
  std::string file;  // as given to the loader
  std::string name;  // "name", or the file's stem
  std::string description;
  std::vector<std::string> tags;  // "tags": e.g. "receiver" for the suite any endpoint can run
  ScenarioOptions options;
  Json options_json = Json::object();  // "options" as written (reported when not applicable)
  std::string api_key;                 // the first channel's key
  std::vector<ReceiverSpec> receivers;
  std::vector<Step> steps;
  std::vector<ReceiverExpect> receiver_expects;
  std::vector<EventExpect> event_expects;
  // Embedded receivers without an expectation must receive nothing (default true).
  bool unexpected_fails = true;
};

}  // namespace multihook::harness
