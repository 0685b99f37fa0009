#include <catch2/catch.hpp>
#include <set>
#include <sstream>
#include <utility>

#include "mock_server/http/control_routes.hpp"
#include "mock_server/http/provider_routes.hpp"
#include "tests/support/raw_http.hpp"
#include "tests/support/test_mock.hpp"

namespace multihook::testing {
namespace {

TEST_CASE("Channels: created with generated ids, listed, and usable at once", "[http][control]") {
  TestMock mock;
  auto created = mock.client().Post("/mock/channels", "", "application/json");
  REQUIRE(created);
  CHECK(created->status == 201);
  const Json channel = BodyOf(created);
  for (const char* field : {"api_key", "phone_number_id", "display_phone_number", "waba_id"}) {
    INFO(field);
    CHECK(channel.at(field).get<std::string>().size() > 0);
  }
  CHECK(channel.at("phone_number_id").get<std::string>().find_first_not_of("0123456789") ==
        std::string::npos);
  CHECK(mock.MultiWebhook(channel.at("api_key")) ==
        Json{{"enabled", false}, {"destinations", Json::array()}});

  auto chosen = mock.client().Post("/mock/channels",
                                   R"({"api_key": "mine", "phone_number_id": "4915112345678"})",
                                   "application/json");
  REQUIRE(chosen->status == 201);
  CHECK(BodyOf(chosen)["phone_number_id"] == "4915112345678");

  auto list = BodyOf(mock.client().Get("/mock/channels"));
  CHECK(list["channels"].size() == 4);  // the two test channels + two new ones

  auto dup = mock.client().Post("/mock/channels", R"({"api_key": "mine"})", "application/json");
  CHECK(dup->status == 409);
  CHECK(BodyOf(dup)["error"] == "already_exists at /api_key: a channel with this API key exists");
  auto dup_phone = mock.client().Post("/mock/channels", R"({"phone_number_id": "4915112345678"})",
                                      "application/json");
  CHECK(dup_phone->status == 409);
  auto bad =
      mock.client().Post("/mock/channels", R"({"phone_number_id": "12ab"})", "application/json");
  CHECK(bad->status == 400);
  CHECK(BodyOf(bad)["error"] == "invalid_argument at /phone_number_id: must be 1 to 20 digits");
  CHECK(BodyOf(mock.client().Get("/mock/channels"))["channels"].size() == 4);
}

TEST_CASE("Reset clears configuration and runtime channels, keeps startup channels",
          "[http][control]") {
  TestMock mock;
  mock.Enable(Json::array({Dest("a", "https://a.example.com/")}));
  REQUIRE(mock.Post("/v1/configs/webhook", R"({"url": "https://main.example.com/"})")->status ==
          200);
  REQUIRE(mock.Put("/multi_webhook",
                   Json{{"destinations", {Dest("b", "https://b.example.com/")}}}.dump())
              ->status == 200);  // pending
  REQUIRE(mock.client()
              .Post("/mock/channels", R"({"api_key": "runtime"})", "application/json")
              ->status == 201);

  auto reset = mock.client().Post("/mock/reset", "", "application/json");
  REQUIRE(reset);
  CHECK(reset->status == 200);
  mock.AwaitApply();
  CHECK(mock.MultiWebhook() == Json{{"enabled", false}, {"destinations", Json::array()}});
  CHECK(BodyOf(mock.Get("/v1/configs/webhook")) ==
        Json{{"url", nullptr}, {"headers", Json::object()}});
  CHECK(mock.Get("/multi_webhook", "runtime")->status == 401);
  CHECK(BodyOf(mock.client().Get("/mock/channels"))["channels"].size() == 2);
}

// `curl -X POST URL` sends neither a body nor Content-Length. By HTTP/1.1 (RFC 9112 §6.3) such a
// request has an empty body; the mock answers it at once instead of waiting for a body that
// never comes. Checked with raw bytes: a client library would add Content-Length: 0.
TEST_CASE("Bodiless POST and DELETE calls are answered at once", "[http][control][raw]") {
  app::MockOptions options = TestOptions();
  options.clock = app::ClockMode::kVirtual;
  TestMock mock(options);
  mock.Enable(Json::array({Dest("a", "https://a.example.com/")}));
  const auto [request, status, body_has] = GENERATE(table<std::string, int, std::string>({
      {"POST /mock/reset HTTP/1.1", 200, R"({"message":"state reset"})"},
      {"POST /mock/flush HTTP/1.1", 200, R"({"applied":)"},
      {"POST /mock/channels HTTP/1.1", 201, R"("api_key":)"},
      {"POST /mock/clock/advance HTTP/1.1", 400,
       "invalid_argument: request body is not valid JSON"},
      {"DELETE /multi_webhook/a HTTP/1.1\r\nD360-API-KEY: test-key", 200,
       "Operation has been started"},
      {"PUT /multi_webhook HTTP/1.1\r\nD360-API-KEY: test-key", 400,
       "request body is not valid JSON"},
  }));
  INFO(request);
  // A 2 s read timeout: the HTTP layer's own wait for a body is 5 s, so a stall fails here.
  auto answer =
      RawExchange(mock.mock().port(), request + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
                  std::chrono::seconds(2));
  REQUIRE(answer.ok());
  INFO(answer->text);
  CHECK(answer->status == status);
  CHECK(answer->Body().find(body_has) != std::string::npos);
}

// The issue #12 case: a PUT whose body is neither length-delimited nor chunked, sent anyway, and
// the client hangs up. Without Transfer-Encoding the body is not the request's (RFC 9112 §6.3):
// the PUT is refused at once and the body's bytes are no request either. With a coding other
// than a single "chunked", its length cannot be known: 400 and close. Nothing is applied.
TEST_CASE("A body without Content-Length or chunked encoding is refused, never applied",
          "[http][control][raw]") {
  TestMock mock;
  mock.Enable(Json::array({Dest("a", "https://a.example.com/")}));
  const std::string body = R"({"destinations": [{"name": "b", "url": "https://b.example.com/"}]})";
  const std::string unframed = "a request body needs Content-Length or Transfer-Encoding: chunked";
  const auto [framing, error] = GENERATE_REF(table<std::string, std::string>({
      {"", "request body is not valid JSON"},
      {"Connection: close\r\n", "request body is not valid JSON"},
      {"Transfer-Encoding: gzip\r\n", unframed + ", got Transfer-Encoding: gzip"},
      {"Transfer-Encoding: gzip, chunked\r\n", unframed},
      {"Transfer-Encoding: identity\r\n", unframed},
      {"Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n", unframed},
  }));
  INFO(framing);
  auto answer = RawExchange(mock.mock().port(),
                            "PUT /multi_webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nD360-API-KEY: " +
                                std::string(kKey) + "\r\n" + framing + "\r\n" + body,
                            std::chrono::seconds(2), /*hang_up=*/true);
  REQUIRE(answer.ok());
  INFO(answer->text);
  CHECK(answer->status == 400);
  CHECK(answer->Body().find(error) != std::string::npos);
  mock.AwaitApply();
  CHECK(mock.MultiWebhook() ==
        Json{{"enabled", true},
             {"destinations", Json::array({Dest("a", "https://a.example.com/")})}});
  CHECK(BodyOf(mock.client().Get("/mock/changes")).at("changes").size() == 1);  // the enable only
}

TEST_CASE("A chunked body (any case) is read and applied", "[http][control][raw]") {
  TestMock mock;
  mock.Enable(Json::array({Dest("a", "https://a.example.com/")}));
  const std::string body = R"({"destinations": [{"name": "b", "url": "https://b.example.com/"}]})";
  std::ostringstream chunk;
  chunk << std::hex << body.size() << "\r\n" << body << "\r\n0\r\n\r\n";
  auto answer = RawExchange(
      mock.mock().port(),
      "PUT /multi_webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nD360-API-KEY: " + std::string(kKey) +
          "\r\nTransfer-Encoding: Chunked\r\nConnection: close\r\n\r\n" + chunk.str(),
      std::chrono::seconds(2));
  REQUIRE(answer.ok());
  INFO(answer->text);
  CHECK(answer->status == 200);
  mock.AwaitApply();
  CHECK(mock.MultiWebhook().at("destinations").size() == 2);
}

TEST_CASE("Health answers ok", "[http][control]") {
  TestMock mock;
  auto res = mock.client().Get("/mock/health");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(BodyOf(res) == Json{{"status", "ok"}});
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

TEST_CASE("The OpenAPI document describes exactly the registered routes",
          "[http][control][openapi]") {
  TestMock mock;
  auto served = mock.client().Get("/mock/openapi.json");
  REQUIRE(served);
  CHECK(served->status == 200);
  const Json doc = BodyOf(served);
  CHECK(doc.at("openapi").get<std::string>().rfind("3.", 0) == 0);

  std::set<std::pair<std::string, std::string>> documented;
  for (const auto& [path, item] : doc.at("paths").items()) {
    for (const auto& [method, operation] : item.items()) {
      if (method == "parameters") continue;
      documented.emplace(path, method);
      INFO(method << " " << path);
      CHECK(operation.contains("responses"));
    }
  }
  std::set<std::pair<std::string, std::string>> registered;
  for (const auto& route : mock.mock().routes()) {
    registered.emplace(route.openapi_path, Lower(route.method));
  }
  CHECK(documented == registered);
}

}  // namespace
}  // namespace multihook::testing
