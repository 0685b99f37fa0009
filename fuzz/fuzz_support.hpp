// Shared by the fuzz targets: property checks that abort with a message (libFuzzer then saves
// the input as a crash), the provider's error shapes, and splitting one input into fields.
//
// Each target defines LLVMFuzzerTestOneInput. Built with -fsanitize=fuzzer it is a libFuzzer
// binary; built with replay_main.cpp it replays the corpus and regressions as an ordinary test.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace multihook::fuzz {

[[noreturn]] inline void Fail(const char* property, std::string_view detail) {
  std::fprintf(stderr, "fuzz property violated: %s\n  %.*s\n", property,
               static_cast<int>(detail.size()), detail.data());
  std::abort();
}

// A property of every input, checked even in release builds (unlike assert).
#define MULTIHOOK_FUZZ_CHECK(condition, detail)                      \
  do {                                                               \
    if (!(condition)) ::multihook::fuzz::Fail(#condition, (detail)); \
  } while (false)

inline std::string_view AsText(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The input as fields separated by a NUL byte (libFuzzer mutates the separators too).
inline std::vector<std::string_view> SplitFields(std::string_view text, std::size_t max_fields) {
  std::vector<std::string_view> fields;
  while (fields.size() + 1 < max_fields) {
    const std::size_t nul = text.find('\0');
    if (nul == std::string_view::npos) break;
    fields.push_back(text.substr(0, nul));
    text.remove_prefix(nul + 1);
  }
  fields.push_back(text);
  return fields;
}

// {"error": "<non-empty string>"}, nothing else: the provider's error body (contract §1–3).
inline bool IsErrorShape(std::string_view body) {
  const auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object() || json.size() != 1) return false;
  const auto it = json.find("error");
  return it != json.end() && it->is_string() && !it->get<std::string>().empty();
}

// The legacy envelope of /v1/configs/webhook: {"meta": {"success": false, "http_code": N,
// "developer_message": "...", ...}}.
inline bool IsMetaErrorShape(std::string_view body, int http_code) {
  const auto json = nlohmann::json::parse(body, nullptr, false);
  if (!json.is_object() || json.size() != 1 || !json.contains("meta")) return false;
  const auto& meta = json.at("meta");
  return meta.is_object() && meta.value("success", true) == false &&
         meta.value("http_code", 0) == http_code && meta.contains("developer_message") &&
         meta.at("developer_message").is_string();
}

}  // namespace multihook::fuzz
