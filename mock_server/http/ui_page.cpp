#include "mock_server/http/ui_page.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>
#include <unordered_map>
#include <utility>

namespace multihook::http {
namespace {

// Journal records read per step when walking backwards from the newest.
constexpr std::uint64_t kWindow = 512;

bool IsStatusClass(const std::string& text) {
  return text.empty() || text == "2xx" || text == "3xx" || text == "4xx" || text == "5xx" ||
         text == "error";
}

std::string QueryEscape(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// The oldest seq still in the journal and the newest ever appended (0, 0 when empty).
std::pair<std::uint64_t, std::uint64_t> SeqRange(const delivery::Journal& journal) {
  delivery::JournalFilter first;
  first.limit = 1;
  const delivery::JournalPage page = journal.Query(first);
  if (page.entries.empty()) return {page.last_seq + 1, page.last_seq};
  return {page.entries.front().seq, page.last_seq};
}

// Adds the attempts of `event` the walk did not reach (older than the page, or filtered out),
// so its timeline is whole.
void CompleteAttempts(const delivery::Journal& journal, UiEvent& event) {
  std::size_t known = 0;
  if (event.status) {
    known = static_cast<std::size_t>(event.status->main_attempts);
    for (const auto& extra : event.status->extras)
      known += static_cast<std::size_t>(extra.attempts);
  }
  if (event.status && event.attempts.size() >= known) return;
  delivery::JournalFilter filter;
  filter.event_id = event.event_id;
  event.attempts = journal.Query(filter).entries;
}

}  // namespace

core::Result<UiFilter> ParseUiFilter(const std::function<std::string(const char*)>& param,
                                     const std::vector<core::ChannelIdentity>& channels) {
  UiFilter filter;
  filter.channel = param("channel");
  filter.destination = param("destination");
  filter.status_class = param("status");
  filter.event = param("event");
  if (!IsStatusClass(filter.status_class)) {
    return core::InvalidArgument("?status", "expected 2xx, 3xx, 4xx, 5xx or error");
  }
  if (!filter.channel.empty()) {
    const auto it = std::find_if(channels.begin(), channels.end(), [&](const auto& c) {
      return c.phone_number_id == filter.channel;
    });
    if (it == channels.end()) {
      return core::InvalidArgument("?channel",
                                   "no channel has phone_number_id '" + filter.channel + "'");
    }
    filter.api_key = it->api_key;
  }
  if (const std::string before = param("before"); !before.empty()) {
    const auto [end, ec] =
        std::from_chars(before.data(), before.data() + before.size(), filter.before);
    if (ec != std::errc() || end != before.data() + before.size() || filter.before == 0) {
      return core::InvalidArgument("?before", "expected a positive whole number");
    }
  }
  return filter;
}

std::string UiFilterQuery(const UiFilter& filter) {
  std::string query;
  const auto add = [&query](const char* name, const std::string& value) {
    if (value.empty()) return;
    if (!query.empty()) query += '&';
    query += name;
    query += '=';
    query += QueryEscape(value);
  };
  add("channel", filter.channel);
  add("destination", filter.destination);
  add("status", filter.status_class);
  add("event", filter.event);
  return query;
}

bool UiFilterMatches(const UiFilter& filter, const delivery::AttemptRecord& record) {
  if (filter.before != 0 && record.seq >= filter.before) return false;
  if (!filter.api_key.empty() && record.api_key != filter.api_key) return false;
  if (!filter.destination.empty() && record.destination != filter.destination) return false;
  if (!filter.event.empty() && record.event_id.find(filter.event) == std::string::npos) {
    return false;
  }
  if (filter.status_class.empty()) return true;
  if (record.error != delivery::ErrorClass::kNone) return filter.status_class == "error";
  return filter.status_class.size() == 3 && filter.status_class[0] - '0' == record.status / 100;
}

UiEventPage CollectEvents(const delivery::DeliveryEngine& engine, const UiFilter& filter,
                          std::uint64_t after_seq, std::size_t max_events) {
  const delivery::Journal& journal = engine.journal();
  const auto [oldest, newest] = SeqRange(journal);
  UiEventPage page;
  page.last_seq = newest;
  const std::uint64_t floor = std::max(after_seq, oldest - 1);
  std::uint64_t cursor = filter.before != 0 ? std::min(newest, filter.before - 1) : newest;
  std::unordered_map<std::string, std::size_t> index;  // event id -> position in page.events
  while (cursor > floor) {
    delivery::JournalFilter window;
    window.after_seq = std::max(floor, cursor > kWindow ? cursor - kWindow : 0);
    window.limit = static_cast<std::size_t>(cursor - window.after_seq);
    std::vector<delivery::AttemptRecord> records = journal.Query(window).entries;
    for (auto it = records.rbegin(); it != records.rend(); ++it) {
      if (!UiFilterMatches(filter, *it)) continue;
      auto found = index.find(it->event_id);
      if (found == index.end()) {
        if (page.events.size() == max_events) {
          page.older = it->seq + 1;
          break;
        }
        found = index.emplace(it->event_id, page.events.size()).first;
        page.events.push_back(UiEvent{it->event_id, it->api_key, {}, std::nullopt, std::nullopt});
      }
      page.events[found->second].attempts.push_back(std::move(*it));
    }
    if (page.older != 0) break;
    cursor = window.after_seq;
  }
  for (UiEvent& event : page.events) {
    std::reverse(event.attempts.begin(), event.attempts.end());
    if (auto status = engine.GetEvent(event.event_id); status.ok()) event.status = *status;
    CompleteAttempts(journal, event);
  }
  return page;
}

void AddKeptBodies(const delivery::BodyStore* bodies, UiEventPage& page) {
  if (bodies == nullptr) return;
  for (UiEvent& event : page.events) event.kept = bodies->Find(event.event_id);
}

}  // namespace multihook::http
