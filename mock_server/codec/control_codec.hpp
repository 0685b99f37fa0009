// The one codec of the control API's bodies (everything under /mock, docs/openapi.json): the
// journal page, an event's status, stats, the clock, routes, channels, the change log, the
// options, and the small answers and requests (inbound, flush, reset, advance, route). The routes
// encode through it and every client (harness::MockClient, hence the scenario runner, the tests'
// TestMock and the benchmarks) decodes through it, so a renamed field breaks a round-trip test
// here instead of a scenario at run time.
//
// Layering: the bodies are plain wire records of this namespace, built from core types only
// (the states, gates and error classes moved down to core/delivery_states.hpp for this). The
// codec therefore sits beside the store, below the delivery engine: the routes (http, which sees
// both) convert the engine's records to these, and a partner's test can decode the mock's answers
// with multihook::codec alone, without linking the engine.
//
// Encoding writes the exact bytes docs/openapi.json documents (compact, keys in a fixed order).
// Decoding is strict: malformed JSON, an unknown or missing field, a mistyped value or an
// unknown state name is an invalid_argument error naming the JSON pointer; never a silent "".
//
// Free functions of their arguments; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mock_server/core/delivery_states.hpp"
#include "mock_server/core/status.hpp"
#include "mock_server/core/webhook_config.hpp"

namespace multihook::codec::control {

// One delivery attempt, as GET /mock/deliveries and GET /mock/events/{id} show it.
struct Attempt {
  std::string event_id;
  std::string destination;  // "main" or the extra's name
  std::string url;
  int attempt = 0;
  core::Gate gate = core::Gate::kClosed;
  int status = 0;  // the HTTP status when error is kNone ("status": null otherwise)
  core::ErrorClass error = core::ErrorClass::kNone;  // kNone: "error": null
  std::string detail;
  bool succeeded = false;
  long long started_at_us = 0;  // Unix microseconds
  long long duration_us = 0;

