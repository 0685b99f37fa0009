#include "mock_server/app/bind_warning.hpp"

#include <catch2/catch.hpp>

namespace multihook::app {
namespace {

TEST_CASE("A bind address beyond loopback gets the --bind warning", "[app][bind]") {
  const auto [host, loopback] = GENERATE(table<std::string, bool>({
      {"127.0.0.1", true},
      {"127.8.9.10", true},
      {"::1", true},
      {"0:0:0:0:0:0:0:1", true},
      {"localhost", true},
      {"0.0.0.0", false},
      {"::", false},
      {"192.168.1.20", false},
      {"10.0.0.1", false},
      {"::ffff:127.0.0.1", true},
      {"::ffff:10.0.0.1", false},
      {"::2", false},
      {"mock.internal.example.com", false},
      {"128.0.0.1", false},
  }));
  CAPTURE(host);
  CHECK(IsLoopbackHost(host) == loopback);
  const auto warning = BindWarning(host);
  CHECK(warning.has_value() == !loopback);
  if (warning) {
    CHECK(*warning == "--bind " + host +
                          ": the control API (/mock/*) has no authentication; anyone who can "
                          "reach this address can read and change the mock's channels, options "
                          "and routes");
  }
}

}  // namespace
}  // namespace multihook::app
