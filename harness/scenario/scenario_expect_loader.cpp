// The "expect" section of a scenario file: receivers' requests and events' states.
#include "harness/scenario/scenario_loader.hpp"
#include "harness/scenario/scenario_reading.hpp"
#include "mock_server/core/delivery_states.hpp"

namespace multihook::harness::loader {
namespace {

constexpr std::string_view kSameAsKeys[] = {"receiver", "request"};
constexpr std::string_view kReceiverExpectKeys[] = {"count", "requests", "every"};
constexpr std::string_view kEventExpectKeys[] = {"state", "extras", "attempts"};
constexpr std::string_view kExtraExpectKeys[] = {"state", "added_latency"};
constexpr std::string_view kLatencyKeys[] = {"min", "max"};

// "same_as": {"receiver": "main", "request": 0}: the receiver must be an embedded one of this
// scenario (an external receiver's requests cannot be seen).
Result<SameAsMatch> ParseSameAs(const Json& value, const std::string& at,
                                const Scenario& scenario) {
  MULTIHOOK_ASSIGN_OR_RETURN(const ObjectReader r, ObjectReader::Open(value, at, kSameAsKeys));
  for (const char* key : {"receiver", "request"}) {
    if (!r.Has(key)) return Error(r.PointerTo(key), "is required");
  }
  SameAsMatch same;
  same.at = at;
  MULTIHOOK_ASSIGN_OR_RETURN(same.receiver, r.RequiredString("receiver"));
  const ReceiverSpec* receiver = FindReceiver(scenario, same.receiver);
  if (receiver == nullptr) return UnknownReceiver(scenario, r.PointerTo("receiver"), same.receiver);
  if (receiver->external_url) {
    return Error(r.PointerTo("receiver"),
                 "'" + same.receiver + "' is an external receiver; same_as needs an embedded one");
  }
  MULTIHOOK_ASSIGN_OR_RETURN(const long long index, r.RequiredInteger("request", 0, 1'000'000));
  same.request = static_cast<std::size_t>(index);
  return same;
}

// "headers": {"Name": "value" or null (must be absent)}.
Result<std::vector<HeaderMatch>> HeaderMatches(const Json& value, const std::string& at) {
  if (!value.is_object()) return codec::TypeError(at, "an object", value);
  std::vector<HeaderMatch> headers;
  for (const auto& h : value.items()) {
    const std::string hat = Child(at, h.key());
    if (h.value().is_null()) {
      headers.push_back({hat, h.key(), std::nullopt});
    } else if (h.value().is_string()) {
      headers.push_back({hat, h.key(), h.value().get<std::string>()});
    } else {
      return codec::TypeError(hat, "a string or null", h.value());
    }
  }
  return headers;
}

Result<std::optional<SignatureExpect>> ParseSignature(const ObjectReader& r) {
  MULTIHOOK_ASSIGN_OR_RETURN(const std::optional<std::string> text, r.OptionalString("signature"));
  if (!text) return std::optional<SignatureExpect>();
  if (*text == "valid") return std::optional<SignatureExpect>(SignatureExpect::kValid);
  if (*text == "absent") return std::optional<SignatureExpect>(SignatureExpect::kAbsent);
  return Error(r.PointerTo("signature"), "expected 'valid' or 'absent', got '" + *text + "'");
}

Result<RequestMatcher> ParseMatcher(const Json& value, const std::string& at,
                                    const Captures& captures, const Scenario& scenario) {
  MULTIHOOK_ASSIGN_OR_RETURN(const ObjectReader r, ObjectReader::Open(value, at, kMatcherKeys));
  RequestMatcher m;
  m.at = at;
  MULTIHOOK_ASSIGN_OR_RETURN(m.path, r.OptionalString("path"));
  if (const Json* body = r.Find("body")) {
    MULTIHOOK_ASSIGN_OR_RETURN(m.body, PointerMatches(*body, r.PointerTo("body"), true));
  }
  if (const Json* headers = r.Find("headers")) {
    MULTIHOOK_ASSIGN_OR_RETURN(m.headers, HeaderMatches(*headers, r.PointerTo("headers")));
  }
  MULTIHOOK_ASSIGN_OR_RETURN(m.message, r.OptionalString("message"));
  if (m.message && !captures.messages.count(*m.message)) {
    return Error(r.PointerTo("message"), "no step has \"as\": \"" + *m.message + "\"");
  }
  MULTIHOOK_ASSIGN_OR_RETURN(m.signature, ParseSignature(r));
  if (const Json* same = r.Find("same_as")) {
    MULTIHOOK_ASSIGN_OR_RETURN(m.same_as, ParseSameAs(*same, r.PointerTo("same_as"), scenario));
  }
  return m;
}

Result<ReceiverExpect> ParseReceiverExpect(const std::string& name, const Json& value,
                                           const std::string& at, const Scenario& scenario,
                                           const Captures& captures) {
  if (FindReceiver(scenario, name) == nullptr) return UnknownReceiver(scenario, at, name);
  MULTIHOOK_ASSIGN_OR_RETURN(const ObjectReader r,
                             ObjectReader::Open(value, at, kReceiverExpectKeys));
  ReceiverExpect e;
  e.at = at;
  e.receiver = name;
  MULTIHOOK_ASSIGN_OR_RETURN(const auto count, r.OptionalInteger("count", 0, 1'000'000));
  if (count) e.count = static_cast<std::size_t>(*count);
  if (const Json* requests = r.Find("requests")) {
    const std::string rat = r.PointerTo("requests");
    if (!requests->is_array()) return codec::TypeError(rat, "an array", *requests);
    for (std::size_t i = 0; i < requests->size(); ++i) {
      MULTIHOOK_ASSIGN_OR_RETURN(RequestMatcher m,
                                 ParseMatcher((*requests)[i], Child(rat, i), captures, scenario));
      e.requests.push_back(std::move(m));
    }
    if (!e.count) e.count = e.requests.size();
    if (e.requests.size() > *e.count) {
      return Error(rat, "more request matchers than the expected count");
    }
  }
  if (const Json* every = r.Find("every")) {
    MULTIHOOK_ASSIGN_OR_RETURN(e.every,
                               ParseMatcher(*every, r.PointerTo("every"), captures, scenario));
  }
  return e;
}

// "state": a name the engine reports, decoded by its one owner (core::ParseEventState /
// ParseExtraState).
template <typename State>
Result<std::optional<State>> StateName(const ObjectReader& r,
                                       std::optional<State> (*parse)(std::string_view),
                                       std::string_view what) {
  MULTIHOOK_ASSIGN_OR_RETURN(std::optional<std::string> name, r.OptionalString("state"));
  if (!name) return std::optional<State>();
  const std::optional<State> state = parse(*name);
  if (!state) {
    return Error(r.PointerTo("state"), "unknown " + std::string(what) + " state '" + *name + "'");
  }
  return state;
}

Result<ExtraExpect> ParseExtraExpect(const std::string& destination, const Json& value,
                                     const std::string& at) {
  MULTIHOOK_ASSIGN_OR_RETURN(const ObjectReader r, ObjectReader::Open(value, at, kExtraExpectKeys));
  ExtraExpect xe;
  xe.at = at;
  xe.destination = destination;
  MULTIHOOK_ASSIGN_OR_RETURN(xe.state, StateName(r, core::ParseExtraState, "extra"));
  if (const Json* latency = r.Find("added_latency")) {
    MULTIHOOK_ASSIGN_OR_RETURN(
        const ObjectReader l,
        ObjectReader::Open(*latency, r.PointerTo("added_latency"), kLatencyKeys));
    MULTIHOOK_ASSIGN_OR_RETURN(xe.added_latency_min, OptionalDuration(l, "min"));
    MULTIHOOK_ASSIGN_OR_RETURN(xe.added_latency_max, OptionalDuration(l, "max"));
  }
  return xe;
}

Result<EventExpect> ParseEventExpect(const std::string& capture, const Json& value,
                                     const std::string& at, const Captures& captures) {
  if (!captures.events.count(capture)) {
    return Error(at, "no inbound step has \"as\": \"" + capture + "\"");
  }
  MULTIHOOK_ASSIGN_OR_RETURN(const ObjectReader r, ObjectReader::Open(value, at, kEventExpectKeys));
  EventExpect e;
  e.at = at;
  e.capture = capture;
  MULTIHOOK_ASSIGN_OR_RETURN(e.state, StateName(r, core::ParseEventState, "event"));
  if (const Json* attempts = r.Find("attempts")) {
    const std::string aat = r.PointerTo("attempts");
    if (!attempts->is_array()) return codec::TypeError(aat, "an array", *attempts);
    e.attempts.emplace();
    for (std::size_t i = 0; i < attempts->size(); ++i) {
      MULTIHOOK_ASSIGN_OR_RETURN(std::string attempt,
                                 NonEmptyElement((*attempts)[i], Child(aat, i)));
      e.attempts->push_back(std::move(attempt));
    }
  }
  if (const Json* extras = r.Find("extras")) {
    const std::string xsat = r.PointerTo("extras");
    if (!extras->is_object()) return codec::TypeError(xsat, "an object", *extras);
    for (const auto& item : extras->items()) {
      MULTIHOOK_ASSIGN_OR_RETURN(
          ExtraExpect xe, ParseExtraExpect(item.key(), item.value(), Child(xsat, item.key())));
      e.extras.push_back(std::move(xe));
    }
  }
  return e;
}

}  // namespace

Status ParseExpect(const Json& value, const std::string& at, Scenario& scenario,
                   const Captures& captures) {
  MULTIHOOK_ASSIGN_OR_RETURN(const ObjectReader r, ObjectReader::Open(value, at, kExpectKeys));
  MULTIHOOK_ASSIGN_OR_RETURN(const auto mode, r.OptionalString("unexpected"));
  if (mode) {
    if (*mode != "fail" && *mode != "ignore") {
      return Error(r.PointerTo("unexpected"), "expected 'fail' or 'ignore', got '" + *mode + "'");
    }
    scenario.unexpected_fails = *mode == "fail";
  }
  if (const Json* receivers = r.Find("receivers")) {
    const std::string rsat = r.PointerTo("receivers");
    if (!receivers->is_object()) return codec::TypeError(rsat, "an object", *receivers);
    for (const auto& item : receivers->items()) {
      MULTIHOOK_ASSIGN_OR_RETURN(
          ReceiverExpect e, ParseReceiverExpect(item.key(), item.value(), Child(rsat, item.key()),
                                                scenario, captures));
      scenario.receiver_expects.push_back(std::move(e));
    }
  }
  if (const Json* events = r.Find("events")) {
    const std::string esat = r.PointerTo("events");
    if (!events->is_object()) return codec::TypeError(esat, "an object", *events);
    for (const auto& item : events->items()) {
      MULTIHOOK_ASSIGN_OR_RETURN(
          EventExpect e,
          ParseEventExpect(item.key(), item.value(), Child(esat, item.key()), captures));
      scenario.event_expects.push_back(std::move(e));
    }
  }
  return Status::Ok();
}

}  // namespace multihook::harness::loader
