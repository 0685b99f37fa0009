// ChannelStore: every channel (phone number) of one mock, its API key and its webhook
// configuration, behind one mutex. This is where the pure rules of core meet time: a mutation is
// checked against the projected configuration and queued to take effect `apply_delay` later;
// every read first applies what has come due on the injected clock, so a reader at instant T sees
// exactly the changes due by T (no scheduler thread needed, and virtual time just works).
//
// Its options (the rules, the apply delay) can be swapped at runtime with SetOptions(); a
// mutation reads them under the store lock, so it sees either the old or the new options whole.
//
// Thread-safe. Never calls out while holding its lock.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mock_server/core/channel_config.hpp"
#include "mock_server/core/clock.hpp"
#include "mock_server/core/id_source.hpp"
#include "mock_server/core/mutex.hpp"
#include "mock_server/core/status.hpp"
#include "mock_server/core/webhook_config.hpp"
#include "mock_server/core/webhook_rules.hpp"

namespace multihook::store {

struct StoreOptions {
  core::RuleOptions rules;
  core::Micros apply_delay = std::chrono::seconds(2);
  std::uint64_t seed = 0;                  // for generated keys and ids
  std::size_t change_log_capacity = 1000;  // GET /mock/changes keeps the latest this many
};

// What an accepted mutation reports besides "operation has been started".
struct Accepted {
  // Lenient URL policy: what the real API would reject; then one line per skipped name.
  std::vector<std::string> warnings;
  std::vector<std::string> skipped;  // duplicate names skipped (duplicate_names=skip)
};

struct PrimaryAccepted {
  core::PrimaryWebhook stored;
  std::vector<std::string> warnings;
};

// One accepted provider config change, as GET /mock/changes lists it: what was asked, when it
// was accepted and when it takes effect, and what the mock did besides (warnings, skipped names).
struct ChangeRecord {
  std::uint64_t sequence = 0;  // 1, 2, ... in acceptance order, across channels
  std::string api_key;
  std::string method;  // "POST", "PUT", "PATCH", "DELETE"
  std::string path;    // "/multi_webhook", "/multi_webhook/<name>", "/v1/configs/webhook"
  core::WallTime accepted_at;
  core::WallTime due_at;  // accepted_at + apply delay (the main webhook applies at once)
  bool applied = false;   // at the instant of the query
  std::vector<std::string> warnings;  // as sent in X-Multihook-Warning
  std::vector<std::string> skipped;   // destination names not added (duplicate_names=skip)
};

struct ChangeLog {
  std::vector<ChangeRecord> changes;  // oldest first
  std::uint64_t dropped = 0;          // older records evicted by the bound
};

// Startup channels (from the command line or config file) survive POST /mock/reset; channels
// added through the control API do not.
enum class ChannelOrigin { kStartup, kRuntime };

// One channel as deliveries see it at an instant.
struct ChannelSnapshot {
  core::ChannelIdentity identity;
  core::PrimaryWebhook primary;
  core::MultiWebhookConfig applied;
};

class ChannelStore {
 public:
  ChannelStore(const core::Clock& clock, StoreOptions options);

  ChannelStore(const ChannelStore&) = delete;
  ChannelStore& operator=(const ChannelStore&) = delete;

  // Registers a channel; absent fields are generated. Duplicate key or phone number id: 409.
  core::Result<core::ChannelIdentity> AddChannel(const core::ChannelSpec& spec,
                                                 ChannelOrigin origin);
  std::vector<core::ChannelIdentity> Channels() const;

  // Ok when `api_key` belongs to a channel; unauthenticated otherwise. Routes check this before
  // they look at a body, so an unknown key never learns whether its request was well-formed.
  core::Status Authenticate(std::string_view api_key) const;

  // Provider API. Every call is scoped to the channel of `api_key` (unknown key: unauthenticated).
  core::Result<core::MultiWebhookConfig> GetMultiWebhook(std::string_view api_key);
  core::Result<Accepted> Enable(std::string_view api_key, const core::EnableRequest& request);
  core::Result<Accepted> Append(std::string_view api_key, const core::AppendRequest& request);
  core::Result<Accepted> Update(std::string_view api_key, const core::UpdateRequest& request);
  core::Result<Accepted> Remove(std::string_view api_key, std::string_view name);
  core::Result<core::PrimaryWebhook> GetPrimary(std::string_view api_key);
  core::Result<PrimaryAccepted> SetPrimary(std::string_view api_key,
                                           const core::PrimaryWebhook& primary);

  core::Result<ChannelSnapshot> Snapshot(std::string_view api_key);

  // Applies every pending change of every channel now; returns how many were applied.
  std::size_t Flush();
  // Forgets runtime channels and clears every configuration, pending change and change record.
  void Reset();

  // The journal of accepted config changes, optionally of one channel only.
  ChangeLog Changes(std::optional<std::string_view> api_key = std::nullopt) const;

  StoreOptions options() const;
  // Takes effect for the next mutation; pending changes keep the due time they were given. The
  // seed is fixed at construction and kept.
  void SetOptions(StoreOptions options);

 private:
  struct Entry {
    core::ChannelIdentity identity;
    ChannelOrigin origin;
    core::ChannelConfig config;
  };

  // Looks up the channel of `api_key` and applies its due changes. Requires mu_.
  core::Result<Entry*> Find(std::string_view api_key) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Shared path of the four mutations: `rule` maps the projection and the rule options in force
  // (read under the lock) to a Change.
  template <typename Rule>
  core::Result<Accepted> Mutate(std::string_view api_key, std::string method, std::string path,
                                Rule rule);
  // Appends to the change journal, evicting the oldest record beyond capacity. Requires mu_.
  void Record(std::string_view api_key, std::string method, std::string path, core::Micros delay,
              const Accepted& accepted) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const core::Clock& clock_;
  mutable core::Mutex mu_;
  StoreOptions options_ ABSL_GUARDED_BY(mu_);
  core::IdSource ids_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, Entry, std::less<>> channels_ ABSL_GUARDED_BY(mu_);  // by API key
  // The change journal, oldest first, with each record's steady due instant for `applied`.
  struct Logged {
    ChangeRecord record;
    core::SteadyTime due;
  };
  std::deque<Logged> changes_ ABSL_GUARDED_BY(mu_);
  std::uint64_t next_sequence_ ABSL_GUARDED_BY(mu_) = 1;
  std::uint64_t dropped_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace multihook::store
