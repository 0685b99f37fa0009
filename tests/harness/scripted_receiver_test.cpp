// ScriptedReceiver's waiting: every waiter returns once its own count arrived.
#include "harness/scripted_receiver.hpp"

#include <catch2/catch.hpp>
#include <thread>

namespace multihook::harness {
namespace {

TEST_CASE("Concurrent WaitForCount calls with different counts each return at theirs",
          "[harness][receiver]") {
  // Handle wakes waiters only once the smallest of their counts is reached; a waiter woken short
  // of its own count must ask again, whatever the interleaving.
  ReceiverOptions options;
  options.name = "waits";
  auto receiver = ScriptedReceiver::Start(options);
  REQUIRE(receiver.ok());
  core::Status two, four;
  std::thread wait_two([&] { two = (*receiver)->WaitForCount(2, std::chrono::seconds(10)); });
  std::thread wait_four([&] { four = (*receiver)->WaitForCount(4, std::chrono::seconds(10)); });
  httplib::Client client((*receiver)->BaseUrl());
  for (int i = 0; i < 4; ++i) {
    auto res = client.Post("/hook", "{}", "application/json");
    REQUIRE(res);
    CHECK(res->status == 200);
  }
  wait_two.join();
  wait_four.join();
  CHECK(two.ok());
  CHECK(four.ok());
  CHECK((*receiver)->RequestCount() == 4);
  // A count that does not arrive is a bounded wait that says what it got.
  const core::Status five = (*receiver)->WaitForCount(5, std::chrono::milliseconds(20));
  CHECK(five.reason().find("waiting for 5 requests to 'waits'; got 4") != std::string::npos);
}

}  // namespace
}  // namespace multihook::harness
