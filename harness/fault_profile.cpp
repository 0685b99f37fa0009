#include "harness/fault_profile.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <sstream>
#include <utility>

#include "harness/scripted_receiver.hpp"

namespace multihook::harness {
namespace {

using Millis = std::chrono::milliseconds;

// splitmix64 (Steele, Lea, Flood 2014): a fixed, well-mixed 64-bit hash. Spelled out here rather
// than taken from <random> so that the sequence is the same with every standard library.
std::uint64_t Mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// A uniform double in [0, 1) for (seed, index, stream); streams keep the fault and the delay
// draws independent.
double Uniform(std::uint64_t seed, std::uint64_t index, std::uint64_t stream) {
  const std::uint64_t bits = Mix(Mix(seed ^ Mix(stream)) ^ index);
  return static_cast<double>(bits >> 11) * 0x1.0p-53;
}

constexpr std::array<std::pair<const char*, double FaultProfile::*>, 5> kProbabilities = {{
    {"p500", &FaultProfile::p500},
    {"p429", &FaultProfile::p429},
    {"p_reset", &FaultProfile::p_reset},
    {"p_timeout", &FaultProfile::p_timeout},
    {"p_garbage", &FaultProfile::p_garbage},
}};
constexpr std::array<Fault, 5> kFaultOf = {Fault::k500, Fault::k429, Fault::kReset, Fault::kTimeout,
                                           Fault::kGarbage};

core::Result<double> ReadProbability(const codec::ObjectReader& object, std::string_view key) {
  const codec::Json* value = object.Find(key);
  if (value == nullptr) return 0.0;
  if (!value->is_number()) return codec::TypeError(object.PointerTo(key), "a number", *value);
  const double p = value->get<double>();
  if (!(p >= 0.0 && p <= 1.0)) {
    return core::InvalidArgument(object.PointerTo(key), "probability must be from 0 to 1");
  }
  return p;
}

// A whole number from 0 to `max`; `fallback` when absent.
core::Result<std::uint64_t> ReadCount(const codec::ObjectReader& object, std::string_view key,
                                      std::uint64_t max, std::uint64_t fallback) {
  const codec::Json* value = object.Find(key);
  if (value == nullptr) return fallback;
  if (value->is_number_unsigned()) {
    const auto n = value->get<std::uint64_t>();
    if (n <= max) return n;
  } else if (!value->is_number_integer()) {
    return codec::TypeError(object.PointerTo(key), "a whole number", *value);
  }
  return core::InvalidArgument(object.PointerTo(key),
                               "expected a whole number from 0 to " + std::to_string(max));
}

constexpr std::uint64_t kMaxDelayMs = 3'600'000;  // an hour: anything longer is a typo

core::Status ReadDelays(const codec::ObjectReader& object, FaultProfile& profile) {
  const codec::Json* delays = object.Find("delay_ms");
  if (delays == nullptr) return core::Status::Ok();
  MULTIHOOK_ASSIGN_OR_RETURN(
      auto reader,
      codec::ObjectReader::Open(*delays, object.PointerTo("delay_ms"), kFaultDelayKeys));
  MULTIHOOK_ASSIGN_OR_RETURN(const std::uint64_t p50, ReadCount(reader, "p50", kMaxDelayMs, 0));
  MULTIHOOK_ASSIGN_OR_RETURN(const std::uint64_t p99, ReadCount(reader, "p99", kMaxDelayMs, p50));
  if (p50 > p99) return core::InvalidArgument(reader.PointerTo("p99"), "p99 is less than p50");
  profile.delay_p50 = Millis(p50);
  profile.delay_p99 = Millis(p99);
  return core::Status::Ok();
}

}  // namespace

std::string_view FaultName(Fault fault) {
  switch (fault) {
    case Fault::kNone:
      return "ok";
    case Fault::k500:
      return "500";
    case Fault::k429:
      return "429";
    case Fault::kReset:
      return "reset";
    case Fault::kTimeout:
      return "timeout";
    case Fault::kGarbage:
      return "garbage";
  }
  return "ok";
}

Fault FaultProfile::Pick(std::uint64_t index) const {
  const double u = Uniform(seed, index, 1);
  double bound = 0;
  for (std::size_t i = 0; i < kProbabilities.size(); ++i) {
    bound += this->*kProbabilities[i].second;
    if (u < bound) return kFaultOf[i];
  }
  return Fault::kNone;
}

Millis FaultProfile::Delay(std::uint64_t index) const {
  const double u = Uniform(seed, index, 2);
  const double p50 = static_cast<double>(delay_p50.count());
  const double p99 = static_cast<double>(delay_p99.count());
  double ms = 0;
  if (u < 0.5) {
    ms = p50 * u / 0.5;
  } else if (u < 0.99) {
    ms = p50 + (p99 - p50) * (u - 0.5) / 0.49;
  } else {
    ms = p99 + (p99 - p50) * (u - 0.99) / 0.01;
  }
  return Millis(static_cast<Millis::rep>(std::floor(ms)));
}

Answer FaultProfile::Draw(std::uint64_t index) const {
  const Millis delay = Delay(index);
  switch (Pick(index)) {
    case Fault::kNone:
      return Answer::Delayed(delay, 200);
    case Fault::k500:
      return Answer::Delayed(delay, 500);
    case Fault::k429: {
      Answer answer = Answer::Delayed(delay, 429);
      answer.headers.emplace("Retry-After", "1");
      return answer;
    }
    case Fault::kReset: {
      Answer answer = Answer::Reset();
      answer.delay = delay;
      return answer;
    }
    case Fault::kTimeout:
      return Answer::Delayed(timeout, 200);
    case Fault::kGarbage: {
      Answer answer = Answer::Garbage();
      answer.delay = delay;
      return answer;
    }
  }
  return Answer::Delayed(delay, 200);
}

core::Result<FaultProfile> ParseFaultProfile(const codec::Json& value, std::string pointer) {
  MULTIHOOK_ASSIGN_OR_RETURN(
      auto object, codec::ObjectReader::Open(value, std::move(pointer), kFaultProfileKeys));
  FaultProfile profile;
  MULTIHOOK_ASSIGN_OR_RETURN(profile.seed, ReadCount(object, "seed", UINT64_MAX, 0));
  double sum = 0;
  for (const auto& [key, member] : kProbabilities) {
    MULTIHOOK_ASSIGN_OR_RETURN(profile.*member, ReadProbability(object, key));
    sum += profile.*member;
    // A little slack for decimal fractions that sum to exactly 1 on paper. The error points at
    // the probability that took the sum over 1.
    if (sum > 1.0 + 1e-9) {
      std::ostringstream reason;
      reason << "probabilities sum to " << sum << ", over 1";
      return core::InvalidArgument(object.PointerTo(key), reason.str());
    }
  }
  MULTIHOOK_RETURN_IF_ERROR(ReadDelays(object, profile));
  MULTIHOOK_ASSIGN_OR_RETURN(const std::uint64_t timeout_ms,
                             ReadCount(object, "timeout_ms", kMaxDelayMs, 6000));
  profile.timeout = Millis(timeout_ms);
  return profile;
}

core::Result<FaultProfile> ParseFaultProfileText(std::string_view text) {
  MULTIHOOK_ASSIGN_OR_RETURN(const codec::Json json, codec::ParseBody(text));
  return ParseFaultProfile(json);
}

void ApplyFaults(ScriptedReceiver& receiver, FaultProfile profile) {
  receiver.AnswerFrom([profile](std::size_t index) { return profile.Draw(index); });
}

}  // namespace multihook::harness
