#include "mock_server/codec/state_file_codec.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

namespace multihook::codec {
namespace {

using std::chrono::seconds;

core::WallTime At(long long unix_seconds) { return core::WallTime(seconds(unix_seconds)); }

core::StoreState SampleState() {
  core::ChannelState demo;
  demo.identity = {"demo-key", "100000000000001", "+1 555 0100001", "200000000000001"};
  demo.origin = core::ChannelOrigin::kStartup;
  demo.primary = {"https://main.example.com/hook", {{"Authorization", "Bearer x"}}};
  demo.applied = {true, {{"backup", "https://backup.example.com/h", {{"X-A", "1"}}}}};
  demo.pending = {
      {At(1'750'000'002), {true, {}}},
      {At(1'750'000'004),
       {true, {{"b", "https://b.example.com/", {}}, {"c", "https://c.example.com/", {}}}}}};
  core::ChannelState runtime;
  runtime.identity = {"k2", "100000000000002", "+1 555 0100002", "200000000000002"};
  runtime.origin = core::ChannelOrigin::kRuntime;  // no main webhook, nothing pending
  return core::StoreState{At(1'750'000'000) + std::chrono::microseconds(123), {demo, runtime}};
}

TEST_CASE("A state file decodes to the state it was encoded from", "[codec][state]") {
  const core::StoreState state = SampleState();
  const std::string text = EncodeStateFile(state);
  auto decoded = DecodeStateFile(text);
  REQUIRE(decoded.ok());
  CHECK(*decoded == state);
  CHECK(EncodeStateFile(*decoded) == text);  // stable: decode then encode gives the same bytes

  CHECK(text.back() == '\n');
  CHECK(text.rfind(
            R"({"format":"multihook-mock state","version":1,"saved_at_us":1750000000000123,)", 0) ==
        0);
  CHECK(text.find(R"("main_webhook":{"url":null,"headers":{}})") != std::string::npos);
  CHECK(text.find(R"("pending":[{"due_at_us":1750000002000000,)") != std::string::npos);

  const core::StoreState empty{At(1), {}};
  auto none = DecodeStateFile(EncodeStateFile(empty));
  REQUIRE(none.ok());
  CHECK(*none == empty);
}

TEST_CASE("A state file that is not ours, newer or damaged is refused, saying where",
          "[codec][state]") {
  const std::string head = R"({"format":"multihook-mock state","version":1,"saved_at_us":1,)";
  const std::string channel =
      R"({"api_key":"k","phone_number_id":"1","display_phone_number":"+1","waba_id":"2",)"
      R"("origin":"startup","main_webhook":{"url":null,"headers":{}},)"
      R"("multi_webhook":{"enabled":false,"destinations":[]},)";
  const auto [text, expected] = GENERATE_REF(table<std::string, std::string>({
      {"", "invalid_argument: the file is not valid JSON (syntax error at byte 1)"},
      {head + R"("channels":[)",
       "invalid_argument: the file is not valid JSON (syntax error at "
       "byte 74)"},
      {"[]", "invalid_argument: expected an object, got array"},
      {R"({"channels":[]})",
       "invalid_argument at /format: not a multihook-mock state file (expected \"multihook-mock "
       "state\")"},
      {R"({"format":"multihook-mock state","version":2,"channels":[]})",
       "invalid_argument at /version: unsupported state file version 2 (this mock reads "
       "version 1)"},
      {R"({"format":"multihook-mock state","channels":[]})",
       "invalid_argument at /version: unsupported state file version none (this mock reads "
       "version 1)"},
      {head + R"("channels":[],"extra":1})", "invalid_argument at /extra: unknown field"},
      {head + R"("channels":{}})", "invalid_argument at /channels: expected an array, got object"},
      {R"({"format":"multihook-mock state","version":1,"channels":[]})",
       "invalid_argument at /saved_at_us: is required"},
      {head + R"("channels":[)" + channel + R"("pending":[]}, 7]})",
       "invalid_argument at /channels/1: expected an object, got number"},
      {head + R"("channels":[)" + channel + R"("pending":[],"origin":"x"}]})",
       "invalid_argument: the file rejected: duplicate key 'origin' in an object"},
      {head + R"("channels":[)" + channel + R"("pending":[{"due_at_us":5}]}]})",
       "invalid_argument at /channels/0/pending/0/multi_webhook: is required"},
      {head + R"("channels":[)" + channel +
           R"("pending":[{"due_at_us":5,"multi_webhook":{"enabled":true,"destinations":[]}},)"
           R"({"due_at_us":4,"multi_webhook":{"enabled":true,"destinations":[]}}]}]})",
       "invalid_argument at /channels/0/pending/1/due_at_us: is before the due time of the "
       "change before it"},
      {head + R"("channels":[)" + channel + R"("pending":[{"due_at_us":-1}]}]})",
       "invalid_argument at /channels/0/pending/0/due_at_us: expected an integer from 0 to "
       "9000000000000000, got -1"},
  }));
  auto decoded = DecodeStateFile(text);
  REQUIRE_FALSE(decoded.ok());
  CHECK(decoded.status().ToString() == expected);
}

TEST_CASE("Every field of a channel in the state file is required and typed", "[codec][state]") {
  const std::string text = EncodeStateFile(SampleState());
  // Each of these, removed from the first channel, is reported missing at its pointer.
  const std::string key =
      GENERATE(as<std::string>{}, "api_key", "phone_number_id", "display_phone_number", "waba_id",
               "origin", "main_webhook", "multi_webhook", "pending");
  nlohmann::json json = nlohmann::json::parse(text);
  json["channels"][0].erase(key);
  auto decoded = DecodeStateFile(json.dump());
  REQUIRE_FALSE(decoded.ok());
  CHECK(decoded.status().ToString() == "invalid_argument at /channels/0/" + key + ": is required");
}

}  // namespace
}  // namespace multihook::codec
