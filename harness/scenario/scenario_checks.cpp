// ScenarioRun's expectations: what the receivers got, and the events' states in the mock.
#include <algorithm>

#include "harness/scenario/scenario_run.hpp"
#include "mock_server/codec/signature.hpp"
#include "mock_server/core/wire_names.hpp"

namespace multihook::harness::internal {
namespace {

namespace control = codec::control;
using std::chrono::milliseconds;

constexpr milliseconds kSettleTimeout{5000};
const std::string kSignatureHeader(core::kSignatureHeader);

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return "[" + s + "]";
}

std::string MsText(long long us) { return std::to_string(us / 1000) + " ms"; }

}  // namespace

bool ScenarioRun::CheckPointer(const PointerMatch& m, const Json& doc, const std::string& what,
                               const std::string& raw) {
  const Json::json_pointer pointer(m.pointer);
  const bool present = doc.contains(pointer);
  if (m.value.is_null()) {
    if (!present) return true;
    Fail(m.at, what + ": " + m.pointer + " should be absent", "(absent)", doc.at(pointer).dump(),
         "body: " + Preview(raw));
    return false;
  }
  if (!present) {
    Fail(m.at, what + ": nothing at " + m.pointer, m.value.dump(), "(absent)",
         "body: " + Preview(raw));
    return false;
  }
  const Json& actual = doc.at(pointer);
  if (actual == m.value) return true;
  Fail(m.at,
       what + ": " + m.pointer + " is " + Preview(actual.dump()) + ", expected " +
           Preview(m.value.dump()),
       m.value.dump(), actual.dump(), "body: " + Preview(raw));
  return false;
}

void ScenarioRun::CheckRequest(const RequestMatcher& m, const ReceivedRequest& r,
                               const std::string& receiver) {
  const std::string what = "request #" + std::to_string(r.sequence) + " to '" + receiver + "'";
  if (m.path && r.path != *m.path) {
    Fail(m.at + "/path", what + " went to path " + r.path + ", expected " + *m.path, *m.path,
         r.path);
  }
  if (m.same_as) CheckSameAs(*m.same_as, r, what);  // raw bytes: JSON or not
  const Json body = Json::parse(r.body, nullptr, false);
  if ((!m.body.empty() || m.message) && body.is_discarded()) {
    Fail(m.at, what + " has a body that is not JSON", "", "", "body: " + Preview(r.body));
    return;
  }
  for (const PointerMatch& pm : m.body) (void)CheckPointer(pm, body, what, r.body);
  CheckHeaders(m, r, what);
  if (m.message) CheckMessage(m, r, body, what);
  if (m.signature) CheckSignature(m, r, what);
}

void ScenarioRun::CheckHeaders(const RequestMatcher& m, const ReceivedRequest& r,
                               const std::string& what) {
  for (const HeaderMatch& h : m.headers) {
    auto it = r.headers.find(h.name);
    if (!h.value) {
      if (it != r.headers.end()) {
        Fail(h.at, what + " carries header " + h.name + ", expected none", "(absent)", it->second);
      }
    } else if (it == r.headers.end()) {
      Fail(h.at, what + " lacks header " + h.name, *h.value, "(absent)");
    } else if (it->second != *h.value) {
      Fail(h.at, what + " has " + h.name + ": " + it->second + ", expected " + *h.value, *h.value,
           it->second);
    }
  }
}

// The notification is about the captured message: its message's or status's id.
void ScenarioRun::CheckMessage(const RequestMatcher& m, const ReceivedRequest& r, const Json& body,
                               const std::string& what) {
  const std::string& id = captures_[*m.message].message_id;
  std::string got;
  for (const char* p :
       {"/entry/0/changes/0/value/messages/0/id", "/entry/0/changes/0/value/statuses/0/id"}) {
    const Json::json_pointer pointer(p);
    if (body.contains(pointer) && body.at(pointer).is_string()) got = body.at(pointer);
  }
  if (got != id) {
    Fail(m.at + "/message", what + " is not about message '" + *m.message + "' (" + id + ")", id,
         got.empty() ? "(no message or status id)" : got, "body: " + Preview(r.body));
  }
}

