#include "harness/scenario/scenario_runner.hpp"

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>

#include "harness/scenario/scenario_mock_options.hpp"
#include "harness/scenario/stand_in.hpp"
#include "harness/scenario/target_options.hpp"
#include "mock_server/app/mock_provider.hpp"
#include "mock_server/codec/signature.hpp"

namespace multihook::harness {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr char kApiKeyHeader[] = "D360-API-KEY";
constexpr char kSignatureHeader[] = "x-360dialog-signature";
constexpr milliseconds kSettleTimeout{5000};
constexpr std::size_t kBodyPreview = 240;

std::string Preview(std::string_view text) {
  if (text.size() <= kBodyPreview) return std::string(text);
  return std::string(text.substr(0, kBodyPreview)) + "... (" + std::to_string(text.size()) +
         " bytes)";
}

std::string Describe(const std::vector<ReceivedRequest>& requests) {
  if (requests.empty()) return "received: nothing";
  std::ostringstream out;
  out << "received:";
  for (const auto& r : requests) {
    out << "\n  #" << r.sequence << " " << r.method << " " << r.path << " " << Preview(r.body);
  }
  return out.str();
}

std::string HostOf(const std::string& url) {
  std::size_t start = url.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  std::size_t end = url.find_first_of(":/?", start);
  std::string host = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
  std::transform(host.begin(), host.end(), host.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return host;
}

// Lenient accessors for the mock's answers: a missing or mistyped member reads as null / "".
const Json& Member(const Json& object, const char* key) {
  static const Json kNull;
  if (!object.is_object()) return kNull;
  const auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}
std::string Str(const Json& object, const char* key) {
  const Json& v = Member(object, key);
  return v.is_string() ? v.get<std::string>() : std::string();
}
// A journal record's outcome: "200", "timeout", ...
std::string AttemptOutcome(const Json& record) {
  const Json& status = Member(record, "status");
  return status.is_number() ? status.dump() : Str(record, "error");
}

struct Captured {
  std::string event_id;
  std::string message_id;
};

// Runs one scenario; owns its receivers and (embedded) mock for its lifetime.
class ScenarioRun {
 public:
  ScenarioRun(const Scenario& scenario, const RunOptions& options)
      : scenario_(scenario),
        options_(options),
        secret_(options.secret ? options.secret : scenario.options.signing_secret) {
    result_.name = scenario.name;
    result_.file = scenario.file;
    result_.description = scenario.description;
  }

  ScenarioResult Run() {
    const auto started = Clock::now();
    if (Setup()) {
      RunSteps();
      if (!stopped_) CheckExpectations();
      if (!result_.failures.empty()) ExplainRejectedSignature();
    }
    if (result_.outcome == Outcome::kPassed && !result_.failures.empty()) {
      result_.outcome = Outcome::kFailed;
    }
    if (options_.target && client_) RestoreTarget();
    // Close our keep-alive connection and the mock's (to the receivers) before stopping the
    // servers, so none of them waits for an idle connection to time out.
    client_.reset();
    mock_.reset();
    for (auto& [name, receiver] : receivers_) receiver->Stop();
    result_.duration = std::chrono::duration_cast<milliseconds>(Clock::now() - started);
    return std::move(result_);
  }

 private:
  void Fail(std::string at, std::string message, std::string expected = {}, std::string actual = {},
            std::string context = {}) {
    result_.failures.push_back(Failure{std::move(at), std::move(message), std::move(expected),
                                       std::move(actual), std::move(context)});
  }
  void Error(std::string at, std::string message) {
    Fail(std::move(at), std::move(message));
    result_.outcome = Outcome::kError;
  }
  void Skip(std::string reason) {
    result_.outcome = Outcome::kSkipped;
    result_.skip_reason = std::move(reason);
  }

  // --- setup ----------------------------------------------------------------------------------

  // An embedded receiver per spec, or the real endpoint that replaces it; a route to each.
  bool StartReceivers(std::vector<core::HostRoute>& routes) {
    for (const ReceiverSpec& spec : scenario_.receivers) {
      std::optional<std::string> external = spec.external_url;
      if (auto it = options_.external_receivers.find(spec.name);
          it != options_.external_receivers.end()) {
        external = it->second;
      }
      std::string target;
      if (external) {
        external_[spec.name] = spec.host;
        real_receivers_.push_back(RealReceiver{spec.name, spec.host, *external});
        target = *external;
      } else {
        ReceiverOptions ro;
        ro.name = spec.name;
        ro.threads = 8;
        auto receiver = ScriptedReceiver::Start(ro);
        if (!receiver.ok()) {
          Error(spec.at,
                "receiver '" + spec.name + "' did not start: " + receiver.status().ToString());
          return false;
        }
        (*receiver)->Script(spec.script, spec.then);
        target = (*receiver)->BaseUrl();
        receivers_[spec.name] = std::move(*receiver);
      }
      auto route = core::ParseHostRoute(spec.host + "=" + target);
      if (!route.ok()) {
        Error(spec.at, "bad route for receiver '" + spec.name + "': " + route.status().reason());
        return false;
      }
      routes.push_back(std::move(*route));
    }
    return true;
  }

  bool Setup() {
    std::vector<core::HostRoute> routes;
    if (!StartReceivers(routes)) return false;
    std::string base_url;
    if (options_.target) {
      base_url = *options_.target;
      virtual_clock_ = false;
    } else {
      auto built = EmbeddedMockOptions(scenario_.options_json);
      if (!built.ok()) {
        Error("/options", built.status().ToString());
        return false;
      }
      app::MockOptions mock_options = std::move(*built);
      mock_options.signing_secret = secret_;
      mock_options.routes.insert(mock_options.routes.end(), routes.begin(), routes.end());
      auto mock = app::MockProvider::Start(mock_options);
      if (!mock.ok()) {
        Error("/options", "the mock did not start: " + mock.status().ToString());
        return false;
      }
      mock_ = std::move(*mock);
      base_url = mock_->BaseUrl();
      virtual_clock_ = scenario_.options.clock == app::ClockMode::kVirtual;
      secret_known_ = true;
    }
    client_ = std::make_unique<httplib::Client>(base_url);
    client_->set_keep_alive(true);
    client_->set_tcp_nodelay(true);
    client_->set_connection_timeout(std::chrono::seconds(5));
    client_->set_read_timeout(std::chrono::seconds(90));  // advances over days take a while
    client_->set_write_timeout(std::chrono::seconds(10));
    if (options_.target) return SetupTarget(routes);
    return true;
  }

  bool SetupTarget(const std::vector<core::HostRoute>& routes) {
    auto reset = Call("POST", "/mock/reset", "{}", std::nullopt);
    if (!reset || reset->status != 200) {
      Error("", "cannot reset the target mock at " + *options_.target + ": " + AnswerText(reset));
      return false;
    }
    if (!ApplyTargetOptions()) return false;
    for (const auto& channel : scenario_.options.channels) {
      Json body{{"api_key", channel.api_key.value_or("")}};
      auto res = Call("POST", "/mock/channels", body.dump(), std::nullopt);
      if (!res || (res->status != 201 && res->status != 409)) {
        Error("/options", "cannot add channel '" + channel.api_key.value_or("") +
                              "' to the target mock: " + AnswerText(res));
        return false;
      }
    }
    for (const auto& route : routes) {
      auto res =
          Call("POST", "/mock/routes", Json{{"route", route.ToString()}}.dump(), std::nullopt);
      if (!res || res->status != 201) {
        Error("/receivers", "cannot post route " + route.ToString() + ": " + AnswerText(res));
        return false;
      }
    }
    auto clock = Call("GET", "/mock/clock", "", std::nullopt);
    if (clock && clock->status == 200) {
      auto json = Json::parse(clock->body, nullptr, false);
      virtual_clock_ = Str(json, "mode") == "virtual";
    }
    if (!virtual_clock_ && scenario_.options.clock == app::ClockMode::kVirtual) {
      result_.notes.push_back(
          "the target mock runs on real time; advance steps will fail "
          "(start it with --clock virtual)");
    }
    return true;
  }

  // PATCH /mock/options with what the scenario needs. Refused (400): the mock cannot run this
  // scenario, which is a skip with the mock's reason; no such endpoint (404, an older mock):
  // today's behaviour, the options are reported as not applied.
  bool ApplyTargetOptions() {
    const Json patch = TargetOptionsPatch(scenario_, options_.secret);
    auto res = Call("PATCH", "/mock/options", patch.dump(), std::nullopt);
    if (res && res->status == 200) {
      secret_known_ = true;
      return true;
    }
    if (res && res->status == 404) {
      result_.notes.push_back(
          "options not applied (the --target mock has no /mock/options; it "
          "runs with its own): " +
          patch.dump());
      return true;
    }
    if (res && res->status == 400) {
      const Json answer = Json::parse(res->body, nullptr, false);
      const std::string reason = Str(answer, "error");
      Skip("the target mock refused the scenario's options " + patch.dump() + ": " +
           (reason.empty() ? Preview(res->body) : reason));
      return false;
    }
    Error("/options", "PATCH /mock/options failed: " + AnswerText(res));
    return false;
  }

  // After a scenario on a running mock, pass or fail: back to its startup options and no state.
  void RestoreTarget() {
    auto res = Call("POST", "/mock/reset", "{}", std::nullopt);
    if (!res || res->status != 200) {
      result_.notes.push_back("could not reset the target mock afterwards: " + AnswerText(res));
    }
  }

  // A real receiver that answered 401/403 is the likeliest cause of any failure: say so first.
  void ExplainRejectedSignature() {
    if (real_receivers_.empty()) return;
    auto res = Call("GET", "/mock/deliveries", "", std::nullopt);
    if (!res || res->status != 200) return;
    const Json journal = Json::parse(res->body, nullptr, false);
    if (auto failure = SignatureRejection(journal, real_receivers_, secret_.has_value())) {
      result_.failures.insert(result_.failures.begin(), std::move(*failure));
    }
  }

  // --- HTTP -----------------------------------------------------------------------------------

  static std::string AnswerText(const httplib::Result& res) {
    if (!res) return "no answer (" + httplib::to_string(res.error()) + ")";
    return std::to_string(res->status) + " " + Preview(res->body);
  }

  httplib::Result Call(const std::string& method, const std::string& path, const std::string& body,
                       const std::optional<std::string>& api_key) {
    httplib::Headers headers;
    if (api_key && !api_key->empty()) headers.emplace(kApiKeyHeader, *api_key);
    const char* type = "application/json";
    if (method == "GET") return client_->Get(path.c_str(), headers);
    if (method == "POST") return client_->Post(path.c_str(), headers, body, type);
    if (method == "PUT") return client_->Put(path.c_str(), headers, body, type);
    if (method == "PATCH") return client_->Patch(path.c_str(), headers, body, type);
    return client_->Delete(path.c_str(), headers, body, type);
  }

  // "${e1.message_id}" -> the captured value; unknown names fail the step.
  bool Substitute(std::string& text, const std::string& at) {
    std::size_t pos = 0;
    while ((pos = text.find("${", pos)) != std::string::npos) {
      const std::size_t end = text.find('}', pos);
      if (end == std::string::npos) return true;
      const std::string ref = text.substr(pos + 2, end - pos - 2);
      const std::size_t dot = ref.find('.');
      const std::string name = ref.substr(0, dot);
      const std::string field = dot == std::string::npos ? "" : ref.substr(dot + 1);
      auto it = captures_.find(name);
      if (it == captures_.end() || (field != "event_id" && field != "message_id")) {
        Fail(at, "cannot resolve ${" + ref +
                     "}: expected ${NAME.event_id} or ${NAME.message_id} "
                     "with NAME from an earlier step's \"as\"");
        return false;
      }
      const std::string& value = field == "event_id" ? it->second.event_id : it->second.message_id;
      text.replace(pos, end - pos + 1, value);
      pos += value.size();
    }
    return true;
  }
  bool Substitute(Json& value, const std::string& at) {
    if (value.is_string()) {
      std::string s = value.get<std::string>();
      if (!Substitute(s, at)) return false;
      value = s;
    } else if (value.is_structured()) {
      for (auto& item : value) {
        if (!Substitute(item, at)) return false;
      }
    }
    return true;
  }

  // --- steps ----------------------------------------------------------------------------------

  void RunSteps() {
    for (const Step& step : scenario_.steps) {
      if (!RunStep(step)) {
        stopped_ = true;
        const std::size_t left = scenario_.steps.size() - result_.steps_run - 1;
        if (left > 0) {
          result_.notes.push_back("stopped at " + step.at + "; " + std::to_string(left) +
                                  " later step(s) and the expectations were not run");
        }
        return;
      }
      ++result_.steps_run;
    }
    Settle();
  }

  bool RunStep(const Step& step) {
    switch (step.kind) {
      case StepKind::kRequest:
        return RunHttpStep(step);
      case StepKind::kInbound:
      case StepKind::kSendMessage:
        // Under virtual time a notification step finishes every delivery due now before the
        // next step runs, so a config change in the next step cannot overtake it.
        return RunHttpStep(step) && (!virtual_clock_ || Advance(step.at, 0));
      case StepKind::kAdvance:
        return Advance(step.at + "/advance",
                       std::chrono::duration_cast<milliseconds>(step.advance).count());
      case StepKind::kFlush: {
        auto res = Call("POST", "/mock/flush", "{}", std::nullopt);
        if (!res || res->status != 200) {
          Fail(step.at + "/flush", "POST /mock/flush failed: " + AnswerText(res));
          return false;
        }
        return true;
      }
      case StepKind::kWait:
        return RunWait(step);
    }
    return false;
  }

  bool Advance(const std::string& at, long long ms) {
    if (!virtual_clock_) {
      Fail(at, "advance needs the virtual clock, but this mock runs on real time");
      return false;
    }
    auto res = Call("POST", "/mock/clock/advance", Json{{"ms", ms}}.dump(), std::nullopt);
    if (!res || res->status != 200) {
      Fail(at, "POST /mock/clock/advance failed: " + AnswerText(res));
      return false;
    }
    return true;
  }

  // Under virtual time, everything due now has run once an advance by 0 returns.
  void Settle() {
    if (virtual_clock_) (void)Advance("/steps", 0);
  }

  bool RunHttpStep(const Step& step) {
    std::string path = step.path;
    if (!Substitute(path, step.at)) return false;
    std::string body;
    if (step.body) {
      Json b = *step.body;
      if (!Substitute(b, step.at)) return false;
      body = b.dump();
    } else if (step.method != "GET" && step.method != "DELETE") {
      body = "{}";
    }
    const std::string what = step.method + " " + path;
    auto res = Call(step.method, path, body, step.api_key ? *step.api_key : scenario_.api_key);
    if (!res) {
      Fail(step.at, what + ": no answer (" + httplib::to_string(res.error()) + ")");
      return false;
    }
    const HttpExpect& expect = step.expect;
    bool ok = true;
    if (expect.status ? res->status != *expect.status : (res->status < 200 || res->status > 299)) {
      Fail(expect.status ? expect.at + "/status" : step.at,
           what + " answered " + std::to_string(res->status) + ", expected " +
               (expect.status ? std::to_string(*expect.status) : std::string("a 2xx status")),
           expect.status ? std::to_string(*expect.status) : "2xx", std::to_string(res->status),
           "answer body: " + Preview(res->body));
      ok = false;
    }
    Json answer = Json::parse(res->body, nullptr, false);
    if (!expect.body.empty()) {
      if (answer.is_discarded()) {
        Fail(expect.at + "/body", what + " answered a body that is not JSON", "", "",
             "answer body: " + Preview(res->body));
        ok = false;
      } else {
        for (const PointerMatch& m : expect.body) {
          ok = CheckPointer(m, answer, what + " answer", res->body) && ok;
        }
      }
    }
    if (expect.body_contains && res->body.find(*expect.body_contains) == std::string::npos) {
      Fail(expect.at + "/body_contains", what + " answer does not contain the expected text",
           *expect.body_contains, Preview(res->body));
      ok = false;
    }
    if (ok && step.capture && answer.is_object()) {
      Captured c;
      if (auto it = answer.find("event_id"); it != answer.end() && it->is_string())
        c.event_id = *it;
      if (auto it = answer.find("message_id"); it != answer.end() && it->is_string())
        c.message_id = *it;
      const Json::json_pointer sent("/messages/0/id");
      if (answer.contains(sent) && answer.at(sent).is_string()) c.message_id = answer.at(sent);
      captures_[*step.capture] = c;
    }
    return ok;
  }

  bool RunWait(const Step& step) {
    const std::string at = step.at + "/wait";
    if (step.wait_receiver) {
      auto it = receivers_.find(*step.wait_receiver);
      if (it == receivers_.end()) {
        Fail(at, "cannot wait for requests to external receiver '" + *step.wait_receiver +
                     "'; wait for journal records (event, destination) instead");
        return false;
      }
      if (core::Status s = it->second->WaitForCount(step.wait_count, step.wait_timeout); !s.ok()) {
        Fail(at, s.reason(), std::to_string(step.wait_count) + " request(s)",
             std::to_string(it->second->RequestCount()) + " request(s)",
             Describe(it->second->Requests()));
        return false;
      }
      return true;
    }
    std::string query = "/mock/deliveries?min_count=" + std::to_string(step.wait_count) +
                        "&timeout_ms=" + std::to_string(step.wait_timeout.count());
    std::string filter;
    if (step.wait_event) {
      filter += "event '" + *step.wait_event + "' ";
      query +=
          "&event_id=" + httplib::detail::encode_query_param(captures_[*step.wait_event].event_id);
    }
    if (step.wait_destination) {
      filter += "destination '" + *step.wait_destination + "' ";
      query += "&destination=" + httplib::detail::encode_query_param(*step.wait_destination);
    }
    auto res = Call("GET", query, "", std::nullopt);
    if (!res || res->status != 200) {
      Fail(at, "GET /mock/deliveries failed: " + AnswerText(res));
      return false;
    }
    Json page = Json::parse(res->body, nullptr, false);
    if (!page.is_object() || Member(page, "timed_out") != Json(false)) {
      const std::size_t got = Member(page, "deliveries").size();
      Fail(at,
           "timed out after " + std::to_string(step.wait_timeout.count()) + " ms waiting for " +
               std::to_string(step.wait_count) + " delivery attempt(s) " + filter +
               "in the journal; got " + std::to_string(got),
           std::to_string(step.wait_count), std::to_string(got), Preview(res->body));
      return false;
    }
    return true;
  }

  // --- expectations ---------------------------------------------------------------------------

  bool CheckPointer(const PointerMatch& m, const Json& doc, const std::string& what,
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

  void CheckRequest(const RequestMatcher& m, const ReceivedRequest& r,
                    const std::string& receiver) {
    const std::string what = "request #" + std::to_string(r.sequence) + " to '" + receiver + "'";
    if (m.path && r.path != *m.path) {
      Fail(m.at + "/path", what + " went to path " + r.path + ", expected " + *m.path, *m.path,
           r.path);
    }
    if (m.same_as) CheckSameAs(*m.same_as, r, what);  // raw bytes: JSON or not
    Json body = Json::parse(r.body, nullptr, false);
    if ((!m.body.empty() || m.message) && body.is_discarded()) {
      Fail(m.at, what + " has a body that is not JSON", "", "", "body: " + Preview(r.body));
      return;
    }
    for (const PointerMatch& pm : m.body) (void)CheckPointer(pm, body, what, r.body);
    for (const HeaderMatch& h : m.headers) {
      auto it = r.headers.find(h.name);
      if (!h.value) {
        if (it != r.headers.end()) {
          Fail(h.at, what + " carries header " + h.name + ", expected none", "(absent)",
               it->second);
        }
      } else if (it == r.headers.end()) {
        Fail(h.at, what + " lacks header " + h.name, *h.value, "(absent)");
      } else if (it->second != *h.value) {
        Fail(h.at, what + " has " + h.name + ": " + it->second + ", expected " + *h.value, *h.value,
             it->second);
      }
    }
    if (m.message) {
      const std::string& id = captures_[*m.message].message_id;
      std::string got;
      for (const char* p :
           {"/entry/0/changes/0/value/messages/0/id", "/entry/0/changes/0/value/statuses/0/id"}) {
        const Json::json_pointer pointer(p);
        if (body.contains(pointer) && body.at(pointer).is_string()) got = body.at(pointer);
      }
      if (got != id) {
        Fail(m.at + "/message", what + " is not about message '" + *m.message + "' (" + id + ")",
             id, got.empty() ? "(no message or status id)" : got, "body: " + Preview(r.body));
      }
    }
    if (m.signature) {
      auto it = r.headers.find(kSignatureHeader);
      if (*m.signature == SignatureExpect::kAbsent) {
        if (it != r.headers.end()) {
          Fail(m.at + "/signature", what + " is signed, expected no signature", "(absent)",
               it->second);
        }
      } else if (it == r.headers.end()) {
        Fail(m.at + "/signature", what + " has no x-360dialog-signature header", "valid",
             "(absent)");
      } else if (!secret_known_ || !secret_) {
        result_.notes.push_back(m.at + "/signature: not checked (no signing_secret known)");
      } else if (!codec::SignatureMatches(*secret_, r.body, it->second)) {
        Fail(m.at + "/signature",
             what + ": x-360dialog-signature does not match the body under the signing secret",
             codec::SignatureHex(*secret_, r.body), it->second, "body: " + Preview(r.body));
      }
    }
  }

  // A clone must be byte-for-byte what the reference request got: the raw body and the
  // x-360dialog-signature header (or the lack of one).
  void CheckSameAs(const SameAsMatch& same, const ReceivedRequest& r, const std::string& what) {
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
      const auto diff =
          std::mismatch(r.body.begin(), r.body.end(), ref.body.begin(), ref.body.end());
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
    if (got != want) {
      Fail(same.at, what + ": x-360dialog-signature differs from " + ref_what, want, got);
    }
  }

  void CheckExpectations() {
    std::vector<std::string> listed;
    for (const ReceiverExpect& e : scenario_.receiver_expects) {
      listed.push_back(e.receiver);
      if (external_.count(e.receiver)) {
        CheckExternalReceiver(e);
        continue;
      }
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
    if (scenario_.unexpected_fails) {
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
    for (const EventExpect& e : scenario_.event_expects) CheckEvent(e);
  }

  void CheckExternalReceiver(const ReceiverExpect& e) {
    const std::string& host = external_.at(e.receiver);
    if (!e.requests.empty() || e.every) {
      result_.notes.push_back(e.at + ": request contents not checked (external receiver '" +
                              e.receiver + "'); counts come from the mock's journal");
    }
    if (!e.count) return;
    auto res = Call("GET", "/mock/deliveries", "", std::nullopt);
    if (!res || res->status != 200) {
      Fail(e.at + "/count", "GET /mock/deliveries failed: " + AnswerText(res));
      return;
    }
    Json page = Json::parse(res->body, nullptr, false);
    std::size_t got = 0;
    std::string seen;
    for (const auto& d : Member(page, "deliveries")) {
      const std::string url = Str(d, "url");
      if (HostOf(url) != host) continue;
      ++got;
      seen += "\n  " + Str(d, "destination") + " " + url + " -> " + AttemptOutcome(d);
    }
    if (got != *e.count) {
      Fail(e.at + "/count",
           "external receiver '" + e.receiver + "' (" + host + ") got " + std::to_string(got) +
               " delivery attempt(s), expected " + std::to_string(*e.count),
           std::to_string(*e.count), std::to_string(got),
           "journal:" + (seen.empty() ? " nothing" : seen));
    }
  }

  void CheckEvent(const EventExpect& e) {
    const std::string& event_id = captures_[e.capture].event_id;
    auto res = Call("GET", "/mock/events/" + event_id, "", std::nullopt);
    if (!res || res->status != 200) {
      Fail(e.at, "GET /mock/events/" + event_id + " failed: " + AnswerText(res));
      return;
    }
    Json event = Json::parse(res->body, nullptr, false);
    if (!event.is_object()) {
      Fail(e.at, "GET /mock/events/" + event_id + " answered no JSON object");
      return;
    }
    const std::string context = "event: " + Preview(res->body);
    const std::string what = "event '" + e.capture + "' (" + event_id + ")";
    if (e.state && Str(event, "state") != *e.state) {
      Fail(e.at + "/state", what + " is " + Str(event, "state") + ", expected " + *e.state,
           *e.state, Str(event, "state"), context);
    }
    if (e.attempts) {
      std::vector<std::string> got;
      for (const auto& a : Member(event, "attempts")) {
        got.push_back(Str(a, "destination") + " " + AttemptOutcome(a));
      }
      if (got != *e.attempts) {
        const auto join = [](const std::vector<std::string>& v) {
          std::string s;
          for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
          return "[" + s + "]";
        };
        Fail(e.at + "/attempts", what + ": the attempts differ", join(*e.attempts), join(got));
      }
    }
    for (const ExtraExpect& x : e.extras) {
      const Json* found = nullptr;
      for (const auto& extra : Member(event, "extras")) {
        if (Str(extra, "destination") == x.destination) found = &extra;
      }
      if (found == nullptr) {
        Fail(x.at, what + " has no extra '" + x.destination + "' in its fan-out plan",
             x.destination, "(absent)", context);
        continue;
      }
      const Json& extra = *found;
      if (x.state && Str(extra, "state") != *x.state) {
        Fail(x.at + "/state",
             what + ": extra '" + x.destination + "' is " + Str(extra, "state") + ", expected " +
                 *x.state,
             *x.state, Str(extra, "state"), context);
      }
      if (x.added_latency_min || x.added_latency_max) {
        const Json& l = Member(extra, "added_latency_us");
        if (!l.is_number()) {
          Fail(x.at + "/added_latency",
               what + ": extra '" + x.destination + "' has no added latency", "a latency", "null",
               context);
          continue;
        }
        const long long us = l.get<long long>();
        const auto ms_text = [](long long v) { return std::to_string(v / 1000) + " ms"; };
        if (x.added_latency_min && us < x.added_latency_min->count()) {
          Fail(x.at + "/added_latency/min",
               what + ": extra '" + x.destination + "' added " + ms_text(us) +
                   ", expected at least " + ms_text(x.added_latency_min->count()),
               ">= " + ms_text(x.added_latency_min->count()), ms_text(us), context);
        }
        if (x.added_latency_max && us > x.added_latency_max->count()) {
          Fail(x.at + "/added_latency/max",
               what + ": extra '" + x.destination + "' added " + ms_text(us) +
                   ", expected at most " + ms_text(x.added_latency_max->count()),
               "<= " + ms_text(x.added_latency_max->count()), ms_text(us), context);
        }
      }
    }
  }

  const Scenario& scenario_;
  const RunOptions& options_;
  const std::optional<std::string> secret_;  // what the mock signs with (--secret or the file)
  bool secret_known_ = false;  // the mock runs with secret_ (embedded, or options applied)
  std::vector<RealReceiver> real_receivers_;
  ScenarioResult result_;
  std::map<std::string, std::unique_ptr<ScriptedReceiver>> receivers_;
  std::map<std::string, std::string> external_;  // receiver name -> host
  std::unique_ptr<app::MockProvider> mock_;
  std::unique_ptr<httplib::Client> client_;
  std::map<std::string, Captured> captures_;
  bool virtual_clock_ = true;
  bool stopped_ = false;
};

}  // namespace

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPassed:
      return "passed";
    case Outcome::kFailed:
      return "failed";
    case Outcome::kError:
      return "error";
    case Outcome::kSkipped:
      return "skipped";
  }
  return "error";
}

ScenarioResult RunScenario(const Scenario& scenario, const RunOptions& options) {
  if (auto reason =
          StandInSkipReason(scenario, options.external_receivers, options.secret.has_value())) {
    ScenarioResult skipped;
    skipped.name = scenario.name;
    skipped.file = scenario.file;
    skipped.description = scenario.description;
    skipped.outcome = Outcome::kSkipped;
    skipped.skip_reason = std::move(*reason);
    return skipped;
  }
  return ScenarioRun(scenario, options).Run();
}

RunReport RunScenarios(const std::vector<Scenario>& scenarios, const RunOptions& options) {
  const auto started = Clock::now();
  RunReport report;
  report.scenarios.resize(scenarios.size());
  std::atomic<std::size_t> next{0};
  std::size_t done = 0;
  std::mutex mu;
  const auto work = [&] {
    for (std::size_t i = next++; i < scenarios.size(); i = next++) {
      ScenarioResult result = RunScenario(scenarios[i], options);
      std::lock_guard lock(mu);
      report.scenarios[i] = std::move(result);
      ++done;
      if (options.on_finished) options.on_finished(report.scenarios[i], done, scenarios.size());
    }
  };
  const std::size_t jobs =
      options.target
          ? 1
          : std::clamp<std::size_t>(options.jobs, 1, std::max<std::size_t>(1, scenarios.size()));
  {
    std::vector<std::jthread> workers;
    for (std::size_t j = 1; j < jobs; ++j) workers.emplace_back(work);
    work();
  }  // jthreads join here
  report.duration = std::chrono::duration_cast<milliseconds>(Clock::now() - started);
  return report;
}

}  // namespace multihook::harness
