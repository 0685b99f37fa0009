// The soak's drain and final check (see soak.cpp): three records of the same run, kept apart
// until here, must agree exactly. The journal and /mock/stats are the mock's; what each receiver
// got, and (from its seeded profile) what it answered, is the receivers' own.
#include <algorithm>
#include <chrono>
#include <set>
#include <sstream>

#include "bench/soak_support.hpp"
#include "mock_server/codec/json_reader.hpp"

namespace multihook::soak {
namespace {

using codec::Json;
using harness::Fault;
using Clock = std::chrono::steady_clock;

struct Record {  // one journal entry
  std::string event_id, destination, outcome;
  int attempt = 0;
  bool succeeded = false;
};

struct Arrival {  // one request a receiver got
  Fault fault = Fault::kNone;
  Clock::time_point at;
};
using Arrivals = std::map<std::string, std::vector<Arrival>>;  // message id -> in arrival order

core::Result<Json> GetJson(httplib::Client& client, const std::string& path) {
  auto res = client.Get(path);
  if (!res) return core::Status(core::StatusCode::kInternal, path, httplib::to_string(res.error()));
  if (res->status != 200) {
    return core::Status(core::StatusCode::kInternal, path,
                        "answered " + std::to_string(res->status) + ": " + res->body);
  }
  return codec::ParseBody(res->body);
}

const std::vector<Arrival>& FindOr(const Arrivals& arrivals, const std::string& message) {
  static const std::vector<Arrival> kNone;
  const auto it = arrivals.find(message);
  return it == arrivals.end() ? kNone : it->second;
}

bool IsFinalState(const std::string& state) {
  return state == "delivered" || state == "expired" || state == "undeliverable";
}

// What the journal calls the answer a fault gives: a reset and a malformed answer both end the
// exchange without a readable status (the mock may name the second `protocol`).
std::string ClassOf(Fault fault) {
  switch (fault) {
    case Fault::kNone:
      return "200";
    case Fault::k500:
      return "500";
    case Fault::k429:
      return "429";
    case Fault::kTimeout:
      return "timeout";
    case Fault::kReset:
    case Fault::kGarbage:
      return "reset|malformed";
  }
  return "?";
}
std::string ClassOf(const std::string& outcome) {
  return outcome == "reset" || outcome == "protocol" || outcome == "other" ? "reset|malformed"
                                                                           : outcome;
}

std::vector<Record> Records(const Json& page) {
  std::vector<Record> out;
  for (const Json& d : page.at("deliveries")) {
    out.push_back(Record{d.at("event_id").get<std::string>(),
                         d.at("destination").get<std::string>(),
                         d.at("error").is_null() ? std::to_string(d.at("status").get<int>())
                                                 : d.at("error").get<std::string>(),
                         d.at("attempt").get<int>(), d.at("succeeded").get<bool>()});
  }
  return out;
}

Arrivals ArrivalsOf(const harness::ScriptedReceiver& receiver,
                    const harness::FaultProfile& profile) {
  static const Json::json_pointer kMessageId("/entry/0/changes/0/value/messages/0/id");
  Arrivals out;
  for (const auto& request : receiver.Requests()) {
    auto body = codec::ParseBody(request.body);
    const std::string id = body.ok() && body->contains(kMessageId)
                               ? body->at(kMessageId).get<std::string>()
                               : "(unreadable body)";
    out[id].push_back(Arrival{profile.Pick(request.sequence), request.received_at});
  }
  return out;
}

class Checker {
 public:
  explicit Checker(Report& report) : report_(report) {}
  template <typename A, typename B>
  void Equal(const std::string& what, const A& a, const B& b) {
    if (a == b) return;
    std::ostringstream line;
    line << what << ": " << a << " != " << b;
    if (report_.failures.size() < 30) report_.failures.push_back(line.str());
    ++mismatches_;
  }
  void Fail(const std::string& what) {
    if (report_.failures.size() < 30) report_.failures.push_back(what);
    ++mismatches_;
  }
  std::uint64_t mismatches() const { return mismatches_; }

