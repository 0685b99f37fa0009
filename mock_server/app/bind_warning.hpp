// The warning multihook-mock prints when --bind exposes it beyond this machine: the control API
// (/mock/*) has no authentication, so whoever reaches the address can read and change the mock
// (channels, options, routes where deliveries go). The default, 127.0.0.1, needs none.
//
// A free function of its argument; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace multihook::app {

// True for a loopback address: 127.0.0.0/8, ::1 (however written), ::ffff:127.0.0.0/104 and
// "localhost".
bool IsLoopbackHost(std::string_view host);

// The warning for listening on `host`, or nothing for a loopback address.
std::optional<std::string> BindWarning(std::string_view host);

}  // namespace multihook::app
