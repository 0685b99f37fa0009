// ScriptedReceiver: a real HTTP(S) webhook receiver on an ephemeral loopback port that answers
// from a script (status, delay, body, reset) and records every request, in the spirit of
// Envoy's FakeUpstream. Tests wait on it with bounded waits that explain what they got:
//   "timed out after 5 s waiting for 3 requests to 'backup'; got 1: POST /hook ..."
// Usable from partners' own tests through the multihook::harness CMake package.
//
// Thread-safe.
#pragma once

#include <httplib.h>

#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "harness/answer.hpp"
#include "mock_server/core/mutex.hpp"
#include "mock_server/core/status.hpp"

namespace multihook::harness {

struct ReceivedRequest {
  std::string method;
  std::string path;  // with query
  httplib::Headers headers;
  std::string body;
  std::size_t sequence = 0;                             // 0-based arrival order at this receiver
  std::chrono::steady_clock::time_point received_at{};  // when its headers and body were read

  std::string Header(const std::string& name) const;
};

struct ReceiverOptions {
  std::string name = "receiver";  // used in failure messages
  std::string host = "127.0.0.1";
  // HTTPS when both are set (PEM files).
  std::optional<std::string> cert_file;
  std::optional<std::string> key_file;
  std::size_t threads = 16;
  // false: count requests without keeping them (benchmarks and soak runs); Requests() is then
  // empty and WaitForRequests fails, WaitForCount works.
  bool record_requests = true;
};

class ScriptedReceiver {
 public:
  static core::Result<std::unique_ptr<ScriptedReceiver>> Start(ReceiverOptions options = {});

  ScriptedReceiver(const ScriptedReceiver&) = delete;
  ScriptedReceiver& operator=(const ScriptedReceiver&) = delete;
  ~ScriptedReceiver();

  // Answers the next requests with `answers` in order, then with `then` (default: 200).
  void Script(std::vector<Answer> answers, Answer then = Answer::Status(200));
  // Once the script is used up, the n-th further request (0-based, counted from this call) is
  // answered with source(n) instead of `then` (e.g. a seeded FaultProfile: fault_profile.hpp).
  // Called under the receiver's lock: keep it pure and quick.
  using AnswerSource = std::function<Answer(std::size_t index)>;
  void AnswerFrom(AnswerSource source);

  std::string BaseUrl() const;  // "http://127.0.0.1:PORT" or "https://..."
  int port() const { return port_; }
  const std::string& name() const { return options_.name; }

  std::vector<ReceivedRequest> Requests() const;
  std::size_t RequestCount() const;

  // Waits until at least `count` requests arrived; fails after `timeout` with a message that
  // says what was expected and what came.
  core::Result<std::vector<ReceivedRequest>> WaitForRequests(
      std::size_t count, std::chrono::milliseconds timeout = std::chrono::seconds(5)) const;
  // The same wait without copying what arrived (for hot loops and benchmarks).
  core::Status WaitForCount(std::size_t count,
                            std::chrono::milliseconds timeout = std::chrono::seconds(5)) const;

  void Stop();

 private:
  explicit ScriptedReceiver(ReceiverOptions options) : options_(std::move(options)) {}
  Answer NextAnswer() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Handle(const httplib::Request& req, httplib::Response& res);

  const ReceiverOptions options_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;

  mutable core::Mutex mu_;
  mutable core::CondVar arrived_;
  std::deque<Answer> script_ ABSL_GUARDED_BY(mu_);
  AnswerSource source_ ABSL_GUARDED_BY(mu_);
  std::size_t source_index_ ABSL_GUARDED_BY(mu_) = 0;
  Answer then_ ABSL_GUARDED_BY(mu_) = Answer::Status(200);
  std::vector<ReceivedRequest> requests_ ABSL_GUARDED_BY(mu_);
  std::size_t received_ ABSL_GUARDED_BY(mu_) = 0;
  // The count at which Handle wakes WaitForCount's waiters.
  static constexpr std::size_t kNoWaiter = std::numeric_limits<std::size_t>::max();
  mutable std::size_t wake_at_ ABSL_GUARDED_BY(mu_) = kNoWaiter;
};

}  // namespace multihook::harness
