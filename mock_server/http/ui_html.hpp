// HTML of the delivery view (GET /mock/ui): the whole page for the first, server-rendered view,
// and the same fragments (one event, the channels, the statistics) for its live updates, so the
// page with and without JavaScript shows one rendering. Text is escaped here and nowhere else.
//
// Pure functions of their arguments; thread-compatible.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "mock_server/core/clock.hpp"
#include "mock_server/core/markup_escape.hpp"
#include "mock_server/delivery/delivery_engine.hpp"
#include "mock_server/http/ui_page.hpp"
#include "mock_server/store/channel_store.hpp"

namespace multihook::http {

using core::HtmlEscape;  // the one escaper of the view

// Bodies up to this size are shown (pretty-printed) in the page; larger ones are linked.
inline constexpr std::size_t kUiMaxBodyBytes = std::size_t{16} * 1024;

// The mock's time, to show due instants ("retry at 12:00:03.500, in 1.5 s").
struct UiNow {
  core::SteadyTime steady;
  core::WallTime wall;
  bool is_virtual = false;
};

// One channel's configuration as the view shows it.
struct UiChannel {
  core::ChannelIdentity identity;
  store::ChannelSnapshot snapshot;
  std::vector<store::ChangeRecord> pending;  // accepted, not applied yet
};

// `phone_number_id` names the event's channel; its API key is shown when empty.
std::string RenderEvent(const UiEvent& event, const UiNow& now,
                        std::string_view phone_number_id = {});
std::string RenderChannels(const std::vector<UiChannel>& channels);
// Per-destination counts and percentiles, and per channel a chart of p50 latency by position in
// the fan-out (main, then the extras in their configured order).
std::string RenderStats(const delivery::EngineStats& stats, const std::vector<UiChannel>& channels);

struct UiPageView {
  UiFilter filter;
  UiEventPage page;
  std::vector<UiChannel> channels;
  delivery::EngineStats stats;
  UiNow now;
  std::string channels_tag;  // what /mock/ui/events compares to find a configuration change
};

std::string RenderPage(const UiPageView& view);

}  // namespace multihook::http
