// DeliveryEngine: delivers each notification of a phone number (contract §6). The main webhook
// gets it first; only its 200 (or any 2xx under SuccessRule::kAny2xx) within the timeout opens the
// gate, and then every enabled extra destination gets a byte-identical copy, in configured order,
// one after another (or all at once under Fanout::kParallel). A failed main attempt is retried on
// the RetryPolicy until its horizon passes (the event expires; extras are never sent). Failed
// extras are recorded, and retried only under RetryExtras::kYes. Every attempt goes to the
// Journal; per-destination latency goes to histograms.
//
// The policy (timeout, retries, fan-out, success rule, signing secret, max_pending:
// delivery_policy.hpp) is an immutable snapshot that SetOptions() swaps at runtime: each attempt
// reads the snapshot once when it starts and uses it to the end, so no attempt sees half of a
// change. The wiring (clocks, transport, config source, signer, seed) is DeliveryDeps, fixed at
// Create().
//
// An attempt is claim -> ResolveTarget (target.hpp, pure) -> Send -> Transition (transition.hpp,
// pure: every delivery rule) -> apply the actions. Latency is measured on DeliveryDeps::stopwatch
// (the real clock in the mock), schedules on DeliveryDeps::clock (real or virtual), so a receiver
// taking 20 ms shows 20 ms under virtual time too.
//
// Configuration is read from the ConfigSource when each attempt starts, so a change applied
// between two attempts is seen by the second. Which extras an event fans out to (and in which
// order) is fixed by the snapshot read at the start of the main attempt that got the 200; each
// extra attempt then re-reads the config for that destination's current URL and headers, and is
// skipped (not sent) if the destination was deleted or the feature disabled meanwhile.
//
// Work is a time-ordered queue of attempts. Nothing runs by itself: RunDue() runs what is due on
// the calling thread (deterministic tests, virtual time), and DeliveryRunner (delivery_runner.hpp)
// runs the same tasks on worker threads in serve mode. Notifications are independent: one waiting
// for a retry never holds back another.
//
// Thread-safe. The engine lock is never held while calling the transport, the config source or
// the signing function.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "mock_server/core/clock.hpp"
#include "mock_server/core/mutex.hpp"
#include "mock_server/core/status.hpp"
#include "mock_server/delivery/delivery_policy.hpp"
#include "mock_server/delivery/engine_stats.hpp"
#include "mock_server/delivery/event_status.hpp"
#include "mock_server/delivery/histogram.hpp"
#include "mock_server/delivery/journal.hpp"
#include "mock_server/delivery/target.hpp"
#include "mock_server/delivery/transition.hpp"
#include "mock_server/delivery/transport.hpp"
#include "mock_server/delivery/work_signal.hpp"
#include "mock_server/store/channel_store.hpp"

namespace multihook::delivery {

// Reads a channel's configuration as it applies now. Called without engine locks held; must be
// thread-safe. An error means the channel is unknown.
using ConfigSource = std::function<core::Result<store::ChannelSnapshot>(std::string_view api_key)>;

// A ConfigSource reading `store` (which must outlive the engine).
ConfigSource ConfigFromStore(store::ChannelStore& store);

using Signer = std::function<std::string(std::string_view secret, std::string_view body)>;

// The wiring of an engine: everything nondeterministic or external it reaches.
struct DeliveryDeps {
  const core::Clock& clock;  // schedules, retries, timestamps (the mock's real or virtual clock)
  Transport& transport;
  ConfigSource config;
  // The x-360dialog-signature of a body under DeliveryPolicy::signing_secret; null: never sign.
  // Called without engine locks held; must be thread-safe.
  Signer sign = nullptr;
  // Measures how long each attempt took (journal duration, latency, timeouts); null: `clock`.
  const core::Clock* stopwatch = nullptr;
  std::uint64_t seed = 0;  // for retry jitter
};

struct Notification {
  std::string event_id;   // unique among retained events
  std::string api_key;    // the channel (phone number)
  std::string body;       // sent byte-identical to every destination
  core::Micros delay{0};  // first attempt due this long after Submit (e.g. scripted statuses)
};

class DeliveryEngine {
  struct Event;  // one notification's delivery state, live or final; defined in the .cpp
  struct Claim;  // what one attempt took from its event; defined in the .cpp
  struct Sent;   // what one attempt's I/O got; defined in the .cpp

