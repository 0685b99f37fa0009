// Whole HTTP requests (method, target, headers, body) through the mock's route table in-process:
// the bytes go through cpp-httplib's request parser, the common handlers (404, 413, errors,
// exceptions) and every provider, delivery and control route of a MockProvider, with no socket.
// Input: method \0 target \0 header lines ("Name: value", one per line) \0 body. The demo
// channel's D360-API-KEY is added unless the input sets one; Content-Length unless the input sets
// it or Transfer-Encoding.
// Properties, per request: no crash and no 500 (an escaped exception); every answer of 400 or
// more has the provider's error shape ({"error"}, or {"meta"} on /v1/configs/webhook); a refused
// request changes no state (configs, pending changes, channels, routes, options, journal, stats
// all read the same before and after).
#include <atomic>
#include <memory>
#include <string>

#include "fuzz/fuzz_support.hpp"
#include "mock_server/app/mock_provider.hpp"
#include "mock_server/http/delivery_routes.hpp"

namespace {

namespace app = multihook::app;
namespace http = multihook::http;
using multihook::fuzz::IsErrorShape;
using multihook::fuzz::IsMetaErrorShape;

// One request in, the answer's bytes out.
class MemoryStream : public httplib::Stream {
 public:
  explicit MemoryStream(std::string_view in) : in_(in) {}
  using httplib::Stream::write;
  bool is_readable() const override { return true; }
  bool is_writable() const override { return true; }
  ssize_t read(char* ptr, size_t size) override {
    const std::size_t n = std::min(size, in_.size());
    in_.copy(ptr, n);
    in_.remove_prefix(n);
    return static_cast<ssize_t>(n);
  }
  ssize_t write(const char* ptr, size_t size) override {
    out_.append(ptr, size);
    return static_cast<ssize_t>(size);
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = "127.0.0.1";
    port = 40000;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip = "127.0.0.1";
    port = 8360;
  }
  socket_t socket() const override { return INVALID_SOCKET; }
  const std::string& out() const { return out_; }

 private:
  std::string_view in_;
  std::string out_;
};

// The mock's routes and common handlers on a server that is fed from memory.
class InProcessServer : public httplib::Server {
 public:
  explicit InProcessServer(const app::MockProvider& mock) {
    const std::vector<http::Route>& routes = mock.routes();
    http::InstallCommonHandlers(*this, routes);
    http::InstallRoutes(*this, routes);
  }
  struct Answer {
    int status = 0;
    std::string body;
    std::string raw;
  };
  Answer Handle(std::string_view request) {
    MemoryStream stream(request);
    bool closed = false;
    Answer answer;
    process_request(stream, /*close_connection=*/true, closed, [](httplib::Request&) {});
    answer.raw = stream.out();
    // "HTTP/1.1 NNN ...\r\n...\r\n\r\nbody"
    if (answer.raw.size() >= 12) answer.status = std::atoi(answer.raw.substr(9, 3).c_str());
    const std::size_t head_end = answer.raw.find("\r\n\r\n");
    if (head_end != std::string::npos) answer.body = answer.raw.substr(head_end + 4);
    return answer;
  }
};

struct Fixture {
  std::unique_ptr<app::MockProvider> mock;
  std::unique_ptr<InProcessServer> server;
};

Fixture& TheFixture() {
  static Fixture* fixture = [] {
    app::MockOptions options;
    options.port = 0;
    options.apply_delay = multihook::core::Micros(0);
    options.clock = app::ClockMode::kVirtual;
    options.seed = 7;
    options.delivery.timeout = std::chrono::milliseconds(200);
    auto mock = app::MockProvider::Start(options);
    if (!mock.ok()) multihook::fuzz::Fail("MockProvider::Start", mock.status().ToString());
    auto* f = new Fixture{std::move(*mock), nullptr};
    f->server = std::make_unique<InProcessServer>(*f->mock);
    return f;
  }();
  return *fixture;
}

std::string Request(std::string_view method, std::string_view target, std::string_view headers,
                    std::string_view body) {
  std::string out = std::string(method) + " " + std::string(target) + " HTTP/1.1\r\n";
  const bool has_key = headers.find("D360") != std::string_view::npos;
  const bool framed = headers.find("Content-Length") != std::string_view::npos ||
                      headers.find("Transfer-Encoding") != std::string_view::npos;
  if (!has_key) out += std::string("D360-API-KEY: ") + app::kDemoApiKey + "\r\n";
  std::size_t start = 0;
  while (start < headers.size()) {
    std::size_t end = headers.find('\n', start);
    if (end == std::string_view::npos) end = headers.size();
    out += std::string(headers.substr(start, end - start)) + "\r\n";
    start = end + 1;
  }
  if (!framed) out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  out += "\r\n";
  out += body;
  return out;
}

std::string Get(InProcessServer& server, const std::string& target) {
  return server.Handle(Request("GET", target, "", "")).body;
}

// Everything a request could change, as the API shows it.
std::string State(InProcessServer& server) {
  std::string state;
  for (const char* target :
       {"/multi_webhook", "/v1/configs/webhook", "/mock/changes", "/mock/channels", "/mock/routes",
        "/mock/options", "/mock/deliveries", "/mock/stats", "/mock/clock"}) {
    state += std::string(target) + " " + Get(server, target) + "\n";
  }
  return state;
}

// Inputs that would wait in real time or send deliveries to the network: long-polls, moving
// virtual time (attempts run), switching the clock back to real time.
bool Skipped(std::string_view method, std::string_view target) {
  return target.find("min_count") != std::string_view::npos ||
         (method != "GET" && (target.find("/mock/clock") != std::string_view::npos ||
                              target.find("/mock/options") != std::string_view::npos));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto fields = multihook::fuzz::SplitFields(multihook::fuzz::AsText(data, size), 4);
  if (fields.size() < 2) return 0;
  const std::string_view method = fields[0];
  const std::string_view target = fields[1];
  const std::string_view headers = fields.size() > 2 ? fields[2] : std::string_view();
  const std::string_view body = fields.size() > 3 ? fields[3] : std::string_view();
  if (Skipped(method, target)) return 0;

  Fixture& f = TheFixture();
  InProcessServer& server = *f.server;
  server.Handle(Request("POST", "/mock/reset", "", ""));
  const std::string before = State(server);
  const std::string request = Request(method, target, headers, body);
  const InProcessServer::Answer answer = server.Handle(request);
  const std::string after = State(server);

  MULTIHOOK_FUZZ_CHECK(answer.status != 0, "no HTTP answer for: " + request);
  MULTIHOOK_FUZZ_CHECK(answer.status != 500,
                       "500 (an escaped exception?) for: " + request + "\n  answer: " + answer.raw);
  if (answer.status >= 400) {
    const bool meta_path = answer.raw.find("\"meta\"") != std::string::npos &&
                           target.rfind("/v1/configs/webhook", 0) == 0;
    MULTIHOOK_FUZZ_CHECK(
        meta_path ? IsMetaErrorShape(answer.body, answer.status) : IsErrorShape(answer.body),
        "error body without the provider's shape for: " + request + "\n  answer: " + answer.raw);
    MULTIHOOK_FUZZ_CHECK(before == after, "a refused request changed state: " + request +
                                              "\n  answer: " + answer.raw +
                                              "\n  before: " + before + "\n  after: " + after);
  }
  return 0;
}
