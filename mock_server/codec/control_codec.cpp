#include "mock_server/codec/control_codec.hpp"

#include <limits>
#include <type_traits>
#include <utility>

#include "mock_server/codec/json_reader.hpp"
#include "mock_server/codec/webhook_codec.hpp"
#include "mock_server/core/url_rules.hpp"

namespace multihook::codec::control {
namespace {

using OrderedJson = nlohmann::ordered_json;

// --- decoding helpers: every error names the pointer --------------------------------------------

const Json& Required(const ObjectReader& r, std::string_view key, core::Status& error) {
  static const Json kNull;
  const Json* value = r.Find(key);
  if (value == nullptr) {
    error = core::InvalidArgument(r.PointerTo(key), "is required");
    return kNull;
  }
  return *value;
}

template <typename T>
core::Result<T> IntegerAt(const Json& value, const std::string& pointer) {
  if (std::is_unsigned_v<T> ? !value.is_number_unsigned() : !value.is_number_integer()) {
    return TypeError(pointer, std::is_unsigned_v<T> ? "a whole number" : "an integer", value);
  }
  if constexpr (std::is_unsigned_v<T>) {
    const auto v = value.get<std::uint64_t>();
    if (v > std::numeric_limits<T>::max()) return core::InvalidArgument(pointer, "out of range");
    return static_cast<T>(v);
  } else {
    const auto v = value.get<std::int64_t>();
    if (v < std::numeric_limits<T>::min() || v > std::numeric_limits<T>::max()) {
      return core::InvalidArgument(pointer, "out of range");
    }
    return static_cast<T>(v);
  }
}

template <typename T>
core::Result<T> Integer(const ObjectReader& r, std::string_view key) {
  core::Status missing;
  const Json& value = Required(r, key, missing);
  MULTIHOOK_RETURN_IF_ERROR(missing);
  return IntegerAt<T>(value, r.PointerTo(key));
}

// A member that must be present and may be null.
template <typename T>
core::Result<std::optional<T>> NullableInteger(const ObjectReader& r, std::string_view key) {
  core::Status missing;
  const Json& value = Required(r, key, missing);
  MULTIHOOK_RETURN_IF_ERROR(missing);
  if (value.is_null()) return std::optional<T>();
  MULTIHOOK_ASSIGN_OR_RETURN(T v, IntegerAt<T>(value, r.PointerTo(key)));
  return std::optional<T>(v);
}

OrderedJson NullOr(const std::optional<std::string>& text) {
  return text ? OrderedJson(*text) : OrderedJson(nullptr);
}

core::Result<std::optional<std::string>> NullableString(const ObjectReader& r,
                                                        std::string_view key) {
  core::Status missing;
  const Json& value = Required(r, key, missing);
  MULTIHOOK_RETURN_IF_ERROR(missing);
  if (value.is_null()) return std::optional<std::string>();
  if (!value.is_string()) return TypeError(r.PointerTo(key), "a string or null", value);
  return std::optional<std::string>(value.get<std::string>());
}

// A state name through its parser: an unknown name is an error, never a default.
template <typename Enum, typename Parse>
core::Result<Enum> Named(const ObjectReader& r, std::string_view key, Parse parse,
                         std::string_view what) {
  MULTIHOOK_ASSIGN_OR_RETURN(std::string name, r.RequiredString(key));
  if (std::optional<Enum> value = parse(name)) return *value;
  return core::InvalidArgument(r.PointerTo(key),
                               "unknown " + std::string(what) + " '" + name + "'");
}

// Each element of the array at `key` through `decode(element, pointer)`.
template <typename T, typename DecodeFn>
core::Result<std::vector<T>> Array(const ObjectReader& r, std::string_view key, DecodeFn decode) {
  core::Status missing;
  const Json& value = Required(r, key, missing);
  MULTIHOOK_RETURN_IF_ERROR(missing);
  if (!value.is_array()) return TypeError(r.PointerTo(key), "an array", value);
  std::vector<T> out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    MULTIHOOK_ASSIGN_OR_RETURN(T item,
                               decode(value[i], r.PointerTo(key) + "/" + std::to_string(i)));
    out.push_back(std::move(item));
  }
  return out;
}

core::Result<std::string> StringAt(const Json& value, const std::string& pointer) {
  if (!value.is_string()) return TypeError(pointer, "a string", value);
  return value.get<std::string>();
}

// Parses `body` and decodes its top-level object with `decode(json, "")`.
template <typename DecodeFn>
auto DecodeBody(std::string_view body, DecodeFn decode) -> decltype(decode(Json(), "")) {
  MULTIHOOK_ASSIGN_OR_RETURN(Json json, ParseBody(body));
  return decode(json, "");
}

// --- the records --------------------------------------------------------------------------------

OrderedJson AttemptJson(const Attempt& a) {
  const bool answered = a.error == core::ErrorClass::kNone;
  return OrderedJson{
      {"event_id", a.event_id},
      {"destination", a.destination},
      {"url", a.url},
      {"attempt", a.attempt},
      {"gate", core::GateName(a.gate)},
      {"status", answered ? OrderedJson(a.status) : OrderedJson(nullptr)},
      {"error", answered ? OrderedJson(nullptr) : OrderedJson(core::ErrorClassName(a.error))},
      {"detail", a.detail},
      {"succeeded", a.succeeded},
      {"started_at_us", a.started_at_us},
      {"duration_us", a.duration_us}};
}

// "status" and "error": exactly one of them is null.
core::Status ReadOutcome(const ObjectReader& r, Attempt& a) {
  MULTIHOOK_ASSIGN_OR_RETURN(std::optional<int> status, NullableInteger<int>(r, "status"));
  MULTIHOOK_ASSIGN_OR_RETURN(std::optional<std::string> error, NullableString(r, "error"));
  if (status.has_value() == error.has_value()) {
    return core::InvalidArgument(r.PointerTo("status"),
                                 "exactly one of status and error must be null");
  }
  if (status) {
    a.status = *status;
    return core::Status::Ok();
  }
  const std::optional<core::ErrorClass> parsed = core::ParseErrorClass(*error);
  if (!parsed || *parsed == core::ErrorClass::kNone) {
    return core::InvalidArgument(r.PointerTo("error"), "unknown error class '" + *error + "'");
  }
  a.error = *parsed;
  return core::Status::Ok();
}

core::Result<Attempt> AttemptFrom(const Json& json, const std::string& pointer) {
  MULTIHOOK_ASSIGN_OR_RETURN(
      ObjectReader r,
      ObjectReader::Open(json, pointer,
                         {"event_id", "destination", "url", "attempt", "gate", "status", "error",
                          "detail", "succeeded", "started_at_us", "duration_us"}));
  Attempt a;
  MULTIHOOK_ASSIGN_OR_RETURN(a.event_id, r.RequiredString("event_id"));
  MULTIHOOK_ASSIGN_OR_RETURN(a.destination, r.RequiredString("destination"));
  MULTIHOOK_ASSIGN_OR_RETURN(a.url, r.RequiredString("url"));
  MULTIHOOK_ASSIGN_OR_RETURN(a.attempt, Integer<int>(r, "attempt"));
  MULTIHOOK_ASSIGN_OR_RETURN(a.gate, Named<core::Gate>(r, "gate", core::ParseGate, "gate"));
  MULTIHOOK_RETURN_IF_ERROR(ReadOutcome(r, a));
  MULTIHOOK_ASSIGN_OR_RETURN(a.detail, r.RequiredString("detail"));
  MULTIHOOK_ASSIGN_OR_RETURN(a.succeeded, r.RequiredBool("succeeded"));
  MULTIHOOK_ASSIGN_OR_RETURN(a.started_at_us, Integer<long long>(r, "started_at_us"));
  MULTIHOOK_ASSIGN_OR_RETURN(a.duration_us, Integer<long long>(r, "duration_us"));
  return a;
}

OrderedJson AttemptsJson(const std::vector<Attempt>& attempts) {
  OrderedJson list = OrderedJson::array();
  for (const Attempt& a : attempts) list.push_back(AttemptJson(a));
  return list;
}

OrderedJson ExtraJson(const Extra& e) {
  return OrderedJson{
      {"destination", e.destination},
      {"state", core::ExtraStateName(e.state)},
      {"attempts", e.attempts},
      {"added_latency_us", e.added_latency_us ? OrderedJson(*e.added_latency_us) : nullptr}};
}

core::Result<Extra> ExtraFrom(const Json& json, const std::string& pointer) {
  MULTIHOOK_ASSIGN_OR_RETURN(
      ObjectReader r,
      ObjectReader::Open(json, pointer, {"destination", "state", "attempts", "added_latency_us"}));
  Extra e;
  MULTIHOOK_ASSIGN_OR_RETURN(e.destination, r.RequiredString("destination"));
  MULTIHOOK_ASSIGN_OR_RETURN(
      e.state, Named<core::ExtraState>(r, "state", core::ParseExtraState, "extra state"));
  MULTIHOOK_ASSIGN_OR_RETURN(e.attempts, Integer<int>(r, "attempts"));
  MULTIHOOK_ASSIGN_OR_RETURN(e.added_latency_us, NullableInteger<long long>(r, "added_latency_us"));
  return e;
}

OrderedJson LatencyJson(const Latency& l) {
  return OrderedJson{
      {"count", l.count}, {"p50", l.p50}, {"p90", l.p90}, {"p99", l.p99}, {"max", l.max}};
}

core::Result<Latency> LatencyFrom(const Json& json, const std::string& pointer) {
  MULTIHOOK_ASSIGN_OR_RETURN(
      ObjectReader r, ObjectReader::Open(json, pointer, {"count", "p50", "p90", "p99", "max"}));
  Latency l;
  MULTIHOOK_ASSIGN_OR_RETURN(l.count, Integer<std::uint64_t>(r, "count"));
  MULTIHOOK_ASSIGN_OR_RETURN(l.p50, Integer<long long>(r, "p50"));
  MULTIHOOK_ASSIGN_OR_RETURN(l.p90, Integer<long long>(r, "p90"));
  MULTIHOOK_ASSIGN_OR_RETURN(l.p99, Integer<long long>(r, "p99"));
  MULTIHOOK_ASSIGN_OR_RETURN(l.max, Integer<long long>(r, "max"));
  return l;
}

OrderedJson DestinationJson(const DestinationStats& d) {
  OrderedJson outcomes = OrderedJson::object();
  for (const auto& [outcome, count] : d.outcomes) outcomes[outcome] = count;
  OrderedJson entry{{"phone_number_id", d.phone_number_id},
                    {"destination", d.destination},
                    {"attempts", d.attempts},
                    {"succeeded", d.succeeded},
                    {"outcomes", std::move(outcomes)},
                    {"latency_us", LatencyJson(d.latency_us)}};
  if (d.added_latency_us) entry["added_latency_us"] = LatencyJson(*d.added_latency_us);
  return entry;
}

core::Result<std::map<std::string, std::uint64_t>> OutcomesFrom(const ObjectReader& r) {
  core::Status missing;
  const Json& value = Required(r, "outcomes", missing);
  MULTIHOOK_RETURN_IF_ERROR(missing);
  if (!value.is_object()) return TypeError(r.PointerTo("outcomes"), "an object", value);
  std::map<std::string, std::uint64_t> outcomes;
  for (const auto& item : value.items()) {
    const std::string pointer = r.PointerTo("outcomes") + "/" + core::PointerToken(item.key());
    MULTIHOOK_ASSIGN_OR_RETURN(outcomes[item.key()],
                               IntegerAt<std::uint64_t>(item.value(), pointer));
  }
  return outcomes;
}

core::Result<DestinationStats> DestinationFrom(const Json& json, const std::string& pointer) {
  MULTIHOOK_ASSIGN_OR_RETURN(
      ObjectReader r, ObjectReader::Open(json, pointer,
                                         {"phone_number_id", "destination", "attempts", "succeeded",
                                          "outcomes", "latency_us", "added_latency_us"}));
  DestinationStats d;
  MULTIHOOK_ASSIGN_OR_RETURN(d.phone_number_id, r.RequiredString("phone_number_id"));
  MULTIHOOK_ASSIGN_OR_RETURN(d.destination, r.RequiredString("destination"));
  MULTIHOOK_ASSIGN_OR_RETURN(d.attempts, Integer<std::uint64_t>(r, "attempts"));
  MULTIHOOK_ASSIGN_OR_RETURN(d.succeeded, Integer<std::uint64_t>(r, "succeeded"));
  MULTIHOOK_ASSIGN_OR_RETURN(d.outcomes, OutcomesFrom(r));
  core::Status missing;
  const Json& latency = Required(r, "latency_us", missing);
  MULTIHOOK_RETURN_IF_ERROR(missing);
  MULTIHOOK_ASSIGN_OR_RETURN(d.latency_us, LatencyFrom(latency, r.PointerTo("latency_us")));
  if (const Json* added = r.Find("added_latency_us")) {
    MULTIHOOK_ASSIGN_OR_RETURN(d.added_latency_us,
                               LatencyFrom(*added, r.PointerTo("added_latency_us")));
  }
  return d;
}

OrderedJson ChannelJson(const core::ChannelIdentity& c) {
  return OrderedJson{{"api_key", c.api_key},
                     {"phone_number_id", c.phone_number_id},
                     {"display_phone_number", c.display_phone_number},
                     {"waba_id", c.waba_id}};
}

core::Result<core::ChannelIdentity> ChannelFrom(const Json& json, const std::string& pointer) {
  MULTIHOOK_ASSIGN_OR_RETURN(
      ObjectReader r,
      ObjectReader::Open(json, pointer,
                         {"api_key", "phone_number_id", "display_phone_number", "waba_id"}));
  core::ChannelIdentity c;
  MULTIHOOK_ASSIGN_OR_RETURN(c.api_key, r.RequiredString("api_key"));
  MULTIHOOK_ASSIGN_OR_RETURN(c.phone_number_id, r.RequiredString("phone_number_id"));
  MULTIHOOK_ASSIGN_OR_RETURN(c.display_phone_number, r.RequiredString("display_phone_number"));
  MULTIHOOK_ASSIGN_OR_RETURN(c.waba_id, r.RequiredString("waba_id"));
  return c;
}

core::Result<Change> ChangeFrom(const Json& json, const std::string& pointer) {
  MULTIHOOK_ASSIGN_OR_RETURN(
      ObjectReader r, ObjectReader::Open(json, pointer,
                                         {"sequence", "api_key", "method", "path", "accepted_at_us",
                                          "due_at_us", "applied", "warnings", "skipped"}));
  Change c;
  MULTIHOOK_ASSIGN_OR_RETURN(c.sequence, Integer<std::uint64_t>(r, "sequence"));
  MULTIHOOK_ASSIGN_OR_RETURN(c.api_key, r.RequiredString("api_key"));
  MULTIHOOK_ASSIGN_OR_RETURN(c.method, r.RequiredString("method"));
  MULTIHOOK_ASSIGN_OR_RETURN(c.path, r.RequiredString("path"));
  MULTIHOOK_ASSIGN_OR_RETURN(c.accepted_at_us, Integer<long long>(r, "accepted_at_us"));
  MULTIHOOK_ASSIGN_OR_RETURN(c.due_at_us, Integer<long long>(r, "due_at_us"));
  MULTIHOOK_ASSIGN_OR_RETURN(c.applied, r.RequiredBool("applied"));
  MULTIHOOK_ASSIGN_OR_RETURN(c.warnings, Array<std::string>(r, "warnings", StringAt));
  MULTIHOOK_ASSIGN_OR_RETURN(c.skipped, Array<std::string>(r, "skipped", StringAt));
  return c;
}

}  // namespace

