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
using internal::StringPool;

ConfigSource ConfigFromStore(store::ChannelStore& store) {
  return [&store](std::string_view api_key) { return store.Snapshot(api_key); };
}

// One notification's delivery state, the same form while live and once final. Its strings are
// interned in strings_ (one copy of each api key, destination name, URL and outcome however many
// events refer to it), so 25,000 retained events cost little.
struct DeliveryEngine::Event {
  using Ref = StringPool::Ref;
  struct Extra {
    Ref destination = nullptr;
    Ref url = nullptr;  // of the latest attempt
    Ref last_outcome = nullptr;
    int attempts = 0;
    ExtraState state = ExtraState::kWaiting;
    std::optional<Micros> added_latency;  // main's 200 -> this extra's first answer
    std::optional<SteadyTime> first_start;
  };
  const std::string* event_id = nullptr;  // the key in events_
  Ref api_key = nullptr;
  Ref detail = nullptr;
  Ref main_last_outcome = nullptr;
  std::shared_ptr<const std::string> body;  // released once final
  SteadyTime submitted_at{};
  std::optional<SteadyTime> main_first_start;
  std::optional<SteadyTime> next_main_at;
  std::optional<SteadyTime> main_ok_at;
  int main_attempts = 0;
  EventState state = EventState::kPending;
  std::uint32_t extras_open = 0;  // extras not in a final ExtraState
  bool forgotten = false;         // Reset() ran; in-flight results are discarded
  std::vector<Extra> extras;      // the fan-out plan
};

struct DeliveryEngine::Claim {
  std::string api_key;
  std::string destination;
  std::shared_ptr<const std::string> body;
  int attempt = 0;
};

struct DeliveryEngine::Sent {
  TransportResult result;
  SteadyTime started{};  // scheduling clock
  core::WallTime started_wall{};
  SteadyTime ended{};  // scheduling clock
  Micros duration{0};  // measured on the stopwatch
};

namespace {

std::string Microseconds(Micros value) { return std::to_string(value.count()) + " us"; }

// The request one attempt sends; signing errors are returned as the attempt's result.
core::Result<OutgoingRequest> BuildRequest(const Target& target, const std::string& body,
                                           const DeliveryPolicy& policy, const Signer& sign) {
  OutgoingRequest request{*target.url, {}, body, policy.timeout};
  // A configured Content-Type (any case) replaces the default: one header, never two.
  const bool custom_type =
      std::any_of(target.headers->begin(), target.headers->end(),
                  [](const auto& h) { return core::AsciiLower(h.first) == "content-type"; });
  if (!custom_type) request.headers["Content-Type"] = "application/json";
  for (const auto& [name, value] : *target.headers) request.headers[name] = value;
  if (!policy.signing_secret || !sign) return request;
  try {
    request.headers[std::string(kSignatureHeader)] = sign(*policy.signing_secret, body);
  } catch (const std::exception& e) {
    return Status(StatusCode::kInternal, "", std::string("signing failed: ") + e.what());
  } catch (...) {
    return Status(StatusCode::kInternal, "", "signing failed");
  }
  return request;
}

TransportResult SendGuarded(Transport& transport, const OutgoingRequest& request) {
  try {
    return transport.Send(request);
  } catch (const std::exception& e) {
    return {0, ErrorClass::kOther, std::string("transport threw: ") + e.what()};
  } catch (...) {
    return {0, ErrorClass::kOther, "transport threw"};
  }
}

}  // namespace

core::Result<std::unique_ptr<DeliveryEngine>> DeliveryEngine::Create(DeliveryDeps deps,
                                                                     DeliveryPolicy policy) {
  MULTIHOOK_RETURN_IF_ERROR(policy.Validate());
  if (!deps.config) return core::InvalidArgument("/config_source", "must be set");
  return std::unique_ptr<DeliveryEngine>(new DeliveryEngine(std::move(deps), std::move(policy)));
}

DeliveryEngine::DeliveryEngine(DeliveryDeps deps, DeliveryPolicy policy)
    : clock_(deps.clock),
      stopwatch_(deps.stopwatch != nullptr ? *deps.stopwatch : deps.clock),
      transport_(deps.transport),
      config_(std::move(deps.config)),
      sign_(std::move(deps.sign)),
      seed_(deps.seed),
      options_(std::make_shared<const DeliveryPolicy>(std::move(policy))),
      event_capacity_(options_->event_capacity),
      journal_(options_->journal_capacity),
      random_(deps.seed) {}

DeliveryEngine::~DeliveryEngine() = default;

std::shared_ptr<const DeliveryPolicy> DeliveryEngine::options() const {
  core::MutexLock lock(options_mu_);
  return options_;
}

