// `multihook sample`: every type prints a Cloud API envelope whose signature verifies, output is
// reproducible, bad input exits 2 with a reason. The curl output is run for real by
// sample_curl_test.sh.
#include "harness/cli/sample_command.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "harness/cli/run_command.hpp"
#include "mock_server/codec/notification_codec.hpp"

namespace multihook::harness {
namespace {

using nlohmann::json;

struct Output {
  int code;
  std::string out;
  std::string err;
};

Output Run(std::vector<std::string_view> args) {
  std::ostringstream out;
  std::ostringstream err;
  const int code = RunSampleCommand(args, out, err);
  return {code, out.str(), err.str()};
}

// Headers and body of the printed notification.
struct Printed {
  std::vector<std::string> header_lines;
  std::string body;
};

Printed Split(const std::string& text) {
  Printed printed;
  const auto blank = text.find("\n\n");
  REQUIRE(blank != std::string::npos);
  std::istringstream headers(text.substr(0, blank));
  for (std::string line; std::getline(headers, line);) printed.header_lines.push_back(line);
  REQUIRE(text.back() == '\n');
  printed.body = text.substr(blank + 2, text.size() - blank - 3);
  return printed;
}

// HMAC-SHA256 computed here, apart from codec::SignatureHex, so a wrong signer cannot agree
// with itself.
std::string ReferenceHmacHex(const std::string& key, const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &length);
  std::string hex;
  static constexpr char kHex[] = "0123456789abcdef";
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xf];
  }
  return hex;
}

TEST_CASE("every sample type is a signed Cloud API envelope", "[harness][sample]") {
  const std::string secret = "partner secret with spaces & 'quotes'";
  const std::vector<std::string> types = SampleTypes();
  REQUIRE(types.size() == codec::InboundMessageTypeNames().size() + 1 + 4 + 1);
  for (const std::string& type : types) {
    CAPTURE(type);
    const Output output = Run({type, "--secret", secret});
    REQUIRE(output.code == kExitPassed);
    CHECK(output.err.empty());
    const Printed printed = Split(output.out);
    REQUIRE(printed.header_lines.size() == 2);
    CHECK(printed.header_lines[0] == "Content-Type: application/json");
    CHECK(printed.header_lines[1] ==
          "x-360dialog-signature: " + ReferenceHmacHex(secret, printed.body));

    const json body = json::parse(printed.body);
    CHECK(body.at("object") == "whatsapp_business_account");
    REQUIRE(body.at("entry").size() == 1);
    CHECK(body.at("entry")[0].at("id").get<std::string>().size() == 15);
    const json& change = body.at("entry")[0].at("changes").at(0);
    CHECK(change.at("field") == "messages");
    const json& value = change.at("value");
    CHECK(value.at("messaging_product") == "whatsapp");
    CHECK(value.at("metadata").at("phone_number_id").is_string());
    CHECK(value.at("metadata").at("display_phone_number").is_string());
    if (type == "error") {
      CHECK(value.at("errors").at(0).at("code") == 130429);
    } else if (type.starts_with("status:")) {
      const json& status = value.at("statuses").at(0);
      CHECK(status.at("status") == type.substr(7));
      CHECK(status.at("timestamp") == "1767225600");
      CHECK(status.at("id").get<std::string>().starts_with("wamid."));
    } else {
      const json& message = value.at("messages").at(0);
      const std::string message_type = type.substr(0, type.find(':'));
      CHECK(message.at("type") == message_type);
      CHECK(message.at("id").get<std::string>().starts_with("wamid."));
      CHECK(message.at("timestamp") == "1767225600");
      CHECK(value.at("contacts").at(0).at("wa_id") == message.at("from"));
      if (message_type != "unsupported") CHECK(message.contains(message_type));
    }
  }
}

TEST_CASE("sample help lists the codec's own types and statuses", "[harness][sample]") {
  const Output output = Run({"--help"});
  REQUIRE(output.code == kExitPassed);
  for (const std::string_view type : codec::InboundMessageTypeNames()) {
    CHECK_THAT(output.out, Catch::Contains("\n  " + std::string(type) + "\n"));
  }
  for (const std::string_view status : codec::MessageStatusNames()) {
    CHECK_THAT(output.out, Catch::Contains("\n  status:" + std::string(status) + "\n"));
  }
  CHECK_THAT(output.out, Catch::Contains("\n  error\n"));
}

TEST_CASE("sample output is reproducible and follows its options", "[harness][sample]") {
  const Output first = Run({"image", "--secret", "s"});
  const Output again = Run({"image", "--secret=s"});
  REQUIRE(first.code == kExitPassed);
  CHECK(first.out == again.out);

  const Output other_seed = Run({"image", "--secret", "s", "--seed", "2"});
  REQUIRE(other_seed.code == kExitPassed);
  CHECK(other_seed.out != first.out);

  const Output channel = Run({"text", "--channel", "1234567890", "--timestamp", "1700000000"});
  REQUIRE(channel.code == kExitPassed);
  const Printed printed = Split(channel.out);
  CHECK(printed.header_lines == std::vector<std::string>{"Content-Type: application/json"});
  const json value = json::parse(printed.body).at("entry")[0].at("changes")[0].at("value");
  CHECK(value.at("metadata").at("phone_number_id") == "1234567890");
  CHECK(value.at("messages")[0].at("timestamp") == "1700000000");
}

TEST_CASE("sample curl output quotes every argument", "[harness][sample]") {
  CHECK(ShellQuote("plain") == "'plain'");
  CHECK(ShellQuote("it's") == R"('it'\''s')");
  CHECK(ShellQuote("") == "''");
  CHECK(ShellQuote("$(rm -rf /) `x` \"y\" \\") == "'$(rm -rf /) `x` \"y\" \\'");

  const Output output = Run({"text", "--secret", "s", "--curl", "http://127.0.0.1:9/hook?a=1&b=2"});
  REQUIRE(output.code == kExitPassed);
  CHECK(
      output.out.starts_with("curl -sS -X POST 'http://127.0.0.1:9/hook?a=1&b=2' "
                             "-H 'Content-Type: application/json' -H 'x-360dialog-signature: "));
  // The text fixture has an apostrophe: the body's quote is closed, escaped and reopened.
  CHECK_THAT(output.out, Catch::Contains(R"(Hi, I'\''d like)"));
  CHECK(output.out.find('\n') == output.out.size() - 1);
}

TEST_CASE("sample rejects bad input with exit 2 and a reason", "[harness][sample]") {
  const std::vector<std::pair<std::vector<std::string_view>, std::string>> cases = {
      {{}, "TYPE is required"},
      {{"nope"}, "unknown type 'nope'"},
      {{"status:bogus"}, "unknown type 'status:bogus'"},
      {{"text", "image"}, "one TYPE only"},
      {{"text", "--bogus"}, "unknown option '--bogus'"},
      {{"text", "--secret"}, "--secret needs a value"},
      {{"text", "--seed", "-1"}, "--seed needs an unsigned integer"},
      {{"text", "--timestamp", "soon"}, "--timestamp needs Unix seconds"},
      {{"text", "--curl", "ftp://x"}, "--curl needs an http:// or https:// URL"},
      {{"text", "--channel", "12ab"}, "invalid_argument at --channel: must be 1 to 20 digits"},
  };
  for (const auto& [args, reason] : cases) {
    CAPTURE(reason);
    const Output output = Run(args);
    CHECK(output.code == kExitUsage);
    CHECK(output.out.empty());
    CHECK_THAT(output.err, Catch::Contains(reason));
  }
}

}  // namespace
}  // namespace multihook::harness
