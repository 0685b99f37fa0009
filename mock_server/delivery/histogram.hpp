// Histogram: latency distribution in fixed log-linear buckets (HdrHistogram-like, as in wrk's
// stats): values below 128 µs are exact, above that each power of two is split into 64 equal
// buckets, so a reported percentile is at most ~1.6 % above the true value. Values up to 2^40 µs
// (~12.7 days) are bucketed; larger ones land in the top bucket (Max() stays exact). Percentiles
// come from the buckets, never from averages.
//
// Value type (about 18 KB); thread-compatible: the owner guards it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "mock_server/core/clock.hpp"

namespace multihook::delivery {

class Histogram {
 public:
  static constexpr int kSubBucketBits = 7;
  static constexpr int kMaxValueBits = 40;
  static constexpr std::size_t kExactLimit = std::size_t{1} << kSubBucketBits;  // 128
  static constexpr std::size_t kBucketsPerOctave = kExactLimit / 2;             // 64
  static constexpr std::size_t kBucketCount =
      kExactLimit + (kMaxValueBits - kSubBucketBits) * kBucketsPerOctave + kBucketsPerOctave;

  // Negative values are recorded as 0.
  void Record(core::Micros value);
  void Merge(const Histogram& other);

  std::uint64_t Count() const { return count_; }
  core::Micros Min() const { return core::Micros(count_ == 0 ? 0 : min_); }
  core::Micros Max() const { return core::Micros(max_); }

  // The smallest bucketed value v such that at least fraction `q` (in [0, 1]) of the recorded
  // values are <= v: the upper edge of the bucket holding that rank, clamped to Max(). 0 when
  // empty. Percentile(1.0) == Max().
  core::Micros Percentile(double q) const;

  // Bucket arithmetic, public for tests.
  static std::size_t BucketIndex(std::uint64_t value);
  static std::uint64_t BucketLow(std::size_t index);
  static std::uint64_t BucketHigh(std::size_t index);

 private:
  std::array<std::uint64_t, kBucketCount> buckets_{};
  std::uint64_t count_ = 0;
  std::uint64_t min_ = 0;
  std::uint64_t max_ = 0;
};

// What /mock/stats shows of one histogram.
struct LatencySummary {
  std::uint64_t count = 0;
  core::Micros p50{0};
  core::Micros p90{0};
  core::Micros p99{0};
  core::Micros max{0};
};

LatencySummary Summarize(const Histogram& histogram);

}  // namespace multihook::delivery
