// The catalogue `multihook verify` fires at a partner's receiver: one realistic notification per
// thing the provider can deliver (contract §7): every inbound message type, every status, an
// out-of-band error, a 3 MB payload, unicode text and a duplicate delivery. Bodies are built by
// the mock's own notification codec, so they are exactly what the mock (and, as far as the
// contract knows, the provider) sends.
//
// Also the bodies of the load phase: a realistic mix of one inbound message per three statuses
// (the contract sizes receivers for 3x the outgoing rate plus 1x the incoming rate).
//
// Free functions; not thread-safe with a shared IdSource (give each thread its own).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "mock_server/core/clock.hpp"
#include "mock_server/core/id_source.hpp"
#include "mock_server/core/status.hpp"
#include "mock_server/core/webhook_config.hpp"

namespace multihook::harness {

// The size of the large-payload case: the upstream platform's 3 MB bound, in bytes (3 MiB).
inline constexpr std::size_t kLargePayloadBytes = std::size_t{3} * 1024 * 1024;

struct VerifyCase {
  std::string name;         // stable, e.g. "message.text"; --case selects by it
  std::string description;  // one line for reports
  // Sent in order, one after another; each must be answered 200. The duplicate-delivery case
  // holds the same body twice.
  std::vector<std::string> bodies;
};

// Every case name, in catalogue order.
const std::vector<std::string_view>& CatalogueCaseNames();

// A phone number identity with generated ids (phone number id, display number, WABA id).
core::ChannelIdentity VerifyChannel(core::IdSource& ids);

// The catalogue, restricted to `names` when not empty (in catalogue order). internal when the
// codec rejects one of our own requests (a bug); invalid_argument for an unknown name.
core::Result<std::vector<VerifyCase>> BuildCatalogue(const core::ChannelIdentity& channel,
                                                     core::WallTime now, core::IdSource& ids,
                                                     const std::vector<std::string>& names = {});

// Builds the load phase's bodies: slot % 4 == 0 is an inbound text message; the others are the
// statuses sent, delivered, read of an outgoing message. One per thread (owns an IdSource).
class LoadBodySource {
 public:
  LoadBodySource(core::ChannelIdentity channel, std::uint64_t seed)
      : channel_(std::move(channel)), ids_(seed) {}
  // internal when the codec rejects our own request (a bug).
  core::Result<std::string> Body(std::uint64_t slot, core::WallTime now);

 private:
  const core::ChannelIdentity channel_;
  core::IdSource ids_;
  std::string message_id_;
  std::string recipient_id_;
};

}  // namespace multihook::harness
