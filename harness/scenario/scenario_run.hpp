// ScenarioRun: one scenario's execution, internal to the runner (scenario_runner.hpp is the
// interface). It owns the scenario's receivers, its embedded mock (unless a target is given) and
// a MockClient of that mock; its members are defined by job: setup and teardown
// (scenario_setup.cpp), steps (scenario_steps.cpp), expectations (scenario_checks.cpp).
//
// Not thread-safe: one run per thread (RunScenarios gives each worker its own).
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/mock_client.hpp"
#include "harness/report/run_report.hpp"
#include "harness/scenario/scenario.hpp"
#include "harness/scenario/scenario_runner.hpp"
#include "harness/scenario/stand_in.hpp"
#include "harness/scripted_receiver.hpp"
#include "mock_server/app/mock_provider.hpp"

namespace multihook::harness::internal {

// What an inbound or send_message step's answer named, for "${NAME.event_id}" and friends.
struct Captured {
  std::string event_id;
  std::string message_id;
};

class ScenarioRun {
 public:
  ScenarioRun(const Scenario& scenario, const RunOptions& options);
  ScenarioResult Run();

 private:
  void Fail(std::string at, std::string message, std::string expected = {}, std::string actual = {},
            std::string context = {});
  void Error(std::string at, std::string message);
  void Skip(std::string reason);

  // --- setup and teardown (scenario_setup.cpp)
  bool StartReceivers(std::vector<core::HostRoute>& routes);
  bool StartReceiver(const ReceiverSpec& spec, std::vector<core::HostRoute>& routes);
  bool Setup();
  bool StartEmbeddedMock(const std::vector<core::HostRoute>& routes);
  bool SetupTarget(const std::vector<core::HostRoute>& routes);
  bool AddTargetChannels();
  bool ApplyTargetOptions();
  void RestoreTarget();
  void ExplainRejectedSignature();

  // --- steps (scenario_steps.cpp)
  bool Substitute(std::string& text, const std::string& at);
  bool Substitute(Json& value, const std::string& at);
  void RunSteps();
  bool RunStep(const Step& step);
  bool Advance(const std::string& at, long long ms);
  void Settle();
  bool RunHttpStep(const Step& step);
  bool CheckAnswer(const Step& step, const std::string& what, const HttpAnswer& answer);
  void Capture(const Step& step, const Json& answer);
  bool RunWait(const Step& step);
  bool WaitForReceiver(const Step& step);

  // --- expectations (scenario_checks.cpp)
  bool CheckPointer(const PointerMatch& m, const Json& doc, const std::string& what,
                    const std::string& raw);
  void CheckRequest(const RequestMatcher& m, const ReceivedRequest& r, const std::string& receiver);
  void CheckHeaders(const RequestMatcher& m, const ReceivedRequest& r, const std::string& what);
  void CheckMessage(const RequestMatcher& m, const ReceivedRequest& r, const Json& body,
                    const std::string& what);
  void CheckSignature(const RequestMatcher& m, const ReceivedRequest& r, const std::string& what);
  void CheckSameAs(const SameAsMatch& same, const ReceivedRequest& r, const std::string& what);
  void CheckExpectations();
  void CheckReceiver(const ReceiverExpect& e);
  void CheckUnexpected(const std::vector<std::string>& listed);
  void CheckExternalReceiver(const ReceiverExpect& e);
  void CheckEvent(const EventExpect& e);
  void CheckExtra(const ExtraExpect& x, const codec::control::Event& event, const std::string& what,
                  const std::string& context);

  const Scenario& scenario_;
  const RunOptions& options_;
  const std::optional<std::string> secret_;  // what the mock signs with (--secret or the file)
  bool secret_known_ = false;  // the mock runs with secret_ (embedded, or options applied)
  std::vector<RealReceiver> real_receivers_;
  ScenarioResult result_;
  std::map<std::string, std::unique_ptr<ScriptedReceiver>> receivers_;
  std::map<std::string, std::string> external_;  // receiver name -> host
  std::unique_ptr<app::MockProvider> mock_;
  std::optional<MockClient> client_;
  std::map<std::string, Captured> captures_;
  bool virtual_clock_ = true;
  bool stopped_ = false;
};

// "received:\n  #0 POST /path BODY..." for failure messages.
std::string Describe(const std::vector<ReceivedRequest>& requests);

}  // namespace multihook::harness::internal
