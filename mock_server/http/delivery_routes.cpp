#include "mock_server/http/delivery_routes.hpp"

#include <charconv>

#include "mock_server/codec/control_codec.hpp"
#include "mock_server/codec/notification_codec.hpp"
#include "mock_server/core/duration.hpp"
#include "mock_server/core/wire_names.hpp"
#include "mock_server/http/error_mapping.hpp"

namespace multihook::http {
namespace {

namespace control = codec::control;
using httplib::Request;
using httplib::Response;
using std::chrono::duration_cast;
using std::chrono::microseconds;

constexpr int kMaxWaitMs = 60'000;

// The channel of the request's API key (401 when missing or unknown).
core::Result<core::ChannelIdentity> Channel(const Request& req, store::ChannelStore& store) {
  MULTIHOOK_ASSIGN_OR_RETURN(std::string key, AuthenticatedKey(req, store));
  MULTIHOOK_ASSIGN_OR_RETURN(store::ChannelSnapshot snapshot, store.Snapshot(key));
  return snapshot.identity;
}

core::Result<std::optional<long long>> IntParam(const Request& req, const char* name, long long min,
                                                long long max) {
  if (!req.has_param(name)) return std::optional<long long>();
  const std::string text = req.get_param_value(name);
  long long value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < min ||
      value > max) {
    return core::InvalidArgument(
        std::string("?") + name,
        "expected a whole number from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return std::optional<long long>(value);
}

long long WallMicros(core::WallTime t) {
  return duration_cast<microseconds>(t.time_since_epoch()).count();
}

// --- the engine's records as the control codec's wire records ---------------------------------

control::Attempt ToWire(const delivery::AttemptRecord& r) {
  return control::Attempt{.event_id = r.event_id,
                          .destination = r.destination,
                          .url = r.url,
                          .attempt = r.attempt,
                          .gate = r.gate,
                          .status = r.status,
                          .error = r.error,
                          .detail = r.detail,
                          .succeeded = r.succeeded,
                          .started_at_us = WallMicros(r.started_wall),
                          .duration_us = r.duration.count()};
}

std::vector<control::Attempt> ToWire(const std::vector<delivery::AttemptRecord>& records) {
  std::vector<control::Attempt> out;
  out.reserve(records.size());
  for (const auto& r : records) out.push_back(ToWire(r));
  return out;
}

control::Latency ToWire(const delivery::Histogram& h) {
  return control::Latency{.count = h.Count(),
                          .p50 = h.Percentile(0.50).count(),
                          .p90 = h.Percentile(0.90).count(),
                          .p99 = h.Percentile(0.99).count(),
                          .max = h.Max().count()};
}

control::Event ToWire(const delivery::EventStatus& event,
                      const std::vector<delivery::AttemptRecord>& attempts) {
  control::Event out{.event_id = event.event_id,
                     .state = event.state,
                     .detail = event.detail,
                     .extras = {},
                     .attempts = ToWire(attempts),
                     .type = std::nullopt,
                     .body = std::nullopt,
                     .signature = std::nullopt};
  for (const auto& e : event.extras) {
    out.extras.push_back(control::Extra{
        .destination = e.destination,
        .state = e.state,
        .attempts = e.attempts,
        .added_latency_us =
            e.added_latency ? std::optional<long long>(e.added_latency->count()) : std::nullopt});
  }
  return out;
}

std::string PhoneNumberOf(store::ChannelStore& store, const std::string& api_key) {
  auto snapshot = store.Snapshot(api_key);
  return snapshot.ok() ? snapshot->identity.phone_number_id : std::string();
}

control::Stats ToWire(const delivery::EngineStats& stats, store::ChannelStore& store) {
  control::Stats out{.submitted = stats.submitted,
                     .delivered = stats.delivered,
                     .expired = stats.expired,
                     .undeliverable = stats.undeliverable,
                     .in_progress = stats.in_progress,
                     .journal_dropped = stats.journal_dropped,
                     .destinations = {}};
  for (const auto& d : stats.destinations) {
    control::DestinationStats entry{.phone_number_id = PhoneNumberOf(store, d.api_key),
                                    .destination = d.destination,
                                    .attempts = d.attempts,
                                    .succeeded = d.succeeded,
                                    .outcomes = d.outcomes,
                                    .latency_us = ToWire(d.latency),
                                    .added_latency_us = std::nullopt};
    if (d.destination != delivery::kMainDestination)
      entry.added_latency_us = ToWire(d.added_latency);
    out.destinations.push_back(std::move(entry));
  }
  return out;
}

// Submits `batch`, its bodies kept first (so that no view of a finished attempt misses its body)
// and forgotten again when the engine refuses it.
core::Status SubmitKept(const DeliveryContext& ctx, std::vector<delivery::Notification> batch,
                        const std::vector<std::string>& types) {
  const std::optional<std::string> secret = ctx.engine.options()->signing_secret;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    ctx.bodies.Keep(batch[i].event_id, types[i], batch[i].body, secret);
  }
  std::vector<std::string> ids;
  ids.reserve(batch.size());
  for (const auto& n : batch) ids.push_back(n.event_id);
  core::Status submitted = ctx.engine.SubmitAll(std::move(batch));
  if (!submitted.ok()) {
    for (const std::string& id : ids) ctx.bodies.Forget(id);
  }
  return submitted;
}

// --- handlers ------------------------------------------------------------------------------------

core::Status Inbound(const DeliveryContext& ctx, const Request& req, Response& res) {
  MULTIHOOK_ASSIGN_OR_RETURN(core::ChannelIdentity channel, Channel(req, ctx.store));
  MULTIHOOK_ASSIGN_OR_RETURN(codec::BuiltNotification built, ctx.ids.With([&](core::IdSource& ids) {
    return codec::BuildInboundNotification(req.body, channel, ctx.clock.WallNow(), ids);
  }));
  const control::InboundAnswer answer{built.event_id, built.message_id};
  std::vector<delivery::Notification> batch;
  batch.push_back({built.event_id, channel.api_key, std::move(built.body), {}});
  MULTIHOOK_RETURN_IF_ERROR(SubmitKept(ctx, std::move(batch), {built.type}));
  SetJson(res, 202, control::Encode(answer));
  return core::Status::Ok();
}

core::Status SendMessage(const DeliveryContext& ctx, const Request& req, Response& res) {
  MULTIHOOK_ASSIGN_OR_RETURN(core::ChannelIdentity channel, Channel(req, ctx.store));
  MULTIHOOK_ASSIGN_OR_RETURN(auto sent, ctx.ids.With([&](core::IdSource& ids) {
    return codec::BuildMessageSendResponse(req.body, ids);
  }));
  const StatusDelays delays = ctx.status_delays();
  const std::pair<codec::MessageStatus, core::Micros> script[] = {
      {codec::MessageStatus::kSent, delays.sent},
      {codec::MessageStatus::kDelivered, delays.delivered},
      {codec::MessageStatus::kRead, delays.read}};
  std::vector<delivery::Notification> statuses;
  std::vector<std::string> types;
  for (const auto& [status, delay] : script) {
    types.push_back("status:" + std::string(codec::MessageStatusName(status)));
    const core::WallTime at = ctx.clock.WallNow() + duration_cast<core::WallTime::duration>(delay);
    std::string event_id = ctx.ids.With(core::NewEventId);
    std::string body =
        codec::BuildStatusNotification(channel, sent.message_id, status, sent.to, at);
    statuses.push_back({std::move(event_id), channel.api_key, std::move(body), delay});
  }
  // All three or none: a refused send schedules nothing.
  MULTIHOOK_RETURN_IF_ERROR(SubmitKept(ctx, std::move(statuses), types));
  SetJson(res, 200, sent.response_body);
  return core::Status::Ok();
}

core::Status Deliveries(const DeliveryContext& ctx, const Request& req, Response& res) {
  delivery::JournalFilter filter;
  if (req.has_param("event_id")) filter.event_id = req.get_param_value("event_id");
  if (req.has_param("destination")) filter.destination = req.get_param_value("destination");
  MULTIHOOK_ASSIGN_OR_RETURN(auto min_count, IntParam(req, "min_count", 0, 100'000'000));
  MULTIHOOK_ASSIGN_OR_RETURN(auto timeout_ms, IntParam(req, "timeout_ms", 0, kMaxWaitMs));
  const delivery::Journal& journal = ctx.engine.journal();
  const delivery::JournalPage page =
      min_count.has_value() ? journal.WaitFor(filter, static_cast<std::size_t>(*min_count),
                                              std::chrono::milliseconds(timeout_ms.value_or(5'000)))
                            : journal.Query(filter);
  SetJson(
      res, 200,
      control::Encode(control::JournalPage{ToWire(page.entries), page.timed_out, page.dropped}));
  return core::Status::Ok();
}

core::Status GetEvent(const DeliveryContext& ctx, const Request& req, Response& res) {
  const std::string event_id = req.matches[1];
  MULTIHOOK_ASSIGN_OR_RETURN(delivery::EventStatus event, ctx.engine.GetEvent(event_id));
  delivery::JournalFilter filter;
  filter.event_id = event_id;
  control::Event wire = ToWire(event, ctx.engine.journal().Query(filter).entries);
  if (std::optional<delivery::KeptBody> kept = ctx.bodies.Find(event_id)) {
    wire.type = std::move(kept->type);
    wire.body = *kept->body;
    wire.signature = std::move(kept->signature);
  }
  SetJson(res, 200, control::Encode(wire));
  return core::Status::Ok();
}

void ListRoutes(const DeliveryContext& ctx, Response& res, int status) {
  control::Routes routes;
  for (const auto& r : ctx.transport.Routes()) routes.routes.push_back(r.ToString());
  SetJson(res, status, control::Encode(routes));
}

core::Status AddRoute(const DeliveryContext& ctx, const Request& req, Response& res) {
  MULTIHOOK_ASSIGN_OR_RETURN(std::string spec, control::DecodeRouteRequest(req.body));
  auto route = core::ParseHostRoute(spec);
  if (!route.ok()) return route.status().WithLocationPrefix("/route");
  ctx.transport.SetRoute(std::move(*route));
  ListRoutes(ctx, res, 201);
  return core::Status::Ok();
}

control::ClockState ClockNow(const DeliveryContext& ctx) {
  return control::ClockState{
      .mode = ctx.time.is_virtual() ? control::ClockMode::kVirtual : control::ClockMode::kReal,
      .now_us = WallMicros(ctx.clock.WallNow()),
      .attempts_run = std::nullopt};
}

core::Status Advance(const DeliveryContext& ctx, const Request& req, Response& res) {
  if (!ctx.time.is_virtual()) return RealClockError();
  MULTIHOOK_ASSIGN_OR_RETURN(std::uint64_t ms, control::DecodeAdvanceRequest(req.body));
  MULTIHOOK_ASSIGN_OR_RETURN(std::size_t ran, ctx.time.advance(std::chrono::milliseconds(ms)));
  control::ClockState answer = ClockNow(ctx);
  answer.attempts_run = ran;
  SetJson(res, 200, control::Encode(answer));
  return core::Status::Ok();
}

// A route whose handler answers an error status through SetError.
using Handler = core::Status (*)(const DeliveryContext&, const Request&, Response&);
Route Adapt(std::string method, std::string pattern, std::string path, const DeliveryContext& ctx,
            Handler handler, std::size_t max_body_bytes = kMaxConfigBodyBytes) {
  return {std::move(method), std::move(pattern), std::move(path),
          [ctx, handler](const Request& req, Response& res) {
            if (core::Status s = handler(ctx, req, res); !s.ok()) SetError(res, s);
          },
          max_body_bytes};
}

}  // namespace

core::Status RealClockError() {
  return core::Status(core::StatusCode::kFailedPrecondition, "",
                      "the clock is real; start the mock with --clock virtual");
}

std::vector<Route> DeliveryRoutes(const DeliveryContext& c) {
  const DeliveryContext ctx = c;  // copied into each handler: references stay valid
  std::vector<Route> routes;
  routes.push_back(
      Adapt("POST", "/mock/inbound", "/mock/inbound", ctx, Inbound, kMaxNotificationBodyBytes));
  routes.push_back(Adapt("POST", "/messages", "/messages", ctx, SendMessage));
  routes.push_back(Adapt("GET", "/mock/deliveries", "/mock/deliveries", ctx, Deliveries));
  routes.push_back(Adapt("GET", "/mock/events/(.+)", "/mock/events/{event_id}", ctx, GetEvent));
  routes.push_back({"GET", "/mock/stats", "/mock/stats", [ctx](const Request&, Response& res) {
                      SetJson(res, 200, control::Encode(ToWire(ctx.engine.Stats(), ctx.store)));
                    }});
  routes.push_back({"GET", "/mock/routes", "/mock/routes",
                    [ctx](const Request&, Response& res) { ListRoutes(ctx, res, 200); }});
  routes.push_back(Adapt("POST", "/mock/routes", "/mock/routes", ctx, AddRoute));
  routes.push_back({"GET", "/mock/clock", "/mock/clock", [ctx](const Request&, Response& res) {
                      SetJson(res, 200, control::Encode(ClockNow(ctx)));
                    }});
  routes.push_back(Adapt("POST", "/mock/clock/advance", "/mock/clock/advance", ctx, Advance));
  return routes;
}

}  // namespace multihook::http