  // "200", "503", or the error class name ("timeout", ...).
  std::string Outcome() const;
  bool operator==(const Attempt&) const = default;
};

// GET /mock/deliveries.
struct JournalPage {
  std::vector<Attempt> deliveries;  // oldest first
  bool timed_out = false;
  std::uint64_t dropped = 0;
  bool operator==(const JournalPage&) const = default;
};

struct Extra {
  std::string destination;
  core::ExtraState state = core::ExtraState::kWaiting;
  int attempts = 0;
  std::optional<long long> added_latency_us;  // null until its first answer
  bool operator==(const Extra&) const = default;
};

// GET /mock/events/{event_id}.
struct Event {
  std::string event_id;
  core::EventState state = core::EventState::kPending;
  std::string detail;
  std::vector<Extra> extras;  // the fan-out plan in order; empty until main's 200
  std::vector<Attempt> attempts;
  // What was delivered, while the mock keeps it (--keep-bodies); null once evicted. The body is
  // the same bytes for main and every extra; the signature is null when unsigned too.
  std::optional<std::string> type;  // "text", ..., "status:delivered", "error", "payload"
  std::optional<std::string> body;
  std::optional<std::string> signature;  // the x-360dialog-signature header
  // The extra named `destination`, or nullptr.
  const Extra* FindExtra(std::string_view destination) const;
  bool operator==(const Event&) const = default;
};

struct Latency {
  std::uint64_t count = 0;
  long long p50 = 0, p90 = 0, p99 = 0, max = 0;  // microseconds
  bool operator==(const Latency&) const = default;
};

struct DestinationStats {
  std::string phone_number_id;
  std::string destination;
  std::uint64_t attempts = 0;
  std::uint64_t succeeded = 0;
  std::map<std::string, std::uint64_t> outcomes;  // "200", "timeout", ... -> count
  Latency latency_us;
  std::optional<Latency> added_latency_us;  // extras only
  bool operator==(const DestinationStats&) const = default;
};

// GET /mock/stats.
struct Stats {
  std::uint64_t submitted = 0;
  std::uint64_t delivered = 0;
  std::uint64_t expired = 0;
  std::uint64_t undeliverable = 0;
  std::uint64_t in_progress = 0;
  std::uint64_t journal_dropped = 0;
  std::vector<DestinationStats> destinations;
  bool operator==(const Stats&) const = default;
};

enum class ClockMode { kReal, kVirtual };

// GET /mock/clock, and POST /mock/clock/advance (with attempts_run).
struct ClockState {
  ClockMode mode = ClockMode::kReal;
  long long now_us = 0;
  std::optional<std::uint64_t> attempts_run;
  bool operator==(const ClockState&) const = default;
};

// GET and POST /mock/routes: "HOST=URL" each.
struct Routes {
  std::vector<std::string> routes;
  bool operator==(const Routes&) const = default;
};

// GET /mock/changes.
struct Change {
  std::uint64_t sequence = 0;
  std::string api_key;
  std::string method;
  std::string path;
  long long accepted_at_us = 0;
  long long due_at_us = 0;
  bool applied = false;
  std::vector<std::string> warnings;
  std::vector<std::string> skipped;
  bool operator==(const Change&) const = default;
};
struct ChangeLog {
  std::vector<Change> changes;
  std::uint64_t dropped = 0;
  bool operator==(const ChangeLog&) const = default;
};

// POST /mock/inbound's 202.
struct InboundAnswer {
  std::string event_id;
  std::optional<std::string> message_id;  // for message notifications
  bool operator==(const InboundAnswer&) const = default;
};

// POST /mock/flush.
struct FlushAnswer {
  std::uint64_t applied = 0;
  bool operator==(const FlushAnswer&) const = default;
};

// GET and PATCH /mock/options: the keys of a `multihook-mock --config` file, whose format the
// composition root owns (app/mock_options); here an object kept as written, keys in order.
struct Options {
  nlohmann::ordered_json values = nlohmann::ordered_json::object();
  bool operator==(const Options&) const = default;
};

// The largest POST /mock/clock/advance: ten years.
inline constexpr std::uint64_t kMaxAdvanceMs = 10ULL * 366 * 24 * 3600 * 1000;

std::string Encode(const Attempt& attempt);  // one record, as in a page (for messages)
std::string Encode(const JournalPage& page);
std::string Encode(const Event& event);
std::string Encode(const Stats& stats);
std::string Encode(const ClockState& clock);
std::string Encode(const Routes& routes);
std::string Encode(const ChangeLog& log);
std::string Encode(const InboundAnswer& answer);
std::string Encode(const FlushAnswer& answer);
std::string Encode(const Options& options);
std::string Encode(const core::ChannelIdentity& channel);                // POST /mock/channels
std::string Encode(const std::vector<core::ChannelIdentity>& channels);  // GET: {"channels"}
// {"message": "..."}: POST /mock/reset's "state reset".
std::string EncodeMessage(std::string_view message);
// Requests: POST /mock/clock/advance {"ms"}, POST /mock/routes {"route"}.
std::string EncodeAdvanceRequest(std::uint64_t ms);
std::string EncodeRouteRequest(std::string_view route);

core::Result<JournalPage> DecodeJournalPage(std::string_view body);
core::Result<Event> DecodeEvent(std::string_view body);
core::Result<Stats> DecodeStats(std::string_view body);
core::Result<ClockState> DecodeClock(std::string_view body);
core::Result<Routes> DecodeRoutes(std::string_view body);
core::Result<ChangeLog> DecodeChangeLog(std::string_view body);
core::Result<InboundAnswer> DecodeInboundAnswer(std::string_view body);
core::Result<FlushAnswer> DecodeFlushAnswer(std::string_view body);
core::Result<Options> DecodeOptions(std::string_view body);
core::Result<core::ChannelIdentity> DecodeChannel(std::string_view body);
core::Result<std::vector<core::ChannelIdentity>> DecodeChannels(std::string_view body);
core::Result<std::string> DecodeMessage(std::string_view body);
// The reason of an error answer, {"error": "..."}.
core::Result<std::string> DecodeError(std::string_view body);
// POST /mock/clock/advance: {"ms": 0..kMaxAdvanceMs}, the wording of the mock's 400s.
core::Result<std::uint64_t> DecodeAdvanceRequest(std::string_view body);
// POST /mock/routes: {"route": "HOST=URL"} (the route itself is parsed by core::ParseHostRoute).
core::Result<std::string> DecodeRouteRequest(std::string_view body);

}  // namespace multihook::codec::control
