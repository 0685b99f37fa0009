#include "mock_server/codec/state_file_codec.hpp"

#include <array>
#include <utility>
#include <vector>

#include "mock_server/codec/json_reader.hpp"
#include "mock_server/codec/webhook_codec.hpp"

namespace multihook::codec {
namespace {

using OrderedJson = nlohmann::ordered_json;

// Unix microseconds and back, as the control API writes times.
long long ToUnixMicros(core::WallTime at) {
  return std::chrono::duration_cast<core::Micros>(at.time_since_epoch()).count();
}

core::WallTime FromUnixMicros(long long us) {
  return core::WallTime(std::chrono::duration_cast<core::WallTime::duration>(core::Micros(us)));
}

// Any instant a 64-bit count of nanoseconds (system_clock) can hold, in microseconds.
constexpr long long kMaxMicros = 9'000'000'000'000'000LL;

constexpr std::array<std::pair<std::string_view, core::ChannelOrigin>, 2> kOrigins{{
    {"startup", core::ChannelOrigin::kStartup},
    {"runtime", core::ChannelOrigin::kRuntime},
}};

std::string_view OriginName(core::ChannelOrigin origin) {
  for (const auto& [name, value] : kOrigins) {
    if (value == origin) return name;
  }
  return "runtime";
}

core::Result<core::ChannelOrigin> OriginFrom(const ObjectReader& reader) {
  MULTIHOOK_ASSIGN_OR_RETURN(const std::string name, reader.RequiredString("origin"));
  for (const auto& [known, value] : kOrigins) {
    if (name == known) return value;
  }
  return core::InvalidArgument(reader.PointerTo("origin"),
                               "expected startup or runtime, got '" + name + "'");
}

OrderedJson ChannelJson(const core::ChannelState& channel) {
  OrderedJson pending = OrderedJson::array();
  for (const core::PendingConfig& p : channel.pending) {
    pending.push_back(OrderedJson{{"due_at_us", ToUnixMicros(p.due_at)},
                                  {"multi_webhook", MultiWebhookJson(p.config)}});
  }
  const core::ChannelIdentity& id = channel.identity;
  return OrderedJson{{"api_key", id.api_key},
                     {"phone_number_id", id.phone_number_id},
                     {"display_phone_number", id.display_phone_number},
                     {"waba_id", id.waba_id},
                     {"origin", OriginName(channel.origin)},
                     {"main_webhook", PrimaryWebhookJson(channel.primary)},
                     {"multi_webhook", MultiWebhookJson(channel.applied)},
                     {"pending", std::move(pending)}};
}

// The array at `key` of `reader`, each element through `decode(element, pointer)`.
template <typename T, typename Decode>
core::Result<std::vector<T>> ArrayOf(const ObjectReader& reader, std::string_view key,
                                     Decode decode) {
  const Json* list = reader.Find(key);
  const std::string pointer = reader.PointerTo(key);
  if (list == nullptr) return core::InvalidArgument(pointer, "is required");
  if (!list->is_array()) return TypeError(pointer, "an array", *list);
  std::vector<T> out;
  for (std::size_t i = 0; i < list->size(); ++i) {
    MULTIHOOK_ASSIGN_OR_RETURN(T item, decode((*list)[i], pointer + "/" + std::to_string(i)));
    out.push_back(std::move(item));
  }
  return out;
}

// A member that must be there, for the nested objects' own decoders.
core::Result<const Json*> Member(const ObjectReader& reader, std::string_view key) {
  const Json* value = reader.Find(key);
  if (value == nullptr) return core::InvalidArgument(reader.PointerTo(key), "is required");
  return value;
}

core::Result<core::PendingConfig> PendingFrom(const Json& json, const std::string& pointer) {
  MULTIHOOK_ASSIGN_OR_RETURN(const ObjectReader r,
                             ObjectReader::Open(json, pointer, {"due_at_us", "multi_webhook"}));
  core::PendingConfig pending;
  MULTIHOOK_ASSIGN_OR_RETURN(const long long due, r.RequiredInteger("due_at_us", 0, kMaxMicros));
  pending.due_at = FromUnixMicros(due);
  MULTIHOOK_ASSIGN_OR_RETURN(const Json* config, Member(r, "multi_webhook"));
  MULTIHOOK_ASSIGN_OR_RETURN(pending.config,
                             MultiWebhookFromJson(*config, r.PointerTo("multi_webhook")));
  return pending;
}

core::Result<core::ChannelState> ChannelFrom(const Json& json, const std::string& pointer) {
  MULTIHOOK_ASSIGN_OR_RETURN(
      const ObjectReader r,
      ObjectReader::Open(json, pointer,
                         {"api_key", "phone_number_id", "display_phone_number", "waba_id", "origin",
                          "main_webhook", "multi_webhook", "pending"}));
  core::ChannelState channel;
  core::ChannelIdentity& id = channel.identity;
  MULTIHOOK_ASSIGN_OR_RETURN(id.api_key, r.RequiredString("api_key"));
  MULTIHOOK_ASSIGN_OR_RETURN(id.phone_number_id, r.RequiredString("phone_number_id"));
  MULTIHOOK_ASSIGN_OR_RETURN(id.display_phone_number, r.RequiredString("display_phone_number"));
  MULTIHOOK_ASSIGN_OR_RETURN(id.waba_id, r.RequiredString("waba_id"));
  MULTIHOOK_ASSIGN_OR_RETURN(channel.origin, OriginFrom(r));
  MULTIHOOK_ASSIGN_OR_RETURN(const Json* primary, Member(r, "main_webhook"));
  MULTIHOOK_ASSIGN_OR_RETURN(channel.primary,
                             PrimaryWebhookFromJson(*primary, r.PointerTo("main_webhook")));
  MULTIHOOK_ASSIGN_OR_RETURN(const Json* applied, Member(r, "multi_webhook"));
  MULTIHOOK_ASSIGN_OR_RETURN(channel.applied,
                             MultiWebhookFromJson(*applied, r.PointerTo("multi_webhook")));
  MULTIHOOK_ASSIGN_OR_RETURN(channel.pending,
                             ArrayOf<core::PendingConfig>(r, "pending", PendingFrom));
  for (std::size_t i = 1; i < channel.pending.size(); ++i) {
    if (channel.pending[i].due_at < channel.pending[i - 1].due_at) {
      return core::InvalidArgument(r.PointerTo("pending") + "/" + std::to_string(i) + "/due_at_us",
                                   "is before the due time of the change before it");
    }
  }
  return channel;
}

// "format" and "version" first, so that another file or a later version is named as such rather
// than reported as an unknown key.
core::Status CheckFormat(const Json& json) {
  if (!json.is_object()) return TypeError("", "an object", json);
  const auto format = json.find("format");
  if (format == json.end() || !format->is_string() ||
      format->get<std::string>() != kStateFileFormat) {
    return core::InvalidArgument("/format", "not a multihook-mock state file (expected \"" +
                                                std::string(kStateFileFormat) + "\")");
  }
  const auto version = json.find("version");
  if (version == json.end() || !version->is_number_integer() ||
      version->get<long long>() != kStateFileVersion) {
    const std::string got = version == json.end() ? "none" : ToText(*version);
    return core::InvalidArgument("/version", "unsupported state file version " + got +
                                                 " (this mock reads version " +
                                                 std::to_string(kStateFileVersion) + ")");
  }
  return core::Status::Ok();
}

}  // namespace

std::string EncodeStateFile(const core::StoreState& state) {
  OrderedJson channels = OrderedJson::array();
  for (const core::ChannelState& channel : state.channels) channels.push_back(ChannelJson(channel));
  return ToText(OrderedJson{{"format", kStateFileFormat},
                            {"version", kStateFileVersion},
                            {"saved_at_us", ToUnixMicros(state.saved_at)},
                            {"channels", std::move(channels)}}) +
         "\n";
}

core::Result<core::StoreState> DecodeStateFile(std::string_view text) {
  core::Result<Json> parsed = ParseBody(text);
  if (!parsed.ok()) {
    // ParseBody speaks of a request body; here it is a file.
    std::string reason = parsed.status().reason();
    if (reason.rfind("request body ", 0) == 0) reason.replace(0, 12, "the file");
    return core::InvalidArgument(parsed.status().location(), std::move(reason));
  }
  const Json& json = *parsed;
  MULTIHOOK_RETURN_IF_ERROR(CheckFormat(json));
  MULTIHOOK_ASSIGN_OR_RETURN(
      const ObjectReader r,
      ObjectReader::Open(json, "", {"format", "version", "saved_at_us", "channels"}));
  core::StoreState state;
  MULTIHOOK_ASSIGN_OR_RETURN(const long long saved,
                             r.RequiredInteger("saved_at_us", 0, kMaxMicros));
  state.saved_at = FromUnixMicros(saved);
  MULTIHOOK_ASSIGN_OR_RETURN(state.channels,
                             ArrayOf<core::ChannelState>(r, "channels", ChannelFrom));
  return state;
}

}  // namespace multihook::codec
