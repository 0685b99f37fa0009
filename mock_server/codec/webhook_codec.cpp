#include "mock_server/codec/webhook_codec.hpp"

#include "mock_server/codec/json_reader.hpp"

namespace multihook::codec {
namespace {

// Encoders keep the provider's field order ("enabled" before "destinations").
using OrderedJson = nlohmann::ordered_json;

OrderedJson HeadersToJson(const core::Headers& headers) {
  OrderedJson out = OrderedJson::object();
  for (const auto& [name, value] : headers) out[name] = value;
  return out;
}

OrderedJson DestinationToJson(const core::Destination& d) {
  return OrderedJson{{"name", d.name}, {"url", d.url}, {"headers", HeadersToJson(d.headers)}};
}

core::Result<core::Destination> DecodeDestination(const Json& value, const std::string& pointer,
                                                  const ReadOptions& options) {
  MULTIHOOK_ASSIGN_OR_RETURN(
      const ObjectReader reader,
      ObjectReader::Open(value, pointer, {"name", "url", "headers"}, options));
  MULTIHOOK_ASSIGN_OR_RETURN(std::string name, reader.RequiredString("name"));
  MULTIHOOK_ASSIGN_OR_RETURN(std::string url, reader.RequiredString("url"));
  MULTIHOOK_ASSIGN_OR_RETURN(auto headers, reader.OptionalHeaders("headers"));
  return core::Destination{std::move(name), std::move(url), headers.value_or(core::Headers{})};
}

core::Result<std::vector<core::Destination>> DecodeDestinations(const ObjectReader& reader) {
  const Json* list = reader.Find("destinations");
  const std::string pointer = reader.PointerTo("destinations");
  if (!list->is_array()) return TypeError(pointer, "an array", *list);
  std::vector<core::Destination> out;
  out.reserve(list->size());
  for (std::size_t i = 0; i < list->size(); ++i) {
    MULTIHOOK_ASSIGN_OR_RETURN(
        core::Destination destination,
        DecodeDestination((*list)[i], pointer + "/" + std::to_string(i), reader.options()));
    out.push_back(std::move(destination));
  }
  return out;
}

}  // namespace

core::Result<core::EnableRequest> DecodeEnableRequest(std::string_view body,
                                                      const ReadOptions& options) {
  MULTIHOOK_ASSIGN_OR_RETURN(const Json json, ParseBody(body));
  MULTIHOOK_ASSIGN_OR_RETURN(const ObjectReader reader,
                             ObjectReader::Open(json, "", {"enabled", "destinations"}, options));
  MULTIHOOK_ASSIGN_OR_RETURN(const bool enabled, reader.RequiredBool("enabled"));
  core::EnableRequest request{enabled, std::nullopt};
  if (reader.Has("destinations")) {
    MULTIHOOK_ASSIGN_OR_RETURN(request.destinations, DecodeDestinations(reader));
  }
  return request;
}

core::Result<core::AppendRequest> DecodeAppendRequest(std::string_view body,
                                                      const ReadOptions& options) {
  MULTIHOOK_ASSIGN_OR_RETURN(const Json json, ParseBody(body));
  MULTIHOOK_ASSIGN_OR_RETURN(const ObjectReader reader,
                             ObjectReader::Open(json, "", {"destinations"}, options));
  if (!reader.Has("destinations")) return core::InvalidArgument("/destinations", "is required");
  MULTIHOOK_ASSIGN_OR_RETURN(auto destinations, DecodeDestinations(reader));
  return core::AppendRequest{std::move(destinations)};
}

core::Result<core::UpdateRequest> DecodeUpdateRequest(std::string_view body,
                                                      const ReadOptions& options) {
  MULTIHOOK_ASSIGN_OR_RETURN(const Json json, ParseBody(body));
  MULTIHOOK_ASSIGN_OR_RETURN(const ObjectReader reader,
                             ObjectReader::Open(json, "", {"name", "url", "headers"}, options));
  MULTIHOOK_ASSIGN_OR_RETURN(std::string name, reader.RequiredString("name"));
  MULTIHOOK_ASSIGN_OR_RETURN(auto url, reader.OptionalString("url"));
  MULTIHOOK_ASSIGN_OR_RETURN(auto headers, reader.OptionalHeaders("headers"));
  return core::UpdateRequest{std::move(name), std::move(url), std::move(headers)};
}

core::Result<core::PrimaryWebhook> DecodePrimaryWebhook(std::string_view body,
                                                        const ReadOptions& options) {
  MULTIHOOK_ASSIGN_OR_RETURN(const Json json, ParseBody(body));
  MULTIHOOK_ASSIGN_OR_RETURN(const ObjectReader reader,
                             ObjectReader::Open(json, "", {"url", "headers"}, options));
  MULTIHOOK_ASSIGN_OR_RETURN(std::string url, reader.RequiredString("url"));
  MULTIHOOK_ASSIGN_OR_RETURN(auto headers, reader.OptionalHeaders("headers"));
  return core::PrimaryWebhook{std::move(url), headers.value_or(core::Headers{})};
}

core::Result<core::ChannelSpec> DecodeChannelSpec(std::string_view body) {
  // An empty body means "generate everything".
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return core::ChannelSpec{};
  MULTIHOOK_ASSIGN_OR_RETURN(const Json json, ParseBody(body));
  MULTIHOOK_ASSIGN_OR_RETURN(
      const ObjectReader reader,
      ObjectReader::Open(json, "",
                         {"api_key", "phone_number_id", "display_phone_number", "waba_id"}));
  core::ChannelSpec spec;
  const std::pair<const char*, std::optional<std::string>*> fields[] = {
      {"api_key", &spec.api_key},
      {"phone_number_id", &spec.phone_number_id},
      {"display_phone_number", &spec.display_phone_number},
      {"waba_id", &spec.waba_id}};
  for (const auto& [key, target] : fields) {
    MULTIHOOK_ASSIGN_OR_RETURN(*target, reader.OptionalString(key));
  }
  return spec;
}

OrderedJson MultiWebhookJson(const core::MultiWebhookConfig& config) {
  OrderedJson destinations = OrderedJson::array();
  for (const auto& d : config.destinations) destinations.push_back(DestinationToJson(d));
  return OrderedJson{{"enabled", config.enabled}, {"destinations", std::move(destinations)}};
}

std::string EncodeMultiWebhook(const core::MultiWebhookConfig& config) {
  return ToText(MultiWebhookJson(config));
}

core::Result<core::MultiWebhookConfig> MultiWebhookFromJson(const Json& value,
                                                            const std::string& pointer) {
  MULTIHOOK_ASSIGN_OR_RETURN(const ObjectReader reader,
                             ObjectReader::Open(value, pointer, {"enabled", "destinations"}));
  core::MultiWebhookConfig config;
  MULTIHOOK_ASSIGN_OR_RETURN(config.enabled, reader.RequiredBool("enabled"));
  if (!reader.Has("destinations")) {
    return core::InvalidArgument(reader.PointerTo("destinations"), "is required");
  }
  MULTIHOOK_ASSIGN_OR_RETURN(config.destinations, DecodeDestinations(reader));
  return config;
}

OrderedJson PrimaryWebhookJson(const core::PrimaryWebhook& primary) {
  OrderedJson url = primary.url ? OrderedJson(*primary.url) : OrderedJson(nullptr);
  return OrderedJson{{"url", std::move(url)}, {"headers", HeadersToJson(primary.headers)}};
}

std::string EncodePrimaryWebhook(const core::PrimaryWebhook& primary) {
  return ToText(PrimaryWebhookJson(primary));
}

core::Result<core::PrimaryWebhook> PrimaryWebhookFromJson(const Json& value,
                                                          const std::string& pointer) {
  MULTIHOOK_ASSIGN_OR_RETURN(const ObjectReader reader,
                             ObjectReader::Open(value, pointer, {"url", "headers"}));
  const Json* url = reader.Find("url");
  if (url == nullptr) return core::InvalidArgument(reader.PointerTo("url"), "is required");
  if (!url->is_null() && !url->is_string()) {
    return TypeError(reader.PointerTo("url"), "a string or null", *url);
  }
  MULTIHOOK_ASSIGN_OR_RETURN(std::optional<core::Headers> headers,
                             reader.OptionalHeaders("headers"));
  if (!headers) return core::InvalidArgument(reader.PointerTo("headers"), "is required");
  core::PrimaryWebhook primary;
  if (url->is_string()) primary.url = url->get<std::string>();
  primary.headers = std::move(*headers);
  return primary;
}

std::string EncodeMessage(std::string_view message) { return ToText(Json{{"message", message}}); }

std::string EncodeError(const core::Status& status) {
  return ToText(Json{{"error", status.ToString()}});
}

std::string EncodeMetaError(const core::Status& status, int http_code) {
  const std::string detail =
      status.location().empty() ? status.reason() : status.location() + ": " + status.reason();
  return ToText(OrderedJson{{"meta",
                             {{"success", false},
                              {"http_code", http_code},
                              {"developer_message", status.ToString()},
                              {"details", OrderedJson::array({detail})}}}});
}

}  // namespace multihook::codec
