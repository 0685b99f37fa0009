#include "mock_server/delivery/histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace multihook::delivery {

std::size_t Histogram::BucketIndex(std::uint64_t value) {
  if (value < kExactLimit) return static_cast<std::size_t>(value);
  const int width = static_cast<int>(std::bit_width(value));  // >= kSubBucketBits + 1
  if (width > kMaxValueBits + 1) return kBucketCount - 1;
  const int shift = width - kSubBucketBits;
  const std::uint64_t mantissa = value >> shift;  // in [kExactLimit / 2, kExactLimit)
  return kExactLimit + static_cast<std::size_t>(shift - 1) * kBucketsPerOctave +
         static_cast<std::size_t>(mantissa - kBucketsPerOctave);
}

std::uint64_t Histogram::BucketLow(std::size_t index) {
  if (index < kExactLimit) return index;
  const std::size_t j = index - kExactLimit;
  const int shift = static_cast<int>(j / kBucketsPerOctave) + 1;
  const std::uint64_t mantissa = j % kBucketsPerOctave + kBucketsPerOctave;
  return mantissa << shift;
}

std::uint64_t Histogram::BucketHigh(std::size_t index) {
  if (index < kExactLimit) return index;
  const std::size_t j = index - kExactLimit;
  const int shift = static_cast<int>(j / kBucketsPerOctave) + 1;
  const std::uint64_t mantissa = j % kBucketsPerOctave + kBucketsPerOctave;
  return ((mantissa + 1) << shift) - 1;
}

void Histogram::Record(core::Micros value) {
  const std::uint64_t v = value.count() < 0 ? 0 : static_cast<std::uint64_t>(value.count());
  ++buckets_[BucketIndex(v)];
  min_ = count_ == 0 ? v : std::min(min_, v);
  max_ = std::max(max_, v);
  ++count_;
}

void Histogram::Merge(const Histogram& other) {
  if (other.count_ == 0) return;
  for (std::size_t i = 0; i < kBucketCount; ++i) buckets_[i] += other.buckets_[i];
  min_ = count_ == 0 ? other.min_ : std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  count_ += other.count_;
}

core::Micros Histogram::Percentile(double q) const {
  if (count_ == 0) return core::Micros(0);
  const double clamped = std::clamp(q, 0.0, 1.0);
  auto rank = static_cast<std::uint64_t>(std::ceil(clamped * static_cast<double>(count_)));
  rank = std::clamp<std::uint64_t>(rank, 1, count_);
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < kBucketCount; ++i) {
    seen += buckets_[i];
    if (seen >= rank) {
      if (i == kBucketCount - 1) return Max();
      const std::uint64_t high = std::max(std::min(BucketHigh(i), max_), min_);
      return core::Micros(static_cast<core::Micros::rep>(high));
    }
  }
  return Max();
}

LatencySummary Summarize(const Histogram& histogram) {
  return LatencySummary{histogram.Count(), histogram.Percentile(0.50), histogram.Percentile(0.90),
                        histogram.Percentile(0.99), histogram.Max()};
}

}  // namespace multihook::delivery
