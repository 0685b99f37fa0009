// The rules of the multi-webhook API (contract §3–4) as pure functions from the projected
// configuration (applied state plus every accepted, not yet applied change) and a decoded request
// to the next configuration. Nothing here stores anything: the caller enqueues the result.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "mock_server/core/status.hpp"
#include "mock_server/core/url_rules.hpp"
#include "mock_server/core/webhook_config.hpp"

namespace multihook::core {

inline constexpr std::size_t kMaxWebhooks = 3;

enum class DuplicateNames { kReject, kSkip };
enum class PrimaryInLimit { kExcluded, kCounted };

struct RuleOptions {
  DuplicateNames duplicate_names = DuplicateNames::kReject;
  PrimaryInLimit primary_in_limit = PrimaryInLimit::kExcluded;
  UrlPolicy url_policy = UrlPolicy::kStrict;
};

struct Change {
  MultiWebhookConfig next;
  std::vector<std::string> warnings;  // lenient-policy notes on what the real API would reject
  std::vector<std::string> skipped;   // duplicate names skipped under DuplicateNames::kSkip
};

// POST /multi_webhook. `primary_set`: whether the channel has a main webhook (for the limit).
Result<Change> ApplyEnable(const MultiWebhookConfig& projected, bool primary_set,
                           const EnableRequest& request, const RuleOptions& options);

// PUT /multi_webhook: append; the feature must be enabled.
Result<Change> ApplyAppend(const MultiWebhookConfig& projected, bool primary_set,
                           const AppendRequest& request, const RuleOptions& options);

// PATCH /multi_webhook: update the destination whose name matches exactly.
Result<Change> ApplyUpdate(const MultiWebhookConfig& projected, const UpdateRequest& request,
                           const RuleOptions& options);

// DELETE /multi_webhook/{name}: remove the destination whose name matches exactly.
Result<Change> ApplyRemove(const MultiWebhookConfig& projected, std::string_view name);

// POST /v1/configs/webhook: validates the main webhook; returns lenient-policy warnings.
Result<std::vector<std::string>> CheckPrimary(const PrimaryWebhook& request, bool primary_was_set,
                                              const MultiWebhookConfig& projected,
                                              const RuleOptions& options);

}  // namespace multihook::core
