#include "mock_server/delivery/recording_transport.hpp"

#include <catch2/catch.hpp>

namespace multihook::delivery {
namespace {

OutgoingRequest To(std::string url) {
  return OutgoingRequest{std::move(url), {}, "{}", core::Micros(5'000'000)};
}

TEST_CASE("RecordingTransport plays its script, repeats the last reply, records in order",
          "[delivery][fake]") {
  core::ManualClock clock;
  RecordingTransport transport(&clock, RecordingTransport::Unscripted::kReplyDefaultAndFlag);
  transport.Script("https://a.example.com/",
                   {ScriptedReply::Status(500), ScriptedReply::Error(ErrorClass::kReset, "reset"),
                    ScriptedReply::Status(200, std::chrono::milliseconds(30))});

  CHECK(transport.Send(To("https://a.example.com/")).status == 500);
  const TransportResult reset = transport.Send(To("https://a.example.com/"));
  CHECK(reset.error == ErrorClass::kReset);
  CHECK(reset.detail == "reset");
  CHECK(transport.Send(To("https://a.example.com/")).status == 200);
  CHECK(clock.Elapsed() == std::chrono::milliseconds(30));
  CHECK(transport.Send(To("https://a.example.com/")).status == 200);  // last reply repeats
  CHECK(transport.Send(To("https://stray.example.com/")).status == 200);

  CHECK(transport.Count() == 5);
  CHECK(transport.RequestsTo("https://a.example.com/").size() == 4);
  CHECK(transport.Urls().back() == "https://stray.example.com/");
  CHECK(transport.Unexpected() == std::vector<std::string>{"https://stray.example.com/"});
  CHECK(ErrorClassName(ErrorClass::kTls) == "tls");
}

}  // namespace
}  // namespace multihook::delivery
