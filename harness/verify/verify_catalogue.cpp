#include "harness/verify/verify_catalogue.hpp"

#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>

#include "mock_server/codec/notification_codec.hpp"

namespace multihook::harness {
namespace {

using Json = nlohmann::ordered_json;
using codec::MessageStatus;

std::string Wamid(core::IdSource& ids) { return "wamid." + ids.Hex(48); }

// The display number without '+' and spaces: what `context.from` carries for our own messages.
std::string BusinessWaId(const core::ChannelIdentity& channel) {
  std::string digits;
  for (const char c : channel.display_phone_number) {
    if (c >= '0' && c <= '9') digits += c;
  }
  return digits.substr(0, 15);
}

// Everything a case builder needs.
struct Context {
  const core::ChannelIdentity& channel;
  core::WallTime now;
  core::IdSource& ids;

  core::Result<std::string> Inbound(const Json& request) const {
    auto built = codec::BuildInboundNotification(request.dump(), channel, now, ids);
    if (!built.ok()) {
      return core::Status(
          core::StatusCode::kInternal, built.status().location(),
          "the catalogue built a request the codec rejects: " + built.status().reason());
    }
    return std::move(built->body);
  }
  core::Result<std::string> Message(Json message) const {
    return Inbound(Json{{"message", std::move(message)}});
  }
  Json ReplyTo() const { return Json{{"from", BusinessWaId(channel)}, {"id", Wamid(ids)}}; }
  std::string Status(MessageStatus status) const {
    return codec::BuildStatusNotification(channel, Wamid(ids), status, ids.Digits(12), now);
  }
};

using Builder = std::function<core::Result<std::vector<std::string>>(const Context&)>;

struct CaseSpec {
  std::string_view name;
  std::string_view description;
  Builder build;
};

// One body from a Result<std::string>.
core::Result<std::vector<std::string>> One(core::Result<std::string> body) {
  MULTIHOOK_ASSIGN_OR_RETURN(std::string text, std::move(body));
  return std::vector<std::string>{std::move(text)};
}

Builder MessageCase(Json message) {
  return [message = std::move(message)](const Context& c) { return One(c.Message(message)); };
}

Builder MediaCase(std::string type, Json object) {
  return [type = std::move(type), object = std::move(object)](const Context& c) {
    Json message{{"type", type}};
    if (!object.empty()) message[type] = object;
    return One(c.Message(std::move(message)));
  };
}

Builder StatusCase(MessageStatus status) {
  return [status](const Context& c) { return One(c.Status(status)); };
}

// A text message whose whole envelope is exactly kLargePayloadBytes long.
core::Result<std::vector<std::string>> LargePayload(const Context& c) {
  const std::string from = c.ids.Digits(12);
  const std::string id = Wamid(c.ids);
  const auto build = [&](std::string text) {
    // Everything else that could vary in length between the probe and the real build is fixed.
    return c.Message(Json{{"type", "text"},
                          {"from", from},
                          {"id", id},
                          {"profile_name", "Bulk Order Desk"},
                          {"text", {{"body", std::move(text)}}}});
  };
  MULTIHOOK_ASSIGN_OR_RETURN(const std::string probe, build("x"));
  const std::size_t overhead = probe.size() - 1;
  static constexpr std::string_view kLine = "A long order list, line after line (3 MB payload). ";
  std::string text;
  text.reserve(kLargePayloadBytes - overhead);
  while (text.size() < kLargePayloadBytes - overhead) text += kLine;
  text.resize(kLargePayloadBytes - overhead);
  auto body = build(std::move(text));
  if (body.ok() && body->size() != kLargePayloadBytes) {
    return core::Status(core::StatusCode::kInternal, "",
                        "the large payload is " + std::to_string(body->size()) + " bytes, not " +
                            std::to_string(kLargePayloadBytes));
  }
  return One(std::move(body));
}

// The catalogue by group, in the order cases run and are listed.
std::vector<CaseSpec> TextAndMediaSpecs() {
  return {
      {"message.text", "inbound text message",
       MessageCase({{"type", "text"}, {"text", {{"body", "Hi! Where is my order #4711?"}}}})},
      {"message.text_unicode", "inbound text with emoji, CJK, RTL, combining marks and escapes",
       MessageCase(
           {{"type", "text"},
            {"profile_name", "Zoë Ñúñez 🌻"},
            {"text",
             {{"body",
               "Olá! Grüße 👋🏽 👨‍👩‍👧 こんにちは 你好 مرحبا "
               "שלום "
               "e\u0301 "
               "\"quoted\" back\\slash\ttab\nnew line \U0001F600"}}}})},
      {"message.text_reply", "inbound text replying to a business message (context)",
       [](const Context& c) {
         return One(c.Message(
             {{"type", "text"}, {"context", c.ReplyTo()}, {"text", {{"body", "Yes, that one."}}}}));
       }},
      {"message.image", "inbound image with caption", MediaCase("image", {{"caption", "Receipt"}})},
      {"message.audio", "inbound voice note", MediaCase("audio", {{"voice", true}})},
      {"message.video", "inbound video with caption",
       MediaCase("video", {{"caption", "Unboxing"}})},
      {"message.document", "inbound PDF document",
       MediaCase("document", {{"caption", "Invoice"},
                              {"filename", "invoice-4711.pdf"},
                              {"mime_type", "application/pdf"}})},
      {"message.sticker", "inbound animated sticker", MediaCase("sticker", {{"animated", true}})},
      {"message.location", "inbound location with name and address",
       MessageCase({{"type", "location"},
                    {"location",
                     {{"latitude", 52.516275},
                      {"longitude", 13.377704},
                      {"name", "Brandenburger Tor"},
                      {"address", "Pariser Platz, 10117 Berlin"}}}})},
      {"message.contacts", "inbound shared contact card",
       MessageCase(
           {{"type", "contacts"},
            {"contacts", Json::array({{{"name",
                                        {{"formatted_name", "Ada Lovelace"},
                                         {"first_name", "Ada"},
                                         {"last_name", "Lovelace"}}},
                                       {"phones", Json::array({{{"phone", "+44 20 7946 0000"},
                                                                {"type", "CELL"},
                                                                {"wa_id", "442079460000"}}})},
                                       {"emails", Json::array({{{"email", "ada@example.com"},
                                                                {"type", "WORK"}}})}}})}})},
  };
}

std::vector<CaseSpec> AnswerSpecs() {
  return {
      {"message.interactive_button_reply", "inbound reply-button answer",
       [](const Context& c) {
         return One(
             c.Message({{"type", "interactive"},
                        {"context", c.ReplyTo()},
                        {"interactive",
                         {{"type", "button_reply"},
                          {"button_reply", {{"id", "confirm-4711"}, {"title", "Confirm"}}}}}}));
       }},
      {"message.interactive_list_reply", "inbound list-row answer",
       [](const Context& c) {
         return One(c.Message({{"type", "interactive"},
                               {"context", c.ReplyTo()},
                               {"interactive",
                                {{"type", "list_reply"},
                                 {"list_reply",
                                  {{"id", "slot-0900"},
                                   {"title", "09:00"},
                                   {"description", "Tomorrow morning"}}}}}}));
       }},
      {"message.button", "inbound template quick-reply button",
       [](const Context& c) {
         return One(c.Message(
             {{"type", "button"},
              {"context", c.ReplyTo()},
              {"button", {{"payload", "STOP_PROMOTIONS"}, {"text", "Stop promotions"}}}}));
       }},
      {"message.reaction", "inbound reaction to a business message",
       [](const Context& c) {
         return One(c.Message(
             {{"type", "reaction"}, {"reaction", {{"message_id", Wamid(c.ids)}, {"emoji", "👍"}}}}));
       }},
      {"message.unsupported", "inbound message of a type the API does not support (with errors)",
       MessageCase({{"type", "unsupported"}})},
  };
}

std::vector<CaseSpec> StatusAndDeliverySpecs() {
  return {
      {"status.sent", "status sent (with conversation and pricing)",
       StatusCase(MessageStatus::kSent)},
      {"status.delivered", "status delivered", StatusCase(MessageStatus::kDelivered)},
      {"status.read", "status read", StatusCase(MessageStatus::kRead)},
      {"status.failed", "status failed with error 131026 (message undeliverable)",
       StatusCase(MessageStatus::kFailed)},
      {"status.failed_reengagement", "status failed with error 131047 (re-engagement window)",
       [](const Context& c) {
         return One(c.Inbound({{"status",
                                {{"id", Wamid(c.ids)},
                                 {"status", "failed"},
                                 {"errors", Json::array({{{"code", 131047}}})}}}}));
       }},
      {"error.rate_limit", "out-of-band error 130429 (rate limit hit)",
       [](const Context& c) {
         return One(c.Inbound({{"error", {{"code", 130429}}}}));
       }},
      {"payload.3mb", "a 3 MB notification (the platform's largest payload)", LargePayload},
      {"delivery.duplicate", "the same notification delivered twice (receivers must be idempotent)",
       [](const Context& c) -> core::Result<std::vector<std::string>> {
         MULTIHOOK_ASSIGN_OR_RETURN(
             std::string body,
             c.Message({{"type", "text"}, {"text", {{"body", "Delivered twice."}}}}));
         return std::vector<std::string>{body, body};
       }},
  };
}

const std::vector<CaseSpec>& Specs() {
  static const std::vector<CaseSpec> specs = [] {
    std::vector<CaseSpec> all;
    for (auto group : {TextAndMediaSpecs, AnswerSpecs, StatusAndDeliverySpecs}) {
      for (CaseSpec& spec : group()) all.push_back(std::move(spec));
    }
    return all;
  }();
  return specs;
}

}  // namespace

const std::vector<std::string_view>& CatalogueCaseNames() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> all;
    for (const CaseSpec& spec : Specs()) all.push_back(spec.name);
    return all;
  }();
  return names;
}

