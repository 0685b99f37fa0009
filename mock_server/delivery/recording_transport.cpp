#include "mock_server/delivery/recording_transport.hpp"

#include <algorithm>
#include <utility>

namespace multihook::delivery {

void RecordingTransport::Script(const std::string& url, std::vector<ScriptedReply> replies) {
  core::MutexLock lock(mu_);
  scripts_[url] = {std::move(replies), 0};
}

void RecordingTransport::SetDefault(ScriptedReply reply) {
  core::MutexLock lock(mu_);
  default_reply_ = std::move(reply);
}

void RecordingTransport::SetHook(std::function<void(const OutgoingRequest&)> hook) {
  core::MutexLock lock(mu_);
  hook_ = std::move(hook);
}

TransportResult RecordingTransport::Send(const OutgoingRequest& request) {
  std::function<void(const OutgoingRequest&)> hook;
  {
    core::MutexLock lock(mu_);
    requests_.push_back({request, clock_ != nullptr ? clock_->Now() : core::SteadyTime{}});
    hook = hook_;
  }
  if (hook) hook(request);

  ScriptedReply reply;
  {
    core::MutexLock lock(mu_);
    const auto it = scripts_.find(request.url);
    if (it == scripts_.end() || it->second.replies.empty()) {
      reply = default_reply_;
      if (unscripted_ == Unscripted::kReplyDefaultAndFlag) unexpected_.push_back(request.url);
    } else {
      UrlScript& script = it->second;
      const std::size_t index = std::min(script.used, script.replies.size() - 1);
      reply = script.replies[index];
      ++script.used;
    }
  }
  if (clock_ != nullptr && reply.latency > core::Micros(0)) clock_->Advance(reply.latency);
  return TransportResult{reply.status, reply.error, reply.detail};
}

std::vector<RecordedRequest> RecordingTransport::Requests() const {
  core::MutexLock lock(mu_);
  return requests_;
}

std::vector<RecordedRequest> RecordingTransport::RequestsTo(std::string_view url) const {
  core::MutexLock lock(mu_);
  std::vector<RecordedRequest> out;
  for (const auto& r : requests_) {
    if (r.request.url == url) out.push_back(r);
  }
  return out;
}

std::vector<std::string> RecordingTransport::Urls() const {
  core::MutexLock lock(mu_);
  std::vector<std::string> out;
  out.reserve(requests_.size());
  for (const auto& r : requests_) out.push_back(r.request.url);
  return out;
}

std::size_t RecordingTransport::Count() const {
  core::MutexLock lock(mu_);
  return requests_.size();
}

std::vector<std::string> RecordingTransport::Unexpected() const {
  core::MutexLock lock(mu_);
  return unexpected_;
}

}  // namespace multihook::delivery
