#include "mock_server/delivery/delivery_engine.hpp"

#include <algorithm>
#include <exception>
#include <string>

#include "mock_server/core/url_rules.hpp"

namespace multihook::delivery {

using core::Micros;
using core::Status;
using core::StatusCode;
using core::SteadyTime;

ConfigSource ConfigFromStore(store::ChannelStore& store) {
  return [&store](std::string_view api_key) { return store.Snapshot(api_key); };
}

struct DeliveryEngine::Event {
  std::string event_id;
  std::string api_key;
  std::shared_ptr<const std::string> body;
  SteadyTime submitted_at{};
  EventState state = EventState::kPending;
  std::string detail;
  bool forgotten = false;  // Reset() ran; in-flight results are discarded

  int main_attempts = 0;
  std::optional<SteadyTime> main_first_start;
  std::string main_last_outcome;
  std::optional<SteadyTime> next_main_at;
  std::optional<SteadyTime> main_ok_at;

  struct Extra {
    ExtraProgress progress;
    std::optional<SteadyTime> first_start;
  };
  std::vector<Extra> extras;    // the fan-out plan
  std::size_t extras_open = 0;  // not yet in a final ExtraState
};

// A final event as kept for GetEvent: its strings are interned in strings_ (one copy of each
// api key, destination name, URL and outcome however many events refer to it).
struct DeliveryEngine::Summary {
  using Ref = internal::StringPool::Ref;
  struct Extra {
    Ref destination = nullptr;
    Ref url = nullptr;
    Ref last_outcome = nullptr;
    int attempts = 0;
    ExtraState state = ExtraState::kWaiting;
    bool has_added_latency = false;
    Micros added_latency{0};
  };
  Ref api_key = nullptr;
  Ref detail = nullptr;
  Ref main_last_outcome = nullptr;
  SteadyTime submitted_at{};
  std::optional<SteadyTime> main_ok_at;
  int main_attempts = 0;
  EventState state = EventState::kPending;
  std::unique_ptr<Extra[]> extras;
  std::uint32_t extra_count = 0;
};

namespace {

bool Accepted(SuccessRule rule, const TransportResult& result) {
  if (result.error != ErrorClass::kNone) return false;
  if (rule == SuccessRule::kAny2xx) return result.status >= 200 && result.status <= 299;
  return result.status == 200;
}

std::string Microseconds(Micros value) { return std::to_string(value.count()) + " us"; }

}  // namespace

core::Result<std::unique_ptr<DeliveryEngine>> DeliveryEngine::Create(const core::Clock& clock,
                                                                     Transport& transport,
                                                                     ConfigSource config,
                                                                     DeliveryOptions options) {
  if (Status s = Validate(options); !s.ok()) return s;
  if (options.journal_capacity == 0) {
    return core::InvalidArgument("/journal_capacity", "must be at least 1");
  }
  if (options.event_capacity == 0) {
    return core::InvalidArgument("/event_capacity", "must be at least 1");
  }
  if (!config) return core::InvalidArgument("/config_source", "must be set");
  return std::unique_ptr<DeliveryEngine>(
      new DeliveryEngine(clock, transport, std::move(config), std::move(options)));
}

DeliveryEngine::DeliveryEngine(const core::Clock& clock, Transport& transport, ConfigSource config,
                               DeliveryOptions options)
    : clock_(clock),
      transport_(transport),
      config_(std::move(config)),
      options_(std::make_shared<const DeliveryOptions>(std::move(options))),
      event_capacity_(options_->event_capacity),
      journal_(options_->journal_capacity),
      random_(options_->seed) {}

DeliveryEngine::~DeliveryEngine() = default;

Status DeliveryEngine::Validate(const DeliveryOptions& options) {
  if (Status s = options.retry.Validate(); !s.ok()) return s;
  if (options.timeout <= Micros(0)) return core::InvalidArgument("/timeout", "must be positive");
  if (options.max_pending == 0) return core::InvalidArgument("/max_pending", "must be at least 1");
  return Status::Ok();
}

std::shared_ptr<const DeliveryOptions> DeliveryEngine::options() const {
  std::lock_guard lock(options_mu_);
  return options_;
}

Status DeliveryEngine::SetOptions(DeliveryOptions options) {
  if (Status s = Validate(options); !s.ok()) return s;
  std::lock_guard lock(options_mu_);
  options.journal_capacity = options_->journal_capacity;
  options.event_capacity = options_->event_capacity;
  options.seed = options_->seed;
  options_ = std::make_shared<const DeliveryOptions>(std::move(options));
  return Status::Ok();
}

core::Result<store::ChannelSnapshot> DeliveryEngine::ReadConfig(const std::string& api_key) const {
  try {
    return config_(api_key);
  } catch (const std::exception& e) {
    return Status(StatusCode::kInternal, "", std::string("config source threw: ") + e.what());
  } catch (...) {
    return Status(StatusCode::kInternal, "", "config source threw");
  }
}

Status DeliveryEngine::Submit(Notification notification) {
  std::vector<Notification> batch;
  batch.push_back(std::move(notification));
  return SubmitAll(std::move(batch));
}

Status DeliveryEngine::SubmitAll(std::vector<Notification> batch) {
  const std::string* known_channel = nullptr;  // checked already (a batch is usually one channel)
  for (const Notification& n : batch) {
    if (n.event_id.empty()) return core::InvalidArgument("/event_id", "must not be empty");
    if (n.delay < Micros(0)) return core::InvalidArgument("/delay", "must not be negative");
    // An unknown channel is refused now (the caller maps it to 401/404); a known channel without
    // a main webhook is accepted and its first attempt records it as undeliverable.
    if (known_channel != nullptr && *known_channel == n.api_key) continue;
    if (auto snapshot = ReadConfig(n.api_key); !snapshot.ok()) return snapshot.status();
    known_channel = &n.api_key;
  }

  const std::size_t max_pending = options()->max_pending;
  {
    std::lock_guard lock(mu_);
    if (events_.size() + batch.size() > max_pending) {
      return Status(StatusCode::kResourceExhausted, "",
                    std::to_string(events_.size()) +
                        " notifications are still being delivered, the most the mock holds at "
                        "once is " +
                        std::to_string(max_pending) +
                        " (--max-pending); retry when some are delivered");
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const std::string& id = batch[i].event_id;
      const bool repeated = std::any_of(batch.begin(), batch.begin() + static_cast<long>(i),
                                        [&](const Notification& n) { return n.event_id == id; });
      if (repeated || events_.count(id) > 0 || finished_.count(id) > 0) {
        return Status(StatusCode::kAlreadyExists, "/event_id",
                      "event '" + id + "' was already submitted");
      }
    }
    const SteadyTime now = clock_.Now();
    for (Notification& n : batch) {
      auto event = std::make_shared<Event>();
      event->event_id = n.event_id;
      event->api_key = std::move(n.api_key);
      event->body = std::make_shared<const std::string>(std::move(n.body));
      event->submitted_at = now;
      events_.emplace(std::move(n.event_id), event);
      ++submitted_;
      ScheduleLocked(event, -1, now + n.delay);
    }
  }
  signal_.Notify();
  return Status::Ok();
}

DeliveryEngine::Task DeliveryEngine::MakeTaskLocked(const std::shared_ptr<Event>& event,
                                                    int extra_index, SteadyTime due) {
  Task task;
  task.event_ = event;
  task.extra_index_ = extra_index;
  task.due_ = due;
  task.order_ = next_order_++;
  return task;
}

void DeliveryEngine::ScheduleLocked(const std::shared_ptr<Event>& event, int extra_index,
                                    SteadyTime due) {
  queue_.push(MakeTaskLocked(event, extra_index, due));
}

std::optional<DeliveryEngine::Task> DeliveryEngine::TakeDue() {
  const SteadyTime now = clock_.Now();
  std::lock_guard lock(mu_);
  if (queue_.empty() || queue_.top().due_ > now) return std::nullopt;
  Task task = queue_.top();
  queue_.pop();
  return task;
}

std::optional<SteadyTime> DeliveryEngine::NextDue() const {
  std::lock_guard lock(mu_);
  if (queue_.empty()) return std::nullopt;
  return queue_.top().due_;
}

std::size_t DeliveryEngine::RunDue() {
  std::size_t ran = 0;
  while (auto task = TakeDue()) ran += Execute(std::move(*task));
  return ran;
}

double DeliveryEngine::DrawUnitLocked() {
  if (options()->retry.jitter <= 0.0) return 0.0;
  return std::uniform_real_distribution<double>(0.0, 1.0)(random_);
}

DestinationStats& DeliveryEngine::StatsLocked(const std::string& api_key,
                                              const std::string& destination) {
  auto [it, inserted] = stats_.try_emplace({api_key, destination});
  if (inserted) {
    it->second.api_key = api_key;
    it->second.destination = destination;
  }
  return it->second;
}

void DeliveryEngine::FinishLocked(Event& event, EventState final_state) {
  event.state = final_state;
  event.next_main_at.reset();
  switch (final_state) {
    case EventState::kDelivered:
      ++delivered_;
      break;
    case EventState::kExpired:
      ++expired_;
      break;
    case EventState::kUndeliverable:
      ++undeliverable_;
      break;
    default:
      break;
  }
  // No attempt of a final event runs again (running ones hold their own reference), so the
  // event is replaced by a compact summary: 100,000 retained events would otherwise hold their
  // full state (and every payload).
  event.body.reset();
  Summary summary;
  summary.api_key = strings_.Acquire(event.api_key);
  summary.detail = strings_.Acquire(event.detail);
  summary.main_last_outcome = strings_.Acquire(event.main_last_outcome);
  summary.submitted_at = event.submitted_at;
  summary.main_ok_at = event.main_ok_at;
  summary.main_attempts = event.main_attempts;
  summary.state = event.state;
  if (!event.extras.empty()) {
    summary.extra_count = static_cast<std::uint32_t>(event.extras.size());
    summary.extras = std::make_unique<Summary::Extra[]>(event.extras.size());
    for (std::size_t i = 0; i < event.extras.size(); ++i) {
      const ExtraProgress& p = event.extras[i].progress;
      Summary::Extra& x = summary.extras[i];
      x.destination = strings_.Acquire(p.destination);
      x.url = strings_.Acquire(p.url);
      x.last_outcome = strings_.Acquire(p.last_outcome);
      x.attempts = p.attempts;
      x.state = p.state;
      x.has_added_latency = p.added_latency.has_value();
      if (p.added_latency) x.added_latency = *p.added_latency;
    }
  }
  // Running tasks (none are queued for a final event) keep the Event alive by their reference.
  if (const auto it = events_.find(event.event_id); it != events_.end()) {
    auto [done, inserted] = finished_.try_emplace(it->first, std::move(summary));
    if (inserted) {
      finished_order_.push_back(&done->first);
    } else {
      ReleaseSummaryLocked(summary);  // cannot happen: ids are unique among retained events
    }
    events_.erase(it);
  } else {
    ReleaseSummaryLocked(summary);
  }
  while (finished_order_.size() > event_capacity_) {
    const auto oldest = finished_.find(*finished_order_.front());
    finished_order_.pop_front();
    ReleaseSummaryLocked(oldest->second);
    finished_.erase(oldest);
  }
}

void DeliveryEngine::ReleaseSummaryLocked(const Summary& summary) {
  strings_.Release(summary.api_key);
  strings_.Release(summary.detail);
  strings_.Release(summary.main_last_outcome);
  for (std::uint32_t i = 0; i < summary.extra_count; ++i) {
    strings_.Release(summary.extras[i].destination);
    strings_.Release(summary.extras[i].url);
    strings_.Release(summary.extras[i].last_outcome);
  }
}

std::size_t DeliveryEngine::Execute(Task task, const std::atomic<bool>* stop) {
  std::size_t ran = 0;
  std::optional<Task> next = std::move(task);
  for (; next; ++ran) {
    if (ran > 0 && stop != nullptr && stop->load()) {
      // The caller is stopping: the rest of the chain waits in the queue, as any task would.
      {
        std::lock_guard lock(mu_);
        queue_.push(std::move(*next));
      }
      signal_.Notify();
      break;
    }
    next = RunAttempt(std::move(*next));
  }
  return ran;
}

std::optional<DeliveryEngine::Task> DeliveryEngine::RunAttempt(Task task) {
  const std::shared_ptr<Event> event = std::move(task.event_);
  const int extra = task.extra_index_;
  const bool is_main = extra < 0;
  // One snapshot for the whole attempt: a runtime change applies from the next attempt on.
  const std::shared_ptr<const DeliveryOptions> options_snapshot = options();
  const DeliveryOptions& opts = *options_snapshot;

  // 1. Claim the attempt number and copy what the I/O needs.
  std::string api_key;
  std::string destination;
  std::shared_ptr<const std::string> body;
  int attempt = 0;
  {
    std::lock_guard lock(mu_);
    if (event->forgotten) return std::nullopt;
    api_key = event->api_key;
    body = event->body;
    if (is_main) {
      attempt = ++event->main_attempts;
      destination = std::string(kMainDestination);
    } else {
      auto& progress = event->extras[static_cast<std::size_t>(extra)].progress;
      attempt = ++progress.attempts;
      destination = progress.destination;
    }
  }

  // 2. Read the configuration as it applies now (no lock held).
  auto snapshot = ReadConfig(api_key);
  std::optional<std::string> url;
  const core::Headers* custom_headers = nullptr;
  std::vector<std::string> plan;  // main only: the extras to fan out to after a 200
  std::string unavailable;        // why nothing can be sent
  bool empty_fanout = false;      // main only: multi-webhook enabled, no extra destination
  if (!snapshot.ok()) {
    unavailable = "channel unavailable: " + snapshot.status().ToString();
  } else if (is_main) {
    const bool all_deleted = snapshot->applied.enabled && snapshot->applied.destinations.empty();
    if (snapshot->primary.url && all_deleted && opts.delete_all == DeleteAll::kNoCallbacks) {
      unavailable =
          "every webhook deleted: callbacks get an empty response (delete_all no-callbacks)";
    } else if (snapshot->primary.url) {
      url = *snapshot->primary.url;
      custom_headers = &snapshot->primary.headers;
      empty_fanout = all_deleted;
      if (snapshot->applied.enabled) {
        for (const auto& d : snapshot->applied.destinations) plan.push_back(d.name);
      }
    } else {
      unavailable = "no main webhook configured";
    }
  } else if (!snapshot->applied.enabled) {
    unavailable = "multi-webhook disabled before this attempt";
  } else {
    const auto& destinations = snapshot->applied.destinations;
    const auto it = std::find_if(destinations.begin(), destinations.end(),
                                 [&](const core::Destination& d) { return d.name == destination; });
    if (it == destinations.end()) {
      unavailable = "destination deleted before this attempt";
    } else {
      url = it->url;
      custom_headers = &it->headers;
    }
  }

  // 3. Send (no lock held).
  TransportResult result;
  const SteadyTime started = clock_.Now();
  const core::WallTime started_wall = clock_.WallNow();
  SteadyTime ended = started;
  if (url) {
    OutgoingRequest request{*url, {}, *body, opts.timeout};
    // A configured Content-Type (any case) replaces the default: one header, never two.
    const bool custom_type =
        std::any_of(custom_headers->begin(), custom_headers->end(),
                    [](const auto& h) { return core::AsciiLower(h.first) == "content-type"; });
    if (!custom_type) request.headers["Content-Type"] = "application/json";
    for (const auto& [name, value] : *custom_headers) request.headers[name] = value;
    bool can_send = true;
    if (opts.sign) {
      try {
        request.headers[std::string(kSignatureHeader)] = opts.sign(*body);
      } catch (const std::exception& e) {
        result = {0, ErrorClass::kOther, std::string("signing failed: ") + e.what()};
        can_send = false;
      } catch (...) {
        result = {0, ErrorClass::kOther, "signing failed"};
        can_send = false;
      }
    }
    if (can_send) {
      try {
        result = transport_.Send(request);
      } catch (const std::exception& e) {
        result = {0, ErrorClass::kOther, std::string("transport threw: ") + e.what()};
      } catch (...) {
        result = {0, ErrorClass::kOther, "transport threw"};
      }
    }
    ended = clock_.Now();
    if (result.error == ErrorClass::kNone && ended - started > opts.timeout) {
      result = {0, ErrorClass::kTimeout,
                "answered HTTP " + std::to_string(result.status) + " after " +
                    Microseconds(std::chrono::duration_cast<Micros>(ended - started)) +
                    ", over the " + Microseconds(opts.timeout) + " timeout"};
    }
    if (result.error != ErrorClass::kNone) result.status = 0;
  }
  const Micros duration = std::chrono::duration_cast<Micros>(ended - started);
  const bool succeeded = url.has_value() && Accepted(opts.success, result);

  // 4. Record the outcome and schedule what follows. The first attempt that follows at once
  // (the next sequential extra, or the first of a parallel batch) is returned to run on this
  // thread; anything else goes to the queue for the other workers.
  bool scheduled = false;
  std::optional<Task> follow;
  const auto follow_now = [&](int extra_index) {
    if (follow) {
      ScheduleLocked(event, extra_index, ended);
      scheduled = true;
    } else {
      follow = MakeTaskLocked(event, extra_index, ended);
    }
  };
  {
    std::lock_guard lock(mu_);
    if (event->forgotten) return std::nullopt;

    if (!is_main && !url) {
      // An extra that vanished from the config: nothing was sent, nothing to journal.
      auto& entry = event->extras[static_cast<std::size_t>(extra)];
      --entry.progress.attempts;
      entry.progress.state = ExtraState::kSkipped;
      entry.progress.last_outcome = unavailable;
      --event->extras_open;
      if (opts.fanout == Fanout::kSequential && attempt == 1 &&
          static_cast<std::size_t>(extra) + 1 < event->extras.size()) {
        follow_now(extra + 1);
      }
      if (event->extras_open == 0) FinishLocked(*event, EventState::kDelivered);
    } else {
      AttemptRecord record;
      record.event_id = event->event_id;
      record.api_key = api_key;
      record.destination = destination;
      record.url = url.value_or("");
      record.attempt = attempt;
      record.status = result.status;
      record.error = url ? result.error : ErrorClass::kNoWebhook;
      record.detail = url ? result.detail : unavailable;
      record.succeeded = succeeded;
      record.scheduled = task.due_;
      record.started = started;
      record.started_wall = started_wall;
      record.duration = duration;

      DestinationStats& stats = StatsLocked(api_key, destination);
      ++stats.attempts;
      if (succeeded) ++stats.succeeded;
      ++stats.outcomes[OutcomeName(record)];
      if (record.error == ErrorClass::kNone) stats.latency.Record(duration);

      if (is_main) {
        record.gate = succeeded ? Gate::kOpen : Gate::kClosed;
        event->main_last_outcome = url ? OutcomeName(record) : unavailable;
        if (!event->main_first_start) event->main_first_start = started;
        if (!url) {
          event->detail = unavailable;
          FinishLocked(*event, EventState::kUndeliverable);
        } else if (succeeded) {
          event->main_ok_at = ended;
          event->next_main_at.reset();
          for (auto& name : plan) {
            Event::Extra entry;
            entry.progress.destination = std::move(name);
            event->extras.push_back(std::move(entry));
          }
          event->extras_open = event->extras.size();
          if (event->extras.empty()) {
            if (empty_fanout) {
              event->detail = "multi-webhook is enabled with no extra webhook: empty fan-out";
            }
            FinishLocked(*event, EventState::kDelivered);
          } else {
            event->state = EventState::kFanningOut;
            const int first_batch =
                opts.fanout == Fanout::kParallel ? static_cast<int>(event->extras.size()) : 1;
            for (int i = 0; i < first_batch; ++i) follow_now(i);
          }
        } else {
          const auto delay = opts.retry.DelayBeforeAttempt(
              attempt + 1, std::chrono::duration_cast<Micros>(ended - *event->main_first_start),
              DrawUnitLocked());
          if (delay) {
            event->state = EventState::kRetrying;
            event->next_main_at = ended + *delay;
            ScheduleLocked(event, -1, ended + *delay);
            scheduled = true;
          } else {
            event->detail = "no 200 from the main webhook within the retry horizon (" +
                            std::to_string(attempt) + " attempts); extras not sent";
            FinishLocked(*event, EventState::kExpired);
          }
        }
      } else {
        record.gate = Gate::kAfterMain;
        auto& entry = event->extras[static_cast<std::size_t>(extra)];
        entry.progress.url = record.url;
        entry.progress.last_outcome = OutcomeName(record);
        if (!entry.first_start) entry.first_start = started;
        if (attempt == 1 && event->main_ok_at) {
          const auto added = std::chrono::duration_cast<Micros>(ended - *event->main_ok_at);
          entry.progress.added_latency = added;
          stats.added_latency.Record(added);
        }
        bool final_now = true;
        if (succeeded) {
          entry.progress.state = ExtraState::kSucceeded;
        } else if (opts.retry_extras == RetryExtras::kYes) {
          const auto delay = opts.retry.DelayBeforeAttempt(
              attempt + 1, std::chrono::duration_cast<Micros>(ended - *entry.first_start),
              DrawUnitLocked());
          if (delay) {
            entry.progress.state = ExtraState::kRetrying;
            ScheduleLocked(event, extra, ended + *delay);
            scheduled = true;
            final_now = false;
          } else {
            entry.progress.state = ExtraState::kExpired;
          }
        } else {
          entry.progress.state = ExtraState::kFailed;
        }
        // The next extra in sequence goes after this one's first attempt; a retried extra never
        // holds back the rest.
        if (opts.fanout == Fanout::kSequential && attempt == 1 &&
            static_cast<std::size_t>(extra) + 1 < event->extras.size()) {
          follow_now(extra + 1);
        }
        if (final_now && --event->extras_open == 0) FinishLocked(*event, EventState::kDelivered);
      }
      // Appended under the engine lock so that a reader woken by the journal sees the event
      // state that this record produced.
      journal_.Append(std::move(record));
    }
  }
  if (scheduled) signal_.Notify();
  return follow;
}

core::Result<EventStatus> DeliveryEngine::GetEvent(std::string_view event_id) const {
  std::lock_guard lock(mu_);
  const std::string id(event_id);
  const auto it = events_.find(id);
  if (it == events_.end()) {
    const auto done = finished_.find(id);
    if (done == finished_.end()) {
      return Status(StatusCode::kNotFound, "/event_id",
                    "no event '" + id + "' (unknown or evicted)");
    }
    using internal::StringPool;
    const Summary& summary = done->second;
    EventStatus status;
    status.event_id = done->first;
    status.api_key = StringPool::Text(summary.api_key);
    status.state = summary.state;
    status.detail = StringPool::Text(summary.detail);
    status.submitted_at = summary.submitted_at;
    status.main_attempts = summary.main_attempts;
    status.main_last_outcome = StringPool::Text(summary.main_last_outcome);
    status.main_succeeded_at = summary.main_ok_at;
    status.extras.reserve(summary.extra_count);
    for (std::uint32_t i = 0; i < summary.extra_count; ++i) {
      const Summary::Extra& x = summary.extras[i];
      ExtraProgress progress;
      progress.destination = StringPool::Text(x.destination);
      progress.url = StringPool::Text(x.url);
      progress.attempts = x.attempts;
      progress.state = x.state;
      progress.last_outcome = StringPool::Text(x.last_outcome);
      if (x.has_added_latency) progress.added_latency = x.added_latency;
      status.extras.push_back(std::move(progress));
    }
    return status;
  }
  const Event& event = *it->second;
  EventStatus status;
  status.event_id = event.event_id;
  status.api_key = event.api_key;
  status.state = event.state;
  status.detail = event.detail;
  status.submitted_at = event.submitted_at;
  status.main_attempts = event.main_attempts;
  status.main_last_outcome = event.main_last_outcome;
  status.next_attempt_at = event.next_main_at;
  status.main_succeeded_at = event.main_ok_at;
  for (const auto& extra : event.extras) status.extras.push_back(extra.progress);
  return status;
}

EngineStats DeliveryEngine::Stats() const {
  EngineStats out;
  {
    std::lock_guard lock(mu_);
    out.submitted = submitted_;
    out.delivered = delivered_;
    out.expired = expired_;
    out.undeliverable = undeliverable_;
    out.in_progress = submitted_ - delivered_ - expired_ - undeliverable_;
    out.scheduled_tasks = queue_.size();
    out.destinations.reserve(stats_.size());
    for (const auto& [key, stats] : stats_) out.destinations.push_back(stats);
  }
  out.journal_dropped = journal_.dropped();
  return out;
}

void DeliveryEngine::Reset() {
  {
    std::lock_guard lock(mu_);
    for (auto& [id, event] : events_) event->forgotten = true;
    // Queued tasks may hold events already evicted from events_; mark those too.
    while (!queue_.empty()) {
      queue_.top().event_->forgotten = true;
      queue_.pop();
    }
    events_.clear();
    finished_order_.clear();
    finished_.clear();
    strings_.Clear();
    stats_.clear();
    submitted_ = delivered_ = expired_ = undeliverable_ = 0;
    journal_.Clear();
  }
  signal_.Notify();
}

std::size_t RunUntilIdle(DeliveryEngine& engine, core::SteppedClock& clock, std::size_t max_tasks) {
  std::size_t ran = engine.RunDue();
  while (ran < max_tasks) {
    const auto next = engine.NextDue();
    if (!next) break;
    if (*next > clock.Now()) clock.Advance(std::chrono::duration_cast<Micros>(*next - clock.Now()));
    ran += engine.RunDue();
  }
  return ran;
}

std::size_t AdvanceAndRun(DeliveryEngine& engine, core::SteppedClock& clock, Micros by) {
  const SteadyTime target = clock.Now() + by;
  std::size_t ran = engine.RunDue();
  while (true) {
    const auto next = engine.NextDue();
    const SteadyTime stop = next && *next < target ? *next : target;
    if (stop > clock.Now()) clock.Advance(std::chrono::duration_cast<Micros>(stop - clock.Now()));
    ran += engine.RunDue();
    if (stop >= target) break;
  }
  return ran;
}

}  // namespace multihook::delivery
