#include <catch2/catch.hpp>

#include "tests/support/test_mock.hpp"

namespace multihook::testing {
namespace {

TEST_CASE("Every provider path needs a known D360-API-KEY", "[http][auth]") {
  TestMock mock;
  const auto row = GENERATE(table<std::string, std::string>({
      {"GET", "/multi_webhook"},
      {"POST", "/multi_webhook"},
      {"PUT", "/multi_webhook"},
      {"PATCH", "/multi_webhook"},
      {"DELETE", "/multi_webhook/x"},
      {"GET", "/v1/configs/webhook"},
      {"POST", "/v1/configs/webhook"},
  }));
  // Named copies, not structured bindings: clang 14 cannot capture those in a lambda.
  const std::string method = std::get<0>(row);
  const std::string path = std::get<1>(row);
  const std::string body = R"({"enabled": true})";
  const auto send = [&](const std::string& key) {
    if (method == "GET") return mock.Get(path, key);
    if (method == "POST") return mock.Post(path, body, key);
    if (method == "PUT") return mock.Put(path, body, key);
    if (method == "PATCH") return mock.Patch(path, body, key);
    return mock.Delete(path, key);
  };
  INFO(method << " " << path);
  auto missing = send("");
  REQUIRE(missing);
  CHECK(missing->status == 401);
  CHECK(BodyOf(missing) == Json{{"error", "unauthenticated: missing D360-API-KEY header"}});
  auto unknown = send("no-such-key");
  REQUIRE(unknown);
  CHECK(unknown->status == 401);
  CHECK(BodyOf(unknown) == Json{{"error", "unauthenticated: unknown D360-API-KEY"}});
  // Nothing changed for the real channel.
  mock.AwaitApply();
  CHECK(mock.MultiWebhook() == Json{{"enabled", false}, {"destinations", Json::array()}});
}

TEST_CASE("A key of channel A never reads or changes channel B", "[http][auth]") {
  TestMock mock;
  mock.Enable(Json::array({Dest("a-only", "https://a.example.com/hook")}), kKey);
  auto primary =
      mock.Post("/v1/configs/webhook", R"({"url": "https://main-a.example.com/"})", kKey);
  REQUIRE(primary->status == 200);

  CHECK(mock.MultiWebhook(kOtherKey) == Json{{"enabled", false}, {"destinations", Json::array()}});
  CHECK(BodyOf(mock.Get("/v1/configs/webhook", kOtherKey)) ==
        Json{{"url", nullptr}, {"headers", Json::object()}});
  // B cannot delete or patch A's destination: for B it does not exist.
  CHECK(mock.Delete("/multi_webhook/a-only", kOtherKey)->status == 404);
  CHECK(mock.Patch("/multi_webhook", R"({"name": "a-only", "url": "https://x.example.com/"})",
                   kOtherKey)
            ->status == 409);  // B has not even enabled the feature
  mock.AwaitApply();
  CHECK(mock.MultiWebhook(kKey)["destinations"].size() == 1);
}

TEST_CASE("Header names are case-insensitive for the API key", "[http][auth]") {
  TestMock mock;
  auto res = mock.client().Get("/multi_webhook", {{"d360-api-key", kKey}});
  REQUIRE(res);
  CHECK(res->status == 200);
}

}  // namespace
}  // namespace multihook::testing
