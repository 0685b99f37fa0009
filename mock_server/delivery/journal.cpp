#include "mock_server/delivery/journal.hpp"

#include <algorithm>
#include <utility>

namespace multihook::delivery {
namespace {

// Sets `ref` to the interned `text` when a text is given; false when it is not interned (then
// nothing can match it).
bool Resolve(const internal::StringPool& pool, const std::optional<std::string>& text,
             std::optional<internal::StringPool::Ref>& ref) {
  if (!text) return true;
  bool found = false;
  ref = pool.Find(*text, found);
  return found;
}

}  // namespace

std::string OutcomeName(const AttemptRecord& record) {
  if (record.error != ErrorClass::kNone) return std::string(ErrorClassName(record.error));
  return std::to_string(record.status);
}

bool JournalFilter::Matches(const AttemptRecord& record) const {
  if (record.seq <= after_seq) return false;
  if (event_id && record.event_id != *event_id) return false;
  if (destination && record.destination != *destination) return false;
  if (api_key && record.api_key != *api_key) return false;
  return true;
}

Journal::Journal(std::size_t capacity) : capacity_(std::max<std::size_t>(capacity, 1)) {}

Journal::~Journal() = default;

void Journal::ReleaseLocked(const Stored& record) {
  pool_.Release(record.event_id);
  pool_.Release(record.api_key);
  pool_.Release(record.destination);
  pool_.Release(record.url);
  pool_.Release(record.detail);
}

AttemptRecord Journal::Expand(const Stored& s) const {
  using internal::StringPool;
  AttemptRecord r;
  r.seq = s.seq;
  r.event_id = StringPool::Text(s.event_id);
  r.api_key = StringPool::Text(s.api_key);
  r.destination = StringPool::Text(s.destination);
  r.url = StringPool::Text(s.url);
  r.attempt = s.attempt;
  r.gate = s.gate;
  r.status = s.status;
  r.error = s.error;
  r.detail = StringPool::Text(s.detail);
  r.succeeded = s.succeeded;
  r.scheduled = s.scheduled;
  r.started = s.started;
  r.started_wall = s.started_wall;
  r.duration = s.duration;
  return r;
}

Journal::Resolved Journal::ResolveLocked(const JournalFilter& filter) const {
  Resolved out;
  out.impossible = !Resolve(pool_, filter.event_id, out.event_id) ||
                   !Resolve(pool_, filter.destination, out.destination) ||
                   !Resolve(pool_, filter.api_key, out.api_key);
  return out;
}

bool Journal::Resolved::Matches(const Stored& record, std::uint64_t after_seq) const {
  if (impossible || record.seq <= after_seq) return false;
  if (event_id && record.event_id != *event_id) return false;
  if (destination && record.destination != *destination) return false;
  if (api_key && record.api_key != *api_key) return false;
  return true;
}

std::uint64_t Journal::Append(const AttemptRecord& record) {
  std::uint64_t seq = 0;
  bool wake = false;
  {
    core::MutexLock lock(mu_);
    seq = ++last_seq_;
    if (records_.size() == capacity_) {
      ReleaseLocked(records_.front());
      records_.pop_front();
      ++dropped_;
    }
    Stored s;
    s.seq = seq;
    s.event_id = pool_.Acquire(record.event_id);
    s.api_key = pool_.Acquire(record.api_key);
    s.destination = pool_.Acquire(record.destination);
    s.url = pool_.Acquire(record.url);
    s.detail = pool_.Acquire(record.detail);
    s.scheduled = record.scheduled;
    s.started = record.started;
    s.started_wall = record.started_wall;
    s.duration = record.duration;
    s.attempt = record.attempt;
    s.status = record.status;
    s.gate = record.gate;
    s.error = record.error;
    s.succeeded = record.succeeded;
    records_.push_back(s);
    wake = seq >= wake_at_seq_;
    if (wake) wake_at_seq_ = kNoWaiter;
  }
  if (wake) appended_.NotifyAll();
  return seq;
}

std::size_t Journal::CountMatchesAfter(const JournalFilter& filter, std::uint64_t after) const {
  if (records_.empty() || records_.back().seq <= after) return 0;
  const Resolved resolved = ResolveLocked(filter);
  if (resolved.impossible) return 0;
  // Seqs are contiguous, so the first record after `after` is found by arithmetic.
  const std::uint64_t first = records_.front().seq;
  const std::size_t start = after < first ? 0 : static_cast<std::size_t>(after - first + 1);
  const std::uint64_t after_seq = std::max(after, filter.after_seq);
  std::size_t count = 0;
  for (std::size_t i = start; i < records_.size(); ++i) {
    if (resolved.Matches(records_[i], after_seq)) ++count;
  }
  return count;
}

JournalPage Journal::QueryLocked(const JournalFilter& filter) const {
  JournalPage page;
  page.dropped = dropped_;
  page.last_seq = last_seq_;
  const std::uint64_t first = records_.empty() ? 0 : records_.front().seq;
  const std::size_t start =
      filter.after_seq < first ? 0 : static_cast<std::size_t>(filter.after_seq - first + 1);
  const Resolved resolved = ResolveLocked(filter);
  if (resolved.impossible) return page;
  for (std::size_t i = start; i < records_.size(); ++i) {
    if (!resolved.Matches(records_[i], filter.after_seq)) continue;
    page.entries.push_back(Expand(records_[i]));
    if (filter.limit != 0 && page.entries.size() == filter.limit) break;
  }
  return page;
}

JournalPage Journal::Query(const JournalFilter& filter) const {
  core::MutexLock lock(mu_);
  return QueryLocked(filter);
}

void Journal::Close() {
  {
    core::MutexLock lock(mu_);
    closed_ = true;
  }
  appended_.NotifyAll();
}

JournalPage Journal::WaitFor(const JournalFilter& filter, std::size_t min_count,
                             std::chrono::milliseconds timeout) const {
  const auto deadline =
      std::chrono::steady_clock::now() + std::max(timeout, std::chrono::milliseconds(0));
  core::MutexLock lock(mu_);
  std::size_t seen = CountMatchesAfter(filter, filter.after_seq);
  std::uint64_t scanned = std::max(last_seq_, filter.after_seq);
  bool reached = false;
  while (true) {
    // Counting incrementally keeps a long-poll cheap on a large journal: each wake-up scans only
    // the records appended since the previous one.
    if (last_seq_ > scanned) {
      seen += CountMatchesAfter(filter, scanned);
      scanned = last_seq_;
    }
    reached = seen >= min_count;
    if (reached || closed_) break;
    // Each record matches at most once, so nothing can satisfy this wait before seq reaches
    // scanned + (min_count - seen): ask Append to wake waiters no sooner (the earliest such seq of
    // all waiters wins; whoever wakes and is not done yet asks again).
    wake_at_seq_ = std::min(wake_at_seq_, scanned + (min_count - seen));
    if (!appended_.WaitUntil(mu_, deadline)) {
      if (last_seq_ > scanned) seen += CountMatchesAfter(filter, scanned);
      reached = seen >= min_count;
      break;
    }
  }
  JournalPage page = QueryLocked(filter);
  page.timed_out = !reached;
  return page;
}

std::size_t Journal::size() const {
  core::MutexLock lock(mu_);
  return records_.size();
}

std::uint64_t Journal::last_seq() const {
  core::MutexLock lock(mu_);
  return last_seq_;
}

std::uint64_t Journal::dropped() const {
  core::MutexLock lock(mu_);
  return dropped_;
}

void Journal::Clear() {
  core::MutexLock lock(mu_);
  records_.clear();
  pool_.Clear();
  dropped_ = 0;
}

}  // namespace multihook::delivery
