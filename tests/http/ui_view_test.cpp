// The delivery view's model and HTML (GET /mock/ui): paging newest first over a large journal,
// live updates after a seq, filters, the gate decision, escaping. Engine under a ManualClock with
// the recording transport: no sockets, no sleeps.
#include <catch2/catch.hpp>
#include <chrono>
#include <set>
#include <string>

#include "mock_server/http/ui_html.hpp"
#include "mock_server/http/ui_page.hpp"
#include "tests/delivery/engine_fixture.hpp"

namespace multihook::http {
namespace {

using delivery::testing::EngineFixture;
using delivery::testing::Extra;
using delivery::testing::ExtraUrl;
using delivery::testing::kKey;
using delivery::testing::kMainUrl;

std::string Id(int i) { return "evt_" + std::to_string(100000 + i); }

UiNow Now(EngineFixture& f) { return UiNow{f.clock.Now(), f.clock.WallNow(), true}; }

std::vector<std::string> Ids(const UiEventPage& page) {
  std::vector<std::string> ids;
  for (const UiEvent& e : page.events) ids.push_back(e.event_id);
  return ids;
}

core::Result<UiFilter> Parse(std::map<std::string, std::string> params,
                             const std::vector<core::ChannelIdentity>& channels = {}) {
  return ParseUiFilter(
      [&](const char* name) { return params.count(name) != 0 ? params[name] : std::string(); },
      channels);
}

TEST_CASE("ui: 25,000 events page newest first, 30 at a time, each exactly once", "[ui]") {
  EngineFixture f(delivery::DeliveryPolicy{.max_pending = 30'000});
  f.SetMain(kMainUrl);
  f.EnableExtras({Extra("crm")});
  constexpr int kEvents = 25'000;
  for (int i = 0; i < kEvents; ++i) f.Submit(Id(i));
  delivery::RunUntilIdle(*f.engine, f.clock);
  REQUIRE(f.engine->journal().size() == 2 * kEvents);

  const auto start = std::chrono::steady_clock::now();
  const UiEventPage newest = CollectEvents(*f.engine, UiFilter{}, 0, kUiPageEvents);
  const std::string html =
      RenderPage(UiPageView{UiFilter{}, newest, {}, f.engine->Stats(), Now(f), ""});
  const auto took = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - start);
  WARN("first page of 25,000 events collected and rendered in " << took.count() << " us, "
                                                                << html.size() << " bytes");
  CHECK(html.size() < 100'000);
  REQUIRE(newest.events.size() == kUiPageEvents);
  CHECK(newest.events.front().event_id == Id(kEvents - 1));
  CHECK(newest.events.back().event_id == Id(kEvents - kUiPageEvents));
  CHECK(newest.events.front().attempts.size() == 2);  // main, then crm
  CHECK(newest.last_seq == 2 * kEvents);

  std::set<std::string> seen;
  UiFilter filter;
  UiEventPage page = newest;
  std::size_t pages = 1;
  while (pages <= kEvents) {  // bounded: a cursor that does not move fails, never hangs
    for (const UiEvent& e : page.events) REQUIRE(seen.insert(e.event_id).second);
    if (page.older == 0) break;
    filter.before = page.older;
    page = CollectEvents(*f.engine, filter, 0, kUiPageEvents);
    ++pages;
  }
  CHECK(seen.size() == kEvents);
  CHECK(pages == (kEvents + kUiPageEvents - 1) / kUiPageEvents);
}

TEST_CASE("ui: live updates return only events with attempts after the seq", "[ui]") {
  EngineFixture f;
  f.SetMain(kMainUrl);
  for (int i = 0; i < 3; ++i) f.Submit(Id(i));
  delivery::RunUntilIdle(*f.engine, f.clock);
  const std::uint64_t seen = CollectEvents(*f.engine, UiFilter{}, 0, kUiPageEvents).last_seq;
  CHECK(CollectEvents(*f.engine, UiFilter{}, seen, kUiPageEvents).events.empty());
  f.Submit(Id(7));
  delivery::RunUntilIdle(*f.engine, f.clock);
  const UiEventPage update = CollectEvents(*f.engine, UiFilter{}, seen, kUiPageEvents);
  CHECK(Ids(update) == std::vector<std::string>{Id(7)});
  CHECK(update.last_seq == seen + 1);
}

TEST_CASE("ui: the gate is shown held with its retry time, then opened", "[ui]") {
  EngineFixture f;
  f.SetMain(kMainUrl);
  f.EnableExtras({Extra("crm")});
  f.transport.Script(kMainUrl,
                     {delivery::ScriptedReply::Status(500), delivery::ScriptedReply::Status(200)});
  f.Submit(Id(1));
  f.engine->RunDue();
  UiEventPage page = CollectEvents(*f.engine, UiFilter{}, 0, kUiPageEvents);
  REQUIRE(page.events.size() == 1);
  const std::string held = RenderEvent(page.events[0], Now(f));
  CHECK_THAT(held, Catch::Contains("held: main answered 500; retry at <time"));
  CHECK_THAT(held, Catch::Contains("state-retrying"));

  delivery::RunUntilIdle(*f.engine, f.clock);
  page = CollectEvents(*f.engine, UiFilter{}, 0, kUiPageEvents);
  const std::string opened = RenderEvent(page.events[0], Now(f));
  CHECK_THAT(opened, Catch::Contains("gate opened by main's 200"));
  CHECK_THAT(opened, Catch::Contains("3 attempts: main 500, main 200, crm 200"));
}

TEST_CASE(
    "ui: filters by status class, destination and event id; a filtered event keeps its "
    "whole timeline",
    "[ui]") {
  EngineFixture f;
  f.SetMain(kMainUrl);
  f.EnableExtras({Extra("crm")});
  f.transport.Script(ExtraUrl("crm"),
                     {delivery::ScriptedReply::Status(503), delivery::ScriptedReply::Status(200)});
  for (int i = 0; i < 3; ++i) f.Submit(Id(i));
  delivery::RunUntilIdle(*f.engine, f.clock);

  auto five = Parse({{"status", "5xx"}});
  REQUIRE(five.ok());
  const UiEventPage failed = CollectEvents(*f.engine, *five, 0, kUiPageEvents);
  CHECK(Ids(failed) == std::vector<std::string>{Id(0)});
  CHECK(failed.events[0].attempts.size() == 2);  // main's 200 too

  auto crm_ok = Parse({{"status", "2xx"}, {"destination", "crm"}});
  REQUIRE(crm_ok.ok());
  CHECK(Ids(CollectEvents(*f.engine, *crm_ok, 0, kUiPageEvents)) ==
        std::vector<std::string>{Id(2), Id(1)});
  auto search = Parse({{"event", "100001"}});
  REQUIRE(search.ok());
  CHECK(Ids(CollectEvents(*f.engine, *search, 0, kUiPageEvents)) ==
        std::vector<std::string>{Id(1)});
  CHECK(UiFilterQuery(*crm_ok) == "destination=crm&status=2xx");
}

TEST_CASE("ui: bad filter parameters are invalid_argument at the parameter", "[ui]") {
  const std::vector<core::ChannelIdentity> channels{{kKey, "15550001111", "", ""}};
  CHECK(Parse({{"status", "500"}}).status().ToString() ==
        "invalid_argument at ?status: expected 2xx, 3xx, 4xx, 5xx or error");
  CHECK(Parse({{"before", "x1"}}).status().ToString() ==
        "invalid_argument at ?before: expected a positive whole number");
  CHECK(Parse({{"channel", "999"}}, channels).status().ToString() ==
        "invalid_argument at ?channel: no channel has phone_number_id '999'");
  auto channel = Parse({{"channel", "15550001111"}}, channels);
  REQUIRE(channel.ok());
  CHECK(channel->api_key == kKey);
}

TEST_CASE("ui: the latency chart follows the fan-out order, main first", "[ui]") {
  EngineFixture f;
  f.SetMain(kMainUrl);
  f.EnableExtras({Extra("zeta"), Extra("alpha")});  // delivered zeta first, not by name
  f.Submit(Id(1));
  delivery::RunUntilIdle(*f.engine, f.clock);
  auto snapshot = f.store().Snapshot(kKey);
  REQUIRE(snapshot.ok());
  const std::string html =
      RenderStats(f.engine->Stats(), {UiChannel{snapshot->identity, *snapshot, {}}});
  const std::string chart = html.substr(html.find("<figure>"));
  const auto main_at = chart.find(">main</text>");
  const auto zeta_at = chart.find(">zeta</text>");
  const auto alpha_at = chart.find(">alpha</text>");
  REQUIRE(alpha_at != std::string::npos);
  CHECK(main_at < zeta_at);
  CHECK(zeta_at < alpha_at);
  CHECK(html.find("<td>main</td>") < html.find("<td>zeta</td>"));
}

TEST_CASE("ui: text from the journal is escaped", "[ui]") {
  EngineFixture f;
  f.SetMain(kMainUrl);
  f.Submit("evt_<b>\"x'&");
  delivery::RunUntilIdle(*f.engine, f.clock);
  const UiEventPage page = CollectEvents(*f.engine, UiFilter{}, 0, kUiPageEvents);
  const std::string html = RenderEvent(page.events.at(0), Now(f));
  CHECK_THAT(html, Catch::Contains("evt_&lt;b&gt;&quot;x&#39;&amp;"));
  CHECK_THAT(html, !Catch::Contains("<b>"));
}

TEST_CASE("ui: an event shows its type, signature header and pretty-printed body while kept",
          "[ui]") {
  EngineFixture f;
  f.SetMain(kMainUrl);
  f.Submit("evt_kept", R"({"a":{"b":[1,"<x>"]},"z":0})");
  f.Submit("evt_gone");
  delivery::RunUntilIdle(*f.engine, f.clock);
  delivery::BodyStore bodies(1, [](std::string_view secret, std::string_view body) {
    return std::string(secret) + ":" + std::to_string(body.size());
  });
  bodies.Keep("evt_gone", "text", "{}", std::nullopt);
  bodies.Keep("evt_kept", "image", R"({"a":{"b":[1,"<x>"]},"z":0})", std::string("s"));
  UiEventPage page = CollectEvents(*f.engine, UiFilter{}, 0, kUiPageEvents);
  AddKeptBodies(&bodies, page);
  REQUIRE(page.events.size() == 2);
  const std::string kept = RenderEvent(page.events.at(1), Now(f));
  CHECK_THAT(kept, Catch::Contains("<code>evt_kept</code> <span class=\"type\">image</span>"));
  CHECK_THAT(kept, Catch::Contains("<code class=\"signature\">x-360dialog-signature: s:27</code>"));
  // Indented, keys in the order sent, markup escaped.
  CHECK_THAT(kept, Catch::Contains(
                       "{\n  &quot;a&quot;: {\n    &quot;b&quot;: [\n      1,\n"
                       "      &quot;&lt;x&gt;&quot;\n    ]\n  },\n  &quot;z&quot;: 0\n}</pre>"));
  const std::string gone = RenderEvent(page.events.at(0), Now(f));
  CHECK_THAT(gone, Catch::Contains("Body not kept"));
  CHECK_THAT(gone, !Catch::Contains("class=\"type\""));
}

TEST_CASE("ui: a body over the page's limit is linked, not inlined", "[ui]") {
  EngineFixture f;
  f.SetMain(kMainUrl);
  const std::string large = "{\"text\":\"" + std::string(kUiMaxBodyBytes, 'x') + "\"}";
  f.Submit("evt_large", large);
  delivery::RunUntilIdle(*f.engine, f.clock);
  delivery::BodyStore bodies(1, nullptr);
  bodies.Keep("evt_large", "payload", large, std::nullopt);
  UiEventPage page = CollectEvents(*f.engine, UiFilter{}, 0, kUiPageEvents);
  AddKeptBodies(&bodies, page);
  const std::string html = RenderEvent(page.events.at(0), Now(f));
  CHECK_THAT(html, Catch::Contains("<a href=\"/mock/events/evt_large\">"));
  CHECK_THAT(html, Catch::Contains("none (the mock has no <code>--signing-secret</code>)"));
  CHECK(html.size() < 2000);
}

}  // namespace
}  // namespace multihook::http
