#include "mock_server/app/bind_warning.hpp"

#include <arpa/inet.h>

#include <array>

namespace multihook::app {

bool IsLoopbackHost(std::string_view host) {
  if (host == "localhost") return true;
  const std::string text(host);
  std::array<unsigned char, 16> address{};
  if (inet_pton(AF_INET, text.c_str(), address.data()) == 1) return address[0] == 127;
  if (inet_pton(AF_INET6, text.c_str(), address.data()) != 1) return false;
  // ::1, or an IPv4-mapped loopback address (::ffff:127.x.y.z).
  const auto zero_up_to = [&address](std::size_t end) {
    for (std::size_t i = 0; i < end; ++i) {
      if (address[i] != 0) return false;
    }
    return true;
  };
  if (zero_up_to(15) && address[15] == 1) return true;
  return zero_up_to(10) && address[10] == 0xff && address[11] == 0xff && address[12] == 127;
}

std::optional<std::string> BindWarning(std::string_view host) {
  if (IsLoopbackHost(host)) return std::nullopt;
  return "--bind " + std::string(host) +
         ": the control API (/mock/*) has no authentication; anyone who can reach this address "
         "can read and change the mock's channels, options and routes";
}

}  // namespace multihook::app
