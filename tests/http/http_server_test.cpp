// HttpServer's limits and its resistance to slow clients, over real sockets on ephemeral ports:
// raw requests (a client library would refuse to send most of them), bounded waits, no sleeps.
#include "mock_server/http/http_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "mock_server/http/error_mapping.hpp"
#include "mock_server/http/request_head.hpp"
#include "mock_server/http/route.hpp"

namespace multihook::http {
namespace {

using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

// A connected socket; closes on destruction.
class RawClient {
 public:
  explicit RawClient(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
  }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;
  ~RawClient() { ::close(fd_); }

  void Send(const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
      const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;  // the server closed (e.g. after a 431): the answer is what counts
      sent += static_cast<std::size_t>(n);
    }
  }
  // Reads until `done(received)` holds, the server closes, or `timeout` passes.
  template <typename Done>
  std::string ReadUntil(Done done, milliseconds timeout) {
    const auto deadline = SteadyClock::now() + timeout;
    while (!done(received_)) {
      const auto left =
          std::chrono::duration_cast<milliseconds>(deadline - SteadyClock::now()).count();
      pollfd p{fd_, POLLIN, 0};
      if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) <= 0) break;
      char buffer[4096];
      const ssize_t n = ::recv(fd_, buffer, sizeof(buffer), 0);
      if (n <= 0) {
        closed_ = true;
        break;
      }
      received_.append(buffer, static_cast<std::size_t>(n));
    }
    return received_;
  }
  // One whole answer (headers + Content-Length body), or what came within `timeout`.
  std::string ReadAnswer(milliseconds timeout = milliseconds(5'000)) {
    return ReadUntil(
        [](const std::string& r) {
          const std::size_t end = r.find("\r\n\r\n");
          if (end == std::string::npos) return false;
          const std::size_t cl = r.find("Content-Length: ");
          if (cl == std::string::npos || cl > end) return true;
          return r.size() >= end + 4 + std::stoul(r.substr(cl + 16));
        },
        timeout);
  }
  bool WaitClosed(milliseconds timeout) {
    ReadUntil([](const std::string&) { return false; }, timeout);
    return closed_;
  }

 private:
  int fd_;
  std::string received_;
  bool closed_ = false;
};

int StatusOf(const std::string& answer) {
  return answer.size() >= 12 ? std::stoi(answer.substr(9, 3)) : 0;
}

std::string BodyOf(const std::string& answer) {
  const std::size_t end = answer.find("\r\n\r\n");
  return end == std::string::npos ? "" : answer.substr(end + 4);
}

// The provider's {"error": "..."} shape.
bool IsErrorShape(const std::string& body) {
  const auto json = nlohmann::json::parse(body, nullptr, false);
  return json.is_object() && json.size() == 1 && json.contains("error") &&
         json.at("error").is_string();
}

std::unique_ptr<HttpServer> StartServer(ServerOptions options) {
  auto server = HttpServer::Start(options, [](httplib::Server& s) {
    const std::vector<Route> routes = {
        {"GET", "/ping", "/ping",
         [](const httplib::Request&, httplib::Response& res) {
           res.set_content("pong", "text/plain");
         },
         1024},
        {"POST", "/echo", "/echo",
         [](const httplib::Request& req, httplib::Response& res) {
           res.set_content(req.body, "text/plain");
         },
         1024},
    };
    InstallCommonHandlers(s, routes);
    InstallRoutes(s, routes);
  });
  REQUIRE(server.ok());
  return std::move(*server);
}

std::string Headers(std::size_t count, std::size_t value_bytes) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    out += "X-H" + std::to_string(i) + ": " + std::string(value_bytes, 'v') + "\r\n";
  }
  return out;
}