Status DeliveryEngine::SetOptions(DeliveryPolicy policy) {
  core::MutexLock lock(options_mu_);
  policy.journal_capacity = options_->journal_capacity;
  policy.event_capacity = options_->event_capacity;
  MULTIHOOK_RETURN_IF_ERROR(policy.Validate());
  options_ = std::make_shared<const DeliveryPolicy>(std::move(policy));
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
    MULTIHOOK_RETURN_IF_ERROR(ReadConfig(n.api_key));
    known_channel = &n.api_key;
  }

  const std::size_t max_pending = options()->max_pending;
  {
    core::MutexLock lock(mu_);
    if (open_ + batch.size() > max_pending) {
      return Status(StatusCode::kResourceExhausted, "",
                    std::to_string(open_) +
                        " notifications are still being delivered, the most the mock holds at "
                        "once is " +
                        std::to_string(max_pending) +
                        " (--max-pending); retry when some are delivered");
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const std::string& id = batch[i].event_id;
      const bool repeated = std::any_of(batch.begin(), batch.begin() + static_cast<long>(i),
                                        [&](const Notification& n) { return n.event_id == id; });
      if (repeated || events_.count(id) > 0) {
        return Status(StatusCode::kAlreadyExists, "/event_id",
                      "event '" + id + "' was already submitted");
      }
    }
    const SteadyTime now = clock_.Now();
    for (Notification& n : batch) {
      auto event = std::make_shared<Event>();
      event->api_key = strings_.Acquire(n.api_key);
      event->body = std::make_shared<const std::string>(std::move(n.body));
      event->submitted_at = now;
      const auto [it, inserted] = events_.emplace(std::move(n.event_id), event);
      event->event_id = &it->first;
      ++open_;
      ScheduleLocked(event, -1, now + n.delay);
    }
    stats_.Submitted(batch.size());
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
  core::MutexLock lock(mu_);
  if (queue_.empty() || queue_.top().due_ > now) return std::nullopt;
  Task task = queue_.top();
  queue_.pop();
  return task;
}

std::optional<SteadyTime> DeliveryEngine::NextDue() const {
  core::MutexLock lock(mu_);
  if (queue_.empty()) return std::nullopt;
  return queue_.top().due_;
}

std::size_t DeliveryEngine::RunDue() {
  std::size_t ran = 0;
  while (auto task = TakeDue()) ran += Execute(std::move(*task));
  return ran;
}

double DeliveryEngine::DrawUnitLocked(const DeliveryPolicy& policy) {
  if (policy.retry.jitter <= 0.0) return 0.0;
  return std::uniform_real_distribution<double>(0.0, 1.0)(random_);
}

std::size_t DeliveryEngine::Execute(Task task, const std::atomic<bool>* stop) {
  std::size_t ran = 0;
  std::optional<Task> next = std::move(task);
  for (; next; ++ran) {
    if (ran > 0 && stop != nullptr && stop->load()) {
      // The caller is stopping: the rest of the chain waits in the queue, as any task would.
      {
        core::MutexLock lock(mu_);
        queue_.push(std::move(*next));
      }
      signal_.Notify();
      break;
    }
    next = RunAttempt(*next);
  }
  return ran;
}

std::optional<DeliveryEngine::Task> DeliveryEngine::RunAttempt(const Task& task) {
  // One policy snapshot for the whole attempt: a runtime change applies from the next attempt on.
  const std::shared_ptr<const DeliveryPolicy> policy = options();
  const std::optional<Claim> claim = ClaimAttempt(task);
  if (!claim) return std::nullopt;
  // The configuration as it applies now, read and used without the engine lock.
  const auto snapshot = ReadConfig(claim->api_key);
  const Target target =
      ResolveTarget(snapshot, task.extra_index_ < 0, claim->destination, policy->delete_all);
  const Sent sent = Send(target, *claim->body, *policy);
  return Apply(task, *claim, target, sent, *policy);
}

std::optional<DeliveryEngine::Claim> DeliveryEngine::ClaimAttempt(const Task& task) {
  core::MutexLock lock(mu_);
  Event& event = *task.event_;
  if (event.forgotten) return std::nullopt;
  Claim claim;
  claim.api_key = StringPool::Text(event.api_key);
  claim.body = event.body;
  if (task.extra_index_ < 0) {
    claim.attempt = ++event.main_attempts;
    claim.destination = std::string(kMainDestination);
  } else {
    Event::Extra& extra = event.extras[static_cast<std::size_t>(task.extra_index_)];
    claim.attempt = ++extra.attempts;
    claim.destination = StringPool::Text(extra.destination);
  }
  return claim;
}

