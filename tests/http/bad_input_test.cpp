#include <catch2/catch.hpp>

#include "tests/support/test_mock.hpp"

namespace multihook::testing {
namespace {

// Every rejected request must leave the configuration exactly as it was, applied and pending.
TEST_CASE("Bad input gets a clear error and changes nothing", "[http][strict]") {
  TestMock mock;
  mock.Enable(Json::array({Dest("a", "https://a.example.com/")}));
  const Json before = mock.MultiWebhook();

  const auto [method, body, status,
              error] = GENERATE(table<std::string, std::string, int, std::string>({
      {"PUT", "{", 400,
       "invalid_argument: request body is not valid JSON (syntax error at byte 2)"},
      {"PUT", R"({"destinations": "a"})", 400,
       "invalid_argument at /destinations: expected an array, got string"},
      {"PUT", R"({"destinations": [{"name": "b", "url": "https://b.example.com/", "x": 1}]})", 400,
       "invalid_argument at /destinations/0/x: unknown field"},
      {"PUT", R"({"destinations": [{"name": "", "url": "https://b.example.com/"}]})", 400,
       "invalid_argument at /destinations/0/name: name is empty"},
      {"PUT",
       R"({"destinations": [{"name": "b", "url": "https://b.example.com/", "headers": {"X-A": "1\r\nX-B: 2"}}]})",
       400, "invalid_argument at /destinations/0/headers/X-A: header value contains CR, LF or NUL"},
      {"PUT",
       R"({"destinations": [{"name": "b", "url": "https://b.example.com/"}, {"name": "c", "url": 7}]})",
       400, "invalid_argument at /destinations/1/url: expected a string, got number"},
      {"PATCH", R"({"name": "a", "url": "https://a.example.com/", "enabled": true})", 400,
       "invalid_argument at /enabled: unknown field"},
      {"PATCH", R"({"name": "a", "headers": []})", 400,
       "invalid_argument at /headers: expected an object, got array"},
      {"POST", R"({"enabled": 1})", 400,
       "invalid_argument at /enabled: expected a boolean, got number"},
      {"POST", "null", 400, "invalid_argument: expected an object, got null"},
  }));
  INFO(method << " " << body);
  auto res = method == "PUT"     ? mock.Put("/multi_webhook", body)
             : method == "PATCH" ? mock.Patch("/multi_webhook", body)
                                 : mock.Post("/multi_webhook", body);
  REQUIRE(res);
  CHECK(res->status == status);
  CHECK(BodyOf(res) == Json{{"error", error}});
  mock.AwaitApply();
  CHECK(mock.MultiWebhook() == before);
}

TEST_CASE("Bodies over 1 MiB are refused with 413", "[http][strict]") {
  TestMock mock;
  mock.Enable(Json::array());
  const std::string huge =
      R"({"destinations": [{"name": "x", "url": "https://x.example.com/", "headers": {"X-Pad": ")" +
      std::string(1 << 20, 'p') + "\"}}]}";
  auto res = mock.Put("/multi_webhook", huge);
  REQUIRE(res);
  CHECK(res->status == 413);
  CHECK(BodyOf(res) ==
        Json{{"error", "payload_too_large: request body is larger than 1048576 bytes"}});

  // Chunked uploads carry no Content-Length to refuse early; they are refused all the same.
  httplib::Client chunked = MakeClient(mock.BaseUrl());
  auto streamed = chunked.Put(
      "/multi_webhook", {{"D360-API-KEY", kKey}},
      [&](size_t offset, httplib::DataSink& sink) {
        const std::size_t n = std::min<std::size_t>(64 * 1024, huge.size() - offset);
        sink.write(huge.data() + offset, n);
        if (offset + n == huge.size()) sink.done();
        return true;
      },
      "application/json");
  REQUIRE(streamed);
  CHECK(streamed->status == 413);

  mock.AwaitApply();
  CHECK(mock.MultiWebhook()["destinations"].empty());
  // The server is still healthy afterwards.
  CHECK(MakeClient(mock.BaseUrl()).Get("/mock/health")->status == 200);
}

TEST_CASE("Unknown paths and methods answer in the error shape", "[http][strict]") {
  TestMock mock;
  auto res = mock.Get("/multi_webhooks");
  REQUIRE(res);
  CHECK(res->status == 404);
  CHECK(BodyOf(res) == Json{{"error", "not_found: no route for GET /multi_webhooks"}});
}

// A path or query that is not UTF-8 must still be answered in the error shape: a message that
// echoes it is encoded with U+FFFD in place of the bad bytes, never a throw (which ended the
// process on a 404, and answered 500 elsewhere).
TEST_CASE("Invalid UTF-8 echoed in an answer is replaced, never thrown", "[http][strict]") {
  TestMock mock;
  const std::string replaced = "\xEF\xBF\xBD";  // U+FFFD
  const auto [method, path, status, error] =
      GENERATE_COPY(table<std::string, std::string, int, std::string>({
          {"GET", "/x%FF", 404, "not_found: no route for GET /x" + replaced},
          {"GET", "/mock/events/%FF", 404,
           "not_found at /event_id: no event '" + replaced + "' (unknown or evicted)"},
          {"DELETE", "/multi_webhook/%FF", 404,
           "not_found: no destination named '" + replaced + "' (names are case-sensitive)"},
          {"DELETE", "/multi_webhook/a%FFb%C3", 404,
           "not_found: no destination named 'a" + replaced + "b" + replaced +
               "' (names are case-sensitive)"},
      }));
  INFO(method << " " << path);
  mock.Enable(Json::array());
  auto res = method == "GET" ? mock.Get(path) : mock.Delete(path);
  REQUIRE(res);
  CHECK(res->status == status);
  CHECK(BodyOf(res) == Json{{"error", error}});
  // Nothing changed, and the server still answers.
  mock.AwaitApply();
  CHECK(mock.MultiWebhook() == Json{{"enabled", true}, {"destinations", Json::array()}});
}

TEST_CASE("Invalid UTF-8 in journal filters answers an empty page", "[http][strict]") {
  TestMock mock;
  for (const char* query : {"?event_id=%FF", "?destination=%FF", "?event_id=%FF&min_count=0"}) {
    INFO(query);
    auto res = mock.Get(std::string("/mock/deliveries") + query);
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(BodyOf(res)["deliveries"] == Json::array());
  }
}

TEST_CASE("Hostile bytes never crash the server", "[http][strict]") {
  TestMock mock;
  const std::vector<std::string> bodies = {
      std::string("\0\0\0", 3),
      "\xff\xfe\xfd",
      std::string(200, '{'),
      "[" + std::string(10000, '1'),
      R"({"enabled": true, "destinations": [{"name": "\u0000", "url": "https://a.example.com/"}]})",
      R"({"enabled": true, "destinations": [{"name": "a", "url": "https://a.example.com/\u0000"}]})",
  };
  for (const std::string& body : bodies) {
    auto res = mock.Post("/multi_webhook", body);
    REQUIRE(res);
    CHECK(res->status == 400);
    CHECK(BodyOf(res).contains("error"));
  }
  CHECK(mock.MultiWebhook() == Json{{"enabled", false}, {"destinations", Json::array()}});
}

}  // namespace
}  // namespace multihook::testing
