// A route carries its own body limit: 413 above it, from Content-Length or once a chunked upload
// is read, before the handler runs; other routes keep theirs.
#include <catch2/catch.hpp>
#include <string>

#include "mock_server/http/http_server.hpp"
#include "mock_server/http/route.hpp"

namespace multihook::http {
namespace {

TEST_CASE("Each route entry enforces its own max_body_bytes", "[http][route]") {
  int handled = 0;
  const auto ok = [&handled](const httplib::Request&, httplib::Response& res) {
    ++handled;
    res.set_content("{}", "application/json");
  };
  std::vector<Route> routes{{"POST", "/small", "/small", ok, 10},
                            {"POST", "/large", "/large", ok, 100},
                            {"POST", R"(/items/([a-z]+))", "/items/{name}", ok, 5}};
  auto server = HttpServer::Start(ServerOptions{}, [&](httplib::Server& s) {
    InstallCommonHandlers(s, routes);
    InstallRoutes(s, routes);
  });
  REQUIRE(server.ok());
  httplib::Client client((*server)->BaseUrl());
  const std::string eleven(11, 'x');

  CHECK(client.Post("/small", std::string(10, 'x'), "text/plain")->status == 200);
  auto refused = client.Post("/small", eleven, "text/plain");
  REQUIRE(refused);
  CHECK(refused->status == 413);
  CHECK(refused->body == R"({"error":"payload_too_large: request body is larger than 10 bytes"})");
  CHECK(client.Post("/large", eleven, "text/plain")->status == 200);
  CHECK(client.Post("/items/abc", eleven, "text/plain")->status == 413);

  // A chunked upload has no Content-Length: refused once read, before the handler.
  httplib::Client chunked((*server)->BaseUrl());
  auto streamed = chunked.Post(
      "/small",
      [&](size_t offset, httplib::DataSink& sink) {
        sink.write(eleven.data() + offset, eleven.size() - offset);
        sink.done();
        return true;
      },
      "text/plain");
  REQUIRE(streamed);
  CHECK(streamed->status == 413);
  CHECK(handled == 2);
}

}  // namespace
}  // namespace multihook::http
