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
// PUT or PATCH while the feature is not enabled: 409, or accepted (stored; no fan-out while
// disabled).
enum class DisabledChanges { kReject, kAllow };
// POST {"enabled": true, "destinations": [...]} while enabled: 409, or the destinations appended.
enum class EnableWithDestinations { kReject, kAppend };
// PATCH or DELETE of a name that does not exist: 404, or accepted as a change that does nothing.
enum class UnknownNames { kReject, kIgnore };
// Custom header bounds beyond safety (case-insensitive uniqueness, 32 headers, 4096-byte values):
// errors, or warnings.
enum class HeaderRules { kStrict, kLenient };
// Request bodies: a field the API does not define is an error, or ignored.
enum class UnknownFields { kReject, kIgnore };
// Request bodies: `null` for an optional field is an error, or the same as leaving it out.
enum class NullValues { kReject, kAbsent };

// Every rule a partner's code could meet differently on the real provider, as plain values that
// the store passes down (app/mock_options.cpp names them and groups them into profiles).
struct RuleOptions {
  // The provider's page: a new webhook is only added "if the name provided does not match any
  // existing configuration"; kReject (409) is for teams that want the conflict to fail.
  DuplicateNames duplicate_names = DuplicateNames::kSkip;
  PrimaryInLimit primary_in_limit = PrimaryInLimit::kExcluded;
  UrlPolicy url_policy = UrlPolicy::kStrict;
  DisabledChanges disabled_changes = DisabledChanges::kReject;
  EnableWithDestinations enable_with_destinations = EnableWithDestinations::kReject;
  UnknownNames unknown_names = UnknownNames::kReject;
  HeaderRules header_rules = HeaderRules::kStrict;
  UnknownFields unknown_fields = UnknownFields::kReject;
  NullValues null_values = NullValues::kReject;
};

struct Change {
  MultiWebhookConfig next;
  std::vector<std::string> warnings;  // lenient-policy notes on what the real API would reject
  std::vector<std::string> skipped;   // duplicate names skipped under DuplicateNames::kSkip
};

// What the rules see of a channel besides the request.
struct ChannelView {
  const MultiWebhookConfig& projected;  // applied state + every pending change
  bool primary_set = false;             // a main webhook is configured (for the limit)
  // Names in the applied config or in any pending change: a name that is still being deleted
  // is not free yet (contract §3: "exists already in the applied or pending config").
  std::vector<std::string> names_in_use;
};

// POST /multi_webhook.
Result<Change> ApplyEnable(const ChannelView& channel, const EnableRequest& request,
                           const RuleOptions& options);

// PUT /multi_webhook: append; the feature must be enabled.
Result<Change> ApplyAppend(const ChannelView& channel, const AppendRequest& request,
                           const RuleOptions& options);

// PATCH /multi_webhook: update the destination whose name matches exactly.
Result<Change> ApplyUpdate(const MultiWebhookConfig& projected, const UpdateRequest& request,
                           const RuleOptions& options);

// DELETE /multi_webhook/{name}: remove the destination whose name matches exactly.
Result<Change> ApplyRemove(const MultiWebhookConfig& projected, std::string_view name,
                           const RuleOptions& options = {});

// POST /v1/configs/webhook: validates the main webhook; returns lenient-policy warnings.
Result<std::vector<std::string>> CheckPrimary(const PrimaryWebhook& request, bool primary_was_set,
                                              const MultiWebhookConfig& projected,
                                              const RuleOptions& options);

// A channel as given on the command line or to POST /mock/channels: api_key 1-128 visible ASCII
// characters, phone_number_id and waba_id 1-20 digits, display_phone_number 1-32 printable.
Status CheckChannelSpec(const ChannelSpec& spec);

}  // namespace multihook::core