DeliveryEngine::Sent DeliveryEngine::Send(const Target& target, const std::string& body,
                                          const DeliveryPolicy& policy) const {
  Sent sent;
  sent.started = clock_.Now();
  sent.started_wall = clock_.WallNow();
  sent.ended = sent.started;
  if (target.url == nullptr) return sent;
  const SteadyTime measure_from = stopwatch_.Now();
  auto request = BuildRequest(target, body, policy, sign_);
  sent.result = request.ok() ? SendGuarded(transport_, *request)
                             : TransportResult{0, ErrorClass::kOther, request.status().reason()};
  sent.ended = clock_.Now();
  sent.duration = std::chrono::duration_cast<Micros>(stopwatch_.Now() - measure_from);
  TransportResult& result = sent.result;
  if (result.error == ErrorClass::kNone && sent.duration > policy.timeout) {
    result = {0, ErrorClass::kTimeout,
              "answered HTTP " + std::to_string(result.status) + " after " +
                  Microseconds(sent.duration) + ", over the " + Microseconds(policy.timeout) +
                  " timeout"};
  }
  if (result.error != ErrorClass::kNone) result.status = 0;
  return sent;
}

// Records the outcome and schedules what follows. The first attempt that follows at once (the
// next sequential extra, or the first of a parallel batch) is returned to run on this thread;
// anything else goes to the queue for the other workers.
std::optional<DeliveryEngine::Task> DeliveryEngine::Apply(const Task& task, const Claim& claim,
                                                          const Target& target, const Sent& sent,
                                                          const DeliveryPolicy& policy) {
  const int extra = task.extra_index_;
  const std::shared_ptr<Event>& event = task.event_;
  bool scheduled = false;
  std::optional<Task> follow;
  {
    core::MutexLock lock(mu_);
    if (event->forgotten) return std::nullopt;
    std::optional<SteadyTime>& first_start =
        extra < 0 ? event->main_first_start
                  : event->extras[static_cast<std::size_t>(extra)].first_start;
    if (target.url != nullptr && !first_start) first_start = sent.started;
    AttemptState state{
        extra,
        claim.attempt,
        std::chrono::duration_cast<Micros>(sent.ended - first_start.value_or(sent.started)),
        extra < 0 ? target.plan.size() : event->extras.size(),
        event->extras_open,
        target.all_deleted,
        target.url != nullptr ? DrawUnitLocked(policy) : 0.0};
    AttemptOutcome outcome{target.url != nullptr, target.unavailable, sent.result.status,
                           sent.result.error, sent.ended};
    const Actions actions = Transition(state, outcome, policy);

    std::optional<AttemptRecord> record;
    std::optional<Micros> added;
    if (actions.record) {
      record = RecordLocked(task, claim, target, sent, actions);
      added = NoteAttemptLocked(*event, extra, *record, target, sent, actions);
    } else {
      SkipExtraLocked(*event, extra, target.unavailable);
    }
    if (actions.retry_at) {
      ScheduleLocked(event, extra, *actions.retry_at);
      scheduled = true;
    }
    for (int i = actions.start_first; i < actions.start_first + actions.start_count; ++i) {
      if (follow) {
        ScheduleLocked(event, i, sent.ended);
        scheduled = true;
      } else {
        follow = MakeTaskLocked(event, i, sent.ended);
      }
    }
    if (IsFinal(actions.event_state)) {
      FinishLocked(*event, actions.event_state, actions.detail);
    } else {
      event->state = actions.event_state;
    }
    if (record) {
      stats_.Observe(*record, added);
      // Appended under the engine lock so that a reader woken by the journal sees the event
      // state that this record produced.
      journal_.Append(*record);
    }
  }
  if (scheduled) signal_.Notify();
  return follow;
}

AttemptRecord DeliveryEngine::RecordLocked(const Task& task, const Claim& claim,
                                           const Target& target, const Sent& sent,
                                           const Actions& actions) const {
  const bool was_sent = target.url != nullptr;
  AttemptRecord record;
  record.event_id = *task.event_->event_id;
  record.api_key = claim.api_key;
  record.destination = claim.destination;
  record.url = was_sent ? *target.url : std::string();
  record.attempt = claim.attempt;
  record.gate = actions.gate;
  record.status = sent.result.status;
  record.error = was_sent ? sent.result.error : ErrorClass::kNoWebhook;
  record.detail = was_sent ? sent.result.detail : target.unavailable;
  record.succeeded = actions.succeeded;
  record.scheduled = task.due_;
  record.started = sent.started;
  record.started_wall = sent.started_wall;
  record.duration = sent.duration;
  return record;
}

