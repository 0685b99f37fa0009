// The signature faults `multihook verify` sends after its catalogue (row N5 of
// docs/semantics.md): a notification with a wrong x-360dialog-signature, one whose body was
// changed after it was signed, and one with no signature header. A receiver that verifies
// signatures must refuse each (any answer that is not 2xx); one it accepts is a receiver that
// would take a forged notification.
//
// The bodies are built by the mock's own notification codec and signed by codec::SignatureHex, the
// one owner of the signature format, so only the one thing each case names is wrong.
//
// Free functions; not thread-safe with a shared IdSource.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mock_server/core/clock.hpp"
#include "mock_server/core/id_source.hpp"
#include "mock_server/core/status.hpp"
#include "mock_server/core/webhook_config.hpp"

namespace multihook::harness {

struct SignatureFault {
  std::string name;                      // stable: "signature.wrong", "signature.body_changed", ...
  std::string description;               // one line for reports
  std::string body;                      // sent as is
  std::optional<std::string> signature;  // the header's value; none: no header at all
};

// The three case names, in the order they are sent.
const std::vector<std::string_view>& SignatureFaultNames();

// The three faults for a receiver whose secret is `secret`. internal when the codec rejects one
// of our own requests (a bug).
core::Result<std::vector<SignatureFault>> BuildSignatureFaults(const core::ChannelIdentity& channel,
                                                               core::WallTime now,
                                                               core::IdSource& ids,
                                                               std::string_view secret);

}  // namespace multihook::harness
