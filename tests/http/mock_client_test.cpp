// harness::MockClient against a live mock: every control call decodes the mock's real answers
// (strictly, through codec::control), states come back as enums, and an unexpected status is an
// error saying what came.
#include "harness/mock_client.hpp"

#include <catch2/catch.hpp>

#include "harness/scripted_receiver.hpp"
#include "tests/support/test_mock.hpp"

namespace multihook::testing {
namespace {

using harness::Answer;
using harness::ScriptedReceiver;
using std::chrono::milliseconds;

constexpr char kText[] = R"({"message": {"type": "text", "text": {"body": "hi"}}})";

std::unique_ptr<ScriptedReceiver> Receiver(const std::string& name) {
  harness::ReceiverOptions options;
  options.name = name;
  auto receiver = ScriptedReceiver::Start(std::move(options));
  if (!receiver.ok()) FAIL(receiver.status().ToString());
  return std::move(*receiver);
}

TEST_CASE("MockClient: a delivery seen through the journal, the event and the stats",
          "[http][client]") {
  auto main = Receiver("main");
  auto crm = Receiver("crm");
  main->Script({Answer::Status(500)}, Answer::Status(200));
  app::MockOptions options = TestOptions();
  options.apply_delay = std::chrono::seconds(0);
  TestMock tm(options);
  harness::MockClient& client = tm.control();
  REQUIRE(client.AddRoute("main.example.com=" + main->BaseUrl()).ok());
  auto routes = client.AddRoute("crm.example.com=" + crm->BaseUrl());
  REQUIRE(routes.ok());
  CHECK(routes->routes.size() == 2);
  REQUIRE(client.SetPrimaryWebhook(kKey, "https://main.example.com/wa").ok());
  REQUIRE(
      client
          .SetMultiWebhook(
              kKey, Json{{"enabled", true},
                         {"destinations", Json::array({Dest("crm", "https://crm.example.com/wa")})}}
                        .dump())
          .ok());
  REQUIRE(client.Flush().ok());

  auto inbound = client.Inbound(kKey, kText);
  REQUIRE(inbound.ok());
  CHECK(inbound->message_id.has_value());
  auto first = client.WaitDeliveries({.event_id = inbound->event_id, .destination = std::nullopt},
                                     1, milliseconds(5000));
  REQUIRE(first.ok());
  REQUIRE_FALSE(first->timed_out);
  CHECK(first->deliveries.at(0).Outcome() == "500");
  CHECK(first->deliveries.at(0).gate == core::Gate::kClosed);

  auto retrying = client.GetEvent(inbound->event_id);
  REQUIRE(retrying.ok());
  CHECK(retrying->state == core::EventState::kRetrying);
  tm.clock().Advance(std::chrono::minutes(1));  // past the first backoff
  tm.mock().WakeDeliveries();
  REQUIRE(
      client.WaitDeliveries({.event_id = std::nullopt, .destination = "crm"}, 1, milliseconds(5000))
          .ok());
  auto delivered = client.GetEvent(inbound->event_id);
  REQUIRE(delivered.ok());
  CHECK(delivered->state == core::EventState::kDelivered);
  REQUIRE(delivered->FindExtra("crm") != nullptr);
  CHECK(delivered->FindExtra("crm")->state == core::ExtraState::kSucceeded);

  auto stats = client.GetStats();
  REQUIRE(stats.ok());
  CHECK(stats->delivered == 1);
  auto changes = client.Changes(std::string(kKey));
  REQUIRE(changes.ok());
  CHECK(changes->changes.size() == 2);
}

TEST_CASE("MockClient: clock, options, channels and reset", "[http][client]") {
  TestMock tm;
  harness::MockClient& client = tm.control();
  auto clock = client.GetClock();
  REQUIRE(clock.ok());
  CHECK(clock->mode == codec::control::ClockMode::kReal);

  // Under real time an advance is refused: the error follows the HTTP status (409).
  auto refused = client.Advance(milliseconds(0));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == core::StatusCode::kAlreadyExists);
  CHECK_THAT(refused.status().reason(), Catch::StartsWith("409 {\"error\":"));

  auto set = client.SetOptions(R"({"clock": "virtual"})");
  REQUIRE(set.ok());
  CHECK(set->values.at("clock") == "virtual");
  auto advanced = client.Advance(milliseconds(10));
  REQUIRE(advanced.ok());
  CHECK(advanced->mode == codec::control::ClockMode::kVirtual);
  CHECK(advanced->attempts_run == 0u);

  auto added = client.AddChannel(R"({"api_key": "third-key"})");
  REQUIRE(added.ok());
  CHECK(added->api_key == "third-key");
  auto again = client.AddChannel(R"({"api_key": "third-key"})");
  CHECK(again.status().code() == core::StatusCode::kAlreadyExists);
  auto channels = client.Channels();
  REQUIRE(channels.ok());
  CHECK(channels->size() == 3);

  REQUIRE(client.Reset().ok());
  auto options = client.GetOptions();
  REQUIRE(options.ok());
  CHECK(options->values.at("clock") == "real");
  auto unknown = client.GetEvent("evt_missing");
  CHECK(unknown.status().code() == core::StatusCode::kNotFound);
}

TEST_CASE("MockClient: no answer is an error naming why", "[http][client]") {
  std::string base_url;
  {
    TestMock gone;
    base_url = gone.BaseUrl();
  }
  harness::MockClient client(base_url);
  auto stats = client.GetStats();
  REQUIRE_FALSE(stats.ok());
  CHECK_THAT(stats.status().reason(), Catch::StartsWith("no answer ("));
}

}  // namespace
}  // namespace multihook::testing
