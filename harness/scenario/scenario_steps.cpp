// ScenarioRun's steps: requests, notifications, advances, flushes and waits, in file order.
#include "harness/scenario/scenario_run.hpp"

namespace multihook::harness::internal {

using std::chrono::milliseconds;

// "${e1.message_id}" -> the captured value; unknown names fail the step.
bool ScenarioRun::Substitute(std::string& text, const std::string& at) {
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

bool ScenarioRun::Substitute(Json& value, const std::string& at) {
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

void ScenarioRun::RunSteps() {
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

bool ScenarioRun::RunStep(const Step& step) {
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
    case StepKind::kFlush:
      if (auto flushed = client_->Flush(); !flushed.ok()) {
        Fail(step.at + "/flush", "POST /mock/flush failed: " + flushed.status().reason());
        return false;
      }
      return true;
    case StepKind::kWait:
      return RunWait(step);
  }
  return false;
}

bool ScenarioRun::Advance(const std::string& at, long long ms) {
  if (!virtual_clock_) {
    Fail(at, "advance needs the virtual clock, but this mock runs on real time");
    return false;
  }
  if (auto clock = client_->Advance(milliseconds(ms)); !clock.ok()) {
    Fail(at, "POST /mock/clock/advance failed: " + clock.status().reason());
    return false;
  }
  return true;
}

// Under virtual time, everything due now has run once an advance by 0 returns.
void ScenarioRun::Settle() {
  if (virtual_clock_) (void)Advance("/steps", 0);
}

bool ScenarioRun::RunHttpStep(const Step& step) {
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
  auto answer =
      client_->Send(step.method, path, body, step.api_key ? *step.api_key : scenario_.api_key);
  if (!answer.ok()) {
    Fail(step.at, what + ": " + answer.status().reason());
    return false;
  }
  return CheckAnswer(step, what, *answer);
}

// The step's expectations of the answer; captures its ids when they hold.
bool ScenarioRun::CheckAnswer(const Step& step, const std::string& what, const HttpAnswer& answer) {
  const HttpExpect& expect = step.expect;
  bool ok = true;
  if (expect.status ? answer.status != *expect.status
                    : (answer.status < 200 || answer.status > 299)) {
    Fail(expect.status ? expect.at + "/status" : step.at,
         what + " answered " + std::to_string(answer.status) + ", expected " +
             (expect.status ? std::to_string(*expect.status) : std::string("a 2xx status")),
         expect.status ? std::to_string(*expect.status) : "2xx", std::to_string(answer.status),
         "answer body: " + Preview(answer.body));
    ok = false;
  }
  const Json json = Json::parse(answer.body, nullptr, false);
  if (!expect.body.empty()) {
    if (json.is_discarded()) {
      Fail(expect.at + "/body", what + " answered a body that is not JSON", "", "",
           "answer body: " + Preview(answer.body));
      ok = false;
    } else {
      for (const PointerMatch& m : expect.body) {
        ok = CheckPointer(m, json, what + " answer", answer.body) && ok;
      }
    }
  }
  if (expect.body_contains && answer.body.find(*expect.body_contains) == std::string::npos) {
    Fail(expect.at + "/body_contains", what + " answer does not contain the expected text",
         *expect.body_contains, Preview(answer.body));
    ok = false;
  }
  if (ok && step.capture && json.is_object()) Capture(step, json);
  return ok;
}

// The ids an answer names: /mock/inbound's event_id and message_id, /messages' sent id. A
// step's answer may be any provider or control body, so this reads it as it comes.
void ScenarioRun::Capture(const Step& step, const Json& answer) {
  Captured c;
  if (auto it = answer.find("event_id"); it != answer.end() && it->is_string()) c.event_id = *it;
  if (auto it = answer.find("message_id"); it != answer.end() && it->is_string())
    c.message_id = *it;
  const Json::json_pointer sent("/messages/0/id");
  if (answer.contains(sent) && answer.at(sent).is_string()) c.message_id = answer.at(sent);
  captures_[*step.capture] = c;
}

bool ScenarioRun::RunWait(const Step& step) {
  if (step.wait_receiver) return WaitForReceiver(step);
  const std::string at = step.at + "/wait";
  DeliveryQuery query;
  std::string filter;
  if (step.wait_event) {
    filter += "event '" + *step.wait_event + "' ";
    query.event_id = captures_[*step.wait_event].event_id;
  }
  if (step.wait_destination) {
    filter += "destination '" + *step.wait_destination + "' ";
    query.destination = *step.wait_destination;
  }
  auto page = client_->WaitDeliveries(query, step.wait_count, step.wait_timeout);
  if (!page.ok()) {
    Fail(at, "GET /mock/deliveries failed: " + page.status().reason());
    return false;
  }
  if (page->timed_out) {
    const std::size_t got = page->deliveries.size();
    Fail(at,
         "timed out after " + std::to_string(step.wait_timeout.count()) + " ms waiting for " +
             std::to_string(step.wait_count) + " delivery attempt(s) " + filter +
             "in the journal; got " + std::to_string(got),
         std::to_string(step.wait_count), std::to_string(got),
         Preview(codec::control::Encode(*page)));
    return false;
  }
  return true;
}

bool ScenarioRun::WaitForReceiver(const Step& step) {
  const std::string at = step.at + "/wait";
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

}  // namespace multihook::harness::internal