std::optional<Micros> DeliveryEngine::NoteAttemptLocked(Event& event, int extra,
                                                        const AttemptRecord& record,
                                                        const Target& target, const Sent& sent,
                                                        const Actions& actions) {
  if (extra < 0) {
    SetTextLocked(event.main_last_outcome,
                  target.url != nullptr ? OutcomeName(record) : target.unavailable);
    event.next_main_at = actions.retry_at;
    if (actions.succeeded) event.main_ok_at = sent.ended;
    if (actions.release_extras) {
      event.extras.resize(target.plan.size());
      for (std::size_t i = 0; i < target.plan.size(); ++i) {
        event.extras[i].destination = strings_.Acquire(target.plan[i]);
      }
      event.extras_open = static_cast<std::uint32_t>(event.extras.size());
    }
    return std::nullopt;
  }
  Event::Extra& entry = event.extras[static_cast<std::size_t>(extra)];
  SetTextLocked(entry.url, record.url);
  SetTextLocked(entry.last_outcome, OutcomeName(record));
  entry.state = *actions.extra_state;
  if (entry.state != ExtraState::kRetrying) --event.extras_open;
  if (record.attempt != 1 || !event.main_ok_at) return std::nullopt;
  entry.added_latency = std::chrono::duration_cast<Micros>(sent.ended - *event.main_ok_at);
  return entry.added_latency;
}

void DeliveryEngine::SkipExtraLocked(Event& event, int extra, const std::string& why) {
  Event::Extra& skipped = event.extras[static_cast<std::size_t>(extra)];
  --skipped.attempts;  // nothing was sent
  skipped.state = ExtraState::kSkipped;
  SetTextLocked(skipped.last_outcome, why);
  --event.extras_open;
}

void DeliveryEngine::SetTextLocked(StringPool::Ref& field, const std::string& text) {
  const StringPool::Ref previous = field;
  field = strings_.Acquire(text);
  strings_.Release(previous);
}

void DeliveryEngine::FinishLocked(Event& event, EventState final_state, const std::string& detail) {
  event.state = final_state;
  event.next_main_at.reset();
  if (!detail.empty()) SetTextLocked(event.detail, detail);
  // No attempt of a final event runs again, so its payload goes: 25,000 retained events would
  // otherwise hold every body.
  event.body.reset();
  --open_;
  stats_.Finished(final_state);
  finished_order_.push_back(event.event_id);
  while (finished_order_.size() > event_capacity_) {
    const auto oldest = events_.find(*finished_order_.front());
    finished_order_.pop_front();
    ReleaseLocked(*oldest->second);
    events_.erase(oldest);
  }
}

void DeliveryEngine::ReleaseLocked(const Event& event) {
  strings_.Release(event.api_key);
  strings_.Release(event.detail);
  strings_.Release(event.main_last_outcome);
  for (const Event::Extra& extra : event.extras) {
    strings_.Release(extra.destination);
    strings_.Release(extra.url);
    strings_.Release(extra.last_outcome);
  }
}

EventStatus DeliveryEngine::StatusOfLocked(const Event& event) const {
  EventStatus status;
  status.event_id = *event.event_id;
  status.api_key = StringPool::Text(event.api_key);
  status.state = event.state;
  status.detail = StringPool::Text(event.detail);
  status.submitted_at = event.submitted_at;
  status.main_attempts = event.main_attempts;
  status.main_last_outcome = StringPool::Text(event.main_last_outcome);
  status.next_attempt_at = event.next_main_at;
  status.main_succeeded_at = event.main_ok_at;
  status.extras.reserve(event.extras.size());
  for (const Event::Extra& extra : event.extras) {
    status.extras.push_back(ExtraProgress{
        StringPool::Text(extra.destination), StringPool::Text(extra.url), extra.attempts,
        extra.state, StringPool::Text(extra.last_outcome), extra.added_latency});
  }
  return status;
}

core::Result<EventStatus> DeliveryEngine::GetEvent(std::string_view event_id) const {
  core::MutexLock lock(mu_);
  const std::string id(event_id);
  const auto it = events_.find(id);
  if (it == events_.end()) {
    return Status(StatusCode::kNotFound, "/event_id", "no event '" + id + "' (unknown or evicted)");
  }
  return StatusOfLocked(*it->second);
}

EngineStats DeliveryEngine::Stats() const {
  EngineStats out;
  {
    core::MutexLock lock(mu_);
    out = stats_.Snapshot();
    out.scheduled_tasks = queue_.size();
  }
  out.journal_dropped = journal_.dropped();
  return out;
}

void DeliveryEngine::Reset() {
  {
    core::MutexLock lock(mu_);
    for (auto& [id, event] : events_) event->forgotten = true;
    // Queued tasks may hold events already evicted from events_; mark those too.
    while (!queue_.empty()) {
      queue_.top().event_->forgotten = true;
      queue_.pop();
    }
    events_.clear();
    open_ = 0;
    finished_order_.clear();
    strings_.Clear();
    stats_.Clear();
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
