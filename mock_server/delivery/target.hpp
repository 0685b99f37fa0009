// ResolveTarget: where one attempt goes, read from the channel's configuration as it applies at
// the start of the attempt. Pure: no clock, no I/O, no lock.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mock_server/core/status.hpp"
#include "mock_server/core/webhook_config.hpp"
#include "mock_server/delivery/delivery_policy.hpp"
#include "mock_server/store/channel_store.hpp"

namespace multihook::delivery {

struct Target {
  // Both point into the snapshot given to ResolveTarget; null when nothing can be sent.
  const std::string* url = nullptr;
  const core::Headers* headers = nullptr;
  std::string unavailable;  // why nothing can be sent; empty when url is set
  // Main only: the extras enabled now, in order (the fan-out plan if this attempt opens the gate),
  // and whether multi-webhook is enabled with none left (every extra deleted).
  std::vector<std::string> plan;
  bool all_deleted = false;
};

// `destination` is kMainDestination for the main webhook, else an extra's name. `snapshot` must
// outlive the result.
Target ResolveTarget(const core::Result<store::ChannelSnapshot>& snapshot, bool is_main,
                     std::string_view destination, DeleteAll delete_all);

}  // namespace multihook::delivery
