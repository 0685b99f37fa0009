#include "harness/mock_client.hpp"

#include <utility>

#include "mock_server/codec/json_reader.hpp"
#include "mock_server/core/wire_names.hpp"

namespace multihook::harness {
std::string Preview(std::string_view text);

namespace {

namespace control = codec::control;

constexpr std::size_t kBodyPreview = 240;
constexpr char kJson[] = "application/json";
constexpr int kAny2xx = 0;

core::StatusCode CodeOf(int http_status) {
  switch (http_status) {
    case 400:
      return core::StatusCode::kInvalidArgument;
    case 401:
      return core::StatusCode::kUnauthenticated;
    case 404:
      return core::StatusCode::kNotFound;
    case 409:
      return core::StatusCode::kAlreadyExists;
    case 413:
      return core::StatusCode::kPayloadTooLarge;
    case 429:
      return core::StatusCode::kResourceExhausted;
    default:
      return core::StatusCode::kInternal;
  }
}

// Decodes a successful answer's body; a body that does not decode names the call.
template <typename DecodeFn>
auto Decoded(const core::Result<HttpAnswer>& answer, std::string_view what, DecodeFn decode)
    -> decltype(decode(std::string_view())) {
  MULTIHOOK_RETURN_IF_ERROR(answer.status());
  auto decoded = decode(answer->body);
  if (decoded.ok()) return decoded;
  return core::Status(decoded.status().code(), "",
                      std::string(what) + " answered an unexpected body (" +
                          decoded.status().ToString() + "): " + Preview(answer->body));
}

}  // namespace

std::string Preview(std::string_view text) {
  if (text.size() <= kBodyPreview) return std::string(text);
  return std::string(text.substr(0, kBodyPreview)) + "... (" + std::to_string(text.size()) +
         " bytes)";
}

std::string AnswerText(const HttpAnswer& answer) {
  return std::to_string(answer.status) + " " + Preview(answer.body);
}

MockClient::MockClient(const std::string& base_url, MockClientOptions options)
    : base_url_(base_url), client_(std::make_unique<httplib::Client>(base_url)) {
  client_->set_keep_alive(true);
  client_->set_tcp_nodelay(true);
  client_->set_connection_timeout(options.connect_timeout);
  client_->set_read_timeout(options.read_timeout);
  client_->set_write_timeout(options.write_timeout);
}

MockClient::~MockClient() = default;
MockClient::MockClient(MockClient&&) noexcept = default;
MockClient& MockClient::operator=(MockClient&&) noexcept = default;

core::Result<HttpAnswer> MockClient::Send(std::string_view method, const std::string& path,
                                          const std::string& body,
                                          const std::optional<std::string>& api_key) {
  httplib::Headers headers;
  if (api_key && !api_key->empty()) headers.emplace(std::string(core::kApiKeyHeader), *api_key);
  httplib::Result res = [&] {
    if (method == "GET") return client_->Get(path, headers);
    if (method == "POST") return client_->Post(path, headers, body, kJson);
    if (method == "PUT") return client_->Put(path, headers, body, kJson);
    if (method == "PATCH") return client_->Patch(path, headers, body, kJson);
    return client_->Delete(path, headers, body, kJson);
  }();
  if (!res) {
    return core::Status(core::StatusCode::kInternal, "",
                        "no answer (" + httplib::to_string(res.error()) + ")");
  }
  return HttpAnswer{res->status, std::move(res->body), std::move(res->headers)};
}

core::Result<HttpAnswer> MockClient::Expect(int expected, std::string_view method,
                                            const std::string& path, const std::string& body,
                                            const std::optional<std::string>& api_key) {
  MULTIHOOK_ASSIGN_OR_RETURN(HttpAnswer answer, Send(method, path, body, api_key));
  const bool ok = expected == kAny2xx ? answer.status >= 200 && answer.status <= 299
                                      : answer.status == expected;
  if (!ok) return core::Status(CodeOf(answer.status), "", AnswerText(answer));
  return answer;
}

core::Result<control::JournalPage> MockClient::Deliveries(const DeliveryQuery& query) {
  return WaitDeliveries(query, 0, std::chrono::milliseconds(-1));
}

core::Result<control::JournalPage> MockClient::WaitDeliveries(const DeliveryQuery& query,
                                                              std::size_t min_count,
                                                              std::chrono::milliseconds timeout) {
  std::string path = "/mock/deliveries";
  std::string sep = "?";
  const auto param = [&](const char* name, const std::string& value) {
    path += sep + name + "=" + httplib::detail::encode_query_param(value);
    sep = "&";
  };
  if (timeout.count() >= 0) {
    param("min_count", std::to_string(min_count));
    param("timeout_ms", std::to_string(timeout.count()));
  }
  if (query.event_id) param("event_id", *query.event_id);
  if (query.destination) param("destination", *query.destination);
  return Decoded(Expect(200, "GET", path), "GET /mock/deliveries", control::DecodeJournalPage);
}

core::Result<control::Event> MockClient::GetEvent(const std::string& event_id) {
  const std::string path = "/mock/events/" + event_id;
  return Decoded(Expect(200, "GET", path), "GET " + path, control::DecodeEvent);
}

core::Result<control::Stats> MockClient::GetStats() {
  return Decoded(Expect(200, "GET", "/mock/stats"), "GET /mock/stats", control::DecodeStats);
}

core::Result<control::ClockState> MockClient::GetClock() {
  return Decoded(Expect(200, "GET", "/mock/clock"), "GET /mock/clock", control::DecodeClock);
}

core::Result<control::ClockState> MockClient::Advance(std::chrono::milliseconds by) {
  const std::string body = control::EncodeAdvanceRequest(static_cast<std::uint64_t>(by.count()));
  return Decoded(Expect(200, "POST", "/mock/clock/advance", body), "POST /mock/clock/advance",
                 control::DecodeClock);
}

core::Result<std::uint64_t> MockClient::Flush() {
  MULTIHOOK_ASSIGN_OR_RETURN(control::FlushAnswer answer,
                             Decoded(Expect(200, "POST", "/mock/flush", "{}"), "POST /mock/flush",
                                     control::DecodeFlushAnswer));
  return answer.applied;
}

core::Status MockClient::Reset() {
  return Decoded(Expect(200, "POST", "/mock/reset", "{}"), "POST /mock/reset",
                 control::DecodeMessage)
      .status();
}

core::Result<control::Options> MockClient::GetOptions() {
  return Decoded(Expect(200, "GET", "/mock/options"), "GET /mock/options", control::DecodeOptions);
}

core::Result<control::Options> MockClient::SetOptions(const std::string& patch) {
  return Decoded(Expect(200, "PATCH", "/mock/options", patch), "PATCH /mock/options",
                 control::DecodeOptions);
}

core::Result<core::ChannelIdentity> MockClient::AddChannel(const std::string& spec) {
  return Decoded(Expect(201, "POST", "/mock/channels", spec), "POST /mock/channels",
                 control::DecodeChannel);
}

core::Result<std::vector<core::ChannelIdentity>> MockClient::Channels() {
  return Decoded(Expect(200, "GET", "/mock/channels"), "GET /mock/channels",
                 control::DecodeChannels);
}

core::Result<control::Routes> MockClient::AddRoute(std::string_view route) {
  return Decoded(Expect(201, "POST", "/mock/routes", control::EncodeRouteRequest(route)),
                 "POST /mock/routes", control::DecodeRoutes);
}

core::Result<control::Routes> MockClient::Routes() {
  return Decoded(Expect(200, "GET", "/mock/routes"), "GET /mock/routes", control::DecodeRoutes);
}

core::Result<control::ChangeLog> MockClient::Changes(const std::optional<std::string>& api_key) {
  std::string path = "/mock/changes";
  if (api_key) path += "?api_key=" + httplib::detail::encode_query_param(*api_key);
  return Decoded(Expect(200, "GET", path), "GET /mock/changes", control::DecodeChangeLog);
}

core::Result<control::InboundAnswer> MockClient::Inbound(const std::string& api_key,
                                                         const std::string& body) {
  return Decoded(Expect(202, "POST", "/mock/inbound", body, api_key), "POST /mock/inbound",
                 control::DecodeInboundAnswer);
}

core::Status MockClient::SetPrimaryWebhook(const std::string& api_key, const std::string& url) {
  const std::string body = codec::ToText(codec::Json{{"url", url}});
  return Expect(kAny2xx, "POST", "/v1/configs/webhook", body, api_key).status();
}

core::Status MockClient::SetMultiWebhook(const std::string& api_key, const std::string& body) {
  return Expect(kAny2xx, "POST", "/multi_webhook", body, api_key).status();
}

}  // namespace multihook::harness
