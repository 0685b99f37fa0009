// Every request body of the configuration API and the control API's config bodies, through the
// codec (codec/webhook_codec.hpp) and the runtime-options reader.
// Input: one selector byte (which body) then the body.
// Properties: no crash, no exception; an error has a code and a reason, and its encoded form has
// the provider's {"error"} and {"meta"} shapes; decode -> encode -> decode gives the same value.
#include <string>

#include "fuzz/fuzz_support.hpp"
#include "mock_server/app/mock_options.hpp"
#include "mock_server/codec/webhook_codec.hpp"

namespace {

namespace core = multihook::core;
namespace codec = multihook::codec;
using multihook::fuzz::IsErrorShape;
using multihook::fuzz::IsMetaErrorShape;

void CheckError(const core::Status& status) {
  MULTIHOOK_FUZZ_CHECK(!status.ok() && !status.reason().empty(), "an error without a reason");
  const std::string body = codec::EncodeError(status);
  MULTIHOOK_FUZZ_CHECK(IsErrorShape(body), "EncodeError is not {\"error\"}: " + body);
  const std::string meta = codec::EncodeMetaError(status, 400);
  MULTIHOOK_FUZZ_CHECK(IsMetaErrorShape(meta, 400), "EncodeMetaError is not {\"meta\"}: " + meta);
}

codec::ReadOptions ReadOptionsFor(std::uint8_t selector) {
  return {.ignore_unknown_fields = (selector & 0x10) != 0,
          .null_as_absent = (selector & 0x20) != 0};
}

// POST {"enabled", "destinations"}: re-encoded as the stored config, read back.
void Enable(std::string_view body, const codec::ReadOptions& options) {
  const auto first = codec::DecodeEnableRequest(body, options);
  if (!first.ok()) return CheckError(first.status());
  core::MultiWebhookConfig config{first->enabled,
                                  first->destinations.value_or(std::vector<core::Destination>{})};
  const std::string encoded = codec::EncodeMultiWebhook(config);
  const auto second = codec::DecodeEnableRequest(encoded);
  MULTIHOOK_FUZZ_CHECK(second.ok(), "re-encoded POST body rejected: " + encoded);
  MULTIHOOK_FUZZ_CHECK(
      second->enabled == first->enabled &&
          second->destinations.value_or(std::vector<core::Destination>{}) == config.destinations,
      "POST body changed in a round trip: " + encoded);
}

// PUT {"destinations"}.
void Append(std::string_view body, const codec::ReadOptions& options) {
  const auto first = codec::DecodeAppendRequest(body, options);
  if (!first.ok()) return CheckError(first.status());
  auto json = nlohmann::json::parse(codec::EncodeMultiWebhook({true, first->destinations}));
  json.erase("enabled");
  const std::string encoded = json.dump();
  const auto second = codec::DecodeAppendRequest(encoded);
  MULTIHOOK_FUZZ_CHECK(second.ok(), "re-encoded PUT body rejected: " + encoded);
  MULTIHOOK_FUZZ_CHECK(second->destinations == first->destinations,
                       "PUT body changed in a round trip: " + encoded);
}

// PATCH {"name", "url"?, "headers"?}.
void Update(std::string_view body, const codec::ReadOptions& options) {
  const auto first = codec::DecodeUpdateRequest(body, options);
  if (!first.ok()) return CheckError(first.status());
  nlohmann::json json{{"name", first->name}};
  if (first->url) json["url"] = *first->url;
  if (first->headers) json["headers"] = *first->headers;
  const std::string encoded = json.dump();
  const auto second = codec::DecodeUpdateRequest(encoded);
  MULTIHOOK_FUZZ_CHECK(second.ok(), "re-encoded PATCH body rejected: " + encoded);
  MULTIHOOK_FUZZ_CHECK(
      second->name == first->name && second->url == first->url && second->headers == first->headers,
      "PATCH body changed in a round trip: " + encoded);
}

// POST /v1/configs/webhook {"url", "headers"?}.
void Primary(std::string_view body, const codec::ReadOptions& options) {
  const auto first = codec::DecodePrimaryWebhook(body, options);
  if (!first.ok()) return CheckError(first.status());
  if (!first->url) return;  // GET shows an unset URL as null, which POST does not take
  const std::string encoded = codec::EncodePrimaryWebhook(*first);
  const auto second = codec::DecodePrimaryWebhook(encoded);
  MULTIHOOK_FUZZ_CHECK(second.ok(), "re-encoded main webhook rejected: " + encoded);
  MULTIHOOK_FUZZ_CHECK(*second == *first, "main webhook changed in a round trip: " + encoded);
}

// POST /mock/channels.
void Channel(std::string_view body) {
  const auto spec = codec::DecodeChannelSpec(body);
  if (!spec.ok()) return CheckError(spec.status());
  const core::Status checked = core::CheckChannelSpec(*spec);
  if (!checked.ok()) CheckError(checked);
}

// PATCH /mock/options: all or nothing is the caller's copy; here: no crash, errors located.
void Options(std::string_view body) {
  multihook::app::MockOptions options;
  const core::Status status = multihook::app::ApplyRuntimeOptionsJson(body, options);
  if (!status.ok()) return CheckError(status);
  // What GET /mock/options shows is accepted by PATCH and changes nothing more.
  const std::string shown = multihook::app::EncodeRuntimeOptions(options);
  multihook::app::MockOptions again = options;
  const core::Status reapplied = multihook::app::ApplyRuntimeOptionsJson(shown, again);
  MULTIHOOK_FUZZ_CHECK(reapplied.ok(), "GET /mock/options rejected by PATCH: " + shown + " -> " +
                                           reapplied.ToString());
  MULTIHOOK_FUZZ_CHECK(multihook::app::EncodeRuntimeOptions(again) == shown,
                       "options changed in a round trip: " + shown);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t selector = data[0];
  const std::string_view body = multihook::fuzz::AsText(data + 1, size - 1);
  const codec::ReadOptions options = ReadOptionsFor(selector);
  switch (selector % 6) {
    case 0:
      Enable(body, options);
      break;
    case 1:
      Append(body, options);
      break;
    case 2:
      Update(body, options);
      break;
    case 3:
      Primary(body, options);
      break;
    case 4:
      Channel(body);
      break;
    default:
      Options(body);
      break;
  }
  return 0;
}