std::string Attempt::Outcome() const {
  if (error != core::ErrorClass::kNone) return std::string(core::ErrorClassName(error));
  return std::to_string(status);
}

const Extra* Event::FindExtra(std::string_view destination) const {
  for (const Extra& e : extras) {
    if (e.destination == destination) return &e;
  }
  return nullptr;
}

// --- encoding -----------------------------------------------------------------------------------

std::string Encode(const Attempt& attempt) { return ToText(AttemptJson(attempt)); }

std::string Encode(const JournalPage& page) {
  return ToText(OrderedJson{{"deliveries", AttemptsJson(page.deliveries)},
                            {"timed_out", page.timed_out},
                            {"dropped", page.dropped}});
}

std::string Encode(const Event& event) {
  OrderedJson extras = OrderedJson::array();
  for (const Extra& e : event.extras) extras.push_back(ExtraJson(e));
  return ToText(OrderedJson{{"event_id", event.event_id},
                            {"state", core::EventStateName(event.state)},
                            {"detail", event.detail},
                            {"extras", std::move(extras)},
                            {"attempts", AttemptsJson(event.attempts)},
                            {"type", NullOr(event.type)},
                            {"body", NullOr(event.body)},
                            {"signature", NullOr(event.signature)}});
}

std::string Encode(const Stats& stats) {
  OrderedJson destinations = OrderedJson::array();
  for (const DestinationStats& d : stats.destinations) destinations.push_back(DestinationJson(d));
  return ToText(OrderedJson{{"submitted", stats.submitted},
                            {"delivered", stats.delivered},
                            {"expired", stats.expired},
                            {"undeliverable", stats.undeliverable},
                            {"in_progress", stats.in_progress},
                            {"journal_dropped", stats.journal_dropped},
                            {"destinations", std::move(destinations)}});
}

