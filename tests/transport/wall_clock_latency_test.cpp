// End to end under --clock virtual: the journal shows a slow receiver's real latency.
#include <catch2/catch.hpp>
#include <chrono>

#include "harness/scripted_receiver.hpp"
#include "tests/support/test_mock.hpp"

namespace multihook::testing {
namespace {

using harness::Answer;
using std::chrono::milliseconds;

TEST_CASE("Under virtual time duration_us is the receiver's wall-clock latency",
          "[transport][latency]") {
  auto receiver = harness::ScriptedReceiver::Start({});
  REQUIRE(receiver.ok());
  (*receiver)->Script({Answer::Delayed(milliseconds(20))});
  app::MockOptions options = TestOptions();
  options.clock = app::ClockMode::kVirtual;
  auto route = core::ParseHostRoute("main.example.com=" + (*receiver)->BaseUrl());
  REQUIRE(route.ok());
  options.routes.push_back(*route);
  TestMock mock(options);
  REQUIRE(mock.Post("/v1/configs/webhook", R"({"url": "https://main.example.com/wa"})")->status ==
          200);
  auto inbound =
      mock.Post("/mock/inbound", R"({"message": {"type": "text", "text": {"body": "x"}}})");
  REQUIRE(inbound);
  REQUIRE(inbound->status == 202);
  const std::string event = Json::parse(inbound->body).at("event_id").get<std::string>();

  auto res = mock.client().Get(
      ("/mock/deliveries?event_id=" + event + "&min_count=1&timeout_ms=5000").c_str());
  REQUIRE(res);
  const Json page = Json::parse(res->body);
  INFO(res->body);
  REQUIRE(page.at("deliveries").size() == 1);
  const Json& entry = page.at("deliveries").at(0);
  CHECK(entry.at("status") == 200);
  CHECK(entry.at("duration_us").get<std::int64_t>() >= 20'000);
}

}  // namespace
}  // namespace multihook::testing
