// The "steps" of a scenario file.
#include <chrono>

#include "harness/scenario/scenario_loader.hpp"
#include "harness/scenario/scenario_reading.hpp"

namespace multihook::harness::loader {
namespace {

constexpr std::string_view kRequestKeys[] = {"method", "path", "body", "api_key"};
constexpr std::string_view kWaitKeys[] = {"receiver", "event", "destination", "count", "timeout"};
constexpr std::string_view kHttpExpectKeys[] = {"status", "body", "body_contains"};

// The one key of kStepKinds that the step has.
Result<std::string> StepKindOf(const ObjectReader& reader, const std::string& at) {
  std::vector<std::string_view> kinds;
  for (std::string_view kind : kStepKinds) {
    if (reader.Has(kind)) kinds.push_back(kind);
  }
  if (kinds.size() != 1) {
    std::string names;
    for (std::string_view k : kStepKinds) names += (names.empty() ? "" : ", ") + std::string(k);
    return Error(at,
                 "a step needs exactly one of " + names + "; got " + std::to_string(kinds.size()));
  }
  return std::string(kinds[0]);
}

Status ParseRequest(const Json& value, const std::string& at, Step& step) {
  MULTIHOOK_ASSIGN_OR_RETURN(const ObjectReader r, ObjectReader::Open(value, at, kRequestKeys));
  step.kind = StepKind::kRequest;
  for (const char* key : {"method", "path"}) {
    if (!r.Has(key)) return Error(r.PointerTo(key), "is required");
  }
  MULTIHOOK_ASSIGN_OR_RETURN(step.method, r.RequiredString("method"));
  static const std::set<std::string> kMethods = {"GET", "POST", "PUT", "PATCH", "DELETE"};
  if (!kMethods.count(step.method)) {
    return Error(r.PointerTo("method"),
                 "expected GET, POST, PUT, PATCH or DELETE, got '" + step.method + "'");
  }
  MULTIHOOK_ASSIGN_OR_RETURN(step.path, r.RequiredString("path"));
  if (step.path.empty() || step.path[0] != '/') {
    return Error(r.PointerTo("path"), "must start with '/'");
  }
  if (const Json* body = r.Find("body")) step.body = *body;
  if (const Json* key = r.Find("api_key"); key != nullptr && key->is_null()) {
    step.api_key = "";  // send no key
  } else {
    MULTIHOOK_ASSIGN_OR_RETURN(step.api_key, r.OptionalNonEmptyString("api_key"));
  }
  return Status::Ok();
}

Status ParseWait(const Json& value, const std::string& at, const Scenario& scenario,
                 const Captures& captures, Step& step) {
  MULTIHOOK_ASSIGN_OR_RETURN(const ObjectReader r, ObjectReader::Open(value, at, kWaitKeys));
  step.kind = StepKind::kWait;
  MULTIHOOK_ASSIGN_OR_RETURN(step.wait_receiver, r.OptionalString("receiver"));
  if (step.wait_receiver) {
    if (FindReceiver(scenario, *step.wait_receiver) == nullptr) {
      return UnknownReceiver(scenario, r.PointerTo("receiver"), *step.wait_receiver);
    }
    if (r.Has("event") || r.Has("destination")) {
      return Error(r.PointerTo("receiver"),
                   "wait for a receiver or for journal records (event, destination), not both");
    }
  }
  MULTIHOOK_ASSIGN_OR_RETURN(step.wait_event, r.OptionalString("event"));
  if (step.wait_event && !captures.events.count(*step.wait_event)) {
    return Error(r.PointerTo("event"),
                 "no earlier inbound step has \"as\": \"" + *step.wait_event + "\"");
  }
  MULTIHOOK_ASSIGN_OR_RETURN(step.wait_destination, r.OptionalNonEmptyString("destination"));
  MULTIHOOK_ASSIGN_OR_RETURN(const auto count, r.OptionalInteger("count", 1, 1'000'000));
  if (count) step.wait_count = static_cast<std::size_t>(*count);
  MULTIHOOK_ASSIGN_OR_RETURN(const auto timeout, OptionalDuration(r, "timeout"));
  if (timeout) {
    if (*timeout > std::chrono::seconds(60)) return Error(r.PointerTo("timeout"), "at most 60s");
    step.wait_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(*timeout);
  }
  return Status::Ok();
}

Result<HttpExpect> ParseHttpExpect(const Json& value, const std::string& at) {
  MULTIHOOK_ASSIGN_OR_RETURN(const ObjectReader r, ObjectReader::Open(value, at, kHttpExpectKeys));
  HttpExpect expect;
  expect.at = at;
  MULTIHOOK_ASSIGN_OR_RETURN(const auto status, r.OptionalInteger("status", 100, 599));
  if (status) expect.status = static_cast<int>(*status);
  if (const Json* body = r.Find("body")) {
    MULTIHOOK_ASSIGN_OR_RETURN(expect.body, PointerMatches(*body, r.PointerTo("body"), false));
  }
  MULTIHOOK_ASSIGN_OR_RETURN(expect.body_contains, r.OptionalString("body_contains"));
  return expect;
}

// What a step that sends (request, inbound, send_message) also takes: "expect" and "as".
Status ParseSendExtras(const ObjectReader& r, Step& step, Captures& captures) {
  step.expect.at = r.PointerTo("expect");
  if (const Json* expect = r.Find("expect")) {
    MULTIHOOK_ASSIGN_OR_RETURN(step.expect, ParseHttpExpect(*expect, r.PointerTo("expect")));
  }
  MULTIHOOK_ASSIGN_OR_RETURN(step.capture, r.OptionalNonEmptyString("as"));
  if (!step.capture) return Status::Ok();
  const std::string& name = *step.capture;
  if (captures.messages.count(name) || captures.events.count(name)) {
    return Error(r.PointerTo("as"), "the name '" + name + "' is taken by an earlier step");
  }
  if (step.kind == StepKind::kInbound) captures.events.insert(name);
  captures.messages.insert(name);  // a request's answer may carry /messages/0/id too
  return Status::Ok();
}

Status ParseStepBody(const std::string& kind, const Json& body, const std::string& at,
                     const Scenario& scenario, const Captures& captures, Step& step) {
  if (kind == "request") return ParseRequest(body, at, step);
  if (kind == "inbound" || kind == "send_message") {
    step.kind = kind == "inbound" ? StepKind::kInbound : StepKind::kSendMessage;
    step.method = "POST";
    step.path = kind == "inbound" ? "/mock/inbound" : "/messages";
    if (!body.is_object()) return codec::TypeError(at, "an object", body);
    step.body = body;
    return Status::Ok();
  }
  if (kind == "advance") {
    step.kind = StepKind::kAdvance;
    MULTIHOOK_ASSIGN_OR_RETURN(step.advance, ReadDuration(body, at));
    return Status::Ok();
  }
  if (kind == "flush") {
    step.kind = StepKind::kFlush;
    if (!body.is_boolean() || !body.get<bool>()) return Error(at, "expected true");
    return Status::Ok();
  }
  return ParseWait(body, at, scenario, captures, step);
}

}  // namespace

Status ParseStep(const Json& value, const std::string& at, Scenario& scenario, Captures& captures) {
  MULTIHOOK_ASSIGN_OR_RETURN(const ObjectReader r, ObjectReader::Open(value, at, kStepKeys));
  MULTIHOOK_ASSIGN_OR_RETURN(const std::string kind, StepKindOf(r, at));
  Step step;
  step.at = at;
  const bool sends = kind == "request" || kind == "inbound" || kind == "send_message";
  if (!sends) {
    for (const char* key : {"expect", "as"}) {
      if (r.Has(key)) {
        return Error(r.PointerTo(key), "only request, inbound and send_message steps take '" +
                                           std::string(key) + "'");
      }
    }
  }
  MULTIHOOK_RETURN_IF_ERROR(
      ParseStepBody(kind, *r.Find(kind), r.PointerTo(kind), scenario, captures, step));
  if (sends) MULTIHOOK_RETURN_IF_ERROR(ParseSendExtras(r, step, captures));
  MULTIHOOK_RETURN_IF_ERROR(r.OptionalString("note"));
  scenario.steps.push_back(std::move(step));
  return Status::Ok();
}

}  // namespace multihook::harness::loader