 public:
  // One queued attempt, taken by TakeDue() and run by Execute(). Opaque; movable.
  class Task {
   public:
    core::SteadyTime due() const { return due_; }

   private:
    friend class DeliveryEngine;
    std::shared_ptr<Event> event_;
    int extra_index_ = -1;  // -1: the main webhook; else index into the fan-out plan
    core::SteadyTime due_{};
    std::uint64_t order_ = 0;  // FIFO among tasks due at the same instant
  };

  // invalid_argument when a policy value is out of range or `deps.config` is empty.
  static core::Result<std::unique_ptr<DeliveryEngine>> Create(DeliveryDeps deps,
                                                              DeliveryPolicy policy);
  ~DeliveryEngine();

  DeliveryEngine(const DeliveryEngine&) = delete;
  DeliveryEngine& operator=(const DeliveryEngine&) = delete;

  // Accepts a notification; its first main attempt is due after `delay`. Errors: invalid_argument
  // (empty event id, negative delay), the config source's error for an unknown channel
  // (unauthenticated for ChannelStore), already_exists for a retained event id,
  // resource_exhausted when max_pending notifications are not final yet. An accepted
  // notification is never lost: it ends delivered, expired or undeliverable (or is forgotten by
  // Reset()).
  [[nodiscard]] core::Status Submit(Notification notification);
  // All of `batch` or none of it (same errors; also already_exists for an id twice in the batch).
  [[nodiscard]] core::Status SubmitAll(std::vector<Notification> batch);

  // Runs on the calling thread every task due at clock.Now(), including those that become due as
  // a consequence (extras after main's 200, the next sequential extra); returns how many ran.
  std::size_t RunDue();
  // The earliest scheduled instant, if anything is queued.
  std::optional<core::SteadyTime> NextDue() const;

  // For runners: pops the earliest task due at clock.Now(); Execute() runs it, and then on the
  // same thread the attempt that follows it at once (the next sequential extra, the first extra
  // of a parallel batch), and so on: one notification's fan-out costs no hand-off between
  // threads. Returns how many attempts ran. Once `*stop` is true (checked between attempts), the
  // rest of the chain goes back to the queue instead, so a stopping runner waits for one attempt,
  // not a whole fan-out.
  std::optional<Task> TakeDue();
  std::size_t Execute(Task task, const std::atomic<bool>* stop = nullptr);
  // Notified whenever work is queued (and by runners); see DeliveryRunner.
  WorkSignal& work_signal() { return signal_; }

  // not_found for an unknown (or evicted) event id.
  [[nodiscard]] core::Result<EventStatus> GetEvent(std::string_view event_id) const;
  EngineStats Stats() const;
  const Journal& journal() const { return journal_; }
  // Shutdown: ends the journal's waiting long-polls (Journal::Close).
  void CloseJournal() { journal_.Close(); }

  // Forgets every event, queued attempt, journal record and statistic (POST /mock/reset).
  // Attempts already running finish their I/O and are then discarded.
  void Reset();

  // The policy in force now (an immutable snapshot).
  std::shared_ptr<const DeliveryPolicy> options() const;
  // Swaps in a new policy, all or nothing; invalid_argument (nothing changed) when a value is out
  // of range. journal_capacity and event_capacity are fixed at Create() and kept.
  [[nodiscard]] core::Status SetOptions(DeliveryPolicy policy);
  const core::Clock& clock() const { return clock_; }
  std::uint64_t seed() const { return seed_; }

