// JSON <-> core types for the provider API and the control API's channel resources.
// Decoders are strict (see json_reader.hpp); encoders produce the provider's exact shapes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mock_server/codec/json_reader.hpp"
#include "mock_server/core/status.hpp"
#include "mock_server/core/webhook_config.hpp"

namespace multihook::codec {

// Provider request bodies; `options` relaxes the strict reading (lenient rule options).
core::Result<core::EnableRequest> DecodeEnableRequest(std::string_view body,
                                                      const ReadOptions& options = {});  // POST
core::Result<core::AppendRequest> DecodeAppendRequest(std::string_view body,
                                                      const ReadOptions& options = {});  // PUT
core::Result<core::UpdateRequest> DecodeUpdateRequest(std::string_view body,
                                                      const ReadOptions& options = {});  // PATCH
core::Result<core::PrimaryWebhook> DecodePrimaryWebhook(std::string_view body,
                                                        const ReadOptions& options = {});
core::Result<core::ChannelSpec> DecodeChannelSpec(std::string_view body);

// {"enabled": bool, "destinations": [{"name", "url", "headers"}]}
std::string EncodeMultiWebhook(const core::MultiWebhookConfig& config);
// The same object as a JSON value, and back (strict), for formats that embed it (the state file).
nlohmann::ordered_json MultiWebhookJson(const core::MultiWebhookConfig& config);
core::Result<core::MultiWebhookConfig> MultiWebhookFromJson(const Json& value,
                                                            const std::string& pointer);
// {"url": string|null, "headers": {...}}
std::string EncodePrimaryWebhook(const core::PrimaryWebhook& primary);
// The same object as a JSON value, and back (strict; "url" may be null).
nlohmann::ordered_json PrimaryWebhookJson(const core::PrimaryWebhook& primary);
core::Result<core::PrimaryWebhook> PrimaryWebhookFromJson(const Json& value,
                                                          const std::string& pointer);
// {"message": "..."}
std::string EncodeMessage(std::string_view message);
// {"error": "<code at location: reason>"}
std::string EncodeError(const core::Status& status);
// The legacy envelope of /v1/configs/webhook:
// {"meta": {"success": false, "http_code": N, "developer_message": "...", "details": ["..."]}}
std::string EncodeMetaError(const core::Status& status, int http_code);

}  // namespace multihook::codec
