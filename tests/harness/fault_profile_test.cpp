// FaultProfile (row N6): the draw is a pure function of (seed, index), its mix and latency follow
// the profile, the JSON is read strictly, and a receiver answers from it over real sockets.
#include "harness/fault_profile.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

#include "harness/scripted_receiver.hpp"

namespace multihook::harness {
namespace {

constexpr char kSample[] =
    R"({"seed": 7, "p500": 0.05, "p429": 0.02, "p_reset": 0.01, "p_timeout": 0.01,
        "p_garbage": 0.01, "delay_ms": {"p50": 20, "p99": 400}})";

FaultProfile Sample() {
  auto profile = ParseFaultProfileText(kSample);
  REQUIRE(profile.ok());
  return *profile;
}

std::string Describe(const Answer& a) {
  return std::to_string(static_cast<int>(a.kind)) + "/" + std::to_string(a.status) + "/" +
         std::to_string(a.delay.count());
}

std::vector<std::string> Sequence(const FaultProfile& profile, std::uint64_t n) {
  std::vector<std::string> out;
  for (std::uint64_t i = 0; i < n; ++i) out.push_back(Describe(profile.Draw(i)));
  return out;
}

TEST_CASE("The same seed gives the same answers; another seed other ones", "[harness][faults]") {
  const FaultProfile a = Sample();
  const FaultProfile b = Sample();  // parsed again: nothing carried over between the two
  CHECK(Sequence(a, 2000) == Sequence(b, 2000));
  // Index order does not matter: request 1500 gets its answer whatever was drawn before.
  CHECK(Describe(a.Draw(1500)) == Sequence(b, 2000)[1500]);
  FaultProfile other = a;
  other.seed = 8;
  CHECK(Sequence(a, 2000) != Sequence(other, 2000));
}

TEST_CASE("The draw is fixed across builds: seed 7's first faults", "[harness][faults]") {
  // Pinned so that a change of the hash (which would change every partner's recorded run) shows.
  const FaultProfile profile = Sample();
  std::string picks;
  for (std::uint64_t i = 0; i < 200; ++i) {
    if (profile.Pick(i) != Fault::kNone) {
      picks += std::to_string(i) + ":" + std::string(FaultName(profile.Pick(i))) + " ";
    }
  }
  CHECK(picks ==
        "26:500 40:500 46:500 48:reset 54:429 55:500 71:500 79:500 102:timeout 108:429 111:500 "
        "121:500 123:garbage 131:500 134:timeout 140:500 143:500 151:garbage 160:500 181:429 "
        "185:timeout 190:429 194:garbage ");
}

TEST_CASE("Faults and delays follow the profile's proportions", "[harness][faults]") {
  FaultProfile profile = Sample();
  profile.p500 = 0.2;
  profile.p_timeout = 0.1;
  constexpr int kDraws = 200'000;
  std::map<Fault, int> counts;
  std::vector<long> delays;
  for (int i = 0; i < kDraws; ++i) {
    ++counts[profile.Pick(i)];
    delays.push_back(static_cast<long>(profile.Delay(i).count()));
  }
  const auto share = [&](Fault f) { return static_cast<double>(counts[f]) / kDraws; };
  CHECK(share(Fault::k500) == Approx(0.2).margin(0.005));
  CHECK(share(Fault::k429) == Approx(0.02).margin(0.002));
  CHECK(share(Fault::kReset) == Approx(0.01).margin(0.002));
  CHECK(share(Fault::kTimeout) == Approx(0.1).margin(0.005));
  CHECK(share(Fault::kGarbage) == Approx(0.01).margin(0.002));
  std::sort(delays.begin(), delays.end());
  CHECK(delays[kDraws / 2] == Approx(20).margin(1));
  CHECK(delays[kDraws * 99 / 100] == Approx(400).margin(4));
  CHECK(delays.back() <= 2 * 400 - 20);
  // What each fault is made into.
  for (std::uint64_t i = 0; i < 500; ++i) {
    const Answer answer = profile.Draw(i);
    switch (profile.Pick(i)) {
      case Fault::kTimeout:
        CHECK(answer.delay == profile.timeout);
        CHECK(answer.status == 200);
        break;
      case Fault::kReset:
        CHECK(answer.kind == Answer::Kind::kReset);
        break;
      case Fault::kGarbage:
        CHECK(answer.kind == Answer::Kind::kGarbage);
        break;
      default:
        CHECK(answer.delay == profile.Delay(i));
    }
  }
}

