// The delivery view's model: the events of the journal, newest first, one page at a time, each
// with its attempts and (while the engine still keeps it) its state. The journal is read in
// windows of consecutive sequence numbers from the newest backwards, so a page costs what it
// shows, never a copy of the whole journal (25,000 events and more).
//
// Stateless functions over a thread-safe engine and store.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "mock_server/core/status.hpp"
#include "mock_server/delivery/body_store.hpp"
#include "mock_server/delivery/delivery_engine.hpp"
#include "mock_server/store/channel_store.hpp"

namespace multihook::http {

// Which attempts the view shows: the URL query of GET /mock/ui, so filters survive a reload.
struct UiFilter {
  std::string channel;       // phone_number_id; empty: every channel
  std::string api_key;       // resolved from `channel`
  std::string destination;   // "main" or an extra's name; empty: every destination
  std::string status_class;  // "2xx", "3xx", "4xx", "5xx", "error"; empty: every attempt
  std::string event;         // part of the event id; empty: every event
  std::uint64_t before = 0;  // only attempts with seq < before (older pages); 0: the newest
};

// Reads the filter from `param(name)` (empty when absent); invalid_argument at "?name" for an
// unknown status class, a malformed `before` or an unknown channel.
core::Result<UiFilter> ParseUiFilter(const std::function<std::string(const char*)>& param,
                                     const std::vector<core::ChannelIdentity>& channels);

// The URL query that reproduces `filter` (without `before`), e.g. "channel=1555&status=5xx".
std::string UiFilterQuery(const UiFilter& filter);

bool UiFilterMatches(const UiFilter& filter, const delivery::AttemptRecord& record);

struct UiEvent {
  std::string event_id;
  std::string api_key;
  std::vector<delivery::AttemptRecord> attempts;  // in the order they finished
  std::optional<delivery::EventStatus> status;    // nullopt once the engine forgot the event
  std::optional<delivery::KeptBody> kept;         // type, body, signature; nullopt: not kept
};

struct UiEventPage {
  std::vector<UiEvent> events;  // newest first (by their latest attempt)
  std::uint64_t last_seq = 0;   // the journal's newest seq when read: where live updates resume
  std::uint64_t older = 0;      // `before` of the next older page; 0 when there is none
};

inline constexpr std::size_t kUiPageEvents = 30;

// Events with a matching attempt whose seq is > after_seq (and < filter.before), newest first,
// at most `max_events`.
UiEventPage CollectEvents(const delivery::DeliveryEngine& engine, const UiFilter& filter,
                          std::uint64_t after_seq, std::size_t max_events);

// Fills each event's `kept` from `bodies` (nothing when null: bodies are not kept).
void AddKeptBodies(const delivery::BodyStore* bodies, UiEventPage& page);

}  // namespace multihook::http
