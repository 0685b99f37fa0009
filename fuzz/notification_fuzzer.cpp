// The notification codec (codec/notification_codec.hpp): POST /mock/inbound bodies and
// POST /messages bodies. Input: one selector byte then the body.
// Properties: no crash; an error has a reason and encodes in the {"error"} shape; a built
// notification is a JSON object (ASCII unless it is a {"payload"} given as is), the same bytes
// again from the same seed and time (the codec is deterministic), and survives decode -> encode
// -> decode: delivered again as a {"payload"} it keeps its keys, order and values, and that
// encoding is a fixed point.
#include <string>

#include "fuzz/fuzz_support.hpp"
#include "mock_server/codec/notification_codec.hpp"
#include "mock_server/codec/webhook_codec.hpp"

namespace {

namespace core = multihook::core;
namespace codec = multihook::codec;

constexpr std::uint64_t kSeed = 42;

core::ChannelIdentity Channel() {
  return {.api_key = "fuzz-key",
          .phone_number_id = "100000000000001",
          .display_phone_number = "15550000001",
          .waba_id = "200000000000001"};
}

void CheckError(const core::Status& status) {
  MULTIHOOK_FUZZ_CHECK(!status.reason().empty(), "an error without a reason");
  const std::string body = codec::EncodeError(status);
  MULTIHOOK_FUZZ_CHECK(multihook::fuzz::IsErrorShape(body), "not {\"error\"}: " + body);
}

bool IsAscii(std::string_view text) {
  for (const char c : text) {
    if (static_cast<unsigned char>(c) > 0x7f) return false;
  }
  return true;
}

// `body` delivered as a {"payload"}.
std::string Replay(const std::string& body) {
  core::IdSource ids(kSeed);
  const auto built = codec::BuildInboundNotification("{\"payload\":" + body + "}", Channel(),
                                                     core::WallTime{}, ids);
  MULTIHOOK_FUZZ_CHECK(built.ok(), "a notification refused as a payload: " +
                                       built.status().ToString() + " for " + body);
  return built->body;
}

void Inbound(std::string_view body) {
  const core::WallTime now{std::chrono::seconds(1'700'000'000)};
  core::IdSource ids(kSeed);
  const auto built = codec::BuildInboundNotification(body, Channel(), now, ids);
  if (!built.ok()) return CheckError(built.status());
  const std::string& out = built->body;
  const auto json = nlohmann::json::parse(out, nullptr, false);
  MULTIHOOK_FUZZ_CHECK(!json.is_discarded() && json.is_object(), "not a JSON object: " + out);
  // A {"payload"} is delivered as given (re-serialized; non-ASCII stays UTF-8); envelopes the
  // codec builds are ASCII like the Cloud API's.
  const auto input = nlohmann::json::parse(body, nullptr, false);
  const bool payload = input.is_object() && input.contains("payload");
  MULTIHOOK_FUZZ_CHECK(payload || IsAscii(out), "not ASCII: " + out);

  core::IdSource same_ids(kSeed);
  const auto again = codec::BuildInboundNotification(body, Channel(), now, same_ids);
  MULTIHOOK_FUZZ_CHECK(again.ok() && again->body == out && again->event_id == built->event_id,
                       "not deterministic for one seed and time: " + out);

  // decode -> encode -> decode: the envelope delivered again as a {"payload"} keeps every key, in
  // order, and every value; a payload's own encoding is a fixed point (byte for byte).
  const std::string replayed = Replay(out);
  MULTIHOOK_FUZZ_CHECK(
      nlohmann::ordered_json::parse(replayed) == nlohmann::ordered_json::parse(out),
      "payload round trip changed the JSON:\n  " + out + "\n  " + replayed);
  MULTIHOOK_FUZZ_CHECK(Replay(replayed) == replayed,
                       "payload encoding is not stable:\n  " + replayed);
}

void Send(std::string_view body) {
  core::IdSource ids(kSeed);
  const auto sent = codec::BuildMessageSendResponse(body, ids);
  if (!sent.ok()) return CheckError(sent.status());
  const auto json = nlohmann::json::parse(sent->response_body, nullptr, false);
  MULTIHOOK_FUZZ_CHECK(json.is_object(), "send answer not an object: " + sent->response_body);
  for (const std::string_view status : codec::MessageStatusNames()) {
    const std::string notification = codec::BuildStatusNotification(
        Channel(), sent->message_id, status, sent->to, core::WallTime{});
    MULTIHOOK_FUZZ_CHECK(nlohmann::json::accept(notification) && IsAscii(notification),
                         "status notification not ASCII JSON: " + notification);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view body = multihook::fuzz::AsText(data + 1, size - 1);
  if (data[0] % 2 == 0) {
    Inbound(body);
  } else {
    Send(body);
  }
  return 0;
}