TEST_CASE("Oversized request heads get 431 in the provider's error shape", "[http][limits]") {
  auto server = StartServer({});
  const auto [what, headers, status] = GENERATE(table<std::string, std::string, int>({
      {"one 64 KB header", "X-Big: " + std::string(64 * 1024, 'a') + "\r\n", 431},
      {"a header line of 8 KiB + 1", "X-Big: " + std::string(8 * 1024 - 8, 'a') + "\r\n", 431},
      {"101 headers", Headers(101, 8), 431},
      {"40 headers of 1 KB (40 KB in all)", Headers(40, 1024), 431},
      {"100 headers (the limit)", Headers(99, 8), 200},  // + Host
      {"a header line of 8 KiB", "X-Big: " + std::string(8 * 1024 - 9, 'a') + "\r\n", 200},
  }));
  INFO(what);
  RawClient client(server->port());
  client.Send("GET /ping HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n");
  const std::string answer = client.ReadAnswer();
  CHECK(StatusOf(answer) == status);
  if (status == 431) {
    CHECK(IsErrorShape(BodyOf(answer)));
    CHECK(client.WaitClosed(milliseconds(5'000)));
  }
}

TEST_CASE("The header count limit is an option", "[http][limits]") {
  ServerOptions options;
  options.head_limits.max_headers = 3;
  auto server = StartServer(options);
  RawClient client(server->port());
  client.Send("GET /ping HTTP/1.1\r\nHost: x\r\n" + Headers(3, 1) + "\r\n");
  const std::string answer = client.ReadAnswer();
  CHECK(StatusOf(answer) == 431);
  CHECK(BodyOf(answer) == R"({"error":"invalid_argument: more than 3 request headers"})");
}

TEST_CASE("Bodies over the limit keep 413 (announced or chunked)", "[http][limits]") {
  ServerOptions options;
  options.max_body_bytes = 1024;  // the route limit (InstallCommonHandlers) is 1024 too
  auto server = StartServer(options);
  RawClient client(server->port());
  SECTION("announced, refused before it is sent") {
    client.Send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n");
  }
  SECTION("announced and sent") {
    client.Send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n" +
                std::string(5000, 'b') + "GET /ping HTTP/1.1\r\nHost: x\r\n\r\n");
  }
  SECTION("chunked") {
    client.Send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n7d0\r\n" +
                std::string(2000, 'b') + "\r\n0\r\n\r\n");
  }
  const std::string answer = client.ReadAnswer();
  CHECK(StatusOf(answer) == 413);
  CHECK(IsErrorShape(BodyOf(answer)));
  // The refused body's bytes are never taken for a next request.
  CHECK(client.WaitClosed(milliseconds(5'000)));
  CHECK(client.ReadAnswer(milliseconds(0)).find("pong") == std::string::npos);
}

TEST_CASE("A request line over 8 KiB keeps 414", "[http][limits]") {
  auto server = StartServer({});
  RawClient client(server->port());
  client.Send("GET /" + std::string(9000, 'p') + " HTTP/1.1\r\nHost: x\r\n\r\n");
  const std::string answer = client.ReadAnswer();
  CHECK(StatusOf(answer) == 414);
  CHECK(IsErrorShape(BodyOf(answer)));
}

TEST_CASE("100 clients trickling a request line do not delay a normal request",
          "[http][slowloris]") {
  ServerOptions options;
  options.threads = 4;  // far fewer threads than slow clients
  auto server = StartServer(options);
  std::vector<std::unique_ptr<RawClient>> slow;
  for (int i = 0; i < 100; ++i) {
    slow.push_back(std::make_unique<RawClient>(server->port()));
    slow.back()->Send("GET /pi");
  }
  for (auto& c : slow) c->Send("n");  // still trickling
  const auto start = SteadyClock::now();
  RawClient normal(server->port());
  normal.Send("GET /ping HTTP/1.1\r\nHost: x\r\n\r\n");
  const std::string answer = normal.ReadAnswer(milliseconds(2'000));
  const auto took = std::chrono::duration_cast<milliseconds>(SteadyClock::now() - start);
  INFO("answered in " << took.count() << " ms: " << answer);
  CHECK(StatusOf(answer) == 200);
  CHECK(BodyOf(answer) == "pong");
  CHECK(took < milliseconds(2'000));
}

TEST_CASE("Idle keep-alive connections hold no thread", "[http][slowloris]") {
  ServerOptions options;
  options.threads = 2;
  auto server = StartServer(options);
  std::vector<std::unique_ptr<RawClient>> idle;
  for (int i = 0; i < 8; ++i) {
    idle.push_back(std::make_unique<RawClient>(server->port()));
    idle.back()->Send("GET /ping HTTP/1.1\r\nHost: x\r\n\r\n");
    REQUIRE(StatusOf(idle.back()->ReadAnswer()) == 200);
  }
  RawClient normal(server->port());
  normal.Send("GET /ping HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(StatusOf(normal.ReadAnswer(milliseconds(2'000))) == 200);
}

TEST_CASE("A request not received within the request timeout gets 408 and is closed",
          "[http][slowloris]") {
  ServerOptions options;
  options.request_timeout = milliseconds(200);
  auto server = StartServer(options);
  RawClient slow(server->port());
  slow.Send("GET /ping HTTP/1.1\r\nHost: x\r\n");
  const std::string answer = slow.ReadAnswer(milliseconds(5'000));
  CHECK(StatusOf(answer) == 408);
  CHECK(IsErrorShape(BodyOf(answer)));
  CHECK(slow.WaitClosed(milliseconds(5'000)));
}

TEST_CASE("Keep-alive and pipelined requests are all answered, in order", "[http]") {
  auto server = StartServer({});
  RawClient client(server->port());
  client.Send(
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\none"
      "GET /ping HTTP/1.1\r\nHost: x\r\n\r\n");
  const std::string both =
      client.ReadUntil([](const std::string& r) { return r.find("pong") != std::string::npos; },
                       milliseconds(5'000));
  const std::size_t first = both.find("one");
  const std::size_t second = both.find("pong");
  REQUIRE(first != std::string::npos);
  REQUIRE(second != std::string::npos);
  CHECK(first < second);
}

TEST_CASE("A body sent after the head, in pieces, is read whole", "[http]") {
  auto server = StartServer({});
  RawClient client(server->port());
  client.Send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\nab");
  client.Send("cd");
  client.Send("ef");
  CHECK(BodyOf(client.ReadAnswer()) == "abcdef");
}

TEST_CASE("ScanRequestHead finds the end of a head and its framing", "[http][limits]") {
  const HeadLimits limits;
  CHECK(ScanRequestHead("GET / HTTP/1.1\r\nHost: x\r\n", limits).state ==
        HeadScan::State::kIncomplete);
  const HeadScan done = ScanRequestHead("POST / HTTP/1.1\r\nContent-Length: 4\r\n\r\nbody", limits);
  CHECK(done.state == HeadScan::State::kComplete);
  CHECK(done.head_bytes == 38);
  CHECK(done.content_length == std::size_t{4});
  CHECK(ScanRequestHead(
            "POST / HTTP/1.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n", limits)
            .state == HeadScan::State::kMalformedFraming);
  CHECK(ScanRequestHead("GET / HTTP/1.1\r\nExpect: 100-continue\r\n\r\n", limits).expect_continue);
}

}  // namespace
}  // namespace multihook::http
