// MockClient: a typed client of a running mock (multihook-mock, or a MockProvider in the same
// process): the control API under /mock decoded through codec::control (journal pages, event
// states as enums, stats, the clock, options, channels, routes) and the provider API's calls a
// test needs (configure webhooks, send a notification in). The scenario runner, the tests'
// TestMock, the benchmarks and partners' own C++ tests all drive the mock through it, so the
// control API's format has one reader.
//
// Every call returns a Result: an answer with an unexpected status is an error whose code follows
// the HTTP status (400 invalid_argument, 401 unauthenticated, 404 not_found, 409 already_exists,
// 413 payload_too_large, 429 resource_exhausted, others internal) and whose reason is
// "STATUS BODY" (the body cut to 240 bytes); no answer at all is internal, "no answer (ERROR)".
//
// One keep-alive connection. Not thread-safe: one client per thread.
#pragma once

#include <httplib.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mock_server/codec/control_codec.hpp"
#include "mock_server/core/status.hpp"

namespace multihook::harness {

struct MockClientOptions {
  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds read_timeout{90'000};  // advances over days take a while
  std::chrono::milliseconds write_timeout{10'000};
};

// An HTTP answer as it came.
struct HttpAnswer {
  int status = 0;
  std::string body;
  httplib::Headers headers;
};

// Which journal records GET /mock/deliveries answers.
struct DeliveryQuery {
  std::optional<std::string> event_id;
  std::optional<std::string> destination;
};

class MockClient {
 public:
  explicit MockClient(const std::string& base_url, MockClientOptions options = {});
  ~MockClient();
  MockClient(MockClient&&) noexcept;
  MockClient& operator=(MockClient&&) noexcept;

  const std::string& base_url() const { return base_url_; }

  // --- any request -------------------------------------------------------------------------
  // `api_key` empty or absent: no D360-API-KEY header. Fails only when no answer came.
  core::Result<HttpAnswer> Send(std::string_view method, const std::string& path,
                                const std::string& body = {},
                                const std::optional<std::string>& api_key = std::nullopt);

  // --- control API -------------------------------------------------------------------------
  core::Result<codec::control::JournalPage> Deliveries(const DeliveryQuery& query = {});
  // Waits (in the mock, bounded by `timeout`) until `min_count` matching records exist; a page
  // with timed_out set is an answer, not an error.
  core::Result<codec::control::JournalPage> WaitDeliveries(const DeliveryQuery& query,
                                                           std::size_t min_count,
                                                           std::chrono::milliseconds timeout);
  core::Result<codec::control::Event> GetEvent(const std::string& event_id);
  core::Result<codec::control::Stats> GetStats();
  core::Result<codec::control::ClockState> GetClock();
  // Moves virtual time forward (0: finish everything due now); failed under real time.
  core::Result<codec::control::ClockState> Advance(std::chrono::milliseconds by);
  core::Result<std::uint64_t> Flush();  // the number of changes applied
  core::Status Reset();
  core::Result<codec::control::Options> GetOptions();
  // PATCH /mock/options with a JSON object; the options in force afterwards.
  core::Result<codec::control::Options> SetOptions(const std::string& patch);
  // POST /mock/channels with a channel spec ({"api_key", "phone_number_id", ...}).
  core::Result<core::ChannelIdentity> AddChannel(const std::string& spec);
  core::Result<std::vector<core::ChannelIdentity>> Channels();
  core::Result<codec::control::Routes> AddRoute(std::string_view route);  // "HOST=URL"
  core::Result<codec::control::Routes> Routes();
  core::Result<codec::control::ChangeLog> Changes(
      const std::optional<std::string>& api_key = std::nullopt);

  // --- provider API --------------------------------------------------------------------------
  // POST /mock/inbound: a notification in for the channel of `api_key` (202 expected).
  core::Result<codec::control::InboundAnswer> Inbound(const std::string& api_key,
                                                      const std::string& body);
  // POST /v1/configs/webhook {"url": url}.
  core::Status SetPrimaryWebhook(const std::string& api_key, const std::string& url);
  // POST /multi_webhook with `body` ({"enabled", "destinations"}); accepted is not applied yet
  // (Flush() or the apply delay).
  core::Status SetMultiWebhook(const std::string& api_key, const std::string& body);

 private:
  // Send, then an error unless the answer has `expected` status (0: any 2xx).
  core::Result<HttpAnswer> Expect(int expected, std::string_view method, const std::string& path,
                                  const std::string& body = {},
                                  const std::optional<std::string>& api_key = std::nullopt);

  std::string base_url_;
  std::unique_ptr<httplib::Client> client_;
};

// "STATUS BODY" of an answer, the body cut to 240 bytes, for failure messages.
std::string AnswerText(const HttpAnswer& answer);
// `text` cut to 240 bytes, with its size when cut.
std::string Preview(std::string_view text);

}  // namespace multihook::harness
