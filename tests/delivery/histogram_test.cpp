#include "mock_server/delivery/histogram.hpp"

#include <catch2/catch.hpp>

namespace multihook::delivery {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

TEST_CASE("Buckets are contiguous, exact below 128 us, and ~1.6 % wide above",
          "[delivery][histogram]") {
  CHECK(Histogram::BucketIndex(0) == 0);
  CHECK(Histogram::BucketIndex(127) == 127);
  CHECK(Histogram::BucketIndex(128) == 128);
  for (std::size_t i = 0; i + 1 < Histogram::kBucketCount; ++i) {
    INFO("bucket " << i);
    REQUIRE(Histogram::BucketHigh(i) + 1 == Histogram::BucketLow(i + 1));
    REQUIRE(Histogram::BucketIndex(Histogram::BucketLow(i)) == i);
    REQUIRE(Histogram::BucketIndex(Histogram::BucketHigh(i)) == i);
    const auto width = Histogram::BucketHigh(i) - Histogram::BucketLow(i) + 1;
    if (i < Histogram::kExactLimit) {
      REQUIRE(width == 1);
    } else {
      REQUIRE(width * 64 <= Histogram::BucketLow(i));
    }
  }
  CHECK(Histogram::BucketIndex(std::uint64_t{1} << 50) == Histogram::kBucketCount - 1);
}

TEST_CASE("Percentiles come from the buckets, within 1.6 %", "[delivery][histogram]") {
  Histogram h;
  CHECK(h.Percentile(0.5) == microseconds(0));
  CHECK(h.Count() == 0);
  for (int ms = 1; ms <= 1000; ++ms) h.Record(milliseconds(ms));
  CHECK(h.Count() == 1000);
  CHECK(h.Min() == milliseconds(1));
  CHECK(h.Max() == milliseconds(1000));
  const auto within = [](microseconds got, microseconds want) {
    return got >= want && got.count() <= want.count() + want.count() / 64;
  };
  CHECK(within(h.Percentile(0.50), milliseconds(500)));
  CHECK(within(h.Percentile(0.90), milliseconds(900)));
  CHECK(within(h.Percentile(0.99), milliseconds(990)));
  CHECK(h.Percentile(1.0) == milliseconds(1000));
  CHECK(within(h.Percentile(0.0), milliseconds(1)));

  const LatencySummary s = Summarize(h);
  CHECK(s.count == 1000);
  CHECK(s.p50 == h.Percentile(0.5));
  CHECK(s.max == milliseconds(1000));
}

TEST_CASE("A skewed distribution: the tail shows in p99, not in p50", "[delivery][histogram]") {
  Histogram h;
  for (int i = 0; i < 980; ++i) h.Record(microseconds(100));  // exact bucket
  for (int i = 0; i < 20; ++i) h.Record(milliseconds(5000));
  CHECK(h.Percentile(0.50) == microseconds(100));
  CHECK(h.Percentile(0.98) == microseconds(100));
  CHECK(h.Percentile(0.99) == milliseconds(5000));  // clamped to the exact max
  CHECK(h.Max() == milliseconds(5000));
}

TEST_CASE("Merge adds counts; negative values count as 0", "[delivery][histogram]") {
  Histogram a;
  Histogram b;
  a.Record(microseconds(10));
  b.Record(microseconds(20));
  b.Record(microseconds(-5));
  a.Merge(b);
  a.Merge(Histogram{});
  CHECK(a.Count() == 3);
  CHECK(a.Min() == microseconds(0));
  CHECK(a.Max() == microseconds(20));
  CHECK(a.Percentile(0.5) == microseconds(10));
}

}  // namespace
}  // namespace multihook::delivery
