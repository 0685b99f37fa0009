// The delivery view: GET /mock/ui (a server-rendered page that works without JavaScript), its
// stylesheet and script (compiled into the binary from mock_server/http/ui/), and GET
// /mock/ui/events, the page's long-poll for live updates: it waits on the journal for attempts
// newer than `after_seq`, or for the channels' configuration to differ from what the page shows
// (`channels_tag`), and answers the changed events as the same HTML fragments the page is made
// of, a page at a time.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "mock_server/delivery/body_store.hpp"
#include "mock_server/delivery/delivery_engine.hpp"
#include "mock_server/http/route.hpp"
#include "mock_server/store/channel_store.hpp"

namespace multihook::http {

struct UiContext {
  store::ChannelStore& store;
  const delivery::DeliveryEngine& engine;
  // The JSON of GET /mock/options, to tell a virtual clock; may be empty.
  std::function<std::string()> options;
  // The kept bodies, signatures and types of the latest events; may be null (none kept).
  const delivery::BodyStore* bodies = nullptr;
};

std::vector<Route> UiRoutes(const UiContext& context);

// The page's assets, embedded at build time from mock_server/http/ui/.
std::string_view UiScript();
std::string_view UiStylesheet();

}  // namespace multihook::http
