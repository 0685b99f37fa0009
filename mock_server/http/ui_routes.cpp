#include "mock_server/http/ui_routes.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <functional>
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
// How often a waiting long-poll looks at the channels. The store applies a due change when it is
// next read and announces nothing (no thread of its own; virtual time just works), so a change
// is found by looking; rendering the channels costs microseconds.
constexpr std::chrono::milliseconds kChannelsCheck{100};

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

// What the page shows of the channels, summed up: it changes when their HTML does.
std::string ChannelsTag(const std::string& channels_html) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016zx", std::hash<std::string>{}(channels_html));
  return hex;
}

UiEventPage EventsOf(const UiContext& ctx, const UiFilter& filter, std::uint64_t after_seq) {
  UiEventPage page = CollectEvents(ctx.engine, filter, after_seq, kUiPageEvents);
  AddKeptBodies(ctx.bodies, page);
  return page;
}

core::Result<std::string> PageHtml(const UiContext& ctx, const Request& req) {
  MULTIHOOK_ASSIGN_OR_RETURN(UiFilter filter, FilterOf(req, ctx.store));
  std::vector<UiChannel> channels = ChannelsOf(ctx.store);
  const std::string tag = ChannelsTag(RenderChannels(channels));
  const UiPageView view{
      filter, EventsOf(ctx, filter, 0), std::move(channels), ctx.engine.Stats(), NowOf(ctx), tag};
  return RenderPage(view);
}

// Waits up to `timeout` for an attempt after `after_seq`, or (with a tag) for the channels to
// render differently from `channels_tag`.
void WaitForChange(const UiContext& ctx, std::uint64_t after_seq, const std::string& channels_tag,
                   std::chrono::milliseconds timeout) {
  using Clock = std::chrono::steady_clock;
  delivery::JournalFilter any;
  any.after_seq = after_seq;
  any.limit = 1;  // only the wake-up matters; the page is read afterwards
  const Clock::time_point deadline = Clock::now() + timeout;
  for (Clock::time_point now = Clock::now(); now < deadline; now = Clock::now()) {
    const auto slice = channels_tag.empty()
                           ? deadline - now
                           : std::min<Clock::duration>(deadline - now, kChannelsCheck);
    const auto wait = std::max(std::chrono::milliseconds(1),
                               std::chrono::duration_cast<std::chrono::milliseconds>(slice));
    if (!ctx.engine.journal().WaitFor(any, 1, wait).timed_out) return;
    if (Clock::now() < now + wait) return;  // the journal closed: the mock is stopping
    if (!channels_tag.empty() && ChannelsTag(RenderChannels(ChannelsOf(ctx.store))) != channels_tag)
      return;
  }
}

// The events changed since `after_seq` (waiting up to timeout_ms for one), or the newest page.
core::Result<std::string> EventsJson(const UiContext& ctx, const Request& req) {
  MULTIHOOK_ASSIGN_OR_RETURN(UiFilter filter, FilterOf(req, ctx.store));
  MULTIHOOK_ASSIGN_OR_RETURN(const long long after,
                             NumberParam(req, "after_seq", std::numeric_limits<long long>::max()));
  MULTIHOOK_ASSIGN_OR_RETURN(const long long timeout_ms,
                             NumberParam(req, "timeout_ms", kMaxWaitMs));
  const std::string tag = req.has_param("channels_tag") ? req.get_param_value("channels_tag") : "";
  if (tag.size() > 16)
    return core::InvalidArgument("?channels_tag", "expected at most 16 characters");
  if (timeout_ms > 0) {
    WaitForChange(ctx, static_cast<std::uint64_t>(after), tag,
                  std::chrono::milliseconds(timeout_ms));
  }
  const UiNow now = NowOf(ctx);
  const UiEventPage page = EventsOf(ctx, filter, static_cast<std::uint64_t>(after));
  const std::vector<UiChannel> channels = ChannelsOf(ctx.store);
  std::string channels_html = RenderChannels(channels);
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
                            {"channels_tag", ChannelsTag(channels_html)},
                            {"channels_html", std::move(channels_html)}});
}

Route Asset(const char* pattern, const char* path, std::string_view body, const char* type) {
  return {"GET", pattern, path, [body, type](const Request&, Response& res) {
            res.set_header("Cache-Control", "no-cache");
            res.set_content(body.data(), body.size(), type);
          }};
}

}  // namespace

std::vector<Route> UiRoutes(const UiContext& context) {
  const UiContext& ctx = context;  // each handler keeps a copy: references stay valid
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
         SetJson(res, 200, *json);
       }},
      Asset("/mock/ui/app\\.js", "/mock/ui/app.js", UiScript(), "text/javascript; charset=utf-8"),
      Asset("/mock/ui/style\\.css", "/mock/ui/style.css", UiStylesheet(),
            "text/css; charset=utf-8"),
  };
}

}  // namespace multihook::http