std::string Encode(const ClockState& clock) {
  OrderedJson json{{"mode", clock.mode == ClockMode::kVirtual ? "virtual" : "real"},
                   {"now_us", clock.now_us}};
  if (clock.attempts_run) json["attempts_run"] = *clock.attempts_run;
  return ToText(json);
}

std::string Encode(const Routes& routes) { return ToText(OrderedJson{{"routes", routes.routes}}); }

std::string Encode(const ChangeLog& log) {
  OrderedJson changes = OrderedJson::array();
  for (const Change& c : log.changes) {
    changes.push_back(OrderedJson{{"sequence", c.sequence},
                                  {"api_key", c.api_key},
                                  {"method", c.method},
                                  {"path", c.path},
                                  {"accepted_at_us", c.accepted_at_us},
                                  {"due_at_us", c.due_at_us},
                                  {"applied", c.applied},
                                  {"warnings", c.warnings},
                                  {"skipped", c.skipped}});
  }
  return ToText(OrderedJson{{"changes", std::move(changes)}, {"dropped", log.dropped}});
}

std::string Encode(const InboundAnswer& answer) {
  OrderedJson json{{"event_id", answer.event_id}};
  if (answer.message_id) json["message_id"] = *answer.message_id;
  return ToText(json);
}

std::string Encode(const FlushAnswer& answer) {
  return ToText(OrderedJson{{"applied", answer.applied}});
}

