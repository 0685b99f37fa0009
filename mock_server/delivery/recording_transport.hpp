// RecordingTransport: an in-memory fake Transport for engine and route tests (no sockets). It
// answers from a script per URL ("500 twice, then 200", a timeout, a reset), optionally advancing
// a ManualClock by a scripted latency so virtual-time tests see durations, and records every
// request in the order received. URLs without a script get the default reply (200) and are also
// listed by Unexpected() when the transport is strict, so a test can fail on stray deliveries.
//
// Thread-safe. The hook runs without the transport's lock held and may block (e.g. to hold a
// request "in flight" while a test looks at the engine).
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "mock_server/core/clock.hpp"
#include "mock_server/core/mutex.hpp"
#include "mock_server/delivery/transport.hpp"

namespace multihook::delivery {

struct ScriptedReply {
  int status = 200;
  ErrorClass error = ErrorClass::kNone;
  core::Micros latency{0};  // added to the ManualClock (if any) before answering
  std::string detail;

  static ScriptedReply Status(int status, core::Micros latency = core::Micros(0)) {
    return {status, ErrorClass::kNone, latency, ""};
  }
  static ScriptedReply Error(ErrorClass error, std::string detail = "",
                             core::Micros latency = core::Micros(0)) {
    return {0, error, latency, std::move(detail)};
  }
};

struct RecordedRequest {
  OutgoingRequest request;
  core::SteadyTime at{};  // ManualClock time when the request arrived (epoch without a clock)
};

class RecordingTransport final : public Transport {
 public:
  enum class Unscripted { kReplyDefault, kReplyDefaultAndFlag };

  // `clock` (optional, must outlive this) is advanced by each reply's latency.
  explicit RecordingTransport(core::ManualClock* clock = nullptr,
                              Unscripted unscripted = Unscripted::kReplyDefault)
      : clock_(clock), unscripted_(unscripted) {}

  // Replies for `url`, used in order; the last one repeats once the script is used up.
  void Script(const std::string& url, std::vector<ScriptedReply> replies);
  void SetDefault(ScriptedReply reply);
  // Called for every request before the reply is chosen, without the lock held.
  void SetHook(std::function<void(const OutgoingRequest&)> hook);

  TransportResult Send(const OutgoingRequest& request) override;

  std::vector<RecordedRequest> Requests() const;  // every request, in order received
  std::vector<RecordedRequest> RequestsTo(std::string_view url) const;
  std::vector<std::string> Urls() const;  // the URL of every request, in order
  std::size_t Count() const;
  std::vector<std::string> Unexpected() const;  // unscripted URLs hit (strict mode)

 private:
  struct UrlScript {
    std::vector<ScriptedReply> replies;
    std::size_t used = 0;
  };

  core::ManualClock* const clock_;
  const Unscripted unscripted_;

  mutable core::Mutex mu_;
  std::map<std::string, UrlScript, std::less<>> scripts_ ABSL_GUARDED_BY(mu_);
  ScriptedReply default_reply_ ABSL_GUARDED_BY(mu_);
  std::function<void(const OutgoingRequest&)> hook_ ABSL_GUARDED_BY(mu_);
  std::vector<RecordedRequest> requests_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> unexpected_ ABSL_GUARDED_BY(mu_);
};

}  // namespace multihook::delivery
