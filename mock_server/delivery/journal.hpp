// Journal: the bounded record of every delivery attempt (GET /mock/deliveries). When full it
// drops the oldest records and counts them. Each record gets a sequence number (1, 2, ...) that
// keeps increasing across drops and Clear(), so a reader can page with `after_seq`.
//
// WaitFor() blocks (bounded, on a condition variable in real time: it serves HTTP long-polls) until
// enough matching records exist.
//
// Thread-safe. Never calls out while holding its lock.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <limits>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "mock_server/core/clock.hpp"
#include "mock_server/core/mutex.hpp"
#include "mock_server/delivery/transport.hpp"

namespace multihook::delivery {

// The destination name the journal uses for the main webhook.
inline constexpr std::string_view kMainDestination = "main";

// Gate and its name live in core (delivery_states.hpp) so the control codec can name them.
using core::Gate;
using core::GateName;

struct AttemptRecord {
  std::uint64_t seq = 0;  // assigned by Journal::Append
  std::string event_id;
  std::string api_key;
  std::string destination;  // kMainDestination or the extra's name
  std::string url;          // as configured; empty when nothing was sent (kNoWebhook)
  int attempt = 0;          // 1-based, per event and destination
  Gate gate = Gate::kClosed;
  int status = 0;  // HTTP status, 0 when error != kNone
  ErrorClass error = ErrorClass::kNone;
  std::string detail;
  bool succeeded = false;        // counted as delivered under the configured success rule
  core::SteadyTime scheduled{};  // when the attempt was due (shows backoff and queueing)
  core::SteadyTime started{};
  core::WallTime started_wall{};
  core::Micros duration{0};
};

// "200", "503", or the error class name ("timeout", "no_webhook", ...).
std::string OutcomeName(const AttemptRecord& record);

struct JournalFilter {
  std::optional<std::string> event_id = std::nullopt;
  std::optional<std::string> destination = std::nullopt;
  std::optional<std::string> api_key = std::nullopt;
  std::uint64_t after_seq = 0;  // only records with seq > after_seq
  std::size_t limit = 0;        // at most this many (the oldest first); 0 = no limit

  bool Matches(const AttemptRecord& record) const;
};

struct JournalPage {
  std::vector<AttemptRecord> entries;  // oldest first
  bool timed_out = false;              // WaitFor only
  std::uint64_t dropped = 0;           // records dropped for capacity since the last Clear()
  std::uint64_t last_seq = 0;          // highest seq ever appended (0: none)
};

namespace internal {

// Reference-counted interning of repeated strings (api keys, destination names, URLs, event ids
// shared by several records), so that each distinct text is stored once however many records or
// events refer to it. Not thread-safe: the owner guards it with its own lock. The empty string is
// represented by a null Ref and costs nothing.
class StringPool {
 public:
  using Entry = std::pair<const std::string, std::size_t>;  // text, references
  using Ref = const Entry*;

  // Adds a reference to `text` (interning it if new). Release() it when no longer needed.
  Ref Acquire(const std::string& text) {
    if (text.empty()) return nullptr;
    auto [it, inserted] = map_.try_emplace(text, 0);
    ++it->second;
    return &*it;
  }
  // Adds another reference to an already held Ref.
  Ref Share(Ref ref) {
    if (ref != nullptr) ++const_cast<Entry*>(ref)->second;
    return ref;
  }
  void Release(Ref ref) {
    if (ref == nullptr) return;
    if (--const_cast<Entry*>(ref)->second == 0) map_.erase(map_.find(ref->first));
  }
  // The Ref of `text` if it is interned (null for the empty string); `found` is false otherwise.
  Ref Find(const std::string& text, bool& found) const {
    found = true;
    if (text.empty()) return nullptr;
    const auto it = map_.find(text);
    if (it == map_.end()) {
      found = false;
      return nullptr;
    }
    return &*it;
  }
  static const std::string& Text(Ref ref) {
    static const std::string kEmpty;
    return ref == nullptr ? kEmpty : ref->first;
  }
  std::size_t size() const { return map_.size(); }
  void Clear() { map_.clear(); }

 private:
  std::unordered_map<std::string, std::size_t> map_;  // node-based: entry addresses are stable
};

}  // namespace internal

class Journal {
 public:
  explicit Journal(std::size_t capacity);  // capacity >= 1

  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  // Stores `record` with the next seq (returned) and wakes waiters.
  std::uint64_t Append(const AttemptRecord& record);

  JournalPage Query(const JournalFilter& filter) const;

  // Waits until at least `min_count` records matching `filter` have been appended (counting those
  // present at the call and those appended while waiting, even if capacity dropped them since),
  // or `timeout` passed. Returns the matching records present then; timed_out says which.
  JournalPage WaitFor(const JournalFilter& filter, std::size_t min_count,
                      std::chrono::milliseconds timeout) const;

  std::size_t size() const;
  // The highest seq ever appended (0: none): how many attempts have been journaled in all.
  std::uint64_t last_seq() const;
  std::size_t capacity() const { return capacity_; }
  std::uint64_t dropped() const;

  // Forgets every record and the drop count (POST /mock/reset); seq keeps increasing.
  void Clear();

  // Shutdown: ends every waiting WaitFor now (it answers what it has, timed_out if short), and
  // makes later ones answer at once, so a long-poll never holds the process's exit.
  void Close();

  ~Journal();

 private:
  using Ref = internal::StringPool::Ref;
  // An AttemptRecord as kept: its strings are interned in pool_ (about 90 bytes per record
  // instead of 5 std::strings, most of them heap-allocated).
  struct Stored {
    std::uint64_t seq = 0;
    Ref event_id = nullptr;
    Ref api_key = nullptr;
    Ref destination = nullptr;
    Ref url = nullptr;
    Ref detail = nullptr;
    core::SteadyTime scheduled{};
    core::SteadyTime started{};
    core::WallTime started_wall{};
    core::Micros duration{0};
    int attempt = 0;
    int status = 0;
    Gate gate = Gate::kClosed;
    ErrorClass error = ErrorClass::kNone;
    bool succeeded = false;
  };
  // A JournalFilter with its strings resolved against pool_.
  struct Resolved {
    bool impossible = false;  // a filtered-on text is not interned: nothing matches
    std::optional<Ref> event_id, destination, api_key;
    bool Matches(const Stored& record, std::uint64_t after_seq) const;
  };
  Resolved ResolveLocked(const JournalFilter& filter) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  AttemptRecord Expand(const Stored& s) const;
  void ReleaseLocked(const Stored& record) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  // Matching records present with seq > after.
  std::size_t CountMatchesAfter(const JournalFilter& filter, std::uint64_t after) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  JournalPage QueryLocked(const JournalFilter& filter) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::size_t capacity_;

  mutable core::Mutex mu_;
  mutable core::CondVar appended_;
  internal::StringPool pool_ ABSL_GUARDED_BY(mu_);   // the strings of records_
  std::deque<Stored> records_ ABSL_GUARDED_BY(mu_);  // seqs contiguous, oldest first
  std::uint64_t last_seq_ ABSL_GUARDED_BY(mu_) = 0;
  std::uint64_t dropped_ ABSL_GUARDED_BY(mu_) = 0;
  // The seq at which Append next wakes waiters (the earliest any of them can be satisfied), so a
  // long-poll for N records wakes about once, not on every append.
  static constexpr std::uint64_t kNoWaiter = std::numeric_limits<std::uint64_t>::max();
  mutable std::uint64_t wake_at_seq_ ABSL_GUARDED_BY(mu_) = kNoWaiter;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace multihook::delivery
