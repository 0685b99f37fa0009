// ChannelConfig: one phone number's webhook configuration with its queue of accepted but not yet
// applied multi-webhook changes (contract §5). Each accepted change is stored as the complete
// configuration it produces, validated against the projection (applied state + all pending
// changes), so changes apply strictly in the order accepted and two quick appends can never pass
// the limit together. The main webhook has no queue: it takes effect at once.
//
// Not thread-safe: ChannelStore guards it.
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "mock_server/core/clock.hpp"
#include "mock_server/core/webhook_config.hpp"

namespace multihook::core {

class ChannelConfig {
 public:
  struct Pending {
    SteadyTime due;
    MultiWebhookConfig config;
  };

  ChannelConfig() = default;
  // A configuration as it was saved (a restored state); pending changes follow with Enqueue().
  ChannelConfig(PrimaryWebhook primary, MultiWebhookConfig applied)
      : applied_(std::move(applied)), primary_(std::move(primary)) {}

  const MultiWebhookConfig& applied() const { return applied_; }
  const MultiWebhookConfig& projected() const {
    return pending_.empty() ? applied_ : pending_.back().config;
  }
  const PrimaryWebhook& primary() const { return primary_; }
  void set_primary(PrimaryWebhook primary) { primary_ = std::move(primary); }

  // Accepts `next` (computed from projected()) to take effect at `due`.
  void Enqueue(MultiWebhookConfig next, SteadyTime due);

  // Applies, in order, every pending change due at or before `now`; returns how many.
  std::size_t ApplyDue(SteadyTime now);
  // Applies every pending change now; returns how many.
  std::size_t ApplyAll();

  // Every destination name in the applied config or in any pending change.
  std::vector<std::string> NamesInUse() const;

  std::size_t pending_count() const { return pending_.size(); }
  std::optional<SteadyTime> next_due() const;
  // The accepted changes not applied yet, oldest first.
  const std::deque<Pending>& pending() const { return pending_; }

 private:
  MultiWebhookConfig applied_;
  std::deque<Pending> pending_;
  PrimaryWebhook primary_;
};

}  // namespace multihook::core
