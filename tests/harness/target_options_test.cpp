// `multihook run --target URL` against a running mock: the request sequence the runner sends
// (reset, PATCH /mock/options with the scenario's options, channels, routes, the steps, reset
// again), checked against a fake target that records what it got and answers as the control API
// contract says.
#include "harness/scenario/target_options.hpp"

#include <httplib.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "harness/scenario/scenario_loader.hpp"
#include "harness/scenario/scenario_runner.hpp"
#include "mock_server/codec/control_codec.hpp"

namespace multihook::harness {
namespace {

// What the control API answers each path the runner calls, in its codec's shapes.
std::string AnswerTo(const httplib::Request& req) {
  namespace control = codec::control;
  if (req.path == "/mock/reset") return control::EncodeMessage("state reset");
  if (req.path == "/mock/flush") return control::Encode(control::FlushAnswer{0});
  if (req.path == "/mock/channels") {
    return control::Encode(core::ChannelIdentity{"k", "100000000000001", "+1 555 0100", "1"});
  }
  if (req.path == "/mock/routes") return control::Encode(control::Routes{{}});
  return control::Encode(control::ClockState{control::ClockMode::kVirtual, 0, std::nullopt});
}

// A stand-in for a running multihook-mock's control API on an ephemeral loopback port.
class FakeTarget {
 public:
  explicit FakeTarget(int options_status, std::string options_body = "{}")
      : options_status_(options_status), options_body_(std::move(options_body)) {
    const auto record = [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu_);
      calls_.push_back(req.method + " " + req.path);
      bodies_.push_back(req.body);
      res.set_content(AnswerTo(req), "application/json");
    };
    server_.Post("/mock/reset", record);
    server_.Post("/mock/clock/advance", record);
    server_.Post("/mock/flush", record);
    server_.Post("/mock/channels", [record](const auto& req, auto& res) {
      record(req, res);
      res.status = 201;
    });
    server_.Post("/mock/routes", [record](const auto& req, auto& res) {
      record(req, res);
      res.status = 201;
    });
    server_.Get("/mock/clock", record);
    server_.Patch("/mock/options", [this, record](const auto& req, auto& res) {
      record(req, res);
      res.status = options_status_;
      res.set_content(options_body_, "application/json");
    });
    server_.set_tcp_nodelay(true);
    port_ = server_.bind_to_any_port("127.0.0.1");
    REQUIRE(port_ > 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // Bounded; the socket listens since bind_to_any_port, so this is only for tidiness.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!server_.is_running() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::yield();
    }
    REQUIRE(server_.is_running());
  }
  ~FakeTarget() {
    server_.stop();
    thread_.join();
  }
  std::string BaseUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<std::string> Calls() {
    std::lock_guard lock(mu_);
    return calls_;
  }
  std::string Body(std::size_t i) {
    std::lock_guard lock(mu_);
    return bodies_.at(i);
  }

 private:
  int options_status_;
  std::string options_body_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::vector<std::string> calls_;
  std::vector<std::string> bodies_;
};

Scenario Load(const std::string& text) {
  auto scenario = LoadScenarioText(text, "inline.json");
  REQUIRE(scenario.ok());
  return *scenario;
}

TEST_CASE("The options PATCH: scenario defaults, the file's options, no channels or routes",
          "[harness]") {
  const Scenario plain = Load(R"({"steps": []})");
  CHECK(TargetOptionsPatch(plain, std::nullopt) ==
        nlohmann::json{{"clock", "virtual"}, {"apply_delay", "0"}});
  const Scenario own = Load(R"({"options": {"clock": "real", "timeout": "300ms", "seed": 7,
      "signing_secret": "file", "channels": [{"api_key": "k2"}], "routes": []}, "steps": []})");
  CHECK(TargetOptionsPatch(own, std::nullopt) == nlohmann::json{{"clock", "real"},
                                                                {"apply_delay", "0"},
                                                                {"timeout", "300ms"},
                                                                {"seed", 7},
                                                                {"signing_secret", "file"}});
  CHECK(TargetOptionsPatch(own, "cli").at("signing_secret") == "cli");
}

TEST_CASE("With a target mock: reset, options, channels, routes, steps, reset again", "[harness]") {
  FakeTarget target(200);
  const Scenario scenario = Load(R"({"options": {"max_pending": 2},
      "receivers": {"main": {"host": "main.example.com"}}, "steps": [{"flush": true}],
      "expect": {"unexpected": "ignore"}})");
  RunOptions options;
  options.target = target.BaseUrl();
  options.secret = "s3";
  const ScenarioResult result = RunScenario(scenario, options);
  INFO((result.failures.empty() ? "" : result.failures.front().message));
  CHECK(result.outcome == Outcome::kPassed);
  CHECK(target.Calls() == std::vector<std::string>{"POST /mock/reset", "PATCH /mock/options",
                                                   "POST /mock/channels", "POST /mock/routes",
                                                   "GET /mock/clock", "POST /mock/flush",
                                                   "POST /mock/clock/advance", "POST /mock/reset"});
  CHECK(nlohmann::json::parse(target.Body(1)) == nlohmann::json{{"clock", "virtual"},
                                                                {"apply_delay", "0"},
                                                                {"max_pending", 2},
                                                                {"signing_secret", "s3"}});
  CHECK(result.notes.empty());
}

TEST_CASE("With a target mock: refused options skip the scenario with the mock's reason",
          "[harness]") {
  FakeTarget target(400, R"({"error": "invalid_argument at /http_threads: cannot be changed at )"
                         R"(runtime; restart the mock with --http-threads"})");
  const Scenario scenario = Load(R"({"options": {"http_threads": 4}, "steps": [{"flush": true}]})");
  RunOptions options;
  options.target = target.BaseUrl();
  const ScenarioResult result = RunScenario(scenario, options);
  CHECK(result.outcome == Outcome::kSkipped);
  CHECK_THAT(result.skip_reason,
             Catch::StartsWith("the target mock refused the scenario's options {"));
  CHECK_THAT(result.skip_reason,
             Catch::EndsWith(": invalid_argument at /http_threads: cannot be changed at runtime; "
                             "restart the mock with --http-threads"));
  CHECK(result.failures.empty());
  // Nothing of the scenario ran, and the mock is left as it started.
  CHECK(target.Calls() ==
        std::vector<std::string>{"POST /mock/reset", "PATCH /mock/options", "POST /mock/reset"});
}

TEST_CASE("With a target mock: no /mock/options runs the scenario with a note", "[harness]") {
  FakeTarget target(404, R"({"error": "not_found"})");
  const Scenario scenario = Load(R"({"steps": [{"flush": true}]})");
  RunOptions options;
  options.target = target.BaseUrl();
  const ScenarioResult result = RunScenario(scenario, options);
  CHECK(result.outcome == Outcome::kPassed);
  REQUIRE(result.notes.size() == 1);
  CHECK_THAT(result.notes[0], Catch::StartsWith("options not applied (the --target mock has no "
                                                "/mock/options; it runs with its own): "));
}

}  // namespace
}  // namespace multihook::harness
