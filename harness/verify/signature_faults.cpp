#include "harness/verify/signature_faults.hpp"

#include <nlohmann/json.hpp>

#include "mock_server/codec/notification_codec.hpp"
#include "mock_server/codec/signature.hpp"
#include "mock_server/core/wire_names.hpp"

namespace multihook::harness {
namespace {

// The body-changed case signs a refund of kSigned and delivers one of kTampered: a forgery a
// receiver must not act on. Same length, so a receiver cannot tell by Content-Length alone.
constexpr std::string_view kSigned = "Please refund 10.00 EUR for order #4711.";
constexpr std::string_view kTampered = "Please refund 99.00 EUR for order #4711.";

core::Result<std::string> TextNotification(const core::ChannelIdentity& channel, core::WallTime now,
                                           core::IdSource& ids, std::string_view text) {
  const std::string request =
      nlohmann::json{{"message", {{"type", "text"}, {"text", {{"body", text}}}}}}.dump();
  auto built = codec::BuildInboundNotification(request, channel, now, ids);
  if (!built.ok()) {
    return core::Status(
        core::StatusCode::kInternal, built.status().location(),
        "the signature checks built a request the codec rejects: " + built.status().reason());
  }
  return std::move(built->body);
}

}  // namespace

const std::vector<std::string_view>& SignatureFaultNames() {
  static const std::vector<std::string_view> names = {"signature.wrong", "signature.body_changed",
                                                      "signature.missing"};
  return names;
}

core::Result<std::vector<SignatureFault>> BuildSignatureFaults(const core::ChannelIdentity& channel,
                                                               core::WallTime now,
                                                               core::IdSource& ids,
                                                               std::string_view secret) {
  const auto& names = SignatureFaultNames();
  std::vector<SignatureFault> faults;

  MULTIHOOK_ASSIGN_OR_RETURN(std::string wrong,
                             TextNotification(channel, now, ids, "Signed with another secret."));
  // Well-formed (64 lowercase hex digits), only made with a key that is not the receiver's.
  std::string wrong_signature = codec::SignatureHex("not-" + std::string(secret), wrong);
  faults.push_back({std::string(names[0]), "signed with a secret that is not the receiver's",
                    std::move(wrong), std::move(wrong_signature)});

  MULTIHOOK_ASSIGN_OR_RETURN(std::string original, TextNotification(channel, now, ids, kSigned));
  std::string signature = codec::SignatureHex(secret, original);
  std::string tampered = original;
  const std::size_t at = tampered.find(kSigned);
  if (at == std::string::npos) {
    return core::Status(core::StatusCode::kInternal, "",
                        "the signed text is not in the notification body");
  }
  tampered.replace(at, kSigned.size(), kTampered);
  faults.push_back({std::string(names[1]),
                    "the body changed after it was signed (the amount of a refund)",
                    std::move(tampered), std::move(signature)});

  MULTIHOOK_ASSIGN_OR_RETURN(std::string unsigned_body,
                             TextNotification(channel, now, ids, "Sent without a signature."));
  faults.push_back({std::string(names[2]), "no " + std::string(core::kSignatureHeader) + " header",
                    std::move(unsigned_body), std::nullopt});
  return faults;
}

}  // namespace multihook::harness