 private:
  struct Later {
    bool operator()(const Task& a, const Task& b) const {
      return a.due_ != b.due_ ? a.due_ > b.due_ : a.order_ > b.order_;
    }
  };

  DeliveryEngine(DeliveryDeps deps, DeliveryPolicy policy);

  // Everything below that says "Locked" is called with the engine lock held.
  Task MakeTaskLocked(const std::shared_ptr<Event>& event, int extra_index, core::SteadyTime due)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void ScheduleLocked(const std::shared_ptr<Event>& event, int extra_index, core::SteadyTime due)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // One attempt; returns the attempt that follows it at once, which is not queued.
  std::optional<Task> RunAttempt(const Task& task);
  std::optional<Claim> ClaimAttempt(const Task& task);
  Sent Send(const Target& target, const std::string& body, const DeliveryPolicy& policy) const;
  std::optional<Task> Apply(const Task& task, const Claim& claim, const Target& target,
                            const Sent& sent, const DeliveryPolicy& policy);
  AttemptRecord RecordLocked(const Task& task, const Claim& claim, const Target& target,
                             const Sent& sent, const Actions& actions) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Updates the event from a journaled attempt; returns an extra's added latency.
  std::optional<core::Micros> NoteAttemptLocked(Event& event, int extra,
                                                const AttemptRecord& record, const Target& target,
                                                const Sent& sent, const Actions& actions)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // An extra deleted or disabled before its attempt: nothing sent, nothing journaled.
  void SkipExtraLocked(Event& event, int extra, const std::string& why)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void FinishLocked(Event& event, EventState final_state, const std::string& detail)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void ReleaseLocked(const Event& event) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void SetTextLocked(internal::StringPool::Ref& field, const std::string& text)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  EventStatus StatusOfLocked(const Event& event) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  double DrawUnitLocked(const DeliveryPolicy& policy) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  core::Result<store::ChannelSnapshot> ReadConfig(const std::string& api_key) const;

  const core::Clock& clock_;
  const core::Clock& stopwatch_;
  Transport& transport_;
  const ConfigSource config_;
  const Signer sign_;
  const std::uint64_t seed_;
  mutable core::Mutex options_mu_;  // a leaf lock: guards only the pointer below
  std::shared_ptr<const DeliveryPolicy> options_ ABSL_GUARDED_BY(options_mu_);
  const std::size_t event_capacity_;
  Journal journal_;
  WorkSignal signal_;

  mutable core::Mutex mu_;
  // Every retained event, live or final, in its one form (a final one has no body).
  std::unordered_map<std::string, std::shared_ptr<Event>> events_ ABSL_GUARDED_BY(mu_);
  std::size_t open_ ABSL_GUARDED_BY(mu_) = 0;  // events not final yet
  // Keys of final events, oldest first.
  std::deque<const std::string*> finished_order_ ABSL_GUARDED_BY(mu_);
  internal::StringPool strings_ ABSL_GUARDED_BY(mu_);  // the interned strings of events_
  std::priority_queue<Task, std::vector<Task>, Later> queue_ ABSL_GUARDED_BY(mu_);
  std::uint64_t next_order_ ABSL_GUARDED_BY(mu_) = 0;
  StatsRecorder stats_ ABSL_GUARDED_BY(mu_);
  std::mt19937_64 random_ ABSL_GUARDED_BY(mu_);
};

// Virtual time helpers for tests and the mock's virtual-time mode.
// Runs what is due, then moves `clock` to each next due instant and runs that, until nothing is
// queued or `max_tasks` ran. Returns how many tasks ran.
std::size_t RunUntilIdle(DeliveryEngine& engine, core::SteppedClock& clock,
                         std::size_t max_tasks = 10'000'000);
// Moves `clock` forward by `by`, stopping at every due instant on the way to run what is due.
std::size_t AdvanceAndRun(DeliveryEngine& engine, core::SteppedClock& clock, core::Micros by);

}  // namespace multihook::delivery