std::string Encode(const Options& options) { return ToText(options.values); }

std::string Encode(const core::ChannelIdentity& channel) { return ToText(ChannelJson(channel)); }

std::string Encode(const std::vector<core::ChannelIdentity>& channels) {
  OrderedJson list = OrderedJson::array();
  for (const auto& c : channels) list.push_back(ChannelJson(c));
  return ToText(OrderedJson{{"channels", std::move(list)}});
}

std::string EncodeMessage(std::string_view message) { return codec::EncodeMessage(message); }

std::string EncodeAdvanceRequest(std::uint64_t ms) { return ToText(OrderedJson{{"ms", ms}}); }

std::string EncodeRouteRequest(std::string_view route) {
  return ToText(OrderedJson{{"route", route}});
}

// --- decoding -----------------------------------------------------------------------------------

core::Result<JournalPage> DecodeJournalPage(std::string_view body) {
  return DecodeBody(
      body, [](const Json& json, const std::string& pointer) -> core::Result<JournalPage> {
        MULTIHOOK_ASSIGN_OR_RETURN(
            ObjectReader r,
            ObjectReader::Open(json, pointer, {"deliveries", "timed_out", "dropped"}));
        JournalPage page;
        MULTIHOOK_ASSIGN_OR_RETURN(page.deliveries, Array<Attempt>(r, "deliveries", AttemptFrom));
        MULTIHOOK_ASSIGN_OR_RETURN(page.timed_out, r.RequiredBool("timed_out"));
        MULTIHOOK_ASSIGN_OR_RETURN(page.dropped, Integer<std::uint64_t>(r, "dropped"));
        return page;
      });
}

