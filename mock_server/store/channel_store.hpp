// ChannelStore: every channel (phone number) of one mock, its API key and its webhook
// configuration, behind one mutex. This is where the pure rules of core meet time: a mutation is
// checked against the projected configuration and queued to take effect `apply_delay` later;
// every read first applies what has come due on the injected clock, so a reader at instant T sees
// exactly the changes due by T (no scheduler thread needed, and virtual time just works).
//
// Its options (the rules, the apply delay) can be swapped at runtime with SetOptions(); a
// mutation reads them under the store lock, so it sees either the old or the new options whole.
//
// With a state listener (--state-file), every accepted change also hands the store's whole state
// (core::StoreState) to the listener, and Restore() takes such a state back after a restart.
//
// Thread-safe. Never calls out while holding its lock.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
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
#include "mock_server/core/store_state.hpp"
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

using ChannelOrigin = core::ChannelOrigin;

// Receives the store's whole state after an accepted change. `version` counts the changes (1, 2,
// ...) in the order the store accepted them. The call comes from the thread that made the change,
// after the store's lock is released and before that change's caller gets its answer; so two
// calls may run at once and arrive out of order, and a listener that keeps the latest state must
// ignore a version lower than one it has already kept.
using StateListener = std::function<void(const core::StoreState& state, std::uint64_t version)>;

// How Restore() maps a saved state's due times onto the store's clock.
enum class Downtime {
  kElapsed,  // time ran while the mock was down (real time): due at the saved wall-clock instant
  kFrozen,   // no time passed (virtual time): due after the delay that was left when saved
};

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

  // Replaces every channel with those of `state`, pending changes included (their due times mapped
  // by `downtime`; one already due applies on the next read). Meant for startup, before serving.
  // Duplicate keys or phone number ids, or a malformed identity: invalid_argument at
  // /channels/<i>/..., and nothing changes.
  core::Status Restore(const core::StoreState& state, Downtime downtime);
  // The whole state now (due changes applied first).
  core::StoreState State();
  // From now on `listener` gets the state after every accepted change: a channel added, a
  // multi-webhook change, a main webhook set, a flush that applied something, a reset. Rejected
  // requests and reads call nothing. Empty: nobody listens.
  void SetStateListener(StateListener listener);

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
  // The state after an accepted change, taken under the lock and handed to the listener after it.
  struct Publication {
    StateListener listener;
    core::StoreState state;
    std::uint64_t version = 0;
  };
  // Empty when nobody listens. Requires mu_.
  std::optional<Publication> CaptureLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  core::StoreState StateLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Calls the listener of `publication`, if any. Must not hold mu_.
  static void Publish(const std::optional<Publication>& publication);
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
  StateListener listener_ ABSL_GUARDED_BY(mu_);
  std::uint64_t state_version_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace multihook::store
