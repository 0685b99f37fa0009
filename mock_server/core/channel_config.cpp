#include "mock_server/core/channel_config.hpp"

#include <algorithm>

namespace multihook::core {

void ChannelConfig::Enqueue(MultiWebhookConfig next, SteadyTime due) {
  // Keep due times monotonic so that "in the order accepted" holds even if the delay shrank.
  if (!pending_.empty()) due = std::max(due, pending_.back().due);
  pending_.push_back(Pending{due, std::move(next)});
}

std::size_t ChannelConfig::ApplyDue(SteadyTime now) {
  std::size_t applied = 0;
  while (!pending_.empty() && pending_.front().due <= now) {
    applied_ = std::move(pending_.front().config);
    pending_.pop_front();
    ++applied;
  }
  return applied;
}

std::size_t ChannelConfig::ApplyAll() {
  const std::size_t count = pending_.size();
  if (count > 0) applied_ = std::move(pending_.back().config);
  pending_.clear();
  return count;
}

std::vector<std::string> ChannelConfig::NamesInUse() const {
  std::vector<std::string> names;
  const auto add = [&names](const MultiWebhookConfig& config) {
    for (const Destination& d : config.destinations) {
      if (std::find(names.begin(), names.end(), d.name) == names.end()) names.push_back(d.name);
    }
  };
  add(applied_);
  for (const Pending& pending : pending_) add(pending.config);
  return names;
}

std::optional<SteadyTime> ChannelConfig::next_due() const {
  if (pending_.empty()) return std::nullopt;
  return pending_.front().due;
}

}  // namespace multihook::core
