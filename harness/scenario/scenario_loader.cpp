#include "harness/scenario/scenario_loader.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <span>
#include <sstream>

#include "harness/scenario/stand_in.hpp"
#include "mock_server/codec/json_reader.hpp"
#include "mock_server/core/url_rules.hpp"

namespace multihook::harness {
namespace {

using core::Result;
using core::Status;

Status Error(const std::string& at, std::string reason) {
  return core::InvalidArgument(at, std::move(reason));
}

std::string Child(const std::string& at, std::string_view key) {
  return at + "/" + core::PointerToken(key);
}
std::string Child(const std::string& at, std::size_t index) {
  return at + "/" + std::to_string(index);
}

Status CheckKeys(const Json& value, const std::string& at,
                 std::span<const std::string_view> allowed) {
  if (!value.is_object()) return codec::TypeError(at, "an object", value);
  for (const auto& item : value.items()) {
    if (std::find(allowed.begin(), allowed.end(), item.key()) == allowed.end()) {
      std::string names;
      for (std::string_view a : allowed) names += (names.empty() ? "" : ", ") + std::string(a);
      return Error(Child(at, item.key()), "unknown key (expected one of: " + names + ")");
    }
  }
  return Status::Ok();
}
Status CheckKeys(const Json& value, const std::string& at,
                 std::initializer_list<std::string_view> allowed) {
  return CheckKeys(value, at, std::span<const std::string_view>(allowed.begin(), allowed.size()));
}

Result<std::string> String(const Json& value, const std::string& at) {
  if (!value.is_string()) return codec::TypeError(at, "a string", value);
  return value.get<std::string>();
}

Result<std::string> NonEmptyString(const Json& value, const std::string& at) {
  auto s = String(value, at);
  if (s.ok() && s->empty()) return Error(at, "must not be empty");
  return s;
}

Result<long long> Integer(const Json& value, const std::string& at, long long min, long long max) {
  if (!value.is_number_integer()) return codec::TypeError(at, "an integer", value);
  const long long v = value.get<long long>();
  if (v < min || v > max) {
    return Error(at, "expected an integer from " + std::to_string(min) + " to " +
                         std::to_string(max) + ", got " + std::to_string(v));
  }
  return v;
}

Result<core::Micros> Duration(const Json& value, const std::string& at) {
  auto text = String(value, at);
  if (!text.ok()) return text.status();
  return core::ParseDuration(*text, at);
}

// Notification bodies are long-winded: "/value/..." stands for "/entry/0/changes/0/value/...".
std::string ExpandNotificationPointer(const std::string& pointer) {
  if (pointer == "/value" || pointer.rfind("/value/", 0) == 0)
    return "/entry/0/changes/0" + pointer;
  return pointer;
}

Result<std::vector<PointerMatch>> PointerMatches(const Json& value, const std::string& at,
                                                 bool notification) {
  if (!value.is_object()) return codec::TypeError(at, "an object of JSON pointer: value", value);
  std::vector<PointerMatch> matches;
  for (const auto& item : value.items()) {
    const std::string where = Child(at, item.key());
    if (!item.key().empty() && item.key()[0] != '/') {
      return Error(where, "a JSON pointer must be empty or start with '/'");
    }
    try {
      (void)Json::json_pointer(item.key());
    } catch (const std::exception& e) {
      return Error(where, std::string("not a valid JSON pointer: ") + e.what());
    }
    matches.push_back(PointerMatch{
        where, notification ? ExpandNotificationPointer(item.key()) : item.key(), item.value()});
  }
  return matches;
}

// An answer's extra headers: {"Location": "/moved"}. Names must be header tokens and values free of
// CR, LF and NUL, so a scenario cannot split the receiver's answer.
Result<httplib::Headers> AnswerHeaders(const Json& value, const std::string& at) {
  if (!value.is_object()) return codec::TypeError(at, "an object of header name: value", value);
  httplib::Headers headers;
  for (const auto& item : value.items()) {
    const std::string hat = Child(at, item.key());
    auto v = String(item.value(), hat);
    if (!v.ok()) return v.status();
    const bool token = !item.key().empty() &&
                       std::all_of(item.key().begin(), item.key().end(), [](unsigned char c) {
                         return std::isalnum(c) ||
                                std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) !=
                                    std::string_view::npos;
                       });
    if (!token) return Error(hat, "not a valid header name");
    if (v->find_first_of(std::string("\r\n\0", 3)) != std::string::npos) {
      return Error(hat, "a header value must not contain CR, LF or NUL");
    }
    headers.emplace(item.key(), *v);
  }
  return headers;
}

Result<Answer> ParseAnswer(const Json& value, const std::string& at, bool allow_times, int* times) {
  const std::span<const std::string_view> keys(kAnswerKeys);
  if (Status s = CheckKeys(value, at, allow_times ? keys : keys.first(keys.size() - 1)); !s.ok()) {
    return s;
  }
  Answer answer = Answer::Status(200);
  if (auto it = value.find("status"); it != value.end()) {
    auto status = Integer(*it, Child(at, "status"), 100, 599);
    if (!status.ok()) return status.status();
    answer.status = static_cast<int>(*status);
  }
  if (auto it = value.find("delay"); it != value.end()) {
    auto delay = Duration(*it, Child(at, "delay"));
    if (!delay.ok()) return delay.status();
    answer.delay = std::chrono::duration_cast<std::chrono::milliseconds>(*delay);
  }
  if (auto it = value.find("body"); it != value.end()) {
    answer.body = it->is_string() ? it->get<std::string>() : it->dump();
  }
  if (auto it = value.find("headers"); it != value.end()) {
    auto headers = AnswerHeaders(*it, Child(at, "headers"));
    if (!headers.ok()) return headers.status();
    answer.headers = std::move(*headers);
  }
  if (auto it = value.find("reset"); it != value.end()) {
    if (!it->is_boolean()) return codec::TypeError(Child(at, "reset"), "a boolean", *it);
    if (it->get<bool>()) {
      if (value.contains("status") || value.contains("body") || value.contains("headers")) {
        return Error(Child(at, "reset"), "a reset sends no status, headers or body");
      }
      answer.kind = Answer::Kind::kReset;
    }
  }
  if (times != nullptr) {
    *times = 1;
    if (auto it = value.find("times"); it != value.end()) {
      auto n = Integer(*it, Child(at, "times"), 1, 10000);
      if (!n.ok()) return n.status();
      *times = static_cast<int>(*n);
    }
  }
  return answer;
}

// "stand_in": what a real endpoint replacing the receiver must do. A receiver whose script asks
// for a fault cannot be replaced by an endpoint that only answers 200: that is a contradiction in
// the file, not something to find out at run time.
Status ParseStandIn(const Json& value, const std::string& at, ReceiverSpec& spec) {
  auto text = String(value, at);
  if (!text.ok()) return text.status();
  if (*text != kStandInValues[0]) {
    return Error(at, "expected \"answers_200\", got '" + *text + "'");
  }
  for (std::size_t i = 0; i < spec.script.size(); ++i) {
    if (IsFault(spec.script[i])) {
      return Error(at, "a receiver a real endpoint stands in for answers 200, but script entry " +
                           std::to_string(i) + " asks it to " + DescribeAnswer(spec.script[i]));
    }
  }
  if (IsFault(spec.then)) {
    return Error(at,
                 "a receiver a real endpoint stands in for answers 200, but 'then' asks it "
                 "to " +
                     DescribeAnswer(spec.then));
  }
  spec.stand_in = StandIn::kAnswers200;
  return Status::Ok();
}

Status ParseTags(const Json& value, const std::string& at, Scenario& scenario) {
  if (!value.is_array()) return codec::TypeError(at, "an array of tag names", value);
  for (std::size_t i = 0; i < value.size(); ++i) {
    auto tag = NonEmptyString(value[i], Child(at, i));
    if (!tag.ok()) return tag.status();
    const bool plain = std::all_of(tag->begin(), tag->end(), [](unsigned char c) {
      return std::islower(c) || std::isdigit(c) || c == '_' || c == '-';
    });
    if (!plain) return Error(Child(at, i), "a tag is lowercase letters, digits, '_' and '-'");
    scenario.tags.push_back(*tag);
  }
  return Status::Ok();
}

Status ParseReceivers(const Json& value, const std::string& at, Scenario& scenario) {
  if (!value.is_object())
    return codec::TypeError(at, "an object of receiver name: receiver", value);
  std::set<std::string> hosts;
  for (const auto& item : value.items()) {
    const std::string rat = Child(at, item.key());
    const Json& r = item.value();
    if (Status s = CheckKeys(r, rat, kReceiverKeys); !s.ok()) return s;
    ReceiverSpec spec;
    spec.at = rat;
    spec.name = item.key();
    if (spec.name.empty()) return Error(rat, "a receiver name must not be empty");
    const auto host_it = r.find("host");
    if (host_it == r.end()) return Error(Child(rat, "host"), "is required");
    auto host = NonEmptyString(*host_it, Child(rat, "host"));
    if (!host.ok()) return host.status();
    spec.host = *host;
    std::transform(spec.host.begin(), spec.host.end(), spec.host.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (!hosts.insert(spec.host).second) {
      return Error(Child(rat, "host"), "host '" + spec.host + "' is used by another receiver");
    }
    if (auto route = core::ParseHostRoute(spec.host + "=http://127.0.0.1:1"); !route.ok()) {
      return Error(Child(rat, "host"), route.status().reason());
    }
    if (auto it = r.find("external"); it != r.end()) {
      auto url = NonEmptyString(*it, Child(rat, "external"));
      if (!url.ok()) return url.status();
      if (auto route = core::ParseHostRoute(spec.host + "=" + *url); !route.ok()) {
        return Error(Child(rat, "external"), route.status().reason());
      }
      if (r.contains("script") || r.contains("then")) {
        return Error(Child(rat, "external"), "an external receiver takes no script or then");
      }
      spec.external_url = *url;
    }
    if (auto it = r.find("script"); it != r.end()) {
      if (!it->is_array()) return codec::TypeError(Child(rat, "script"), "an array", *it);
      for (std::size_t i = 0; i < it->size(); ++i) {
        int times = 1;
        auto answer = ParseAnswer((*it)[i], Child(Child(rat, "script"), i), true, &times);
        if (!answer.ok()) return answer.status();
        for (int t = 0; t < times; ++t) spec.script.push_back(*answer);
      }
    }
    if (auto it = r.find("then"); it != r.end()) {
      auto answer = ParseAnswer(*it, Child(rat, "then"), false, nullptr);
      if (!answer.ok()) return answer.status();
      spec.then = *answer;
    }
    if (auto it = r.find("stand_in"); it != r.end()) {
      if (Status s = ParseStandIn(*it, Child(rat, "stand_in"), spec); !s.ok()) return s;
    }
    scenario.receivers.push_back(std::move(spec));
  }
  return Status::Ok();
}

Result<HttpExpect> ParseHttpExpect(const Json& value, const std::string& at) {
  if (Status s = CheckKeys(value, at, {"status", "body", "body_contains"}); !s.ok()) return s;
  HttpExpect expect;
  expect.at = at;
  if (auto it = value.find("status"); it != value.end()) {
    auto status = Integer(*it, Child(at, "status"), 100, 599);
    if (!status.ok()) return status.status();
    expect.status = static_cast<int>(*status);
  }
  if (auto it = value.find("body"); it != value.end()) {
    auto matches = PointerMatches(*it, Child(at, "body"), false);
    if (!matches.ok()) return matches.status();
    expect.body = std::move(*matches);
  }
  if (auto it = value.find("body_contains"); it != value.end()) {
    auto text = String(*it, Child(at, "body_contains"));
    if (!text.ok()) return text.status();
    expect.body_contains = *text;
  }
  return expect;
}

const ReceiverSpec* FindReceiver(const Scenario& scenario, const std::string& name) {
  for (const auto& r : scenario.receivers) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

Status UnknownReceiver(const Scenario& scenario, const std::string& at, const std::string& name) {
  std::string names;
  for (const auto& r : scenario.receivers) names += (names.empty() ? "'" : ", '") + r.name + "'";
  return Error(
      at, "no receiver named '" + name + "' (receivers: " + (names.empty() ? "none" : names) + ")");
}

struct Captures {
  std::set<std::string> events;    // from inbound steps
  std::set<std::string> messages;  // from inbound and send_message steps
};

Status ParseStep(const Json& value, const std::string& at, Scenario& scenario, Captures& captures) {
  if (Status s = CheckKeys(value, at, kStepKeys); !s.ok()) return s;
  Step step;
  step.at = at;
  std::vector<std::string_view> kinds;
  for (std::string_view kind : kStepKinds) {
    if (value.contains(std::string(kind))) kinds.push_back(kind);
  }
  if (kinds.size() != 1) {
    std::string names;
    for (std::string_view k : kStepKinds) names += (names.empty() ? "" : ", ") + std::string(k);
    return Error(at,
                 "a step needs exactly one of " + names + "; got " + std::to_string(kinds.size()));
  }
  const std::string kind(kinds[0]);
  const std::string kat = Child(at, kind);
  const Json& body = value.at(kind);
  const bool http = kind == "request" || kind == "inbound" || kind == "send_message";
  if (!http) {
    for (const char* key : {"expect", "as"}) {
      if (value.contains(key))
        return Error(Child(at, key), "only request, inbound and send_message steps take '" +
                                         std::string(key) + "'");
    }
  }
  if (kind == "request") {
    step.kind = StepKind::kRequest;
    if (Status s = CheckKeys(body, kat, {"method", "path", "body", "api_key"}); !s.ok()) return s;
    for (const char* key : {"method", "path"}) {
      if (!body.contains(key)) return Error(Child(kat, key), "is required");
    }
    auto method = String(body.at("method"), Child(kat, "method"));
    if (!method.ok()) return method.status();
    static const std::set<std::string> kMethods = {"GET", "POST", "PUT", "PATCH", "DELETE"};
    if (!kMethods.count(*method)) {
      return Error(Child(kat, "method"),
                   "expected GET, POST, PUT, PATCH or DELETE, got '" + *method + "'");
    }
    step.method = *method;
    auto path = String(body.at("path"), Child(kat, "path"));
    if (!path.ok()) return path.status();
    if (path->empty() || (*path)[0] != '/') return Error(Child(kat, "path"), "must start with '/'");
    step.path = *path;
    if (auto it = body.find("body"); it != body.end()) step.body = *it;
    if (auto it = body.find("api_key"); it != body.end()) {
      if (it->is_null()) {
        step.api_key = "";
      } else {
        auto key = NonEmptyString(*it, Child(kat, "api_key"));
        if (!key.ok()) return key.status();
        step.api_key = *key;
      }
    }
  } else if (kind == "inbound" || kind == "send_message") {
    step.kind = kind == "inbound" ? StepKind::kInbound : StepKind::kSendMessage;
    step.method = "POST";
    step.path = kind == "inbound" ? "/mock/inbound" : "/messages";
    if (!body.is_object()) return codec::TypeError(kat, "an object", body);
    step.body = body;
  } else if (kind == "advance") {
    step.kind = StepKind::kAdvance;
    auto d = Duration(body, kat);
    if (!d.ok()) return d.status();
    step.advance = *d;
  } else if (kind == "flush") {
    step.kind = StepKind::kFlush;
    if (!body.is_boolean() || !body.get<bool>()) return Error(kat, "expected true");
  } else {
    step.kind = StepKind::kWait;
    if (Status s = CheckKeys(body, kat, {"receiver", "event", "destination", "count", "timeout"});
        !s.ok()) {
      return s;
    }
    if (auto it = body.find("receiver"); it != body.end()) {
      auto name = String(*it, Child(kat, "receiver"));
      if (!name.ok()) return name.status();
      if (FindReceiver(scenario, *name) == nullptr) {
        return UnknownReceiver(scenario, Child(kat, "receiver"), *name);
      }
      if (body.contains("event") || body.contains("destination")) {
        return Error(Child(kat, "receiver"),
                     "wait for a receiver or for journal records (event, destination), not both");
      }
      step.wait_receiver = *name;
    }
    if (auto it = body.find("event"); it != body.end()) {
      auto name = String(*it, Child(kat, "event"));
      if (!name.ok()) return name.status();
      if (!captures.events.count(*name)) {
        return Error(Child(kat, "event"), "no earlier inbound step has \"as\": \"" + *name + "\"");
      }
      step.wait_event = *name;
    }
    if (auto it = body.find("destination"); it != body.end()) {
      auto name = NonEmptyString(*it, Child(kat, "destination"));
      if (!name.ok()) return name.status();
      step.wait_destination = *name;
    }
    if (auto it = body.find("count"); it != body.end()) {
      auto n = Integer(*it, Child(kat, "count"), 1, 1'000'000);
      if (!n.ok()) return n.status();
      step.wait_count = static_cast<std::size_t>(*n);
    }
    if (auto it = body.find("timeout"); it != body.end()) {
      auto d = Duration(*it, Child(kat, "timeout"));
      if (!d.ok()) return d.status();
      if (*d > std::chrono::seconds(60)) return Error(Child(kat, "timeout"), "at most 60s");
      step.wait_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(*d);
    }
  }
  if (http) {
    step.expect.at = Child(at, "expect");
    if (auto it = value.find("expect"); it != value.end()) {
      auto expect = ParseHttpExpect(*it, Child(at, "expect"));
      if (!expect.ok()) return expect.status();
      step.expect = std::move(*expect);
    }
    if (auto it = value.find("as"); it != value.end()) {
      auto name = NonEmptyString(*it, Child(at, "as"));
      if (!name.ok()) return name.status();
      if (captures.messages.count(*name) || captures.events.count(*name)) {
        return Error(Child(at, "as"), "the name '" + *name + "' is taken by an earlier step");
      }
      step.capture = *name;
      if (step.kind == StepKind::kInbound) captures.events.insert(*name);
      captures.messages.insert(*name);  // a request's answer may carry /messages/0/id too
    }
  }
  if (auto it = value.find("note"); it != value.end()) {
    if (auto note = String(*it, Child(at, "note")); !note.ok()) return note.status();
  }
  scenario.steps.push_back(std::move(step));
  return Status::Ok();
}

// "same_as": {"receiver": "main", "request": 0}: the receiver must be an embedded one of this
// scenario (an external receiver's requests cannot be seen).
Result<SameAsMatch> ParseSameAs(const Json& value, const std::string& at,
                                const Scenario& scenario) {
  if (Status s = CheckKeys(value, at, {"receiver", "request"}); !s.ok()) return s;
  for (const char* key : {"receiver", "request"}) {
    if (!value.contains(key)) return Error(Child(at, key), "is required");
  }
  SameAsMatch same;
  same.at = at;
  auto name = String(value.at("receiver"), Child(at, "receiver"));
  if (!name.ok()) return name.status();
  const ReceiverSpec* receiver = FindReceiver(scenario, *name);
  if (receiver == nullptr) return UnknownReceiver(scenario, Child(at, "receiver"), *name);
  if (receiver->external_url) {
    return Error(Child(at, "receiver"),
                 "'" + *name + "' is an external receiver; same_as needs an embedded one");
  }
  same.receiver = *name;
  auto index = Integer(value.at("request"), Child(at, "request"), 0, 1'000'000);
  if (!index.ok()) return index.status();
  same.request = static_cast<std::size_t>(*index);
  return same;
}

Result<RequestMatcher> ParseMatcher(const Json& value, const std::string& at,
                                    const Captures& captures, const Scenario& scenario) {
  if (Status s = CheckKeys(value, at, kMatcherKeys); !s.ok()) return s;
  RequestMatcher m;
  m.at = at;
  if (auto it = value.find("path"); it != value.end()) {
    auto path = String(*it, Child(at, "path"));
    if (!path.ok()) return path.status();
    m.path = *path;
  }
  if (auto it = value.find("body"); it != value.end()) {
    auto matches = PointerMatches(*it, Child(at, "body"), true);
    if (!matches.ok()) return matches.status();
    m.body = std::move(*matches);
  }
  if (auto it = value.find("headers"); it != value.end()) {
    if (!it->is_object()) return codec::TypeError(Child(at, "headers"), "an object", *it);
    for (const auto& h : it->items()) {
      const std::string hat = Child(Child(at, "headers"), h.key());
      if (h.value().is_null()) {
        m.headers.push_back({hat, h.key(), std::nullopt});
        continue;
      }
      auto v = String(h.value(), hat);
      if (!v.ok()) return codec::TypeError(hat, "a string or null", h.value());
      m.headers.push_back({hat, h.key(), *v});
    }
  }
  if (auto it = value.find("message"); it != value.end()) {
    auto name = String(*it, Child(at, "message"));
    if (!name.ok()) return name.status();
    if (!captures.messages.count(*name)) {
      return Error(Child(at, "message"), "no step has \"as\": \"" + *name + "\"");
    }
    m.message = *name;
  }
  if (auto it = value.find("signature"); it != value.end()) {
    auto s = String(*it, Child(at, "signature"));
    if (!s.ok()) return s.status();
    if (*s == "valid") {
      m.signature = SignatureExpect::kValid;
    } else if (*s == "absent") {
      m.signature = SignatureExpect::kAbsent;
    } else {
      return Error(Child(at, "signature"), "expected 'valid' or 'absent', got '" + *s + "'");
    }
  }
  if (auto it = value.find("same_as"); it != value.end()) {
    auto same = ParseSameAs(*it, Child(at, "same_as"), scenario);
    if (!same.ok()) return same.status();
    m.same_as = std::move(*same);
  }
  return m;
}

Status ParseExpect(const Json& value, const std::string& at, Scenario& scenario,
                   const Captures& captures) {
  if (Status s = CheckKeys(value, at, kExpectKeys); !s.ok()) return s;
  if (auto it = value.find("unexpected"); it != value.end()) {
    auto mode = String(*it, Child(at, "unexpected"));
    if (!mode.ok()) return mode.status();
    if (*mode != "fail" && *mode != "ignore") {
      return Error(Child(at, "unexpected"), "expected 'fail' or 'ignore', got '" + *mode + "'");
    }
    scenario.unexpected_fails = *mode == "fail";
  }
  if (auto it = value.find("receivers"); it != value.end()) {
    const std::string rsat = Child(at, "receivers");
    if (!it->is_object()) return codec::TypeError(rsat, "an object", *it);
    for (const auto& item : it->items()) {
      const std::string rat = Child(rsat, item.key());
      if (FindReceiver(scenario, item.key()) == nullptr) {
        return UnknownReceiver(scenario, rat, item.key());
      }
      if (Status s = CheckKeys(item.value(), rat, {"count", "requests", "every"}); !s.ok())
        return s;
      ReceiverExpect e;
      e.at = rat;
      e.receiver = item.key();
      if (auto c = item.value().find("count"); c != item.value().end()) {
        auto n = Integer(*c, Child(rat, "count"), 0, 1'000'000);
        if (!n.ok()) return n.status();
        e.count = static_cast<std::size_t>(*n);
      }
      if (auto r = item.value().find("requests"); r != item.value().end()) {
        if (!r->is_array()) return codec::TypeError(Child(rat, "requests"), "an array", *r);
        for (std::size_t i = 0; i < r->size(); ++i) {
          auto m = ParseMatcher((*r)[i], Child(Child(rat, "requests"), i), captures, scenario);
          if (!m.ok()) return m.status();
          e.requests.push_back(std::move(*m));
        }
        if (!e.count) e.count = e.requests.size();
        if (e.requests.size() > *e.count) {
          return Error(Child(rat, "requests"), "more request matchers than the expected count");
        }
      }
      if (auto r = item.value().find("every"); r != item.value().end()) {
        auto m = ParseMatcher(*r, Child(rat, "every"), captures, scenario);
        if (!m.ok()) return m.status();
        e.every = std::move(*m);
      }
      scenario.receiver_expects.push_back(std::move(e));
    }
  }
  if (auto it = value.find("events"); it != value.end()) {
    const std::string esat = Child(at, "events");
    if (!it->is_object()) return codec::TypeError(esat, "an object", *it);
    for (const auto& item : it->items()) {
      const std::string eat = Child(esat, item.key());
      if (!captures.events.count(item.key())) {
        return Error(eat, "no inbound step has \"as\": \"" + item.key() + "\"");
      }
      if (Status s = CheckKeys(item.value(), eat, {"state", "extras", "attempts"}); !s.ok())
        return s;
      EventExpect e;
      e.at = eat;
      e.capture = item.key();
      if (auto s = item.value().find("state"); s != item.value().end()) {
        auto state = String(*s, Child(eat, "state"));
        if (!state.ok()) return state.status();
        e.state = core::ParseEventState(*state);
        if (!e.state) return Error(Child(eat, "state"), "unknown event state '" + *state + "'");
      }
      if (auto a = item.value().find("attempts"); a != item.value().end()) {
        if (!a->is_array()) return codec::TypeError(Child(eat, "attempts"), "an array", *a);
        std::vector<std::string> attempts;
        for (std::size_t i = 0; i < a->size(); ++i) {
          auto s = NonEmptyString((*a)[i], Child(Child(eat, "attempts"), i));
          if (!s.ok()) return s.status();
          attempts.push_back(*s);
        }
        e.attempts = std::move(attempts);
      }
      if (auto x = item.value().find("extras"); x != item.value().end()) {
        const std::string xsat = Child(eat, "extras");
        if (!x->is_object()) return codec::TypeError(xsat, "an object", *x);
        for (const auto& extra : x->items()) {
          const std::string xat = Child(xsat, extra.key());
          if (Status s = CheckKeys(extra.value(), xat, {"state", "added_latency"}); !s.ok())
            return s;
          ExtraExpect xe;
          xe.at = xat;
          xe.destination = extra.key();
          if (auto s = extra.value().find("state"); s != extra.value().end()) {
            auto state = String(*s, Child(xat, "state"));
            if (!state.ok()) return state.status();
            xe.state = core::ParseExtraState(*state);
            if (!xe.state)
              return Error(Child(xat, "state"), "unknown extra state '" + *state + "'");
          }
          if (auto l = extra.value().find("added_latency"); l != extra.value().end()) {
            const std::string lat = Child(xat, "added_latency");
            if (Status s = CheckKeys(*l, lat, {"min", "max"}); !s.ok()) return s;
            if (auto m = l->find("min"); m != l->end()) {
              auto d = Duration(*m, Child(lat, "min"));
              if (!d.ok()) return d.status();
              xe.added_latency_min = *d;
            }
            if (auto m = l->find("max"); m != l->end()) {
              auto d = Duration(*m, Child(lat, "max"));
              if (!d.ok()) return d.status();
              xe.added_latency_max = *d;
            }
          }
          e.extras.push_back(std::move(xe));
        }
      }
      scenario.event_expects.push_back(std::move(e));
    }
  }
  return Status::Ok();
}

Status ParseScenario(const Json& json, Scenario& scenario) {
  if (Status s = CheckKeys(json, "", kScenarioKeys); !s.ok()) return s;
  if (auto it = json.find("$schema"); it != json.end()) {
    if (auto s = String(*it, "/$schema"); !s.ok()) return s.status();
  }
  if (auto it = json.find("name"); it != json.end()) {
    auto name = NonEmptyString(*it, "/name");
    if (!name.ok()) return name.status();
    scenario.name = *name;
  }
  if (auto it = json.find("description"); it != json.end()) {
    auto d = String(*it, "/description");
    if (!d.ok()) return d.status();
    scenario.description = *d;
  }
  if (auto it = json.find("tags"); it != json.end()) {
    if (Status s = ParseTags(*it, "/tags", scenario); !s.ok()) return s;
  }
  // Scenario defaults: an isolated mock on an ephemeral port, virtual time, changes applied at
  // once, a fixed seed (reproducible ids) and one channel.
  app::MockOptions& options = scenario.options;
  options.port = 0;
  options.http_threads = 8;
  options.seed = 1;
  options.clock = app::ClockMode::kVirtual;
  options.apply_delay = core::Micros{0};
  if (auto it = json.find("options"); it != json.end()) {
    if (!it->is_object()) return codec::TypeError("/options", "an object", *it);
    for (const char* key : {"port", "bind"}) {
      if (it->contains(key)) {
        return Error(Child("/options", key),
                     "a scenario's mock always listens on an ephemeral loopback port");
      }
    }
    scenario.options_json = *it;
    if (Status s = app::ApplyConfigJson(it->dump(), options); !s.ok()) {
      return s.WithLocationPrefix("/options");
    }
  }
  if (options.channels.empty()) {
    core::ChannelSpec channel;
    channel.api_key = "scenario-key";
    channel.phone_number_id = "100000000000001";
    options.channels.push_back(channel);
  }
  scenario.api_key = options.channels.front().api_key.value_or("");
  if (auto it = json.find("receivers"); it != json.end()) {
    if (Status s = ParseReceivers(*it, "/receivers", scenario); !s.ok()) return s;
  }
  Captures captures;
  const auto steps = json.find("steps");
  if (steps == json.end()) return Error("/steps", "is required");
  if (!steps->is_array()) return codec::TypeError("/steps", "an array", *steps);
  for (std::size_t i = 0; i < steps->size(); ++i) {
    if (Status s = ParseStep((*steps)[i], Child("/steps", i), scenario, captures); !s.ok())
      return s;
  }
  if (auto it = json.find("expect"); it != json.end()) {
    if (Status s = ParseExpect(*it, "/expect", scenario, captures); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace

Result<Scenario> LoadScenarioText(std::string_view text, const std::string& file) {
  Scenario scenario;
  scenario.file = file;
  scenario.name = std::filesystem::path(file).stem().string();
  auto json = codec::ParseBody(text);
  Status status = json.ok() ? ParseScenario(*json, scenario) : json.status();
  if (!status.ok()) {
    const std::string where = status.location().empty() ? file : file + " at " + status.location();
    return Status(status.code(), where, status.reason());
  }
  return scenario;
}

Result<Scenario> LoadScenarioFile(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status(core::StatusCode::kNotFound, file, "cannot read the file");
  std::ostringstream text;
  text << in.rdbuf();
  return LoadScenarioText(text.str(), file);
}

std::string LoadErrorMessage(const core::Status& status) {
  if (status.location().empty()) return status.reason();
  return status.location() + ": " + status.reason();
}

Result<std::vector<std::string>> ExpandScenarioPaths(const std::vector<std::string>& paths) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<std::string> found;
      for (const auto& entry : fs::directory_iterator(path, ec)) {
        const std::string name = entry.path().filename().string();
        if (entry.is_regular_file() && entry.path().extension() == ".json" &&
            !(name.size() >= 11 && name.compare(name.size() - 11, 11, "schema.json") == 0)) {
          found.push_back(entry.path().string());
        }
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(path, ec)) {
      files.push_back(path);
    } else {
      return Status(core::StatusCode::kNotFound, path, "no such file or directory");
    }
  }
  return files;
}

}  // namespace multihook::harness