core::Result<Event> DecodeEvent(std::string_view body) {
  return DecodeBody(body, [](const Json& json, const std::string& pointer) -> core::Result<Event> {
    MULTIHOOK_ASSIGN_OR_RETURN(
        ObjectReader r, ObjectReader::Open(json, pointer,
                                           {"event_id", "state", "detail", "extras", "attempts",
                                            "type", "body", "signature"}));
    Event event;
    MULTIHOOK_ASSIGN_OR_RETURN(event.event_id, r.RequiredString("event_id"));
    MULTIHOOK_ASSIGN_OR_RETURN(
        event.state, Named<core::EventState>(r, "state", core::ParseEventState, "event state"));
    MULTIHOOK_ASSIGN_OR_RETURN(event.detail, r.RequiredString("detail"));
    MULTIHOOK_ASSIGN_OR_RETURN(event.extras, Array<Extra>(r, "extras", ExtraFrom));
    MULTIHOOK_ASSIGN_OR_RETURN(event.attempts, Array<Attempt>(r, "attempts", AttemptFrom));
    MULTIHOOK_ASSIGN_OR_RETURN(event.type, NullableString(r, "type"));
    MULTIHOOK_ASSIGN_OR_RETURN(event.body, NullableString(r, "body"));
    MULTIHOOK_ASSIGN_OR_RETURN(event.signature, NullableString(r, "signature"));
    return event;
  });
}

