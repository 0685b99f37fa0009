#include "harness/cli/sample_command.hpp"

#include <charconv>
#include <chrono>
#include <string>

#include "harness/cli/run_command.hpp"
#include "mock_server/codec/notification_codec.hpp"
#include "mock_server/codec/signature.hpp"
#include "mock_server/core/clock.hpp"
#include "mock_server/core/id_source.hpp"
#include "mock_server/core/webhook_config.hpp"
#include "mock_server/core/webhook_rules.hpp"
#include "mock_server/core/wire_names.hpp"

namespace multihook::harness {
namespace {

using core::kSignatureHeader;
constexpr std::string_view kStatusPrefix = "status:";
constexpr std::string_view kListReplyVariant = "interactive:list_reply";

// The message objects of the `POST /mock/inbound` bodies, as the scenario library writes them
// (scenarios/message_types.json); the codec generates everything else (ids, media fields, ...).
// A type missing here is sent as {"type": TYPE} alone, which the codec accepts for media and
// `unsupported`; the tests build every codec type, so a new one without its fixture fails there.
struct Fixture {
  std::string_view type;
  std::string_view message;  // the JSON of `message`
};

constexpr Fixture kFixtures[] = {
    {"text", R"({"type": "text", "text": {"body": "Hi, I'd like to check my order"}})"},
    {"image", R"({"type": "image", "image": {"caption": "a cat"}})"},
    {"audio", R"({"type": "audio", "audio": {"voice": true}})"},
    {"video", R"({"type": "video", "video": {"caption": "a clip"}})"},
    {"document", R"({"type": "document", "document": {"filename": "invoice.pdf"}})"},
    {"sticker", R"({"type": "sticker", "sticker": {"animated": false}})"},
    {"location",
     R"({"type": "location", "location": {"latitude": 52.52, "longitude": 13.405, "name": "Berlin"}})"},
    {"contacts",
     R"({"type": "contacts", "contacts": [{"name": {"formatted_name": "John Smith", )"
     R"("first_name": "John", "last_name": "Smith"}, "phones": [{"phone": "+1 555 0100", )"
     R"("wa_id": "15550100", "type": "CELL"}]}]})"},
    {"interactive", R"({"type": "interactive", "interactive": {"type": "button_reply", )"
                    R"("button_reply": {"id": "yes", "title": "Yes"}}})"},
    {kListReplyVariant,
     R"({"type": "interactive", "interactive": {"type": "list_reply", )"
     R"("list_reply": {"id": "row-2", "title": "Second", "description": "The second row"}}})"},
    {"button", R"({"type": "button", "button": {"payload": "STOP", "text": "Stop"}})"},
    {"reaction",
     R"({"type": "reaction", "reaction": {"message_id": "wamid.abc", "emoji": "\ud83d\udc4d"}})"},
    {"unsupported", R"({"type": "unsupported"})"},
};

// The outgoing message a sample status is about.
constexpr std::string_view kOutgoingMessageId =
    "wamid.HBgLMTU1NTAxMDAxMjMVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA";
constexpr std::string_view kErrorBody = R"({"error": {"code": 130429}})";

constexpr char kUsage[] = R"(usage: multihook sample TYPE [OPTIONS]

Prints one notification exactly as the mock delivers it: the headers, a blank line, then the body
(on one line; the final newline is not part of the body). The same arguments print the same bytes.

Options:
  --secret S                sign the body: x-360dialog-signature = hex HMAC-SHA256(S, body)
  --curl URL                print the curl command that posts it to URL instead
  --channel PHONE_NUMBER_ID the channel's phone_number_id (default: generated from the seed)
  --seed N                  seed of the generated ids and channel (default 1)
  --timestamp SECONDS       the notification's Unix time (default 1767225600)
  -h, --help                this help

Types:
)";

bool IsMessageType(std::string_view type) {
  for (const std::string_view name : codec::InboundMessageTypeNames()) {
    if (name == type) return true;
  }
  return false;
}

// The `POST /mock/inbound` body for `type`, or empty when the type is unknown.
std::string InboundBody(std::string_view type) {
  if (type == "error") return std::string(kErrorBody);
  if (type.starts_with(kStatusPrefix)) {
    const std::string_view status = type.substr(kStatusPrefix.size());
    if (!codec::ParseMessageStatus(status)) return std::string();
    return R"({"status": {"id": ")" + std::string(kOutgoingMessageId) + R"(", "status": ")" +
           std::string(status) + R"("}})";
  }
  if (!IsMessageType(type) && type != kListReplyVariant) return std::string();
  for (const Fixture& fixture : kFixtures) {
    if (fixture.type == type) return R"({"message": )" + std::string(fixture.message) + "}";
  }
  return R"({"message": {"type": ")" + std::string(type) + R"("}})";
}

// The channel as `multihook-mock --seed N` generates one (ChannelStore::AddChannel).
core::ChannelIdentity SampleChannel(const SampleRequest& request) {
  core::IdSource ids(request.seed);
  core::ChannelIdentity channel;
  channel.api_key = "demo-key";
  channel.phone_number_id = ids.Digits(15);
  channel.display_phone_number = "+1 555 0" + ids.Digits(6);
  channel.waba_id = ids.Digits(15);
  if (request.phone_number_id) channel.phone_number_id = *request.phone_number_id;
  return channel;
}

