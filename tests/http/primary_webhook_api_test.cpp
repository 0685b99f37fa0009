#include <catch2/catch.hpp>

#include "tests/support/test_mock.hpp"

namespace multihook::testing {
namespace {

TEST_CASE("Main webhook: not set, set at once, replaced", "[http][primary]") {
  TestMock mock;
  CHECK(BodyOf(mock.Get("/v1/configs/webhook")) ==
        Json{{"url", nullptr}, {"headers", Json::object()}});

  const Json config = {{"url", "https://main.example.com/hook"},
                       {"headers", {{"X-Auth", "s3cret"}}}};
  auto set = mock.Post("/v1/configs/webhook", config.dump());
  REQUIRE(set);
  CHECK(set->status == 200);
  CHECK(BodyOf(set) == config);
  // No apply delay for the main webhook.
  CHECK(BodyOf(mock.Get("/v1/configs/webhook")) == config);

  auto replaced = mock.Post("/v1/configs/webhook", R"({"url": "https://other.example.com/"})");
  CHECK(BodyOf(replaced) ==
        Json{{"url", "https://other.example.com/"}, {"headers", Json::object()}});
}

TEST_CASE("Main webhook validation errors use the legacy meta envelope", "[http][primary]") {
  TestMock mock;
  const auto [body, message] = GENERATE(table<std::string, std::string>({
      {R"({"url": "https://main_hook.example.com/"})",
       "invalid_argument at /url: host contains '_'"},
      {R"({"url": "https://main.example.com:8443/"})",
       "invalid_argument at /url: URL has an explicit port (:8443)"},
      {R"({"url": "https://main.example.com/", "headers": {"X-A": "a\r\nb"}})",
       "invalid_argument at /headers/X-A: header value contains CR, LF or NUL"},
      {R"({"headers": {}})", "invalid_argument at /url: is required"},
      {R"({"url": "https://main.example.com/", "secret": "x"})",
       "invalid_argument at /secret: unknown field"},
      {"not json", "invalid_argument: request body is not valid JSON (syntax error at byte 2)"},
  }));
  auto res = mock.Post("/v1/configs/webhook", body);
  REQUIRE(res);
  CHECK(res->status == 400);
  const Json meta = BodyOf(res).at("meta");
  CHECK(meta.at("success") == false);
  CHECK(meta.at("http_code") == 400);
  CHECK(meta.at("developer_message") == message);
  CHECK(meta.at("details").size() == 1);
  CHECK(BodyOf(mock.Get("/v1/configs/webhook")) ==
        Json{{"url", nullptr}, {"headers", Json::object()}});
}

TEST_CASE("limit_counts_primary makes the main webhook one of the three",
          "[http][primary][limit]") {
  auto options = TestOptions();
  options.rules.primary_in_limit = core::PrimaryInLimit::kCounted;
  TestMock mock(options);
  REQUIRE(mock.Post("/v1/configs/webhook", R"({"url": "https://main.example.com/"})")->status ==
          200);
  auto three =
      mock.Post("/multi_webhook",
                Json{{"enabled", true},
                     {"destinations",
                      {Dest("a", "https://a.example.com/"), Dest("b", "https://b.example.com/"),
                       Dest("c", "https://c.example.com/")}}}
                    .dump());
  REQUIRE(three);
  CHECK(three->status == 400);
  CHECK(BodyOf(three)["error"] ==
        "limit_exceeded at /destinations: at most 3 webhooks per phone number (the main webhook "
        "counts as one); this request would make 4");
}

}  // namespace
}  // namespace multihook::testing