core::Result<Stats> DecodeStats(std::string_view body) {
  return DecodeBody(body, [](const Json& json, const std::string& pointer) -> core::Result<Stats> {
    MULTIHOOK_ASSIGN_OR_RETURN(
        ObjectReader r, ObjectReader::Open(json, pointer,
                                           {"submitted", "delivered", "expired", "undeliverable",
                                            "in_progress", "journal_dropped", "destinations"}));
    Stats s;
    MULTIHOOK_ASSIGN_OR_RETURN(s.submitted, Integer<std::uint64_t>(r, "submitted"));
    MULTIHOOK_ASSIGN_OR_RETURN(s.delivered, Integer<std::uint64_t>(r, "delivered"));
    MULTIHOOK_ASSIGN_OR_RETURN(s.expired, Integer<std::uint64_t>(r, "expired"));
    MULTIHOOK_ASSIGN_OR_RETURN(s.undeliverable, Integer<std::uint64_t>(r, "undeliverable"));
    MULTIHOOK_ASSIGN_OR_RETURN(s.in_progress, Integer<std::uint64_t>(r, "in_progress"));
    MULTIHOOK_ASSIGN_OR_RETURN(s.journal_dropped, Integer<std::uint64_t>(r, "journal_dropped"));
    MULTIHOOK_ASSIGN_OR_RETURN(s.destinations,
                               Array<DestinationStats>(r, "destinations", DestinationFrom));
    return s;
  });
}

core::Result<ClockState> DecodeClock(std::string_view body) {
  return DecodeBody(
      body, [](const Json& json, const std::string& pointer) -> core::Result<ClockState> {
        MULTIHOOK_ASSIGN_OR_RETURN(
            ObjectReader r, ObjectReader::Open(json, pointer, {"mode", "now_us", "attempts_run"}));
        ClockState clock;
        MULTIHOOK_ASSIGN_OR_RETURN(std::string mode, r.RequiredString("mode"));
        if (mode != "virtual" && mode != "real") {
          return core::InvalidArgument(r.PointerTo("mode"), "unknown clock mode '" + mode + "'");
        }
        clock.mode = mode == "virtual" ? ClockMode::kVirtual : ClockMode::kReal;
        MULTIHOOK_ASSIGN_OR_RETURN(clock.now_us, Integer<long long>(r, "now_us"));
        if (r.Has("attempts_run")) {
          MULTIHOOK_ASSIGN_OR_RETURN(clock.attempts_run, Integer<std::uint64_t>(r, "attempts_run"));
        }
        return clock;
      });
}

core::Result<Routes> DecodeRoutes(std::string_view body) {
  return DecodeBody(body, [](const Json& json, const std::string& pointer) -> core::Result<Routes> {
    MULTIHOOK_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Open(json, pointer, {"routes"}));
    Routes routes;
    MULTIHOOK_ASSIGN_OR_RETURN(routes.routes, Array<std::string>(r, "routes", StringAt));
    return routes;
  });
}

