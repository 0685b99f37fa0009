#include "mock_server/codec/cloud_api_errors.hpp"

#include <array>
#include <cstdint>
#include <utility>

namespace multihook::codec {
namespace {

struct ErrorText {
  std::int64_t code;
  const char* title;
  const char* details;
};

// Titles and details as the Cloud API's error-code reference words them.
constexpr std::array<ErrorText, 8> kKnownErrors = {{
    {130429, "Rate limit hit",
     "Message failed to send because there were too many messages sent from this phone number "
     "in a short period of time."},
    {131000, "Something went wrong", "Message failed to send due to an unknown error."},
    {kMessageUndeliverable, "Message undeliverable", "Message Undeliverable."},
    {131047, "Re-engagement message",
     "Message failed to send because more than 24 hours have passed since the customer last "
     "replied to this number."},
    {131048, "Spam rate limit hit",
     "Message failed to send because there are restrictions on how many messages can be sent "
     "from this phone number."},
    {kMessageTypeUnknown, "Message type unknown", "Message type is currently not supported."},
    {131053, "Media upload error", "Unable to upload the media used in the message."},
    {131056, "(Business Account, Consumer Account) pair rate limit hit",
     "Message failed to send because there were too many messages sent from this phone number "
     "to the same phone number in a short period of time."},
}};

OrderedJson ErrorJson(std::int64_t code, std::optional<std::string> title,
                      std::optional<std::string> message, std::optional<std::string> details) {
  std::string default_title = "Unknown error";
  std::string default_details = "Error code " + std::to_string(code) + ".";
  for (const ErrorText& known : kKnownErrors) {
    if (known.code == code) {
      default_title = known.title;
      default_details = known.details;
    }
  }
  std::string final_title = std::move(title).value_or(std::move(default_title));
  std::string final_message = std::move(message).value_or(final_title);
  return OrderedJson{{"code", code},
                     {"title", std::move(final_title)},
                     {"message", std::move(final_message)},
                     {"error_data", {{"details", std::move(details).value_or(default_details)}}}};
}

core::Result<std::int64_t> ReadCode(const ObjectReader& reader) {
  const Json* code = reader.Find("code");
  if (code == nullptr) return core::InvalidArgument(reader.PointerTo("code"), "is required");
  if (!code->is_number_integer()) return TypeError(reader.PointerTo("code"), "an integer", *code);
  if (code->is_number_unsigned() ? code->get<std::uint64_t>() > INT64_MAX
                                 : code->get<std::int64_t>() < 0) {
    return core::InvalidArgument(reader.PointerTo("code"), "must be a non-negative 64-bit integer");
  }
  return code->get<std::int64_t>();
}

core::Result<std::optional<std::string>> ReadDetails(const ObjectReader& reader) {
  const Json* data = reader.Find("error_data");
  if (data == nullptr) return std::optional<std::string>();
  MULTIHOOK_ASSIGN_OR_RETURN(
      const ObjectReader data_reader,
      ObjectReader::Open(*data, reader.PointerTo("error_data"), {"details"}));
  return data_reader.OptionalString("details");
}

}  // namespace

OrderedJson DefaultError(std::int64_t code) {
  return ErrorJson(code, std::nullopt, std::nullopt, std::nullopt);
}

core::Result<OrderedJson> ReadError(const Json& value, const std::string& pointer) {
  MULTIHOOK_ASSIGN_OR_RETURN(
      const ObjectReader reader,
      ObjectReader::Open(value, pointer, {"code", "title", "message", "error_data"}));
  MULTIHOOK_ASSIGN_OR_RETURN(const std::int64_t code, ReadCode(reader));
  MULTIHOOK_ASSIGN_OR_RETURN(std::optional<std::string> title, reader.OptionalString("title"));
  MULTIHOOK_ASSIGN_OR_RETURN(std::optional<std::string> message, reader.OptionalString("message"));
  MULTIHOOK_ASSIGN_OR_RETURN(std::optional<std::string> details, ReadDetails(reader));
  return ErrorJson(code, std::move(title), std::move(message), std::move(details));
}

core::Result<OrderedJson> ReadErrorList(const Json& value, const std::string& pointer) {
  if (!value.is_array()) return TypeError(pointer, "an array", value);
  if (value.empty()) return core::InvalidArgument(pointer, "must not be empty");
  OrderedJson out = OrderedJson::array();
  for (std::size_t i = 0; i < value.size(); ++i) {
    MULTIHOOK_ASSIGN_OR_RETURN(OrderedJson error,
                               ReadError(value[i], pointer + "/" + std::to_string(i)));
    out.push_back(std::move(error));
  }
  return out;
}

}  // namespace multihook::codec
