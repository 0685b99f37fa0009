// BodyStore: the bounded ring of delivered bodies behind GET /mock/events/{id} and the delivery
// view. Pure: no clock, no sockets.
#include "mock_server/delivery/body_store.hpp"

#include <catch2/catch.hpp>
#include <string>

namespace multihook::delivery {
namespace {

// A stand-in signer that shows what it was given.
std::string FakeSign(std::string_view secret, std::string_view body) {
  return std::string(secret) + "|" + std::string(body);
}

std::string Id(int i) { return "evt_" + std::to_string(i); }

TEST_CASE("BodyStore keeps the latest N events, oldest evicted first", "[delivery][bodies]") {
  BodyStore bodies(3, FakeSign);
  for (int i = 1; i <= 5; ++i) bodies.Keep(Id(i), "text", "{\"n\":" + std::to_string(i) + "}", {});
  CHECK(bodies.size() == 3);
  CHECK_FALSE(bodies.Find(Id(1)));
  CHECK_FALSE(bodies.Find(Id(2)));
  for (int i = 3; i <= 5; ++i) {
    const auto kept = bodies.Find(Id(i));
    REQUIRE(kept);
    CHECK(*kept->body == "{\"n\":" + std::to_string(i) + "}");
    CHECK(kept->type == "text");
    CHECK_FALSE(kept->signature);  // no secret: unsigned
  }
}

TEST_CASE("BodyStore is bounded in bytes too, and never keeps a body over the bound",
          "[delivery][bodies]") {
  BodyStore bodies(100, FakeSign, 10);
  bodies.Keep(Id(1), "payload", "12345", {});
  bodies.Keep(Id(2), "payload", "67890", {});
  CHECK(bodies.bytes() == 10);
  bodies.Keep(Id(3), "payload", "abc", {});  // 13 bytes: the oldest goes
  CHECK_FALSE(bodies.Find(Id(1)));
  CHECK(bodies.Find(Id(2)));
  CHECK(bodies.bytes() == 8);
  bodies.Keep(Id(4), "payload", "01234567890", {});  // alone over the bound
  CHECK_FALSE(bodies.Find(Id(4)));
  CHECK(bodies.Find(Id(3)));
}

TEST_CASE("BodyStore signs with the secret in force when the event was kept",
          "[delivery][bodies]") {
  BodyStore bodies(10, FakeSign);
  bodies.Keep(Id(1), "text", "body-1", std::string("old"));
  bodies.Keep(Id(2), "status:read", "body-2", std::string("new"));
  bodies.Keep(Id(3), "text", "body-3", std::nullopt);
  CHECK(bodies.Find(Id(1))->signature == "old|body-1");
  CHECK(bodies.Find(Id(2))->signature == "new|body-2");
  CHECK(bodies.Find(Id(2))->type == "status:read");
  CHECK_FALSE(bodies.Find(Id(3))->signature);
}

TEST_CASE("BodyStore forgets a refused event, keeps nothing at capacity 0, and clears",
          "[delivery][bodies]") {
  BodyStore bodies(2, FakeSign);
  bodies.Keep(Id(1), "text", "a", {});
  bodies.Keep(Id(2), "text", "b", {});
  bodies.Forget(Id(2));
  CHECK_FALSE(bodies.Find(Id(2)));
  bodies.Keep(Id(3), "text", "c", {});  // the refused one took no slot
  CHECK(bodies.Find(Id(1)));
  CHECK(bodies.Find(Id(3)));
  bodies.Keep(Id(3), "image", "again", {});  // an id is kept once
  CHECK(*bodies.Find(Id(3))->body == "c");
  bodies.Clear();
  CHECK(bodies.size() == 0);
  CHECK(bodies.bytes() == 0);
  CHECK_FALSE(bodies.Find(Id(1)));

  BodyStore none(0, FakeSign);
  none.Keep(Id(1), "text", "a", {});
  CHECK_FALSE(none.Find(Id(1)));
}

}  // namespace
}  // namespace multihook::delivery