TEST_CASE("A profile is read strictly, errors at their JSON pointer", "[harness][faults]") {
  using Row = std::tuple<std::string, std::string>;
  const auto [text, error] = GENERATE(table<std::string, std::string>({
      Row{R"({"seed": 1, "p503": 0.1})", "invalid_argument at /p503: unknown field"},
      Row{R"({"p500": 1.5})", "invalid_argument at /p500: probability must be from 0 to 1"},
      Row{R"({"p429": -0.1})", "invalid_argument at /p429: probability must be from 0 to 1"},
      Row{R"({"p500": "0.1"})", "invalid_argument at /p500: expected a number, got string"},
      Row{R"({"p500": 0.6, "p429": 0.3, "p_reset": 0.2})",
          "invalid_argument at /p_reset: probabilities sum to 1.1, over 1"},
      Row{R"({"seed": -1})",
          "invalid_argument at /seed: expected a whole number from 0 to "
          "18446744073709551615"},
      Row{R"({"delay_ms": {"p50": 30, "p99": 10}})",
          "invalid_argument at /delay_ms/p99: p99 is less than p50"},
      Row{R"({"delay_ms": {"p90": 30}})", "invalid_argument at /delay_ms/p90: unknown field"},
      Row{R"({"timeout_ms": 1.5})",
          "invalid_argument at /timeout_ms: expected a whole number, got number"},
      Row{R"([1])", "invalid_argument: expected an object, got array"},
  }));
  CAPTURE(text);
  const auto profile = ParseFaultProfileText(text);
  REQUIRE_FALSE(profile.ok());
  CHECK(profile.status().ToString() == error);
}

TEST_CASE("Probabilities may sum to exactly 1; absent keys are no fault", "[harness][faults]") {
  auto all = ParseFaultProfileText(R"({"p500": 0.7, "p429": 0.2, "p_reset": 0.1})");
  REQUIRE(all.ok());
  for (std::uint64_t i = 0; i < 1000; ++i) CHECK(all->Pick(i) != Fault::kNone);
  auto none = ParseFaultProfileText("{}");
  REQUIRE(none.ok());
  for (std::uint64_t i = 0; i < 1000; ++i) CHECK(none->Draw(i).status == 200);
  // Nested under a scenario's receiver, the pointer says where.
  auto nested = ParseFaultProfile(codec::Json::parse(R"({"p500": 2})"), "/receivers/1/faults");
  CHECK(nested.status().ToString() ==
        "invalid_argument at /receivers/1/faults/p500: probability must be from 0 to 1");
}

TEST_CASE("A receiver answers from its profile, in arrival order", "[harness][faults][receiver]") {
  auto profile = ParseFaultProfileText(
      R"({"seed": 3, "p500": 0.2, "p429": 0.1, "p_reset": 0.1, "p_garbage": 0.1,
          "delay_ms": {"p50": 0, "p99": 2}})");
  REQUIRE(profile.ok());
  auto receiver = ScriptedReceiver::Start();
  REQUIRE(receiver.ok());
  (*receiver)->Script({Answer::Status(204)});  // the script goes first, then the profile
  ApplyFaults(**receiver, *profile);
  httplib::Client client((*receiver)->BaseUrl());
  client.set_read_timeout(5);
  auto scripted = client.Post("/hook", "{}", "application/json");
  REQUIRE(scripted);
  CHECK(scripted->status == 204);
  for (std::uint64_t i = 0; i < 60; ++i) {
    CAPTURE(i, FaultName(profile->Pick(i)));
    auto res = client.Post("/hook", "{}", "application/json");
    switch (profile->Pick(i)) {
      case Fault::kReset:
      case Fault::kGarbage:
        CHECK_FALSE(res);  // no answer a client can read
        break;
      default:
        REQUIRE(res);
        CHECK(res->status == profile->Draw(i).status);
        if (res->status == 429) CHECK(res->get_header_value("Retry-After") == "1");
    }
  }
  CHECK((*receiver)->RequestCount() == 61);
}

}  // namespace
}  // namespace multihook::harness
