#include "mock_server/delivery/body_store.hpp"

#include <utility>

namespace multihook::delivery {

BodyStore::BodyStore(std::size_t capacity, Signer sign, std::size_t max_bytes)
    : capacity_(capacity), max_bytes_(max_bytes), sign_(std::move(sign)) {}

void BodyStore::Keep(std::string_view event_id, std::string_view type, std::string_view body,
                     const std::optional<std::string>& secret) {
  if (capacity_ == 0 || body.size() > max_bytes_) return;
  auto kept = std::make_shared<const std::string>(body);
  core::MutexLock lock(mu_);
  if (by_id_.count(event_id) > 0) return;  // ids are unique; keep the first
  std::shared_ptr<const std::string> signed_with;
  if (secret) {
    if (!last_secret_ || *last_secret_ != *secret) {
      last_secret_ = std::make_shared<const std::string>(*secret);
    }
    signed_with = last_secret_;
  }
  ring_.push_back(
      Entry{std::string(event_id), std::string(type), std::move(kept), std::move(signed_with)});
  Entry& entry = ring_.back();
  by_id_.emplace(entry.event_id, &entry);
  bytes_ += entry.body->size();
  EvictLocked();
}

void BodyStore::Forget(std::string_view event_id) {
  core::MutexLock lock(mu_);
  const auto it = by_id_.find(event_id);
  if (it == by_id_.end()) return;
  Entry& entry = *it->second;
  by_id_.erase(it);
  bytes_ -= entry.body->size();
  entry.body.reset();
  // Usually the newest: refused submissions leave no hole in the ring.
  while (!ring_.empty() && !ring_.back().body) ring_.pop_back();
}

std::optional<KeptBody> BodyStore::Find(std::string_view event_id) const {
  KeptBody found;
  std::shared_ptr<const std::string> secret;
  {
    core::MutexLock lock(mu_);
    const auto it = by_id_.find(event_id);
    if (it == by_id_.end()) return std::nullopt;
    found.type = it->second->type;
    found.body = it->second->body;
    secret = it->second->secret;
  }
  // Signed outside the lock: HMAC of a large body takes a while.
  if (secret && sign_) found.signature = sign_(*secret, *found.body);
  return found;
}

void BodyStore::Clear() {
  core::MutexLock lock(mu_);
  by_id_.clear();
  ring_.clear();
  bytes_ = 0;
  last_secret_.reset();
}

std::size_t BodyStore::size() const {
  core::MutexLock lock(mu_);
  return by_id_.size();
}

std::size_t BodyStore::bytes() const {
  core::MutexLock lock(mu_);
  return bytes_;
}

void BodyStore::EvictLocked() {
  while (!ring_.empty() && (ring_.size() > capacity_ || bytes_ > max_bytes_)) DropFrontLocked();
}

void BodyStore::DropFrontLocked() {
  Entry& oldest = ring_.front();
  if (oldest.body) {
    by_id_.erase(oldest.event_id);
    bytes_ -= oldest.body->size();
  }
  ring_.pop_front();
}

}  // namespace multihook::delivery
