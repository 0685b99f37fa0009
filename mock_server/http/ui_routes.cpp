#include "mock_server/http/ui_routes.hpp"

#include <charconv>
#include <chrono>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>

#include "mock_server/codec/json_reader.hpp"
#include "mock_server/http/error_mapping.hpp"
#include "mock_server/http/ui_html.hpp"
#include "mock_server/http/ui_page.hpp"

namespace multihook::http {
namespace {

using httplib::Request;
using httplib::Response;
using Json = nlohmann::ordered_json;

constexpr long long kMaxWaitMs = 60'000;

core::Result<long long> NumberParam(const Request& req, const char* name, long long max) {
  if (!req.has_param(name)) return 0LL;
  const std::string text = req.get_param_value(name);
  long long value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < 0 ||
      value > max) {
    return core::InvalidArgument(std::string("?") + name,
                                 "expected a whole number from 0 to " + std::to_string(max));
  }
  return value;
}

core::Result<UiFilter> FilterOf(const Request& req, const store::ChannelStore& store) {
  return ParseUiFilter(
      [&req](const char* name) {
        return req.has_param(name) ? req.get_param_value(name) : std::string();
      },
      store.Channels());
}

UiNow NowOf(const UiContext& ctx) {
  UiNow now{ctx.engine.clock().Now(), ctx.engine.clock().WallNow(), false};
  if (ctx.options) {
    const Json options = Json::parse(ctx.options(), nullptr, false);
    now.is_virtual = options.is_object() && options.value("clock", "") == "virtual";
  }
  return now;
}

std::vector<UiChannel> ChannelsOf(store::ChannelStore& store) {
  std::vector<UiChannel> channels;
  for (const core::ChannelIdentity& identity : store.Channels()) {
    auto snapshot = store.Snapshot(identity.api_key);
    if (!snapshot.ok()) continue;  // removed by a reset meanwhile
    UiChannel channel{identity, std::move(*snapshot), {}};
    for (store::ChangeRecord& change : store.Changes(identity.api_key).changes) {
      if (!change.applied) channel.pending.push_back(std::move(change));
    }
    channels.push_back(std::move(channel));
  }
  return channels;
}

core::Result<std::string> PageHtml(const UiContext& ctx, const Request& req) {
  MULTIHOOK_ASSIGN_OR_RETURN(UiFilter filter, FilterOf(req, ctx.store));
  const UiPageView view{filter, CollectEvents(ctx.engine, filter, 0, kUiPageEvents),
                        ChannelsOf(ctx.store), ctx.engine.Stats(), NowOf(ctx)};
  return RenderPage(view);
}

// The events changed since `after_seq` (waiting up to timeout_ms for one), or the newest page.
core::Result<std::string> EventsJson(const UiContext& ctx, const Request& req) {
  MULTIHOOK_ASSIGN_OR_RETURN(UiFilter filter, FilterOf(req, ctx.store));
  MULTIHOOK_ASSIGN_OR_RETURN(const long long after,
                             NumberParam(req, "after_seq", std::numeric_limits<long long>::max()));
  MULTIHOOK_ASSIGN_OR_RETURN(const long long timeout_ms,
                             NumberParam(req, "timeout_ms", kMaxWaitMs));
  if (timeout_ms > 0) {
    delivery::JournalFilter any;
    any.after_seq = static_cast<std::uint64_t>(after);
    any.limit = 1;  // only the wake-up matters; the page is read below
    (void)ctx.engine.journal().WaitFor(any, 1, std::chrono::milliseconds(timeout_ms));
  }
  const UiNow now = NowOf(ctx);
  const UiEventPage page =
      CollectEvents(ctx.engine, filter, static_cast<std::uint64_t>(after), kUiPageEvents);
  const std::vector<UiChannel> channels = ChannelsOf(ctx.store);
  std::map<std::string, std::string> phone_of;
  for (const UiChannel& c : channels) phone_of[c.identity.api_key] = c.identity.phone_number_id;
  Json events = Json::array();
  for (const UiEvent& e : page.events) {
    events.push_back(Json{{"event_id", e.event_id},
                          {"seq", e.attempts.empty() ? 0 : e.attempts.back().seq},
                          {"html", RenderEvent(e, now, phone_of[e.api_key])}});
  }
  return codec::ToText(Json{{"last_seq", page.last_seq},
                            {"events", std::move(events)},
                            {"more", page.older != 0},
                            {"stats_html", RenderStats(ctx.engine.Stats(), channels)},
                            {"channels_html", RenderChannels(channels)}});
}

Route Asset(const char* pattern, const char* path, std::string_view body, const char* type) {
  return {"GET", pattern, path, [body, type](const Request&, Response& res) {
            res.set_header("Cache-Control", "no-cache");
            res.set_content(body.data(), body.size(), type);
          }};
}

}  // namespace

std::vector<Route> UiRoutes(const UiContext& context) {
  const UiContext ctx = context;  // copied into each handler: references stay valid
  return {
      {"GET", "/mock/ui", "/mock/ui",
       [ctx](const Request& req, Response& res) {
         auto html = PageHtml(ctx, req);
         if (!html.ok()) return SetError(res, html.status());
         res.set_header("Cache-Control", "no-store");
         res.set_content(*html, "text/html; charset=utf-8");
       }},
      {"GET", "/mock/ui/events", "/mock/ui/events",
       [ctx](const Request& req, Response& res) {
         auto json = EventsJson(ctx, req);
         if (!json.ok()) return SetError(res, json.status());
         res.set_header("Cache-Control", "no-store");
         SetJson(res, 200, std::move(*json));
       }},
      Asset("/mock/ui/app\\.js", "/mock/ui/app.js", UiScript(), "text/javascript; charset=utf-8"),
      Asset("/mock/ui/style\\.css", "/mock/ui/style.css", UiStylesheet(),
            "text/css; charset=utf-8"),
  };
}

}  // namespace multihook::http