core::ChannelIdentity VerifyChannel(core::IdSource& ids) {
  core::ChannelIdentity channel;
  channel.api_key = ids.Hex(32);
  channel.phone_number_id = ids.Digits(15);
  channel.display_phone_number = "+1 555 0" + ids.Digits(6);
  channel.waba_id = ids.Digits(15);
  return channel;
}

core::Result<std::vector<VerifyCase>> BuildCatalogue(const core::ChannelIdentity& channel,
                                                     core::WallTime now, core::IdSource& ids,
                                                     const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    const auto& all = CatalogueCaseNames();
    if (std::find(all.begin(), all.end(), name) == all.end()) {
      return core::InvalidArgument("--case", "unknown case '" + name + "' (see --list-cases)");
    }
  }
  const Context context{channel, now, ids};
  std::vector<VerifyCase> cases;
  for (const CaseSpec& spec : Specs()) {
    if (!names.empty() && std::find(names.begin(), names.end(), spec.name) == names.end()) {
      continue;
    }
    auto bodies = spec.build(context);
    if (!bodies.ok()) return bodies.status().WithLocationPrefix(std::string(spec.name) + " ");
    cases.push_back(
        VerifyCase{std::string(spec.name), std::string(spec.description), std::move(*bodies)});
  }
  return cases;
}

core::Result<std::string> LoadBodySource::Body(std::uint64_t slot, core::WallTime now) {
  static constexpr MessageStatus kStatuses[] = {MessageStatus::kSent, MessageStatus::kDelivered,
                                                MessageStatus::kRead};
  const std::uint64_t kind = slot % 4;
  if (kind == 0) {
    const std::string request =
        Json{{"message",
              {{"type", "text"}, {"text", {{"body", "Load message " + std::to_string(slot)}}}}}}
            .dump();
    auto built = codec::BuildInboundNotification(request, channel_, now, ids_);
    if (!built.ok()) {
      return core::Status(core::StatusCode::kInternal, built.status().location(),
                          "the load built a request the codec rejects: " + built.status().reason());
    }
    return std::move(built->body);
  }
  if (kind == 1 || message_id_.empty()) {
    message_id_ = Wamid(ids_);
    recipient_id_ = ids_.Digits(12);
  }
  return codec::BuildStatusNotification(channel_, message_id_, kStatuses[kind - 1], recipient_id_,
                                        now);
}

}  // namespace multihook::harness
