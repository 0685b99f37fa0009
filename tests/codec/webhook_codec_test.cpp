#include "mock_server/codec/webhook_codec.hpp"

#include <catch2/catch.hpp>

#include "mock_server/codec/json_reader.hpp"

namespace multihook::codec {
namespace {

std::string Error(const core::Status& status) { return status.ToString(); }

TEST_CASE("Enable requests decode strictly", "[codec]") {
  auto ok = DecodeEnableRequest(
      R"({"enabled": true, "destinations": [{"name": "a", "url": "https://a.example.com/",
          "headers": {"X-A": "1"}}]})");
  REQUIRE(ok.ok());
  CHECK(ok->enabled);
  REQUIRE(ok->destinations);
  CHECK(ok->destinations->at(0) ==
        core::Destination{"a", "https://a.example.com/", {{"X-A", "1"}}});

  auto no_list = DecodeEnableRequest(R"({"enabled": false})");
  REQUIRE(no_list.ok());
  CHECK_FALSE(no_list->destinations.has_value());
}

TEST_CASE("Bad bodies are rejected with the JSON pointer of the problem", "[codec]") {
  const auto [body, expected] = GENERATE(table<std::string, std::string>({
      {"", "invalid_argument: request body is not valid JSON (syntax error at byte 1)"},
      {"{\"enabled\": tru}",
       "invalid_argument: request body is not valid JSON (syntax error at byte 16)"},
      {"[]", "invalid_argument: expected an object, got array"},
      {"{}", "invalid_argument at /enabled: is required"},
      {R"({"enabled": "yes"})", "invalid_argument at /enabled: expected a boolean, got string"},
      {R"({"enabled": true, "extra": 1})", "invalid_argument at /extra: unknown field"},
      {R"({"enabled": true, "enabled": false})",
       "invalid_argument: request body rejected: duplicate key 'enabled' in an object"},
      {R"({"enabled": true, "destinations": {}})",
       "invalid_argument at /destinations: expected an array, got object"},
      {R"({"enabled": true, "destinations": null})",
       "invalid_argument at /destinations: expected an array, got null"},
      {R"({"enabled": true, "destinations": [{"name": "a"}]})",
       "invalid_argument at /destinations/0/url: is required"},
      {R"({"enabled": true, "destinations": [{"name": "a", "url": 5}]})",
       "invalid_argument at /destinations/0/url: expected a string, got number"},
      {R"({"enabled": true, "destinations": [{"name": "a", "url": "u", "Name": "b"}]})",
       "invalid_argument at /destinations/0/Name: unknown field"},
      {R"({"enabled": true, "destinations": [{"name": "a", "url": "u", "headers": {"X/Y": 1}}]})",
       "invalid_argument at /destinations/0/headers/X~1Y: expected a string, got number"},
      {R"({"enabled": true, "destinations": ["a"]})",
       "invalid_argument at /destinations/0: expected an object, got string"},
      {std::string(70, '[') + std::string(70, ']'),
       "invalid_argument: request body rejected: JSON nesting is deeper than 64 levels"},
  }));
  auto decoded = DecodeEnableRequest(body);
  REQUIRE_FALSE(decoded.ok());
  CHECK(Error(decoded.status()) == expected);
}

TEST_CASE("PUT, PATCH and main-webhook bodies decode strictly", "[codec]") {
  CHECK(Error(DecodeAppendRequest("{}").status()) ==
        "invalid_argument at /destinations: is required");
  CHECK(Error(DecodeAppendRequest(R"({"destinations": [], "enabled": true})").status()) ==
        "invalid_argument at /enabled: unknown field");

  auto patch = DecodeUpdateRequest(R"({"name": "a", "headers": {}})");
  REQUIRE(patch.ok());
  CHECK(patch->name == "a");
  CHECK_FALSE(patch->url.has_value());
  CHECK(patch->headers == core::Headers{});
  CHECK(Error(DecodeUpdateRequest(R"({"url": "https://x.example.com/"})").status()) ==
        "invalid_argument at /name: is required");

  auto primary = DecodePrimaryWebhook(R"({"url": "https://m.example.com/"})");
  REQUIRE(primary.ok());
  CHECK(primary->url == "https://m.example.com/");
  CHECK(Error(DecodePrimaryWebhook(R"({"url": null})").status()) ==
        "invalid_argument at /url: expected a string, got null");
}

TEST_CASE("Channel specs: empty body generates everything", "[codec]") {
  auto empty = DecodeChannelSpec("  ");
  REQUIRE(empty.ok());
  CHECK_FALSE(empty->api_key.has_value());
  auto some = DecodeChannelSpec(R"({"api_key": "k", "waba_id": "123"})");
  REQUIRE(some.ok());
  CHECK(some->api_key == "k");
  CHECK(some->waba_id == "123");
  CHECK(Error(DecodeChannelSpec(R"({"api_key": 1})").status()) ==
        "invalid_argument at /api_key: expected a string, got number");
}

TEST_CASE("Encoders produce the provider's shapes, in its field order", "[codec]") {
  core::MultiWebhookConfig config{true, {{"a", "https://a.example.com/", {{"X-A", "1"}}}}};
  CHECK(
      EncodeMultiWebhook(config) ==
      R"({"enabled":true,"destinations":[{"name":"a","url":"https://a.example.com/","headers":{"X-A":"1"}}]})");
  CHECK(EncodeMultiWebhook({}) == R"({"enabled":false,"destinations":[]})");
  CHECK(EncodePrimaryWebhook({}) == R"({"url":null,"headers":{}})");
  CHECK(EncodeMessage("hi") == R"({"message":"hi"})");
  const core::Status bad = core::InvalidArgument("/url", "host contains '_'");
  CHECK(EncodeError(bad) == R"({"error":"invalid_argument at /url: host contains '_'"})");
  CHECK(
      EncodeMetaError(bad, 400) ==
      R"({"meta":{"success":false,"http_code":400,"developer_message":"invalid_argument at /url: host contains '_'","details":["/url: host contains '_'"]}})");
}

TEST_CASE("Lenient reading: unknown fields ignored, null read as absent", "[codec][profile]") {
  const std::string body =
      R"({"enabled": true, "extra": 1, "destinations": [{"name": "a", "url": "https://a.example.com/",
          "headers": null, "note": "x"}]})";
  CHECK(DecodeEnableRequest(body).status().ToString() ==
        "invalid_argument at /extra: unknown field");
  CHECK(DecodeEnableRequest(body, ReadOptions{true, false}).status().ToString() ==
        "invalid_argument at /destinations/0/headers: expected an object, got null");
  auto lenient = DecodeEnableRequest(body, ReadOptions{true, true});
  REQUIRE(lenient.ok());
  REQUIRE(lenient->destinations.has_value());
  CHECK(lenient->destinations->at(0).headers.empty());

  CHECK(DecodeUpdateRequest(R"({"name": "a", "url": null})").status().ToString() ==
        "invalid_argument at /url: expected a string, got null");
  auto update =
      DecodeUpdateRequest(R"({"name": "a", "url": null, "headers": {}})", ReadOptions{false, true});
  REQUIRE(update.ok());
  CHECK_FALSE(update->url.has_value());
  CHECK(DecodePrimaryWebhook(R"({"url": null})", ReadOptions{false, true}).status().ToString() ==
        "invalid_argument at /url: is required");
}

}  // namespace
}  // namespace multihook::codec
