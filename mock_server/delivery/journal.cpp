#include "mock_server/delivery/journal.hpp"

#include <algorithm>
#include <utility>

namespace multihook::delivery {

std::string_view GateName(Gate gate) {
  switch (gate) {
    case Gate::kOpen:
      return "open";
    case Gate::kClosed:
      return "closed";
    case Gate::kAfterMain:
      return "after_main";
  }
  return "closed";
}

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

std::uint64_t Journal::Append(AttemptRecord record) {
  std::uint64_t seq = 0;
  {
    std::lock_guard lock(mu_);
    seq = ++last_seq_;
    record.seq = seq;
    if (records_.size() == capacity_) {
      records_.pop_front();
      ++dropped_;
    }
    records_.push_back(std::move(record));
  }
  appended_.notify_all();
  return seq;
}

std::size_t Journal::CountMatchesAfter(const JournalFilter& filter, std::uint64_t after) const {
  if (records_.empty() || records_.back().seq <= after) return 0;
  // Seqs are contiguous, so the first record after `after` is found by arithmetic.
  const std::uint64_t first = records_.front().seq;
  const std::size_t start = after < first ? 0 : static_cast<std::size_t>(after - first + 1);
  std::size_t count = 0;
  for (std::size_t i = start; i < records_.size(); ++i) {
    if (filter.Matches(records_[i])) ++count;
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
  for (std::size_t i = start; i < records_.size(); ++i) {
    if (!filter.Matches(records_[i])) continue;
    page.entries.push_back(records_[i]);
    if (filter.limit != 0 && page.entries.size() == filter.limit) break;
  }
  return page;
}

JournalPage Journal::Query(const JournalFilter& filter) const {
  std::lock_guard lock(mu_);
  return QueryLocked(filter);
}

JournalPage Journal::WaitFor(const JournalFilter& filter, std::size_t min_count,
                             std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  std::size_t seen = CountMatchesAfter(filter, filter.after_seq);
  std::uint64_t scanned = std::max(last_seq_, filter.after_seq);
  // Counting incrementally keeps a long-poll cheap on a large journal: each wake-up scans only the
  // records appended since the previous one.
  const bool reached =
      appended_.wait_for(lock, std::max(timeout, std::chrono::milliseconds(0)), [&] {
        if (last_seq_ > scanned) {
          seen += CountMatchesAfter(filter, scanned);
          scanned = last_seq_;
        }
        return seen >= min_count;
      });
  JournalPage page = QueryLocked(filter);
  page.timed_out = !reached;
  return page;
}

std::size_t Journal::size() const {
  std::lock_guard lock(mu_);
  return records_.size();
}

std::uint64_t Journal::dropped() const {
  std::lock_guard lock(mu_);
  return dropped_;
}

void Journal::Clear() {
  std::lock_guard lock(mu_);
  records_.clear();
  dropped_ = 0;
}

}  // namespace multihook::delivery