void ScenarioRun::CheckSignature(const RequestMatcher& m, const ReceivedRequest& r,
                                 const std::string& what) {
  auto it = r.headers.find(kSignatureHeader);
  if (*m.signature == SignatureExpect::kAbsent) {
    if (it != r.headers.end()) {
      Fail(m.at + "/signature", what + " is signed, expected no signature", "(absent)", it->second);
    }
  } else if (it == r.headers.end()) {
    Fail(m.at + "/signature", what + " has no x-360dialog-signature header", "valid", "(absent)");
  } else if (!secret_known_ || !secret_) {
    result_.notes.push_back(m.at + "/signature: not checked (no signing_secret known)");
  } else if (!codec::SignatureMatches(*secret_, r.body, it->second)) {
    Fail(m.at + "/signature",
         what + ": x-360dialog-signature does not match the body under the signing secret",
         codec::SignatureHex(*secret_, r.body), it->second, "body: " + Preview(r.body));
  }
}

// A clone must be byte-for-byte what the reference request got: the raw body and the
// x-360dialog-signature header (or the lack of one).
void ScenarioRun::CheckSameAs(const SameAsMatch& same, const ReceivedRequest& r,
                              const std::string& what) {
  const std::string ref_what =
      "request #" + std::to_string(same.request) + " to '" + same.receiver + "'";
  const auto receiver = receivers_.find(same.receiver);
  if (receiver == receivers_.end()) {
    result_.notes.push_back(same.at + ": not checked (receiver '" + same.receiver +
                            "' is external, its requests cannot be seen)");
    return;
  }
  const std::vector<ReceivedRequest> ref_requests = receiver->second->Requests();
  if (same.request >= ref_requests.size()) {
    Fail(same.at + "/request",
         what + " cannot be compared: '" + same.receiver + "' got only " +
             std::to_string(ref_requests.size()) + " request(s)",
         ref_what, "(none)", Describe(ref_requests));
    return;
  }
  const ReceivedRequest& ref = ref_requests[same.request];
  if (r.body != ref.body) {
    const auto diff = std::mismatch(r.body.begin(), r.body.end(), ref.body.begin(), ref.body.end());
    const std::size_t at = static_cast<std::size_t>(diff.first - r.body.begin());
    const std::size_t from = at < 40 ? 0 : at - 40;
    Fail(same.at,
         what + ": body differs from " + ref_what + " at byte " + std::to_string(at) + " (" +
             std::to_string(r.body.size()) + " bytes, reference " +
             std::to_string(ref.body.size()) + ")",
         Preview(ref.body.substr(std::min(from, ref.body.size()), 80)),
         Preview(r.body.substr(from, 80)));
  }
  const auto sig = r.headers.find(kSignatureHeader);
  const auto ref_sig = ref.headers.find(kSignatureHeader);
  const std::string got = sig == r.headers.end() ? "(absent)" : sig->second;
  const std::string want = ref_sig == ref.headers.end() ? "(absent)" : ref_sig->second;
  if (got != want)
    Fail(same.at, what + ": x-360dialog-signature differs from " + ref_what, want, got);
}

void ScenarioRun::CheckExpectations() {
  std::vector<std::string> listed;
  for (const ReceiverExpect& e : scenario_.receiver_expects) {
    listed.push_back(e.receiver);
    if (external_.count(e.receiver)) {
      CheckExternalReceiver(e);
    } else {
      CheckReceiver(e);
    }
  }
  if (scenario_.unexpected_fails) CheckUnexpected(listed);
  for (const EventExpect& e : scenario_.event_expects) CheckEvent(e);
}

void ScenarioRun::CheckReceiver(const ReceiverExpect& e) {
  const ScriptedReceiver& receiver = *receivers_.at(e.receiver);
  // On real time, deliveries may still be on their way: give them a bounded while.
  if (e.count && !virtual_clock_) (void)receiver.WaitForCount(*e.count, kSettleTimeout);
  const std::vector<ReceivedRequest> requests = receiver.Requests();
  if (e.count && requests.size() != *e.count) {
    Fail(e.at + "/count",
         "receiver '" + e.receiver + "' got " + std::to_string(requests.size()) +
             " request(s), expected " + std::to_string(*e.count),
         std::to_string(*e.count), std::to_string(requests.size()), Describe(requests));
  }
  for (std::size_t i = 0; i < e.requests.size() && i < requests.size(); ++i) {
    CheckRequest(e.requests[i], requests[i], e.receiver);
  }
  if (e.every) {
    for (const auto& r : requests) CheckRequest(*e.every, r, e.receiver);
  }
}

