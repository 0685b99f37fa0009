// The control API's codec: every /mock body round-trips (encode -> decode -> equal, and
// documented text -> decode -> encode -> the same bytes), and decoding is strict.
#include "mock_server/codec/control_codec.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace multihook::codec::control {
namespace {

Attempt MainAttempt() {
  return Attempt{.event_id = "evt_0123456789abcdef",
                 .destination = "main",
                 .url = "https://main.example.com/wa",
                 .attempt = 1,
                 .gate = core::Gate::kOpen,
                 .status = 200,
                 .error = core::ErrorClass::kNone,
                 .detail = "",
                 .succeeded = true,
                 .started_at_us = 1767225600000000,
                 .duration_us = 1234};
}

Attempt TimedOutExtra() {
  Attempt a = MainAttempt();
  a.destination = "crm";
  a.url = "https://crm.example.com/wa";
  a.gate = core::Gate::kAfterMain;
  a.status = 0;
  a.error = core::ErrorClass::kTimeout;
  a.detail = "no answer within 5s";
  a.succeeded = false;
  return a;
}

// encode -> decode -> equal, and decode(encode) -> encode -> the same bytes.
template <typename T, typename DecodeFn>
void CheckRoundTrip(const T& value, DecodeFn decode) {
  const std::string text = Encode(value);
  auto decoded = decode(text);
  INFO(text);
  REQUIRE(decoded.ok());
  CHECK(*decoded == value);
  CHECK(Encode(*decoded) == text);
}

// Text as the mock writes it decodes and encodes back to the same bytes.
template <typename DecodeFn>
void CheckBytes(const std::string& text, DecodeFn decode) {
  auto decoded = decode(text);
  INFO(text);
  REQUIRE(decoded.ok());
  CHECK(Encode(*decoded) == text);
}

TEST_CASE("Journal pages round-trip, with status or error null", "[codec][control]") {
  CheckRoundTrip(JournalPage{{MainAttempt(), TimedOutExtra()}, true, 3}, DecodeJournalPage);
  CheckRoundTrip(JournalPage{}, DecodeJournalPage);
  CheckBytes(
      R"({"deliveries":[{"event_id":"evt_1","destination":"main","url":"https://a.example.com/",)"
      R"("attempt":2,"gate":"closed","status":null,"error":"connect","detail":"refused",)"
      R"("succeeded":false,"started_at_us":17,"duration_us":5}],"timed_out":false,"dropped":0})",
      DecodeJournalPage);
  CHECK(MainAttempt().Outcome() == "200");
  CHECK(TimedOutExtra().Outcome() == "timeout");
}

TEST_CASE("Event statuses round-trip with their states as enums", "[codec][control]") {
  Event event{.event_id = "evt_0123456789abcdef",
              .state = core::EventState::kDelivered,
              .detail = "",
              .extras = {Extra{"crm", core::ExtraState::kSucceeded, 1, 250},
                         Extra{"backup", core::ExtraState::kSkipped, 0, std::nullopt}},
              .attempts = {MainAttempt(), TimedOutExtra()},
              .type = std::nullopt,
              .body = std::nullopt,
              .signature = std::nullopt};
  CheckRoundTrip(event, DecodeEvent);
  auto decoded = DecodeEvent(Encode(event));
  REQUIRE(decoded.ok());
  REQUIRE(decoded->FindExtra("backup") != nullptr);
  CHECK(decoded->FindExtra("backup")->state == core::ExtraState::kSkipped);
  CHECK(decoded->FindExtra("nope") == nullptr);

  // What was delivered: kept (strings) or not (null), each key always present.
  event.type = "text";
  event.body = R"({"object":"whatsapp_business_account"})";
  event.signature = std::string(64, 'a');
  CheckRoundTrip(event, DecodeEvent);
  event.signature.reset();
  CheckRoundTrip(event, DecodeEvent);
  const std::string encoded = Encode(event);
  CHECK_THAT(encoded, Catch::Contains(R"("signature":null)"));
  auto without = nlohmann::json::parse(encoded);
  without.erase("body");
  CHECK(DecodeEvent(without.dump()).status().ToString() ==
        "invalid_argument at /body: is required");
}

TEST_CASE("Stats round-trip, and only extras carry added latency", "[codec][control]") {
  Stats stats{.submitted = 4,
              .delivered = 3,
              .expired = 1,
              .undeliverable = 0,
              .in_progress = 0,
              .journal_dropped = 0,
              .destinations = {DestinationStats{"100000000000001",
                                                "main",
                                                5,
                                                4,
                                                {{"200", 4}, {"500", 1}},
                                                Latency{5, 100, 200, 300, 400},
                                                std::nullopt},
                               DestinationStats{"100000000000001",
                                                "crm",
                                                4,
                                                4,
                                                {{"200", 4}},
                                                Latency{4, 1, 2, 3, 4},
                                                Latency{4, 10, 20, 30, 40}}}};
  CheckRoundTrip(stats, DecodeStats);
}

TEST_CASE("Clock, routes, changes, channels and the small answers round-trip", "[codec][control]") {
  CheckRoundTrip(ClockState{ClockMode::kVirtual, 1767225600000000, std::nullopt}, DecodeClock);
  CheckRoundTrip(ClockState{ClockMode::kReal, 5, 12}, DecodeClock);
  CheckRoundTrip(Routes{{"main.example.com=http://127.0.0.1:8081"}}, DecodeRoutes);
  CheckRoundTrip(ChangeLog{{Change{1, "k", "POST", "/multi_webhook", 10, 20, true, {"w"}, {}}}, 2},
                 DecodeChangeLog);
  CheckRoundTrip(InboundAnswer{"evt_1", "wamid.X"}, DecodeInboundAnswer);
  CheckRoundTrip(InboundAnswer{"evt_1", std::nullopt}, DecodeInboundAnswer);
  CheckRoundTrip(FlushAnswer{2}, DecodeFlushAnswer);
  const core::ChannelIdentity channel{"key", "100000000000001", "+1 555 0100", "200000000000001"};
  CheckRoundTrip(channel, DecodeChannel);
  CheckRoundTrip(std::vector<core::ChannelIdentity>{channel, channel}, DecodeChannels);
  CheckBytes(R"({"clock":"virtual","timeout":"1s","seed":42})", DecodeOptions);
  CHECK(DecodeMessage(EncodeMessage("state reset")).value() == "state reset");
  CHECK(DecodeRouteRequest(EncodeRouteRequest("a.example.com=http://127.0.0.1:1")).value() ==
        "a.example.com=http://127.0.0.1:1");
  CHECK(DecodeAdvanceRequest(EncodeAdvanceRequest(kMaxAdvanceMs)).value() == kMaxAdvanceMs);
  CHECK(DecodeError(R"({"error":"not_found at /x: gone"})").value() == "not_found at /x: gone");
}

TEST_CASE("Decoding is strict and names the JSON pointer", "[codec][control]") {
  using Row = std::tuple<std::string, std::string>;
  const std::string attempt = Encode(JournalPage{{MainAttempt()}, false, 0});
  const auto replaced = [&](const std::string& from, const std::string& to) {
    std::string text = attempt;
    const std::size_t at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
  };
  auto [body, message] = GENERATE_COPY(table<std::string, std::string>({
      Row{replaced(R"("url":"https://main.example.com/wa",)", ""),
          "invalid_argument at /deliveries/0/url: is required"},
      Row{replaced(R"("attempt":1)", R"("attempt":"1")"),
          "invalid_argument at /deliveries/0/attempt: expected an integer, got string"},
      Row{replaced(R"("gate":"open")", R"("gate":"ajar")"),
          "invalid_argument at /deliveries/0/gate: unknown gate 'ajar'"},
      Row{replaced(R"("error":null)", R"("error":"timeout")"),
          "invalid_argument at /deliveries/0/status: exactly one of status and error must be "
          "null"},
      Row{replaced(R"("timed_out":false)", R"("timed_out":false,"extra":1)"),
          "invalid_argument at /extra: unknown field"},
      Row{R"({"deliveries":[],"timed_out":false})", "invalid_argument at /dropped: is required"},
  }));
  INFO(body);
  auto decoded = DecodeJournalPage(body);
  REQUIRE_FALSE(decoded.ok());
  CHECK(decoded.status().ToString() == message);
}

TEST_CASE("Unknown state names are errors, never a default state", "[codec][control]") {
  Event event;
  event.event_id = "evt_1";
  event.state = core::EventState::kRetrying;
  std::string text = Encode(event);
  text.replace(text.find("retrying"), 8, "retried");
  CHECK(DecodeEvent(text).status().ToString() ==
        "invalid_argument at /state: unknown event state 'retried'");
  CHECK(DecodeClock(R"({"mode":"fast","now_us":1})").status().ToString() ==
        "invalid_argument at /mode: unknown clock mode 'fast'");
  CHECK(!DecodeOptions("[]").ok());
}

}  // namespace
}  // namespace multihook::codec::control
