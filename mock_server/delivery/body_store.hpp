// BodyStore: the delivered body, notification type and signing secret of the latest events, for
// GET /mock/events/{id} and the delivery view. The engine releases a body once its event is
// final; a person debugging a receiver wants to see what was sent after that. Every destination
// of an event gets the same bytes (byte-identical copies), so one body per event is kept, not one
// per attempt.
//
// Bounded twice: at most `capacity` events and at most `max_bytes` of bodies; the oldest event
// goes first (a ring by submission order), and an evicted event reads as "not kept". Capacity 0
// keeps nothing.
//
// The signature is computed when read, from the body and the signing secret in force when the
// event was accepted (what its attempts send unless the secret changes before they run).
//
// Thread-safe.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "mock_server/core/mutex.hpp"

namespace multihook::delivery {

// The default of --keep-bodies, and the byte bound of every store.
inline constexpr std::size_t kDefaultKeptBodies = 1000;
inline constexpr std::size_t kMaxKeptBodyBytes = std::size_t{64} << 20;

struct KeptBody {
  std::string type;  // "text", "image", ..., "status:delivered", "error", "payload"
  std::shared_ptr<const std::string> body;
  std::optional<std::string> signature;  // x-360dialog-signature; nullopt when unsigned
};

class BodyStore {
 public:
  // sign(secret, body): the signature header's value (codec::SignatureHex in the mock).
  using Signer = std::function<std::string(std::string_view secret, std::string_view body)>;

  BodyStore(std::size_t capacity, Signer sign, std::size_t max_bytes = kMaxKeptBodyBytes);

  BodyStore(const BodyStore&) = delete;
  BodyStore& operator=(const BodyStore&) = delete;

  // Keeps `body` for `event_id` (once per event, before it is submitted); `secret` is the signing
  // secret in force, if any. A body larger than the byte bound is not kept.
  void Keep(std::string_view event_id, std::string_view type, std::string_view body,
            const std::optional<std::string>& secret);
  // Drops an event again (its submission was refused).
  void Forget(std::string_view event_id);
  // nullopt when never kept or evicted.
  std::optional<KeptBody> Find(std::string_view event_id) const;
  // POST /mock/reset.
  void Clear();

  std::size_t capacity() const { return capacity_; }
  // Events and body bytes kept now.
  std::size_t size() const;
  std::size_t bytes() const;

 private:
  struct Entry {
    std::string event_id;
    std::string type;
    std::shared_ptr<const std::string> body;    // null once forgotten
    std::shared_ptr<const std::string> secret;  // null: unsigned
  };

  void EvictLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void DropFrontLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::size_t capacity_;
  const std::size_t max_bytes_;
  const Signer sign_;
  mutable core::Mutex mu_;
  std::deque<Entry> ring_ ABSL_GUARDED_BY(mu_);  // oldest first
  std::unordered_map<std::string_view, Entry*> by_id_ ABSL_GUARDED_BY(mu_);
  std::size_t bytes_ ABSL_GUARDED_BY(mu_) = 0;
  // The secret of the latest Keep(), shared by the events kept under it.
  std::shared_ptr<const std::string> last_secret_ ABSL_GUARDED_BY(mu_);
};

}  // namespace multihook::delivery