// Embedded receivers without an expectation must have received nothing.
void ScenarioRun::CheckUnexpected(const std::vector<std::string>& listed) {
  for (const auto& [name, receiver] : receivers_) {
    if (std::find(listed.begin(), listed.end(), name) != listed.end()) continue;
    const auto requests = receiver->Requests();
    if (!requests.empty()) {
      Fail("/receivers/" + name,
           "receiver '" + name + "' got " + std::to_string(requests.size()) +
               " unexpected request(s) (it has no expectation, so it should get none)",
           "0", std::to_string(requests.size()), Describe(requests));
    }
  }
}

void ScenarioRun::CheckExternalReceiver(const ReceiverExpect& e) {
  const std::string& host = external_.at(e.receiver);
  if (!e.requests.empty() || e.every) {
    result_.notes.push_back(e.at + ": request contents not checked (external receiver '" +
                            e.receiver + "'); counts come from the mock's journal");
  }
  if (!e.count) return;
  auto page = client_->Deliveries();
  if (!page.ok()) {
    Fail(e.at + "/count", "GET /mock/deliveries failed: " + page.status().reason());
    return;
  }
  std::size_t got = 0;
  std::string seen;
  for (const control::Attempt& d : page->deliveries) {
    if (HostOfUrl(d.url) != host) continue;
    ++got;
    seen += "\n  " + d.destination + " " + d.url + " -> " + d.Outcome();
  }
  if (got != *e.count) {
    Fail(e.at + "/count",
         "external receiver '" + e.receiver + "' (" + host + ") got " + std::to_string(got) +
             " delivery attempt(s), expected " + std::to_string(*e.count),
         std::to_string(*e.count), std::to_string(got),
         "journal:" + (seen.empty() ? " nothing" : seen));
  }
}

void ScenarioRun::CheckEvent(const EventExpect& e) {
  const std::string& event_id = captures_[e.capture].event_id;
  auto event = client_->GetEvent(event_id);
  if (!event.ok()) {
    Fail(e.at, "GET /mock/events/" + event_id + " failed: " + event.status().reason());
    return;
  }
  const std::string context = "event: " + Preview(control::Encode(*event));
  const std::string what = "event '" + e.capture + "' (" + event_id + ")";
  if (e.state && event->state != *e.state) {
    const std::string want(core::EventStateName(*e.state));
    const std::string got(core::EventStateName(event->state));
    Fail(e.at + "/state", what + " is " + got + ", expected " + want, want, got, context);
  }
  if (e.attempts) {
    std::vector<std::string> got;
    for (const control::Attempt& a : event->attempts)
      got.push_back(a.destination + " " + a.Outcome());
    if (got != *e.attempts) {
      Fail(e.at + "/attempts", what + ": the attempts differ", Join(*e.attempts), Join(got));
    }
  }
  for (const ExtraExpect& x : e.extras) CheckExtra(x, *event, what, context);
}

void ScenarioRun::CheckExtra(const ExtraExpect& x, const control::Event& event,
                             const std::string& what, const std::string& context) {
  const control::Extra* extra = event.FindExtra(x.destination);
  const std::string name = what + ": extra '" + x.destination + "'";
  if (extra == nullptr) {
    Fail(x.at, what + " has no extra '" + x.destination + "' in its fan-out plan", x.destination,
         "(absent)", context);
    return;
  }
  if (x.state && extra->state != *x.state) {
    const std::string want(core::ExtraStateName(*x.state));
    const std::string got(core::ExtraStateName(extra->state));
    Fail(x.at + "/state", name + " is " + got + ", expected " + want, want, got, context);
  }
  if (!x.added_latency_min && !x.added_latency_max) return;
  if (!extra->added_latency_us) {
    Fail(x.at + "/added_latency", name + " has no added latency", "a latency", "null", context);
    return;
  }
  const long long us = *extra->added_latency_us;
  if (x.added_latency_min && us < x.added_latency_min->count()) {
    Fail(x.at + "/added_latency/min",
         name + " added " + MsText(us) + ", expected at least " +
             MsText(x.added_latency_min->count()),
         ">= " + MsText(x.added_latency_min->count()), MsText(us), context);
  }
  if (x.added_latency_max && us > x.added_latency_max->count()) {
    Fail(x.at + "/added_latency/max",
         name + " added " + MsText(us) + ", expected at most " +
             MsText(x.added_latency_max->count()),
         "<= " + MsText(x.added_latency_max->count()), MsText(us), context);
  }
}

}  // namespace multihook::harness::internal
