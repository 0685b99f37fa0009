// ScenarioRun's setup and teardown: receivers, the embedded mock or the target's preparation.
#include "harness/scenario/scenario_mock_options.hpp"
#include "harness/scenario/scenario_run.hpp"
#include "harness/scenario/target_options.hpp"

namespace multihook::harness::internal {

namespace control = codec::control;

// An embedded receiver per spec, or the real endpoint that replaces it; a route to each.
bool ScenarioRun::StartReceivers(std::vector<core::HostRoute>& routes) {
  for (const ReceiverSpec& spec : scenario_.receivers) {
    if (!StartReceiver(spec, routes)) return false;
  }
  return true;
}

bool ScenarioRun::StartReceiver(const ReceiverSpec& spec, std::vector<core::HostRoute>& routes) {
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
      Error(spec.at, "receiver '" + spec.name + "' did not start: " + receiver.status().ToString());
      return false;
    }
    (*receiver)->Script(spec.script, spec.then);
    if (spec.faults) ApplyFaults(**receiver, *spec.faults);
    target = (*receiver)->BaseUrl();
    receivers_[spec.name] = std::move(*receiver);
  }
  auto route = core::ParseHostRoute(spec.host + "=" + target);
  if (!route.ok()) {
    Error(spec.at, "bad route for receiver '" + spec.name + "': " + route.status().reason());
    return false;
  }
  routes.push_back(std::move(*route));
  return true;
}

bool ScenarioRun::Setup() {
  std::vector<core::HostRoute> routes;
  if (!StartReceivers(routes)) return false;
  if (!options_.target) return StartEmbeddedMock(routes);
  virtual_clock_ = false;
  client_.emplace(*options_.target);
  return SetupTarget(routes);
}

bool ScenarioRun::StartEmbeddedMock(const std::vector<core::HostRoute>& routes) {
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
  virtual_clock_ = scenario_.options.clock == app::ClockMode::kVirtual;
  secret_known_ = true;
  client_.emplace(mock_->BaseUrl());
  return true;
}

bool ScenarioRun::SetupTarget(const std::vector<core::HostRoute>& routes) {
  if (core::Status s = client_->Reset(); !s.ok()) {
    Error("", "cannot reset the target mock at " + *options_.target + ": " + s.reason());
    return false;
  }
  if (!ApplyTargetOptions() || !AddTargetChannels()) return false;
  for (const auto& route : routes) {
    if (auto posted = client_->AddRoute(route.ToString()); !posted.ok()) {
      Error("/receivers",
            "cannot post route " + route.ToString() + ": " + posted.status().reason());
      return false;
    }
  }
  auto clock = client_->GetClock();
  virtual_clock_ = clock.ok() && clock->mode == control::ClockMode::kVirtual;
  if (!virtual_clock_ && scenario_.options.clock == app::ClockMode::kVirtual) {
    result_.notes.push_back(
        "the target mock runs on real time; advance steps will fail "
        "(start it with --clock virtual)");
  }
  return true;
}

// The scenario's channels; one the target already has (409) is fine.
bool ScenarioRun::AddTargetChannels() {
  for (const auto& channel : scenario_.options.channels) {
    const std::string key = channel.api_key.value_or("");
    auto added = client_->AddChannel(Json{{"api_key", key}}.dump());
    if (!added.ok() && added.status().code() != core::StatusCode::kAlreadyExists) {
      Error("/options",
            "cannot add channel '" + key + "' to the target mock: " + added.status().reason());
      return false;
    }
  }
  return true;
}

// PATCH /mock/options with what the scenario needs. Refused (400): the mock cannot run this
// scenario, which is a skip with the mock's reason; no such endpoint (404, an older mock):
// today's behaviour, the options are reported as not applied.
bool ScenarioRun::ApplyTargetOptions() {
  const Json patch = TargetOptionsPatch(scenario_, options_.secret);
  auto answer = client_->Send("PATCH", "/mock/options", patch.dump());
  if (answer.ok() && answer->status == 200) {
    secret_known_ = true;
    return true;
  }
  if (answer.ok() && answer->status == 404) {
    result_.notes.push_back(
        "options not applied (the --target mock has no /mock/options; it "
        "runs with its own): " +
        patch.dump());
    return true;
  }
  if (answer.ok() && answer->status == 400) {
    auto reason = control::DecodeError(answer->body);
    Skip("the target mock refused the scenario's options " + patch.dump() + ": " +
         (reason.ok() ? *reason : Preview(answer->body)));
    return false;
  }
  Error("/options", "PATCH /mock/options failed: " +
                        (answer.ok() ? AnswerText(*answer) : answer.status().reason()));
  return false;
}

// After a scenario on a running mock, pass or fail: back to its startup options and no state.
void ScenarioRun::RestoreTarget() {
  if (core::Status s = client_->Reset(); !s.ok()) {
    result_.notes.push_back("could not reset the target mock afterwards: " + s.reason());
  }
}

// A real receiver that answered 401/403 is the likeliest cause of any failure: say so first.
void ScenarioRun::ExplainRejectedSignature() {
  if (real_receivers_.empty()) return;
  auto journal = client_->Deliveries();
  if (!journal.ok()) return;
  if (auto failure = SignatureRejection(*journal, real_receivers_, secret_.has_value())) {
    result_.failures.insert(result_.failures.begin(), std::move(*failure));
  }
}

}  // namespace multihook::harness::internal
