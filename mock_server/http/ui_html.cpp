#include "mock_server/http/ui_html.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "mock_server/core/wire_names.hpp"

namespace multihook::http {
namespace {

using std::chrono::duration_cast;
using std::chrono::microseconds;
using std::chrono::milliseconds;

std::string Attr(std::string_view text) { return HtmlEscape(text); }

// "12:00:03.500" (UTC) and its ISO 8601 form for <time datetime>.
std::pair<std::string, std::string> FormatWall(core::WallTime t) {
  const auto ms = duration_cast<milliseconds>(t.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char clock[32];
  char iso[96];
  std::snprintf(clock, sizeof clock, "%02d:%02d:%02d.%03d", tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  std::snprintf(iso, sizeof iso, "%04d-%02d-%02dT%sZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                clock);
  return {clock, iso};
}

std::string TimeTag(core::WallTime t) {
  const auto [clock, iso] = FormatWall(t);
  return "<time datetime=\"" + iso + "\">" + clock + "</time>";
}

// 850 µs, 12.3 ms, 14.2 s.
std::string FormatMicros(long long us) {
  char text[32];
  if (us < 1000) {
    std::snprintf(text, sizeof text, "%lld µs", us);
  } else if (us < 10'000'000) {
    std::snprintf(text, sizeof text, "%.1f ms", static_cast<double>(us) / 1e3);
  } else {
    std::snprintf(text, sizeof text, "%.1f s", static_cast<double>(us) / 1e6);
  }
  return text;
}

std::string Outcome(const delivery::AttemptRecord& r) {
  if (r.error == delivery::ErrorClass::kNone) return std::to_string(r.status);
  return std::string(delivery::ErrorClassName(r.error));
}

// The gate decision: did main's answer release the extras, and if not, what happens next.
std::string GateText(const UiEvent& event, const UiNow& now, std::string& css) {
  const auto main_200 = std::find_if(event.attempts.begin(), event.attempts.end(), [](auto& r) {
    return r.destination == delivery::kMainDestination && r.gate == delivery::Gate::kOpen;
  });
  if (main_200 != event.attempts.end()) {
    css = "open";
    return "gate opened by main's " + Outcome(*main_200);
  }
  std::string last = "no answer yet";
  for (const auto& r : event.attempts) {
    if (r.destination == delivery::kMainDestination) last = Outcome(r);
  }
  css = "held";
  if (!event.status) return "held: main answered " + last;
  const delivery::EventStatus& s = *event.status;
  switch (s.state) {
    case delivery::EventState::kRetrying: {
      const core::SteadyTime at = s.next_attempt_at.value_or(now.steady);
      const auto in = duration_cast<microseconds>(at - now.steady);
      const core::WallTime wall = now.wall + duration_cast<core::WallTime::duration>(in);
      return "held: main answered " + last + "; retry at " + TimeTag(wall) + " (in " +
             FormatMicros(std::max<long long>(0, in.count())) + ")";
    }
    case delivery::EventState::kExpired:
      return "held: main answered " + last + "; expired: " + HtmlEscape(s.detail);
    case delivery::EventState::kUndeliverable:
      css = "none";
      return "not sent: " + HtmlEscape(s.detail);
    case delivery::EventState::kPending:
      return "pending: main's first attempt has not finished";
    default:
      return "held: main answered " + last;
  }
}

std::string AttemptRow(const delivery::AttemptRecord& r, std::size_t order) {
  const bool ok = r.succeeded;
  return "<tr class=\"" + std::string(ok ? "ok" : "fail") + "\"><td>" + std::to_string(order) +
         "</td><td>" + HtmlEscape(r.destination) + "</td><td><code>" + HtmlEscape(r.url) +
         "</code></td><td class=\"result\">" + HtmlEscape(Outcome(r)) +
         (r.detail.empty() ? "" : " <small>" + HtmlEscape(r.detail) + "</small>") +
         "</td><td class=\"latency\" data-us=\"" + std::to_string(r.duration.count()) + "\">" +
         FormatMicros(r.duration.count()) + "</td><td>" + std::to_string(r.attempt) + "</td><td>" +
         TimeTag(r.started_wall) + "</td></tr>";
}

// A JSON body indented by two (its key order kept), or the bytes as they are when not JSON.
std::string Pretty(const std::string& body) {
  const auto json = nlohmann::ordered_json::parse(body, nullptr, false);
  if (json.is_discarded()) return body;
  return json.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

// What every destination of the event got: the signature header and the body.
std::string DeliveredSection(const UiEvent& event) {
  const std::string id = Attr(event.event_id);
  std::string html = "<section class=\"delivered\" aria-labelledby=\"d-" + id + "\"><h4 id=\"d-" +
                     id + "\">Delivered request <small>(the same bytes to main and every " +
                     "extra)</small></h4>";
  if (!event.kept) {
    return html +
           "<p class=\"not-kept\">Body not kept: the mock keeps the latest "
           "<code>--keep-bodies</code> events.</p></section>";
  }
  const delivery::KeptBody& kept = *event.kept;
  html += "<p>Signature header: " +
          (kept.signature ? "<code class=\"signature\">" + std::string(core::kSignatureHeader) +
                                ": " + HtmlEscape(*kept.signature) + "</code>"
                          : std::string("none (the mock has no <code>--signing-secret</code>)")) +
          "</p>";
  const std::string& body = *kept.body;
  html += "<p class=\"body-head\">Body, " + std::to_string(body.size()) +
          " bytes <button type=\"button\" class=\"copy\" data-copy=\"body-" + id +
          "\" hidden>Copy body</button></p>";
  if (body.size() > kUiMaxBodyBytes) {
    return html + "<p>Too large to show here: <a href=\"/mock/events/" + id +
           "\">GET /mock/events/" + id + "</a> has it whole.</p></section>";
  }
  return html + "<pre class=\"body\" id=\"body-" + id + "\" tabindex=\"0\">" +
         HtmlEscape(Pretty(body)) + "</pre></section>";
}

std::string AttemptSummary(const UiEvent& event) {
  std::string summary = std::to_string(event.attempts.size()) +
                        (event.attempts.size() == 1 ? " attempt: " : " attempts: ");
  for (std::size_t i = 0; i < event.attempts.size(); ++i) {
    if (i != 0) summary += ", ";
    summary +=
        HtmlEscape(event.attempts[i].destination) + " " + HtmlEscape(Outcome(event.attempts[i]));
  }
  return summary;
}

std::string ChannelArticle(const UiChannel& c) {
  const store::ChannelSnapshot& s = c.snapshot;
  std::string html =
      "<article class=\"channel\"><h3>Phone number <code>" +
      HtmlEscape(c.identity.phone_number_id) + "</code> <small>key <code>" +
      HtmlEscape(c.identity.api_key) + "</code></small></h3><dl><dt>Main webhook</dt><dd>" +
      (s.primary.url ? "<code>" + HtmlEscape(*s.primary.url) + "</code>"
                     : std::string("not set: nothing is delivered")) +
      "</dd><dt>Extra webhooks</dt><dd>" + (s.applied.enabled ? "enabled" : "disabled") + ", " +
      std::to_string(s.applied.destinations.size()) + " configured</dd></dl>";
  if (!s.applied.destinations.empty()) {
    html += "<ol class=\"destinations\" aria-label=\"Extra webhooks in delivery order\">";
    for (const core::Destination& d : s.applied.destinations) {
      html += "<li><strong>" + HtmlEscape(d.name) + "</strong> <code>" + HtmlEscape(d.url) +
              "</code></li>";
    }
    html += "</ol>";
  }
  html += "<p>Pending changes: ";
  if (c.pending.empty()) html += "none";
  for (std::size_t i = 0; i < c.pending.size(); ++i) {
    const store::ChangeRecord& p = c.pending[i];
    html += std::string(i == 0 ? "" : "; ") + "<code>" + HtmlEscape(p.method) + " " +
            HtmlEscape(p.path) + "</code> due " + TimeTag(p.due_at);
  }
  return html + "</p></article>";
}

long long P50(const delivery::DestinationStats& d, bool added) {
  return (added ? d.added_latency : d.latency).Percentile(0.50).count();
}

// Latency against the position in the fan-out: main's own latency, then for each extra in
// delivery order the time from main's 200 to its answer (sequential fan-out adds them up).
std::string LatencyChart(const std::string& phone,
                         const std::vector<const delivery::DestinationStats*>& bars) {
  constexpr int kBarWidth = 48;
  constexpr int kHeight = 120;
  long long top = 1;
  for (std::size_t i = 0; i < bars.size(); ++i) top = std::max(top, P50(*bars[i], i != 0));
  const int width = static_cast<int>(bars.size()) * (kBarWidth + 16) + 16;
  std::string svg = "<figure><svg viewBox=\"0 0 " + std::to_string(width) + " " +
                    std::to_string(kHeight + 32) + "\" width=\"" + std::to_string(width) +
                    "\" role=\"img\" aria-labelledby=\"chart-" + Attr(phone) + "\">";
  std::string caption;
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const long long us = P50(*bars[i], i != 0);
    const int h = static_cast<int>(static_cast<double>(us) * kHeight / static_cast<double>(top));
    const int x = 16 + static_cast<int>(i) * (kBarWidth + 16);
    svg += "<rect x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(kHeight - h) +
           "\" width=\"" + std::to_string(kBarWidth) + "\" height=\"" +
           std::to_string(std::max(h, 1)) + "\"></rect><text x=\"" + std::to_string(x) + "\" y=\"" +
           std::to_string(kHeight + 14) + "\">" + HtmlEscape(bars[i]->destination) +
           "</text><text x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(kHeight + 28) +
           "\">" + FormatMicros(us) + "</text>";
    caption += (i == 0 ? "" : ", ") + HtmlEscape(bars[i]->destination) + " " + FormatMicros(us);
  }
  return svg + "</svg><figcaption id=\"chart-" + Attr(phone) + "\">Phone number " +
         HtmlEscape(phone) +
         ", p50 latency by position in the fan-out (extras: from main's 200): " + caption +
         "</figcaption></figure>";
}

std::string StatsRow(const std::string& phone, const delivery::DestinationStats& d) {
  const bool extra = d.destination != delivery::kMainDestination;
  return "<tr><td>" + HtmlEscape(phone) + "</td><td>" + HtmlEscape(d.destination) + "</td><td>" +
         std::to_string(d.attempts) + "</td><td>" + std::to_string(d.succeeded) + "</td><td>" +
         FormatMicros(d.latency.Percentile(0.50).count()) + "</td><td>" +
         FormatMicros(d.latency.Percentile(0.99).count()) + "</td><td>" +
         (extra ? FormatMicros(P50(d, true)) : std::string("—")) + "</td></tr>";
}

std::string Option(const std::string& value, const std::string& label, const std::string& chosen) {
  return "<option value=\"" + Attr(value) + "\"" + (value == chosen ? " selected" : "") + ">" +
         HtmlEscape(label) + "</option>";
}

std::string FiltersForm(const UiPageView& v) {
  std::string channel = Option("", "every channel", v.filter.channel);
  for (const UiChannel& c : v.channels) {
    channel += Option(c.identity.phone_number_id, c.identity.phone_number_id, v.filter.channel);
  }
  std::set<std::string> names{std::string(delivery::kMainDestination)};
  for (const auto& d : v.stats.destinations) names.insert(d.destination);
  for (const UiChannel& c : v.channels) {
    for (const auto& d : c.snapshot.applied.destinations) names.insert(d.name);
  }
  if (!v.filter.destination.empty()) names.insert(v.filter.destination);
  std::string destination = Option("", "every destination", v.filter.destination);
  for (const std::string& n : names) destination += Option(n, n, v.filter.destination);
  std::string status = Option("", "every status", v.filter.status_class);
  for (const char* c : {"2xx", "3xx", "4xx", "5xx", "error"}) {
    status += Option(c, std::string(c) == "error" ? "error (no answer)" : c, v.filter.status_class);
  }
  return "<form id=\"filters\" method=\"get\" action=\"/mock/ui\"><label>Channel <select "
         "name=\"channel\">" +
         channel +
         "</select></label><label>Destination <select "
         "name=\"destination\">" +
         destination +
         "</select></label><label>Status <select "
         "name=\"status\">" +
         status +
         "</select></label><label>Event id <input type=\"search\" "
         "name=\"event\" value=\"" +
         Attr(v.filter.event) +
         "\" placeholder=\"evt_…\"></label><button type=\"submit\">Apply</button> <a "
         "href=\"/mock/ui\">Clear filters</a></form>";
}

std::string ActionsForm(const UiPageView& v) {
  std::string channel;
  for (const UiChannel& c : v.channels) {
    channel += Option(c.identity.api_key, c.identity.phone_number_id, "");
  }
  std::string type;
  for (const char* t : {"text", "image", "location", "status:delivered", "error"}) {
    type += Option(t, t, "text");
  }
  return "<section id=\"actions\" aria-labelledby=\"actions-h\" hidden><h2 "
         "id=\"actions-h\">Actions</h2><form id=\"send\"><label>Channel <select name=\"key\">" +
         channel + "</select></label><label>Type <select name=\"type\">" + type +
         "</select></label><button type=\"submit\">Send a sample notification</button></form>"
         "<form id=\"advance\"><label>Milliseconds <input name=\"ms\" type=\"number\" min=\"0\" "
         "value=\"1000\"></label><button type=\"submit\">Advance the virtual clock</button></form>"
         "<p><button type=\"button\" id=\"flush\">Apply pending changes now</button> <button "
         "type=\"button\" id=\"reset\">Reset the mock…</button></p><p><output id=\"action-result\" "
         "aria-live=\"polite\"></output></p></section>";
}

std::string EventList(const UiPageView& v) {
  const bool live = v.filter.before == 0;
  std::string html = "<ol id=\"events\" data-last-seq=\"" + std::to_string(v.page.last_seq) +
                     "\" data-live=\"" + (live ? "1" : "0") + "\">";
  std::map<std::string, std::string> phone_of;
  for (const UiChannel& c : v.channels) phone_of[c.identity.api_key] = c.identity.phone_number_id;
  for (const UiEvent& e : v.page.events) html += RenderEvent(e, v.now, phone_of[e.api_key]);
  html += "</ol><p id=\"events-empty\"" + std::string(v.page.events.empty() ? "" : " hidden") +
          ">No delivery matches yet.</p><nav aria-label=\"Pages of events\"><p>";
  const std::string query = UiFilterQuery(v.filter);
  if (!live)
    html +=
        "<a href=\"/mock/ui" + (query.empty() ? "" : "?" + Attr(query)) + "\">Newest events</a> ";
  if (v.page.older != 0) {
    html += "<a href=\"/mock/ui?" + Attr(query) + (query.empty() ? "" : "&amp;") +
            "before=" + std::to_string(v.page.older) + "\">Older events</a>";
  }
  return html + "</p></nav>";
}

}  // namespace

std::string RenderEvent(const UiEvent& event, const UiNow& now, std::string_view phone_number_id) {
  std::string gate_css;
  const std::string gate = GateText(event, now, gate_css);
  const std::string state =
      event.status ? std::string(delivery::EventStateName(event.status->state)) : "forgotten";
  const std::string id = Attr(event.event_id);
  std::string html =
      "<li class=\"event\" id=\"event-" + id + "\" data-event=\"" + id + "\" data-seq=\"" +
      std::to_string(event.attempts.empty() ? 0 : event.attempts.back().seq) +
      "\"><article aria-labelledby=\"h-" + id + "\"><h3 id=\"h-" + id + "\"><code>" + id +
      "</code> " +
      (event.kept ? "<span class=\"type\">" + HtmlEscape(event.kept->type) + "</span> "
                  : std::string()) +
      "<span class=\"state state-" + state + "\">" + state + "</span></h3><p class=\"meta\">";
  if (!event.attempts.empty()) {
    html += (phone_number_id.empty() ? "Channel key <code>" + HtmlEscape(event.api_key)
                                     : "Phone number <code>" + HtmlEscape(phone_number_id)) +
            "</code> · first attempt " + TimeTag(event.attempts.front().started_wall) + " · ";
  }
  html += "<span class=\"gate gate-" + gate_css + "\">" + gate + "</span></p><details><summary>" +
          AttemptSummary(event) +
          "</summary><div class=\"scroll\"><table><caption>Attempts in the order they "
          "finished</caption><thead><tr><th scope=\"col\">#</th><th scope=\"col\">Destination</th>"
          "<th scope=\"col\">URL</th><th scope=\"col\">Status or error</th><th "
          "scope=\"col\">Latency</th><th scope=\"col\">Try</th><th "
          "scope=\"col\">Started</th></tr></thead><tbody>";
  for (std::size_t i = 0; i < event.attempts.size(); ++i) {
    html += AttemptRow(event.attempts[i], i + 1);
  }
  return html + "</tbody></table></div>" + DeliveredSection(event) + "</details></article></li>";
}

std::string RenderChannels(const std::vector<UiChannel>& channels) {
  std::string html;
  for (const UiChannel& c : channels) html += ChannelArticle(c);
  return html.empty() ? "<p>No channel.</p>" : html;
}

std::string RenderStats(const delivery::EngineStats& stats,
                        const std::vector<UiChannel>& channels) {
  std::map<std::string, std::string> phone_of;
  // Main first, then the extras in delivery order (destinations no longer configured last).
  std::map<std::pair<std::string, std::string>, std::size_t> rank;
  for (const UiChannel& c : channels) {
    phone_of[c.identity.api_key] = c.identity.phone_number_id;
    const auto& extras = c.snapshot.applied.destinations;
    for (std::size_t i = 0; i < extras.size(); ++i)
      rank[{c.identity.api_key, extras[i].name}] = i + 1;
  }
  const auto rank_of = [&rank](const delivery::DestinationStats* d) {
    if (d->destination == delivery::kMainDestination) return std::size_t{0};
    const auto it = rank.find({d->api_key, d->destination});
    return it == rank.end() ? std::size_t{1000} : it->second;
  };
  std::string html = "<p>" + std::to_string(stats.submitted) + " submitted, " +
                     std::to_string(stats.delivered) + " delivered, " +
                     std::to_string(stats.in_progress) + " in progress, " +
                     std::to_string(stats.expired) + " expired, " +
                     std::to_string(stats.undeliverable) + " undeliverable.</p>";
  if (stats.destinations.empty()) return html;
  html +=
      "<div class=\"scroll\"><table><caption>Per destination (latency of every answered "
      "attempt)</caption><thead><tr><th scope=\"col\">Phone number</th><th "
      "scope=\"col\">Destination</th><th scope=\"col\">Attempts</th><th "
      "scope=\"col\">Succeeded</th><th scope=\"col\">p50</th><th scope=\"col\">p99</th><th "
      "scope=\"col\">Added p50</th></tr></thead><tbody>";
  std::map<std::string, std::vector<const delivery::DestinationStats*>> by_channel;
  std::vector<const delivery::DestinationStats*> rows;
  for (const auto& d : stats.destinations) rows.push_back(&d);
  std::stable_sort(rows.begin(), rows.end(), [&rank_of](const auto* a, const auto* b) {
    return a->api_key != b->api_key ? a->api_key < b->api_key : rank_of(a) < rank_of(b);
  });
  for (const delivery::DestinationStats* row : rows) {
    const delivery::DestinationStats& d = *row;
    html += StatsRow(phone_of[d.api_key], d);
    by_channel[d.api_key].push_back(&d);
  }
  html += "</tbody></table></div>";
  for (const auto& [key, bars] : by_channel) html += LatencyChart(phone_of[key], bars);
  return html;
}

std::string RenderPage(const UiPageView& v) {
  const bool live = v.filter.before == 0;
  return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta "
         "name=\"viewport\" content=\"width=device-width, initial-scale=1\"><link rel=\"icon\" "
         "href=\"data:,\"><title>multihook: "
         "deliveries</title><link rel=\"stylesheet\" href=\"/mock/ui/style.css\"><script "
         "src=\"/mock/ui/app.js\" defer></script></head><body><header><h1>multihook "
         "deliveries</h1><p id=\"live\" role=\"status\">" +
         std::string(live ? "Shown as of " + TimeTag(v.now.wall) +
                                " (mock time). Live updates need JavaScript; reload to refresh."
                          : "An older page: reload or go to the newest events to follow live.") +
         (v.now.is_virtual ? " The clock is virtual." : "") +
         "</p></header><main><section aria-labelledby=\"filters-h\"><h2 "
         "id=\"filters-h\">Filters</h2>" +
         FiltersForm(v) + "</section>" + ActionsForm(v) +
         "<section aria-labelledby=\"events-h\"><h2 id=\"events-h\">Events, newest first</h2>" +
         EventList(v) +
         "</section><section aria-labelledby=\"stats-h\"><h2 id=\"stats-h\">Destinations</h2><div "
         "id=\"stats\">" +
         RenderStats(v.stats, v.channels) +
         "</div></section><section aria-labelledby=\"channels-h\"><h2 "
         "id=\"channels-h\">Channels</h2><div id=\"channels\" data-tag=\"" +
         Attr(v.channels_tag) + "\">" + RenderChannels(v.channels) +
         "</div></section></main></body></html>";
}

}  // namespace multihook::http
