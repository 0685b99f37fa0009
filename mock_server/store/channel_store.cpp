#include "mock_server/store/channel_store.hpp"

#include <algorithm>

namespace multihook::store {
namespace {

using core::Status;
using core::StatusCode;

core::ChannelView View(const core::ChannelConfig& config) {
  return core::ChannelView{config.projected(), config.primary().url.has_value(),
                           config.NamesInUse()};
}

// Whether a channel of `channels` (by API key) has this phone number id.
template <typename Channels>
bool HasPhone(const Channels& channels, std::string_view phone_number_id) {
  return std::any_of(channels.begin(), channels.end(), [&](const auto& item) {
    return item.second.identity.phone_number_id == phone_number_id;
  });
}

}  // namespace

ChannelStore::ChannelStore(const core::Clock& clock, StoreOptions options)
    : clock_(clock), options_(options), ids_(options.seed) {}

StoreOptions ChannelStore::options() const {
  core::MutexLock lock(mu_);
  return options_;
}

void ChannelStore::SetOptions(StoreOptions options) {
  core::MutexLock lock(mu_);
  options.seed = options_.seed;
  options_ = options;
}

core::Result<core::ChannelIdentity> ChannelStore::AddChannel(const core::ChannelSpec& spec,
                                                             ChannelOrigin origin) {
  if (Status s = core::CheckChannelSpec(spec); !s.ok()) return s;
  std::optional<Publication> publication;
  core::ChannelIdentity identity;
  {
    core::MutexLock lock(mu_);
    identity = core::ChannelIdentity{
        spec.api_key.value_or(ids_.Hex(32)),
        spec.phone_number_id.value_or(ids_.Digits(15)),
        spec.display_phone_number.value_or("+1 555 0" + ids_.Digits(6).substr(0, 6)),
        spec.waba_id.value_or(ids_.Digits(15)),
    };
    // A restored channel may hold what a fixed seed generates again after a restart.
    while (!spec.api_key && channels_.count(identity.api_key) > 0) identity.api_key = ids_.Hex(32);
    while (!spec.phone_number_id && HasPhone(channels_, identity.phone_number_id)) {
      identity.phone_number_id = ids_.Digits(15);
    }
    if (channels_.count(identity.api_key) > 0) {
      return Status(StatusCode::kAlreadyExists, "/api_key", "a channel with this API key exists");
    }
    if (HasPhone(channels_, identity.phone_number_id)) {
      return Status(StatusCode::kAlreadyExists, "/phone_number_id",
                    "a channel with phone number id '" + identity.phone_number_id + "' exists");
    }
    channels_.emplace(identity.api_key, Entry{identity, origin, {}});
    publication = CaptureLocked();
  }
  Publish(publication);
  return identity;
}

std::vector<core::ChannelIdentity> ChannelStore::Channels() const {
  core::MutexLock lock(mu_);
  std::vector<core::ChannelIdentity> out;
  out.reserve(channels_.size());
  for (const auto& [key, entry] : channels_) out.push_back(entry.identity);
  return out;
}

core::Status ChannelStore::Authenticate(std::string_view api_key) const {
  core::MutexLock lock(mu_);
  if (channels_.find(api_key) == channels_.end()) {
    return Status(StatusCode::kUnauthenticated, "", "unknown D360-API-KEY");
  }
  return Status::Ok();
}

core::Result<ChannelStore::Entry*> ChannelStore::Find(std::string_view api_key) {
  const auto it = channels_.find(api_key);
  if (it == channels_.end()) {
    return Status(StatusCode::kUnauthenticated, "", "unknown D360-API-KEY");
  }
  it->second.config.ApplyDue(clock_.Now());
  return &it->second;
}

template <typename Rule>
core::Result<Accepted> ChannelStore::Mutate(std::string_view api_key, std::string method,
                                            std::string path, Rule rule) {
  std::optional<Publication> publication;
  Accepted accepted;
  {
    core::MutexLock lock(mu_);
    MULTIHOOK_ASSIGN_OR_RETURN(Entry* const entry, Find(api_key));
    core::ChannelConfig& config = entry->config;
    MULTIHOOK_ASSIGN_OR_RETURN(core::Change change, rule(config, options_.rules));
    config.Enqueue(std::move(change.next), clock_.Now() + options_.apply_delay);
    accepted = Accepted{std::move(change.warnings), std::move(change.skipped)};
    for (const std::string& name : accepted.skipped) {
      accepted.warnings.push_back("skipped destination '" + name + "': the name exists already");
    }
    Record(api_key, std::move(method), std::move(path), options_.apply_delay, accepted);
    publication = CaptureLocked();
  }
  Publish(publication);
  return accepted;
}

void ChannelStore::Record(std::string_view api_key, std::string method, std::string path,
                          core::Micros delay, const Accepted& accepted) {
  const core::WallTime now = clock_.WallNow();
  ChangeRecord record{next_sequence_++,
                      std::string(api_key),
                      std::move(method),
                      std::move(path),
                      now,
                      now + std::chrono::duration_cast<core::WallTime::duration>(delay),
                      false,
                      accepted.warnings,
                      accepted.skipped};
  changes_.push_back(Logged{std::move(record), clock_.Now() + delay});
  while (changes_.size() > std::max<std::size_t>(options_.change_log_capacity, 1)) {
    changes_.pop_front();
    ++dropped_;
  }
}

ChangeLog ChannelStore::Changes(std::optional<std::string_view> api_key) const {
  core::MutexLock lock(mu_);
  const core::SteadyTime now = clock_.Now();
  ChangeLog log;
  log.dropped = dropped_;
  for (const Logged& logged : changes_) {
    if (api_key && logged.record.api_key != *api_key) continue;
    log.changes.push_back(logged.record);
    log.changes.back().applied = logged.record.applied || logged.due <= now;
  }
  return log;
}

core::Result<core::MultiWebhookConfig> ChannelStore::GetMultiWebhook(std::string_view api_key) {
  MULTIHOOK_ASSIGN_OR_RETURN(ChannelSnapshot snapshot, Snapshot(api_key));
  return std::move(snapshot.applied);
}

core::Result<Accepted> ChannelStore::Enable(std::string_view api_key,
                                            const core::EnableRequest& request) {
  return Mutate(api_key, "POST", "/multi_webhook",
                [&](const core::ChannelConfig& config, const core::RuleOptions& rules) {
                  return core::ApplyEnable(View(config), request, rules);
                });
}

core::Result<Accepted> ChannelStore::Append(std::string_view api_key,
                                            const core::AppendRequest& request) {
  return Mutate(api_key, "PUT", "/multi_webhook",
                [&](const core::ChannelConfig& config, const core::RuleOptions& rules) {
                  return core::ApplyAppend(View(config), request, rules);
                });
}

core::Result<Accepted> ChannelStore::Update(std::string_view api_key,
                                            const core::UpdateRequest& request) {
  return Mutate(api_key, "PATCH", "/multi_webhook",
                [&](const core::ChannelConfig& config, const core::RuleOptions& rules) {
                  return core::ApplyUpdate(config.projected(), request, rules);
                });
}

core::Result<Accepted> ChannelStore::Remove(std::string_view api_key, std::string_view name) {
  return Mutate(api_key, "DELETE", "/multi_webhook/" + std::string(name),
                [&](const core::ChannelConfig& config, const core::RuleOptions& rules) {
                  return core::ApplyRemove(config.projected(), name, rules);
                });
}

core::Result<core::PrimaryWebhook> ChannelStore::GetPrimary(std::string_view api_key) {
  MULTIHOOK_ASSIGN_OR_RETURN(ChannelSnapshot snapshot, Snapshot(api_key));
  return std::move(snapshot.primary);
}

core::Result<PrimaryAccepted> ChannelStore::SetPrimary(std::string_view api_key,
                                                       const core::PrimaryWebhook& primary) {
  std::optional<Publication> publication;
  std::vector<std::string> warnings;
  {
    core::MutexLock lock(mu_);
    MULTIHOOK_ASSIGN_OR_RETURN(Entry* const entry, Find(api_key));
    core::ChannelConfig& config = entry->config;
    MULTIHOOK_ASSIGN_OR_RETURN(
        warnings, core::CheckPrimary(primary, config.primary().url.has_value(), config.projected(),
                                     options_.rules));
    config.set_primary(primary);
    // The main webhook applies at once: due when accepted.
    Record(api_key, "POST", "/v1/configs/webhook", core::Micros(0), Accepted{warnings, {}});
    publication = CaptureLocked();
  }
  Publish(publication);
  return PrimaryAccepted{primary, std::move(warnings)};
}

core::Result<ChannelSnapshot> ChannelStore::Snapshot(std::string_view api_key) {
  core::MutexLock lock(mu_);
  MULTIHOOK_ASSIGN_OR_RETURN(Entry* const entry, Find(api_key));
  return ChannelSnapshot{entry->identity, entry->config.primary(), entry->config.applied()};
}

std::size_t ChannelStore::Flush() {
  std::optional<Publication> publication;
  std::size_t applied = 0;
  {
    core::MutexLock lock(mu_);
    for (auto& [key, entry] : channels_) applied += entry.config.ApplyAll();
    for (Logged& logged : changes_) logged.record.applied = true;
    if (applied > 0) publication = CaptureLocked();
  }
  Publish(publication);
  return applied;
}

void ChannelStore::Reset() {
  std::optional<Publication> publication;
  {
    core::MutexLock lock(mu_);
    std::erase_if(channels_,
                  [](const auto& item) { return item.second.origin == ChannelOrigin::kRuntime; });
    for (auto& [key, entry] : channels_) entry.config = core::ChannelConfig{};
    changes_.clear();
    next_sequence_ = 1;
    dropped_ = 0;
    publication = CaptureLocked();
  }
  Publish(publication);
}

void ChannelStore::SetStateListener(StateListener listener) {
  core::MutexLock lock(mu_);
  listener_ = std::move(listener);
}

std::optional<ChannelStore::Publication> ChannelStore::CaptureLocked() {
  if (!listener_) return std::nullopt;
  return Publication{listener_, StateLocked(), ++state_version_};
}

void ChannelStore::Publish(const std::optional<Publication>& publication) {
  if (publication) publication->listener(publication->state, publication->version);
}

core::StoreState ChannelStore::State() {
  core::MutexLock lock(mu_);
  return StateLocked();
}

core::StoreState ChannelStore::StateLocked() {
  const core::SteadyTime now = clock_.Now();
  core::StoreState state{clock_.WallNow(), {}};
  for (auto& [key, entry] : channels_) {
    entry.config.ApplyDue(now);
    core::ChannelState channel{
        entry.identity, entry.origin, entry.config.primary(), entry.config.applied(), {}};
    for (const core::ChannelConfig::Pending& pending : entry.config.pending()) {
      channel.pending.push_back(core::PendingConfig{
          state.saved_at + std::chrono::duration_cast<core::WallTime::duration>(pending.due - now),
          pending.config});
    }
    state.channels.push_back(std::move(channel));
  }
  return state;
}

core::Status ChannelStore::Restore(const core::StoreState& state, Downtime downtime) {
  core::MutexLock lock(mu_);
  const core::SteadyTime now = clock_.Now();
  // The instant a saved due time counts from: now, or (time frozen) when the state was saved.
  const core::WallTime from = downtime == Downtime::kElapsed ? clock_.WallNow() : state.saved_at;
  std::map<std::string, Entry, std::less<>> restored;
  for (std::size_t i = 0; i < state.channels.size(); ++i) {
    const core::ChannelState& channel = state.channels[i];
    const core::ChannelIdentity& id = channel.identity;
    const std::string at = "/channels/" + std::to_string(i);
    const Status valid = core::CheckChannelSpec(
        core::ChannelSpec{id.api_key, id.phone_number_id, id.display_phone_number, id.waba_id});
    if (!valid.ok()) return valid.WithLocationPrefix(at);
    const bool key_taken = restored.count(id.api_key) > 0;
    if (key_taken || HasPhone(restored, id.phone_number_id)) {
      return core::InvalidArgument(at + (key_taken ? "/api_key" : "/phone_number_id"),
                                   "a channel before this one has the same value");
    }
    core::ChannelConfig config(channel.primary, channel.applied);
    for (const core::PendingConfig& pending : channel.pending) {
      const auto left = std::chrono::duration_cast<core::Micros>(pending.due_at - from);
      config.Enqueue(pending.config, now + std::max(left, core::Micros(0)));
    }
    restored.emplace(id.api_key, Entry{id, channel.origin, std::move(config)});
  }
  channels_ = std::move(restored);
  return Status::Ok();
}

}  // namespace multihook::store
