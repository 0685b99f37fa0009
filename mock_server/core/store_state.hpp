// StoreState: what a channel store holds that outlives a restart (--state-file): every channel
// with its main webhook, its applied multi-webhook configuration and the changes accepted but not
// applied yet. Due times are instants of the mock's wall clock, because steady time means nothing
// to another process; the store turns them back into steady instants when it restores a state.
// The change journal, the options and the delivery engine's events are not part of it.
// Plain values; thread-compatible.
#pragma once

#include <vector>

#include "mock_server/core/clock.hpp"
#include "mock_server/core/webhook_config.hpp"

namespace multihook::core {

// Startup channels (from the command line or config file) survive POST /mock/reset; channels
// added through the control API do not.
enum class ChannelOrigin { kStartup, kRuntime };

struct PendingConfig {
  WallTime due_at;  // on the mock's clock
  MultiWebhookConfig config;

  bool operator==(const PendingConfig&) const = default;
};

struct ChannelState {
  ChannelIdentity identity;
  ChannelOrigin origin = ChannelOrigin::kRuntime;
  PrimaryWebhook primary;
  MultiWebhookConfig applied;
  std::vector<PendingConfig> pending;  // in the order accepted; due times never decrease

  bool operator==(const ChannelState&) const = default;
};

struct StoreState {
  WallTime saved_at;  // the mock's wall clock when the state was taken
  std::vector<ChannelState> channels;

  bool operator==(const StoreState&) const = default;
};

}  // namespace multihook::core
