#include "mock_server/delivery/http_transport.hpp"

#include <catch2/catch.hpp>

#include "harness/scripted_receiver.hpp"
#include "mock_server/app/system_clock.hpp"
#include "tests/support/garbage_server.hpp"
#include "tests/support/test_certificate.hpp"

namespace multihook::delivery {
namespace {

using harness::Answer;
using harness::ScriptedReceiver;
using std::chrono::milliseconds;

std::unique_ptr<ScriptedReceiver> StartReceiver(harness::ReceiverOptions options = {}) {
  auto receiver = ScriptedReceiver::Start(std::move(options));
  if (!receiver.ok()) FAIL(receiver.status().ToString());
  return std::move(*receiver);
}

OutgoingRequest Post(std::string url,
                     std::string body = R"({"object":"whatsapp_business_account"})") {
  return OutgoingRequest{std::move(url),
                         {{"Content-Type", "application/json"}, {"X-Token", "t0k"}},
                         std::move(body),
                         std::chrono::seconds(5)};
}

// The transport is declared last so that its pooled connections close before receivers stop.
struct Fixture {
  app::SystemClock clock;
  std::unique_ptr<ScriptedReceiver> receiver = StartReceiver();
  HttpTransport transport{clock, {}};
};

TEST_CASE("A delivery is one POST with a Content-Length body and the configured headers",
          "[transport]") {
  Fixture f;
  const std::string body = R"({"object":"whatsapp_business_account","entry":[{"id":"1","ü":"✓"}]})";
  auto result = f.transport.Send(Post(f.receiver->BaseUrl() + "/hooks/wa?x=1", body));
  CHECK(result.error == ErrorClass::kNone);
  CHECK(result.status == 200);
  auto got = f.receiver->WaitForRequests(1);
  REQUIRE(got.ok());
  const auto& request = got->at(0);
  CHECK(request.method == "POST");
  CHECK(request.path == "/hooks/wa?x=1");
  CHECK(request.body == body);  // byte-identical
  CHECK(request.Header("Content-Length") == std::to_string(body.size()));
  CHECK(request.Header("Transfer-Encoding").empty());
  CHECK(request.Header("Content-Type") == "application/json");
  CHECK(request.Header("X-Token") == "t0k");
}

TEST_CASE("A route sends a real-looking host to a local receiver, keeping path and Host",
          "[transport][route]") {
  Fixture f;
  auto route = core::ParseHostRoute("CRM.example.com=" + f.receiver->BaseUrl());
  REQUIRE(route.ok());
  f.transport.SetRoute(*route);
  auto result = f.transport.Send(Post("https://crm.example.com/hooks/wa"));
  CHECK(result.status == 200);
  auto got = f.receiver->WaitForRequests(1);
  REQUIRE(got.ok());
  CHECK(got->at(0).path == "/hooks/wa");
  CHECK(got->at(0).Header("Host") == "crm.example.com");
  REQUIRE(f.transport.Routes().size() == 1);
  CHECK(f.transport.Routes()[0].ToString() == "crm.example.com=" + f.receiver->BaseUrl());
}

// A URL is resolved (parsed, routed) once and reused; a route changed since must not be missed.
TEST_CASE("A changed route applies from the next delivery to the same URL", "[transport][route]") {
  Fixture f;
  auto other = StartReceiver();
  auto first = core::ParseHostRoute("crm.example.com=" + f.receiver->BaseUrl());
  auto second = core::ParseHostRoute("crm.example.com=" + other->BaseUrl());
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  f.transport.SetRoute(*first);
  CHECK(f.transport.Send(Post("https://crm.example.com:8443/hooks/wa")).status == 200);
  f.transport.SetRoute(*second);
  CHECK(f.transport.Send(Post("https://crm.example.com:8443/hooks/wa")).status == 200);
  auto got = other->WaitForRequests(1);
  REQUIRE(got.ok());
  CHECK(got->at(0).Header("Host") == "crm.example.com:8443");
  CHECK(f.receiver->RequestCount() == 1);
  f.transport.CloseIdleConnections();  // before `other` stops: it would wait out the keep-alive
}

TEST_CASE("Connections are reused, and closed when the mock is reset", "[transport][reset]") {
  Fixture f;
  const std::string url = f.receiver->BaseUrl() + "/hook";
  REQUIRE(f.transport.Send(Post(url)).status == 200);
  REQUIRE(f.transport.Send(Post(url)).status == 200);
  f.transport.CloseIdleConnections();
  REQUIRE(f.transport.Send(Post(url)).status == 200);
  auto got = f.receiver->WaitForRequests(3);
  REQUIRE(got.ok());
  // The peer's port names the connection: the same for a reused one, new after the close.
  const std::string first = got->at(0).Header("REMOTE_PORT");
  REQUIRE_FALSE(first.empty());
  CHECK(got->at(1).Header("REMOTE_PORT") == first);
  CHECK(got->at(2).Header("REMOTE_PORT") != first);
}

TEST_CASE("Statuses are reported as answered; redirects are not followed", "[transport]") {
  Fixture f;
  const int status = GENERATE(200, 201, 204, 302, 404, 500, 503);
  f.receiver->Script({Answer::Status(status)});
  auto result = f.transport.Send(Post(f.receiver->BaseUrl() + "/hook"));
  CHECK(result.error == ErrorClass::kNone);
  CHECK(result.status == status);
  CHECK(f.receiver->RequestCount() == 1);
}

TEST_CASE("Failures are classified: timeout, reset, refused", "[transport]") {
  Fixture f;
  SECTION("an answer later than the timeout") {
    f.receiver->Script({Answer::Delayed(milliseconds(400))});
    auto request = Post(f.receiver->BaseUrl() + "/hook");
    request.timeout = milliseconds(100);
    auto result = f.transport.Send(request);
    CHECK(result.error == ErrorClass::kTimeout);
    CHECK(result.status == 0);
  }
  SECTION("a connection closed mid-answer") {
    f.receiver->Script({Answer::Reset()});
    auto result = f.transport.Send(Post(f.receiver->BaseUrl() + "/hook"));
    CHECK(result.error == ErrorClass::kReset);
  }
  SECTION("nobody listening") {
    const std::string gone = f.receiver->BaseUrl();
    f.receiver->Stop();
    auto result = f.transport.Send(Post(gone + "/hook"));
    CHECK(result.error == ErrorClass::kConnect);
  }
  // The transport keeps working after each failure.
  f.receiver = StartReceiver();
  CHECK(f.transport.Send(Post(f.receiver->BaseUrl() + "/hook")).status == 200);
}

TEST_CASE("A peer that answers garbage is a failed delivery, not a crash", "[transport]") {
  testing::GarbageServer garbage;
  app::SystemClock clock;
  HttpTransport transport(clock, {});
  for (int i = 0; i < 3; ++i) {
    auto result = transport.Send(Post(garbage.BaseUrl() + "/hook"));
    CHECK(result.status == 0);
    // A malformed answer is told apart from a reset (bytes came, not HTTP).
    INFO(result.detail);
    CHECK(ErrorClassName(result.error) == "protocol");
    CHECK(result.detail.rfind("malformed HTTP answer", 0) == 0);
  }
  CHECK(garbage.accepted() == 3);
}

TEST_CASE("A reset after a good answer on the same connection is still a reset", "[transport]") {
  Fixture f;
  f.receiver->Script({Answer::Status(200), Answer::Reset(), Answer::Status(200)});
  CHECK(f.transport.Send(Post(f.receiver->BaseUrl() + "/hook")).status == 200);
  // The pooled connection has already received the first answer's bytes: only this request's
  // count, and the status line it did parse, decide.
  CHECK(ErrorClassName(f.transport.Send(Post(f.receiver->BaseUrl() + "/hook")).error) == "reset");
  CHECK(f.transport.Send(Post(f.receiver->BaseUrl() + "/hook")).status == 200);
}

TEST_CASE("Huge answers are read up to a bound and still count", "[transport]") {
  Fixture f;
  f.receiver->Script({Answer{Answer::Kind::kRespond, 200, {}, std::string(4 << 20, 'x')}});
  auto result = f.transport.Send(Post(f.receiver->BaseUrl() + "/hook"));
  CHECK(result.error == ErrorClass::kNone);
  CHECK(result.status == 200);
  CHECK(f.transport.Send(Post(f.receiver->BaseUrl() + "/hook")).status == 200);
}

TEST_CASE("HTTPS destinations: trusted CA, untrusted, insecure", "[transport][tls]") {
  testing::TestCertificate cert;
  harness::ReceiverOptions options;
  options.cert_file = cert.cert_file();
  options.key_file = cert.key_file();
  auto receiver = StartReceiver(options);
  app::SystemClock clock;

  HttpTransportOptions trusted;
  trusted.ca_file = cert.cert_file();
  HttpTransport with_ca(clock, trusted);
  CHECK(with_ca.Send(Post(receiver->BaseUrl() + "/hook")).status == 200);

  HttpTransport untrusted(clock, {});
  auto refused = untrusted.Send(Post(receiver->BaseUrl() + "/hook"));
  CHECK(refused.error == ErrorClass::kTls);

  HttpTransportOptions insecure;
  insecure.insecure = true;
  HttpTransport skip(clock, insecure);
  CHECK(skip.Send(Post(receiver->BaseUrl() + "/hook")).status == 200);
  CHECK(receiver->RequestCount() == 2);
}

TEST_CASE("Route specs are parsed strictly", "[transport][route]") {
  const auto [spec, expected] = GENERATE(table<std::string, std::string>({
      {"hook.example.com=http://127.0.0.1:8081", "hook.example.com=http://127.0.0.1:8081"},
      {"Hook.Example.com=https://localhost", "hook.example.com=https://localhost:443"},
      {"v6.example.com=http://[::1]:9000", "v6.example.com=http://[::1]:9000"},
      {"my_hook.local=http://127.0.0.1:80", "my_hook.local=http://127.0.0.1:80"},
      {"nohost", "invalid_argument: expected HOST=http[s]://ADDR:PORT, got 'nohost'"},
      {"=http://127.0.0.1:1",
       "invalid_argument: expected HOST=http[s]://ADDR:PORT, got '=http://127.0.0.1:1'"},
      {"a.com:80=http://127.0.0.1:1", "invalid_argument: route host 'a.com:80' is not a host name"},
      {"a.com=ftp://127.0.0.1:1", "invalid_argument: route target must be http:// or https://"},
      {"a.com=http://127.0.0.1:1/path",
       "invalid_argument: route target must not have a path (the webhook URL's path is kept)"},
      {"a.com=127.0.0.1:1",
       "invalid_argument: route target: URL has no scheme (expected https://host/...)"},
  }));
  auto route = core::ParseHostRoute(spec);
  CHECK((route.ok() ? route->ToString() : route.status().ToString()) == expected);
}

}  // namespace
}  // namespace multihook::delivery
