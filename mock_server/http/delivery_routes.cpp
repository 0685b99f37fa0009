#include "mock_server/http/delivery_routes.hpp"

#include <charconv>
#include <nlohmann/json.hpp>

#include "mock_server/codec/json_reader.hpp"
#include "mock_server/codec/notification_codec.hpp"
#include "mock_server/codec/webhook_codec.hpp"
#include "mock_server/core/duration.hpp"
#include "mock_server/http/error_mapping.hpp"

namespace multihook::http {
namespace {

using httplib::Request;
using httplib::Response;
using Json = nlohmann::ordered_json;
using std::chrono::duration_cast;
using std::chrono::microseconds;

constexpr int kMaxWaitMs = 60'000;

// The channel of the request's API key (401 when missing or unknown).
core::Result<core::ChannelIdentity> Channel(const Request& req, store::ChannelStore& store) {
  auto key = AuthenticatedKey(req, store);
  if (!key.ok()) return key.status();
  auto snapshot = store.Snapshot(*key);
  if (!snapshot.ok()) return snapshot.status();
  return snapshot->identity;
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

Json RecordJson(const delivery::AttemptRecord& r) {
  return Json{
      {"event_id", r.event_id},
      {"destination", r.destination},
      {"url", r.url},
      {"attempt", r.attempt},
      {"gate", delivery::GateName(r.gate)},
      {"status", r.error == delivery::ErrorClass::kNone ? Json(r.status) : Json(nullptr)},
      {"error", r.error == delivery::ErrorClass::kNone ? Json(nullptr)
                                                       : Json(delivery::ErrorClassName(r.error))},
      {"detail", r.detail},
      {"succeeded", r.succeeded},
      {"started_at_us", WallMicros(r.started_wall)},
      {"duration_us", r.duration.count()}};
}

Json PageJson(const delivery::JournalPage& page) {
  Json entries = Json::array();
  for (const auto& r : page.entries) entries.push_back(RecordJson(r));
  return Json{
      {"deliveries", std::move(entries)}, {"timed_out", page.timed_out}, {"dropped", page.dropped}};
}

Json HistogramJson(const delivery::Histogram& h) {
  return Json{{"count", h.Count()},
              {"p50", h.Percentile(0.50).count()},
              {"p90", h.Percentile(0.90).count()},
              {"p99", h.Percentile(0.99).count()},
              {"max", h.Max().count()}};
}

std::string PhoneNumberOf(store::ChannelStore& store, const std::string& api_key) {
  auto snapshot = store.Snapshot(api_key);
  return snapshot.ok() ? snapshot->identity.phone_number_id : std::string();
}

void Submit(Response& res, delivery::DeliveryEngine& engine, delivery::Notification notification,
            Json answer) {
  if (core::Status s = engine.Submit(std::move(notification)); !s.ok()) return SetError(res, s);
  SetJson(res, 202, codec::ToText(answer));
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
      {"POST", "/mock/inbound", "/mock/inbound",
       [ctx](const Request& req, Response& res) {
         auto channel = Channel(req, ctx.store);
         if (!channel.ok()) return SetError(res, channel.status());
         auto built = ctx.ids.With([&](core::IdSource& ids) {
           return codec::BuildInboundNotification(req.body, *channel, ctx.clock.WallNow(), ids);
         });
         if (!built.ok()) return SetError(res, built.status());
         Json answer{{"event_id", built->event_id}};
         if (built->message_id) answer["message_id"] = *built->message_id;
         Submit(
             res, ctx.engine,
             delivery::Notification{built->event_id, channel->api_key, std::move(built->body), {}},
             std::move(answer));
       },
       kMaxNotificationBodyBytes});

  routes.push_back(
      {"POST", "/messages", "/messages", [ctx](const Request& req, Response& res) {
         auto channel = Channel(req, ctx.store);
         if (!channel.ok()) return SetError(res, channel.status());
         auto sent = ctx.ids.With(
             [&](core::IdSource& ids) { return codec::BuildMessageSendResponse(req.body, ids); });
         if (!sent.ok()) return SetError(res, sent.status());
         const StatusDelays delays = ctx.status_delays();
         const std::pair<codec::MessageStatus, core::Micros> script[] = {
             {codec::MessageStatus::kSent, delays.sent},
             {codec::MessageStatus::kDelivered, delays.delivered},
             {codec::MessageStatus::kRead, delays.read}};
         std::vector<delivery::Notification> statuses;
         for (const auto& [status, delay] : script) {
           const core::WallTime at =
               ctx.clock.WallNow() + duration_cast<core::WallTime::duration>(delay);
           std::string event_id =
               ctx.ids.With([](core::IdSource& ids) { return "evt_" + ids.Hex(16); });
           std::string body =
               codec::BuildStatusNotification(*channel, sent->message_id, status, sent->to, at);
           statuses.push_back({std::move(event_id), channel->api_key, std::move(body), delay});
         }
         // All three or none: a refused send schedules nothing.
         if (core::Status s = ctx.engine.SubmitAll(std::move(statuses)); !s.ok())
           return SetError(res, s);
         SetJson(res, 200, sent->response_body);
       }});

  routes.push_back(
      {"GET", "/mock/deliveries", "/mock/deliveries", [ctx](const Request& req, Response& res) {
         delivery::JournalFilter filter;
         if (req.has_param("event_id")) filter.event_id = req.get_param_value("event_id");
         if (req.has_param("destination")) filter.destination = req.get_param_value("destination");
         auto min_count = IntParam(req, "min_count", 0, 100'000'000);
         if (!min_count.ok()) return SetError(res, min_count.status());
         auto timeout_ms = IntParam(req, "timeout_ms", 0, kMaxWaitMs);
         if (!timeout_ms.ok()) return SetError(res, timeout_ms.status());
         const delivery::Journal& journal = ctx.engine.journal();
         const delivery::JournalPage page =
             min_count->has_value()
                 ? journal.WaitFor(filter, static_cast<std::size_t>(**min_count),
                                   std::chrono::milliseconds(timeout_ms->value_or(5'000)))
                 : journal.Query(filter);
         SetJson(res, 200, codec::ToText(PageJson(page)));
       }});

  routes.push_back({"GET", "/mock/events/(.+)", "/mock/events/{event_id}",
                    [ctx](const Request& req, Response& res) {
                      const std::string event_id = req.matches[1];
                      auto event = ctx.engine.GetEvent(event_id);
                      if (!event.ok()) return SetError(res, event.status());
                      delivery::JournalFilter filter;
                      filter.event_id = event_id;
                      Json attempts = Json::array();
                      for (const auto& r : ctx.engine.journal().Query(filter).entries)
                        attempts.push_back(RecordJson(r));
                      Json extras = Json::array();
                      for (const auto& e : event->extras) {
                        extras.push_back(Json{
                            {"destination", e.destination},
                            {"state", delivery::ExtraStateName(e.state)},
                            {"attempts", e.attempts},
                            {"added_latency_us",
                             e.added_latency ? Json(e.added_latency->count()) : Json(nullptr)}});
                      }
                      SetJson(res, 200,
                              codec::ToText(Json{{"event_id", event->event_id},
                                                 {"state", delivery::EventStateName(event->state)},
                                                 {"detail", event->detail},
                                                 {"extras", std::move(extras)},
                                                 {"attempts", std::move(attempts)}}));
                    }});

  routes.push_back({"GET", "/mock/stats", "/mock/stats", [ctx](const Request&, Response& res) {
                      const delivery::EngineStats stats = ctx.engine.Stats();
                      Json destinations = Json::array();
                      for (const auto& d : stats.destinations) {
                        Json outcomes = Json::object();
                        for (const auto& [outcome, count] : d.outcomes) outcomes[outcome] = count;
                        Json entry{{"phone_number_id", PhoneNumberOf(ctx.store, d.api_key)},
                                   {"destination", d.destination},
                                   {"attempts", d.attempts},
                                   {"succeeded", d.succeeded},
                                   {"outcomes", std::move(outcomes)},
                                   {"latency_us", HistogramJson(d.latency)}};
                        if (d.destination != delivery::kMainDestination) {
                          entry["added_latency_us"] = HistogramJson(d.added_latency);
                        }
                        destinations.push_back(std::move(entry));
                      }
                      SetJson(res, 200,
                              codec::ToText(Json{{"submitted", stats.submitted},
                                                 {"delivered", stats.delivered},
                                                 {"expired", stats.expired},
                                                 {"undeliverable", stats.undeliverable},
                                                 {"in_progress", stats.in_progress},
                                                 {"journal_dropped", stats.journal_dropped},
                                                 {"destinations", std::move(destinations)}}));
                    }});

  const auto list_routes = [ctx](Response& res, int status) {
    Json list = Json::array();
    for (const auto& r : ctx.transport.Routes()) list.push_back(r.ToString());
    SetJson(res, status, codec::ToText(Json{{"routes", std::move(list)}}));
  };
  routes.push_back({"GET", "/mock/routes", "/mock/routes",
                    [list_routes](const Request&, Response& res) { list_routes(res, 200); }});
  routes.push_back({"POST", "/mock/routes", "/mock/routes",
                    [ctx, list_routes](const Request& req, Response& res) {
                      auto json = codec::ParseBody(req.body);
                      if (!json.ok()) return SetError(res, json.status());
                      auto reader = codec::ObjectReader::Open(*json, "", {"route"});
                      if (!reader.ok()) return SetError(res, reader.status());
                      auto spec = reader->RequiredString("route");
                      if (!spec.ok()) return SetError(res, spec.status());
                      auto route = core::ParseHostRoute(*spec);
                      if (!route.ok())
                        return SetError(res, route.status().WithLocationPrefix("/route"));
                      ctx.transport.SetRoute(std::move(*route));
                      list_routes(res, 201);
                    }});

  const auto clock_json = [ctx] {
    return Json{{"mode", ctx.time.is_virtual() ? "virtual" : "real"},
                {"now_us", WallMicros(ctx.clock.WallNow())}};
  };
  routes.push_back(
      {"GET", "/mock/clock", "/mock/clock", [clock_json](const Request&, Response& res) {
         SetJson(res, 200, codec::ToText(clock_json()));
       }});
  routes.push_back(
      {"POST", "/mock/clock/advance", "/mock/clock/advance",
       [ctx, clock_json](const Request& req, Response& res) {
         if (!ctx.time.is_virtual()) return SetError(res, RealClockError());
         auto json = codec::ParseBody(req.body);
         if (!json.ok()) return SetError(res, json.status());
         auto reader = codec::ObjectReader::Open(*json, "", {"ms"});
         if (!reader.ok()) return SetError(res, reader.status());
         const nlohmann::json* ms = reader->Find("ms");
         if (ms == nullptr) return SetError(res, core::InvalidArgument("/ms", "is required"));
         constexpr std::uint64_t kMaxAdvanceMs = 10ULL * 366 * 24 * 3600 * 1000;  // ten years
         if (!ms->is_number_unsigned() || ms->get<std::uint64_t>() > kMaxAdvanceMs) {
           return SetError(res, core::InvalidArgument("/ms",
                                                      "expected a whole number of milliseconds "
                                                      "from 0 to 316224000000 (ten years)"));
         }
         auto ran = ctx.time.advance(std::chrono::milliseconds(ms->get<std::uint64_t>()));
         if (!ran.ok()) return SetError(res, ran.status());
         Json answer = clock_json();
         answer["attempts_run"] = *ran;
         SetJson(res, 200, codec::ToText(answer));
       }});
  return routes;
}

}  // namespace multihook::http