template <typename Int>
bool ParseInt(std::string_view text, Int& out) {
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return !text.empty() && ec == std::errc() && ptr == end;
}

int Usage(std::ostream& err, const std::string& message) {
  err << "multihook sample: " << message << "\n(multihook sample --help lists the options)\n";
  return kExitUsage;
}

}  // namespace

std::vector<std::string> SampleTypes() {
  std::vector<std::string> types;
  for (const std::string_view name : codec::InboundMessageTypeNames()) {
    types.emplace_back(name);
    if (name == "interactive") types.emplace_back(kListReplyVariant);
  }
  for (const std::string_view status : codec::MessageStatusNames()) {
    types.push_back(std::string(kStatusPrefix) + std::string(status));
  }
  types.emplace_back("error");
  return types;
}

core::Result<Sample> BuildSample(const SampleRequest& request) {
  const std::string inbound = InboundBody(request.type);
  if (inbound.empty()) {
    return core::InvalidArgument(
        "TYPE", "unknown type '" + request.type + "' (multihook sample --help lists the types)");
  }
  if (request.phone_number_id) {
    core::ChannelSpec spec;
    spec.phone_number_id = *request.phone_number_id;
    if (core::Status s = core::CheckChannelSpec(spec); !s.ok()) {
      return core::InvalidArgument("--channel", s.reason());
    }
  }
  const core::ChannelIdentity channel = SampleChannel(request);
  // The mock draws notification ids from a source of its own, apart from the channel's.
  core::IdSource ids(request.seed ^ 0x6d756c7469686f6fULL);
  const core::WallTime at{std::chrono::seconds(request.timestamp)};
  MULTIHOOK_ASSIGN_OR_RETURN(auto built,
                             codec::BuildInboundNotification(inbound, channel, at, ids));
  Sample sample;
  sample.headers.emplace_back("Content-Type", "application/json");
  if (request.secret) {
    sample.headers.emplace_back(kSignatureHeader, codec::SignatureHex(*request.secret, built.body));
  }
  sample.body = std::move(built.body);
  return sample;
}

std::string ShellQuote(std::string_view text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'') {
      out += R"('\'')";
    } else {
      out += c;
    }
  }
  out += '\'';
  return out;
}

std::string CurlCommand(std::string_view url, const Sample& sample) {
  std::string command = "curl -sS -X POST " + ShellQuote(url);
  for (const auto& [name, value] : sample.headers) {
    std::string header = name;
    header.append(": ").append(value);
    command.append(" -H ").append(ShellQuote(header));
  }
  command += " --data-binary " + ShellQuote(sample.body);
  return command;
}

std::string SampleUsageText() {
  std::string text = kUsage;
  for (const std::string& type : SampleTypes()) text += "  " + type + "\n";
  return text;
}

int RunSampleCommand(const std::vector<std::string_view>& args, std::ostream& out,
                     std::ostream& err) {
  SampleRequest request;
  std::optional<std::string> curl_url;
  bool have_type = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (arg == "-h" || arg == "--help") {
      out << SampleUsageText();
      return kExitPassed;
    }
    if (!arg.starts_with("-")) {
      if (have_type) return Usage(err, "one TYPE only, got '" + std::string(arg) + "' as well");
      request.type = std::string(arg);
      have_type = true;
      continue;
    }
    // --name VALUE or --name=VALUE
    std::string_view name = arg;
    std::optional<std::string_view> value;
    if (const auto eq = arg.find('='); eq != std::string_view::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
    }
    if (name != "--secret" && name != "--curl" && name != "--channel" && name != "--seed" &&
        name != "--timestamp") {
      return Usage(err, "unknown option '" + std::string(arg) + "'");
    }
    if (!value) {
      if (i + 1 >= args.size()) return Usage(err, std::string(name) + " needs a value");
      value = args[++i];
    }
    if (name == "--secret") {
      request.secret = std::string(*value);
    } else if (name == "--curl") {
      if (!value->starts_with("http://") && !value->starts_with("https://")) {
        return Usage(err,
                     "--curl needs an http:// or https:// URL, got '" + std::string(*value) + "'");
      }
      curl_url = std::string(*value);
    } else if (name == "--channel") {
      request.phone_number_id = std::string(*value);
    } else if (name == "--seed") {
      if (!ParseInt(*value, request.seed)) {
        return Usage(err, "--seed needs an unsigned integer, got '" + std::string(*value) + "'");
      }
    } else if (!ParseInt(*value, request.timestamp) || request.timestamp < 0 ||
               request.timestamp > 99'999'999'999) {
      return Usage(err, "--timestamp needs Unix seconds, got '" + std::string(*value) + "'");
    }
  }
  if (!have_type) return Usage(err, "TYPE is required");
  auto sample = BuildSample(request);
  if (!sample.ok()) return Usage(err, sample.status().ToString());
  if (curl_url) {
    out << CurlCommand(*curl_url, *sample) << "\n";
    return kExitPassed;
  }
  for (const auto& [name, value] : sample->headers) out << name << ": " << value << "\n";
  out << "\n" << sample->body << "\n";
  return kExitPassed;
}

}  // namespace multihook::harness
