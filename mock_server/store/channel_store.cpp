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
  core::MutexLock lock(mu_);
  core::ChannelIdentity identity{
      spec.api_key.value_or(ids_.Hex(32)),
      spec.phone_number_id.value_or(ids_.Digits(15)),
      spec.display_phone_number.value_or("+1 555 0" + ids_.Digits(6).substr(0, 6)),
      spec.waba_id.value_or(ids_.Digits(15)),
  };
  if (channels_.count(identity.api_key) > 0) {
    return Status(StatusCode::kAlreadyExists, "/api_key", "a channel with this API key exists");
  }
  for (const auto& [key, entry] : channels_) {
    if (entry.identity.phone_number_id == identity.phone_number_id) {
      return Status(StatusCode::kAlreadyExists, "/phone_number_id",
                    "a channel with phone number id '" + identity.phone_number_id + "' exists");
    }
  }
  channels_.emplace(identity.api_key, Entry{identity, origin, {}});
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
  core::MutexLock lock(mu_);
  MULTIHOOK_ASSIGN_OR_RETURN(Entry* const entry, Find(api_key));
  core::ChannelConfig& config = entry->config;
  MULTIHOOK_ASSIGN_OR_RETURN(core::Change change, rule(config, options_.rules));
  config.Enqueue(std::move(change.next), clock_.Now() + options_.apply_delay);
  Accepted accepted{std::move(change.warnings), std::move(change.skipped)};
  for (const std::string& name : accepted.skipped) {
    accepted.warnings.push_back("skipped destination '" + name + "': the name exists already");
  }
  Record(api_key, std::move(method), std::move(path), options_.apply_delay, accepted);
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
  core::MutexLock lock(mu_);
  MULTIHOOK_ASSIGN_OR_RETURN(Entry* const entry, Find(api_key));
  core::ChannelConfig& config = entry->config;
  MULTIHOOK_ASSIGN_OR_RETURN(auto warnings,
                             core::CheckPrimary(primary, config.primary().url.has_value(),
                                                config.projected(), options_.rules));
  config.set_primary(primary);
  // The main webhook applies at once: due when accepted.
  Record(api_key, "POST", "/v1/configs/webhook", core::Micros(0), Accepted{warnings, {}});
  return PrimaryAccepted{primary, std::move(warnings)};
}

core::Result<ChannelSnapshot> ChannelStore::Snapshot(std::string_view api_key) {
  core::MutexLock lock(mu_);
  MULTIHOOK_ASSIGN_OR_RETURN(Entry* const entry, Find(api_key));
  return ChannelSnapshot{entry->identity, entry->config.primary(), entry->config.applied()};
}

std::size_t ChannelStore::Flush() {
  core::MutexLock lock(mu_);
  std::size_t applied = 0;
  for (auto& [key, entry] : channels_) applied += entry.config.ApplyAll();
  for (Logged& logged : changes_) logged.record.applied = true;
  return applied;
}

void ChannelStore::Reset() {
  core::MutexLock lock(mu_);
  std::erase_if(channels_,
                [](const auto& item) { return item.second.origin == ChannelOrigin::kRuntime; });
  for (auto& [key, entry] : channels_) entry.config = core::ChannelConfig{};
  changes_.clear();
  next_sequence_ = 1;
  dropped_ = 0;
}

}  // namespace multihook::store
