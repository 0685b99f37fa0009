// ScriptedReceiver's waiting: every waiter returns once its own count arrived; scripted headers.
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

TEST_CASE("A scripted answer carries its headers (a redirect's Location)", "[harness][receiver]") {
  auto receiver = ScriptedReceiver::Start();
  REQUIRE(receiver.ok());
  Answer moved = Answer::Status(302);
  moved.headers.emplace("Location", "/moved");
  (*receiver)->Script({moved});
  httplib::Client client((*receiver)->BaseUrl());
  auto first = client.Post("/hook", "{}", "application/json");
  REQUIRE(first);
  CHECK(first->status == 302);
  CHECK(first->get_header_value("Location") == "/moved");
  auto then = client.Post("/hook", "{}", "application/json");
  REQUIRE(then);
  CHECK(then->status == 200);
  CHECK_FALSE(then->has_header("Location"));
}

}  // namespace
}  // namespace multihook::harness