 private:
  Report& report_;
  std::uint64_t mismatches_ = 0;
};

struct Views {  // everything fetched once the run drained
  Json stats;
  std::vector<Record> journal;
  std::uint64_t journal_dropped = 0;
  std::map<std::string, std::string> state_of;  // event id -> state
  std::vector<Arrivals> arrivals;               // per receiver
};

core::Result<Views> Fetch(const std::string& base, const Rig& rig, const Tally& tally,
                          const SoakOptions& o) {
  httplib::Client client = Client(base);
  Views v;
  MULTIHOOK_ASSIGN_OR_RETURN(v.stats, GetJson(client, "/mock/stats"));
  MULTIHOOK_ASSIGN_OR_RETURN(const Json page, GetJson(client, "/mock/deliveries"));
  v.journal = Records(page);
  v.journal_dropped = page.at("dropped").get<std::uint64_t>();
  if (o.inject == "drop-journal-record" && !v.journal.empty()) {
    v.journal.erase(v.journal.begin() + static_cast<long>(v.journal.size() / 2));
  }
  for (const std::string& id : tally.accepted) {
    MULTIHOOK_ASSIGN_OR_RETURN(const Json event, GetJson(client, "/mock/events/" + id));
    v.state_of[id] = event.at("state").get<std::string>();
  }
  for (std::size_t i = 0; i < rig.receivers.size(); ++i) {
    v.arrivals.push_back(ArrivalsOf(*rig.receivers[i], rig.profiles[i]));
  }
  return v;
}

// The journal and /mock/stats count the same attempts and outcomes, per destination.
void StatsAgreeWithJournal(const Views& v, Checker& check) {
  std::map<std::string, std::map<std::string, std::uint64_t>> journal;  // dest -> outcome -> n
  for (const Record& r : v.journal) ++journal[r.destination][r.outcome];
  std::set<std::string> seen;
  for (const Json& d : v.stats.at("destinations")) {
    const std::string dest = d.at("destination").get<std::string>();
    seen.insert(dest);
    std::uint64_t total = 0;
    for (const auto& [outcome, n] : journal[dest]) total += n;
    check.Equal("attempts to " + dest + ": stats vs journal", d.at("attempts").get<std::uint64_t>(),
                total);
    std::map<std::string, std::uint64_t> outcomes;
    for (const auto& [outcome, n] : d.at("outcomes").items()) outcomes[outcome] = n;
    for (const auto& [outcome, n] : journal[dest]) {
      check.Equal(dest + " " + outcome + ": stats vs journal", outcomes[outcome], n);
    }
  }
  for (const auto& [dest, outcomes] : journal) {
    if (!seen.count(dest)) check.Fail("journal destination " + dest + " in /mock/stats");
  }
}

// Each receiver got exactly the attempts the journal records for its destination, per event and
// per answer class.
void ReceiversAgreeWithJournal(const Views& v, const Tally& tally, Checker& check) {
  static constexpr std::array<const char*, kExtras + 1> kDest = {"main", "e1", "e2", "e3"};
  for (std::size_t i = 0; i < v.arrivals.size(); ++i) {
    std::map<std::string, std::uint64_t> journal_by_event, journal_class, receiver_class;
    for (const Record& r : v.journal) {
      if (r.destination != kDest[i]) continue;
      ++journal_by_event[tally.message_of.count(r.event_id) ? tally.message_of.at(r.event_id)
                                                            : "(unknown event)"];
      ++journal_class[ClassOf(r.outcome)];
    }
    std::map<std::string, std::uint64_t> receiver_by_event;
    for (const auto& [message, arrivals] : v.arrivals[i]) {
      receiver_by_event[message] = arrivals.size();
      for (const Arrival& a : arrivals) ++receiver_class[ClassOf(a.fault)];
    }
    for (const auto& [cls, n] : journal_class) {
      check.Equal(std::string(kDest[i]) + " " + cls + ": journal vs receiver", n,
                  receiver_class[cls]);
    }
    for (const auto& [cls, n] : receiver_class) {
      if (!journal_class.count(cls)) {
        check.Equal(std::string(kDest[i]) + " " + cls + ": journal vs receiver", 0u, n);
      }
    }
    std::set<std::string> messages;
    for (const auto& [m, n] : journal_by_event) messages.insert(m);
    for (const auto& [m, n] : receiver_by_event) messages.insert(m);
    for (const std::string& m : messages) {
      check.Equal(std::string(kDest[i]) + " requests for " + m + ": journal vs receiver",
                  journal_by_event[m], receiver_by_event[m]);
    }
  }
}

// Main got each notification until its one 200 (delivered) or never (expired); extras only after
// that 200, both in the journal's order and by the receivers' own clocks.
void GateHolds(const Views& v, const Tally& tally, Checker& check) {
  std::map<std::string, std::vector<std::size_t>> main_of, extras_of;  // event -> journal indexes
  for (std::size_t i = 0; i < v.journal.size(); ++i) {
    (v.journal[i].destination == "main" ? main_of : extras_of)[v.journal[i].event_id].push_back(i);
  }
  for (const std::string& id : tally.accepted) {
    const std::vector<std::size_t>& mains = main_of[id];
    std::optional<std::size_t> success;
    for (std::size_t k = 0; k < mains.size(); ++k) {
      const Record& r = v.journal[mains[k]];
      check.Equal(id + " main attempt number", r.attempt, static_cast<int>(k + 1));
      if (r.succeeded) success = mains[k];
    }
    const bool delivered = v.state_of.at(id) == "delivered";
    check.Equal(id + " delivered iff main's last attempt succeeded", delivered,
                success.has_value() && success == mains.back());
    for (std::size_t i : extras_of[id]) {
      if (!success || i < *success) check.Fail(id + " extra attempt before main's 200 (journal)");
    }
    const std::string& message = tally.message_of.at(id);
    std::optional<Clock::time_point> main_ok;
    for (const Arrival& a : FindOr(v.arrivals[0], message)) {
      if (a.fault == Fault::kNone) main_ok = a.at;
    }
    check.Equal(id + " main answered 200 (receiver) iff delivered", main_ok.has_value(), delivered);
    for (std::size_t e = 1; e < v.arrivals.size(); ++e) {
      for (const Arrival& a : FindOr(v.arrivals[e], message)) {
        if (!main_ok || a.at < *main_ok) check.Fail(id + " extra got it before main's 200");
      }
    }
  }
}

void Figures(const Views& v, const Tally& tally, Report& report) {
  std::map<std::string, std::uint64_t> states;
  for (const auto& [id, state] : v.state_of) ++states[state];
  std::uint64_t final_events = 0;
  for (const auto& [state, n] : states) final_events += IsFinalState(state) ? n : 0;
  std::map<std::string, std::uint64_t> attempts;
  for (const Record& r : v.journal) ++attempts[r.destination];
  std::uint64_t main_events = 0;
  for (const auto& [id, state] : v.state_of) main_events += state != "undeliverable";
  const auto add = [&report](const std::string& name, auto value) {
    std::ostringstream text;
    text << value;
    report.figures.emplace_back(name, text.str());
  };
  add("accepted", tally.accepted.size());
  add("rejected with 429", tally.rejected_429);
  add("delivered", states["delivered"]);
  add("expired", states["expired"]);
  add("retried (main attempts after the first)", attempts["main"] - main_events);
  for (const auto& [dest, n] : attempts) add("attempts to " + dest, n);
  for (const auto& [method, n] : tally.changes) add("config changes " + method, n);
  add("virtual-time advances", tally.advances);
  add("lost", tally.accepted.size() - final_events);
}

}  // namespace

core::Status Drain(const std::string& base, const SoakOptions& o, Tally& tally) {
  httplib::Client client = Client(base);
  const auto deadline = Clock::now() + std::chrono::seconds(o.drain_s);
  std::size_t next = 0;  // accepted[next] is the oldest event not seen final
  while (Clock::now() < deadline) {
    Advance(client, 60'000, tally);  // retries due within a minute run now
    for (; next < tally.accepted.size(); ++next) {
      MULTIHOOK_ASSIGN_OR_RETURN(const Json event,
                                 GetJson(client, "/mock/events/" + tally.accepted[next]));
      if (IsFinalState(event.at("state").get<std::string>())) continue;
      // In progress: wait (bounded) for its next journal record, or advance again.
      const std::string wait = "/mock/deliveries?event_id=" + tally.accepted[next] +
                               "&min_count=" + std::to_string(event.at("attempts").size() + 1) +
                               "&timeout_ms=200";
      MULTIHOOK_RETURN_IF_ERROR(GetJson(client, wait));
      break;
    }
    if (next == tally.accepted.size()) return core::Status::Ok();
  }
  return core::Status(core::StatusCode::kFailedPrecondition, "",
                      "events still in progress after " + std::to_string(o.drain_s) + " s");
}

Report Check(const SoakOptions& o, const std::string& base, const Rig& rig, Tally& tally) {
  Report report;
  auto views = Fetch(base, rig, tally, o);
  if (!views.ok()) {
    report.failures.push_back("fetching the results: " + views.status().ToString());
    return report;
  }
  const Views& v = *views;
  Checker check(report);
  check.Equal("journal records dropped", v.journal_dropped, 0u);
  check.Equal("/mock/stats submitted vs accepted", v.stats.at("submitted").get<std::size_t>(),
              tally.accepted.size());
  check.Equal("/mock/stats in_progress", v.stats.at("in_progress").get<std::uint64_t>(), 0u);
  std::map<std::string, std::uint64_t> states;
  for (const auto& [id, state] : v.state_of) ++states[state];
  for (const char* state : {"delivered", "expired", "undeliverable"}) {
    check.Equal(std::string("/mock/stats ") + state + " vs events",
                v.stats.at(state).get<std::uint64_t>(), states[state]);
  }
  StatsAgreeWithJournal(v, check);
  ReceiversAgreeWithJournal(v, tally, check);
  GateHolds(v, tally, check);
  Figures(v, tally, report);
  report.figures.emplace_back("mismatches", std::to_string(check.mismatches()));
  for (const std::string& error : tally.errors) report.failures.push_back("error: " + error);
  return report;
}

void Print(const Report& report, std::ostream& out) {
  for (const auto& [name, value] : report.figures) out << "  " << name << " " << value << "\n";
  for (const std::string& failure : report.failures) out << "FAIL " << failure << "\n";
  out << (report.failures.empty() ? "soak: PASS" : "soak: FAIL") << "\n";
}

}  // namespace multihook::soak
