// Shared fixtures for the notification codec tests: one channel, one fixed wall time, and
// helpers that parse a built body and read it by JSON pointer. Test-only; not thread-safe.
#pragma once

#include <catch2/catch.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "mock_server/codec/notification_codec.hpp"
#include "mock_server/core/clock.hpp"
#include "mock_server/core/id_source.hpp"
#include "mock_server/core/webhook_config.hpp"

namespace multihook::codec::testing {

inline core::ChannelIdentity TestChannel() {
  return core::ChannelIdentity{"key-abc", "106540352242922", "15550783881", "102290129340398"};
}

inline constexpr std::int64_t kNowSeconds = 1'750'000'123;
inline core::WallTime TestNow() {
  // Sub-second part must not leak into the timestamp.
  return core::WallTime(std::chrono::seconds(kNowSeconds)) + std::chrono::milliseconds(987);
}

inline constexpr std::string_view kValue = "/entry/0/changes/0/value";
inline constexpr std::string_view kMessage = "/entry/0/changes/0/value/messages/0";
inline constexpr std::string_view kStatus = "/entry/0/changes/0/value/statuses/0";

// Parses a body the codec built; a codec that emits invalid JSON fails the test here.
inline nlohmann::json ParseBuilt(std::string_view body) {
  nlohmann::json parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  INFO("body: " << body);
  REQUIRE_FALSE(parsed.is_discarded());
  return parsed;
}

// The value at `pointer`; fails the test (rather than throwing) when there is none.
inline nlohmann::json At(const nlohmann::json& json, std::string_view pointer) {
  const nlohmann::json::json_pointer ptr{std::string(pointer)};
  INFO("pointer " << pointer << " in " << json.dump());
  REQUIRE(json.contains(ptr));
  return json.at(ptr);
}

inline bool Has(const nlohmann::json& json, std::string_view pointer) {
  return json.contains(nlohmann::json::json_pointer{std::string(pointer)});
}

inline bool IsDigits(const std::string& text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
}

inline bool IsLowerHex(const std::string& text) {
  return !text.empty() && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// Builds `request` for TestChannel() at TestNow(); the build must succeed.
inline BuiltNotification BuildOk(const std::string& request, std::uint64_t seed = 7) {
  core::IdSource ids(seed);
  auto built = BuildInboundNotification(request, TestChannel(), TestNow(), ids);
  INFO("request: " << request.substr(0, 300));
  REQUIRE(built.ok());
  return std::move(built).value();
}

// The error text of building `request`, which must fail.
inline std::string BuildError(const std::string& request) {
  core::IdSource ids(7);
  auto built = BuildInboundNotification(request, TestChannel(), TestNow(), ids);
  INFO("request: " << request);
  REQUIRE_FALSE(built.ok());
  return built.status().ToString();
}

}  // namespace multihook::codec::testing