core::Result<ChangeLog> DecodeChangeLog(std::string_view body) {
  return DecodeBody(
      body, [](const Json& json, const std::string& pointer) -> core::Result<ChangeLog> {
        MULTIHOOK_ASSIGN_OR_RETURN(ObjectReader r,
                                   ObjectReader::Open(json, pointer, {"changes", "dropped"}));
        ChangeLog log;
        MULTIHOOK_ASSIGN_OR_RETURN(log.changes, Array<Change>(r, "changes", ChangeFrom));
        MULTIHOOK_ASSIGN_OR_RETURN(log.dropped, Integer<std::uint64_t>(r, "dropped"));
        return log;
      });
}

core::Result<InboundAnswer> DecodeInboundAnswer(std::string_view body) {
  return DecodeBody(
      body, [](const Json& json, const std::string& pointer) -> core::Result<InboundAnswer> {
        MULTIHOOK_ASSIGN_OR_RETURN(ObjectReader r,
                                   ObjectReader::Open(json, pointer, {"event_id", "message_id"}));
        InboundAnswer answer;
        MULTIHOOK_ASSIGN_OR_RETURN(answer.event_id, r.RequiredString("event_id"));
        MULTIHOOK_ASSIGN_OR_RETURN(answer.message_id, r.OptionalString("message_id"));
        return answer;
      });
}

core::Result<FlushAnswer> DecodeFlushAnswer(std::string_view body) {
  return DecodeBody(
      body, [](const Json& json, const std::string& pointer) -> core::Result<FlushAnswer> {
        MULTIHOOK_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Open(json, pointer, {"applied"}));
        FlushAnswer answer;
        MULTIHOOK_ASSIGN_OR_RETURN(answer.applied, Integer<std::uint64_t>(r, "applied"));
        return answer;
      });
}

core::Result<Options> DecodeOptions(std::string_view body) {
  // Strict parse first (duplicate keys, depth), then again keeping the keys' order.
  MULTIHOOK_ASSIGN_OR_RETURN(Json checked, ParseBody(body));
  if (!checked.is_object()) return TypeError("", "an object", checked);
  Options options;
  options.values = nlohmann::ordered_json::parse(body, nullptr, false);
  return options;
}

core::Result<core::ChannelIdentity> DecodeChannel(std::string_view body) {
  return DecodeBody(body, ChannelFrom);
}

core::Result<std::vector<core::ChannelIdentity>> DecodeChannels(std::string_view body) {
  return DecodeBody(
      body,
      [](const Json& json,
         const std::string& pointer) -> core::Result<std::vector<core::ChannelIdentity>> {
        MULTIHOOK_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Open(json, pointer, {"channels"}));
        return Array<core::ChannelIdentity>(r, "channels", ChannelFrom);
      });
}

namespace {
// {"KEY": "text"}, nothing else.
core::Result<std::string> DecodeSingleString(std::string_view body, std::string_view key) {
  MULTIHOOK_ASSIGN_OR_RETURN(Json json, ParseBody(body));
  MULTIHOOK_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Open(json, "", {key}));
  return r.RequiredString(key);
}
}  // namespace

core::Result<std::string> DecodeMessage(std::string_view body) {
  return DecodeSingleString(body, "message");
}

core::Result<std::string> DecodeError(std::string_view body) {
  return DecodeSingleString(body, "error");
}

core::Result<std::string> DecodeRouteRequest(std::string_view body) {
  return DecodeSingleString(body, "route");
}

core::Result<std::uint64_t> DecodeAdvanceRequest(std::string_view body) {
  MULTIHOOK_ASSIGN_OR_RETURN(Json json, ParseBody(body));
  MULTIHOOK_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Open(json, "", {"ms"}));
  const Json* ms = r.Find("ms");
  if (ms == nullptr) return core::InvalidArgument("/ms", "is required");
  if (!ms->is_number_unsigned() || ms->get<std::uint64_t>() > kMaxAdvanceMs) {
    return core::InvalidArgument("/ms",
                                 "expected a whole number of milliseconds from 0 to "
                                 "316224000000 (ten years)");
  }
  return ms->get<std::uint64_t>();
}

}  // namespace multihook::codec::control
