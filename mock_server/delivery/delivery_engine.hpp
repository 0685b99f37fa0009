// DeliveryEngine: delivers each notification of a phone number (contract §6). The main webhook
// gets it first; only its 200 (or any 2xx under SuccessRule::kAny2xx) within the timeout opens the
// gate, and then every enabled extra destination gets a byte-identical copy, in configured order,
// one after another (or all at once under Fanout::kParallel). A failed main attempt is retried on
// the RetryPolicy until its horizon passes (the event expires; extras are never sent). Failed
// extras are recorded, and retried only under RetryExtras::kYes. Every attempt goes to the
// Journal; per-destination latency goes to histograms.
//
// Options (timeout, retries, fan-out, success rule, signing, max_pending) are an immutable
// snapshot that SetOptions() swaps at runtime: each attempt reads the snapshot once when it
// starts and uses it to the end, so no attempt sees half of a change.
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
#include <mutex>
#include <optional>
#include <queue>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "mock_server/core/clock.hpp"
#include "mock_server/core/status.hpp"
#include "mock_server/delivery/histogram.hpp"
#include "mock_server/delivery/journal.hpp"
#include "mock_server/delivery/retry_policy.hpp"
#include "mock_server/delivery/transport.hpp"
#include "mock_server/delivery/work_signal.hpp"
#include "mock_server/store/channel_store.hpp"

namespace multihook::delivery {

// Reads a channel's configuration as it applies now. Called without engine locks held; must be
// thread-safe. An error means the channel is unknown.
using ConfigSource = std::function<core::Result<store::ChannelSnapshot>(std::string_view api_key)>;

// A ConfigSource reading `store` (which must outlive the engine).
ConfigSource ConfigFromStore(store::ChannelStore& store);

enum class Fanout { kSequential, kParallel };
enum class RetryExtras { kNo, kYes };
enum class SuccessRule { kExactly200, kAny2xx };
// Multi-webhook enabled with no extra destination left (every one deleted). The provider's page:
// "if you delete all webhooks, the system will return an empty response when attempting
// callbacks". kMainOnly reads "webhooks" as the extra destinations: main still receives and the
// fan-out is empty. kNoCallbacks reads it as every webhook of the number: nothing is sent, and
// the event is undeliverable.
enum class DeleteAll { kMainOnly, kNoCallbacks };

struct DeliveryOptions {
  RetryPolicy retry = {};
  Fanout fanout = Fanout::kSequential;
  RetryExtras retry_extras = RetryExtras::kNo;
  SuccessRule success = SuccessRule::kExactly200;
  DeleteAll delete_all = DeleteAll::kMainOnly;
  // Per attempt. An answer that arrives later than this counts as a timeout even if the transport
  // delivered it.
  core::Micros timeout = std::chrono::seconds(5);
  std::size_t journal_capacity = 100'000;  // attempt records kept
  // Finished events kept for GetEvent (oldest go first). A finished event is kept as a compact
  // summary (about 300 bytes with three extras; its strings are interned).
  // Finished events kept for GetEvent. The default matches what the journal can still show: its
  // 100,000 attempts are the last ~25,000 notifications of a channel with three extras.
  std::size_t event_capacity = 25'000;
  // Notifications accepted but not final yet (pending, retrying or fanning out). Submit refuses
  // more with resource_exhausted (HTTP 429) rather than queueing without bound: a sender faster
  // than the receivers would otherwise grow the mock by ~1 KB per queued notification.
  std::size_t max_pending = 10'000;
  // Signature of the raw body for the x-360dialog-signature header; empty = no header. Called
  // for every attempt, without engine locks held; must be thread-safe.
  std::function<std::string(std::string_view body)> sign = nullptr;
  std::uint64_t seed = 0;  // for retry jitter
};

struct Notification {
  std::string event_id;   // unique among retained events
  std::string api_key;    // the channel (phone number)
  std::string body;       // sent byte-identical to every destination
  core::Micros delay{0};  // first attempt due this long after Submit (e.g. scripted statuses)
};

// The states and their names live in core (delivery_states.hpp) so the control codec and its
// clients can decode them without the engine.
using core::EventState;
using core::EventStateName;
using core::ExtraState;
using core::ExtraStateName;
using core::IsFinal;
using core::ParseEventState;
using core::ParseExtraState;

struct ExtraProgress {
  std::string destination;
  std::string url;  // of the latest attempt; empty before the first
  int attempts = 0;
  ExtraState state = ExtraState::kWaiting;
  std::string last_outcome;  // OutcomeName of the latest attempt, or why it was skipped
  std::optional<core::Micros> added_latency;  // main's 200 -> this extra's first answer
};

// GET /mock/events/{id}.
struct EventStatus {
  std::string event_id;
  std::string api_key;
  EventState state = EventState::kPending;
  std::string detail;  // why it expired or is undeliverable; empty otherwise
  core::SteadyTime submitted_at{};
  int main_attempts = 0;
  std::string main_last_outcome;                      // OutcomeName of the latest main attempt
  std::optional<core::SteadyTime> next_attempt_at;    // while retrying
  std::optional<core::SteadyTime> main_succeeded_at;  // when main answered 200
  std::vector<ExtraProgress> extras;  // the fan-out plan in order; empty until main's 200
};

// Counters and histograms of one destination of one channel.
struct DestinationStats {
  std::string api_key;
  std::string destination;  // kMainDestination or the extra's name
  std::uint64_t attempts = 0;
  std::uint64_t succeeded = 0;
  std::map<std::string, std::uint64_t> outcomes;  // OutcomeName -> count
  Histogram latency;        // duration of every attempt that got an HTTP answer (any status)
  Histogram added_latency;  // extras, first attempts: main's 200 -> this extra's answer
};

// GET /mock/stats.
struct EngineStats {
  std::uint64_t submitted = 0;
  std::uint64_t delivered = 0;
  std::uint64_t expired = 0;
  std::uint64_t undeliverable = 0;
  std::uint64_t in_progress = 0;      // pending, retrying or fanning out
  std::uint64_t scheduled_tasks = 0;  // attempts queued (due now or later)
  std::uint64_t journal_dropped = 0;
  std::vector<DestinationStats> destinations;  // sorted by (api_key, destination)
};

class DeliveryEngine {
  struct Event;    // one notification's delivery state; defined in the .cpp
  struct Summary;  // what GetEvent needs of a final event, compacted; defined in the .cpp

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

  // invalid_argument when an option is out of range or `config` is empty.
  static core::Result<std::unique_ptr<DeliveryEngine>> Create(const core::Clock& clock,
                                                              Transport& transport,
                                                              ConfigSource config,
                                                              DeliveryOptions options);
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

  // The options in force now (an immutable snapshot).
  std::shared_ptr<const DeliveryOptions> options() const;
  // Swaps in new options, all or nothing; invalid_argument (nothing changed) when one is out of
  // range. journal_capacity, event_capacity and seed are fixed at Create() and kept.
  [[nodiscard]] core::Status SetOptions(DeliveryOptions options);
  // What SetOptions() checks.
  [[nodiscard]] static core::Status Validate(const DeliveryOptions& options);
  const core::Clock& clock() const { return clock_; }

 private:
  struct Later {
    bool operator()(const Task& a, const Task& b) const {
      return a.due_ != b.due_ ? a.due_ > b.due_ : a.order_ > b.order_;
    }
  };

  DeliveryEngine(const core::Clock& clock, Transport& transport, ConfigSource config,
                 DeliveryOptions options);

  // Everything below that says "requires mu_" is called with the engine lock held.
  Task MakeTaskLocked(const std::shared_ptr<Event>& event, int extra_index, core::SteadyTime due);
  void ScheduleLocked(const std::shared_ptr<Event>& event, int extra_index, core::SteadyTime due);
  // One attempt; returns the attempt that follows it at once, which is not queued.
  std::optional<Task> RunAttempt(Task task);
  void FinishLocked(Event& event, EventState final_state);
  void ReleaseSummaryLocked(const Summary& summary);
  DestinationStats& StatsLocked(const std::string& api_key, const std::string& destination);
  double DrawUnitLocked();

  core::Result<store::ChannelSnapshot> ReadConfig(const std::string& api_key) const;

  const core::Clock& clock_;
  Transport& transport_;
  const ConfigSource config_;
  mutable std::mutex options_mu_;                   // a leaf lock: guards only the pointer below
  std::shared_ptr<const DeliveryOptions> options_;  // guarded by options_mu_
  const std::size_t event_capacity_;
  Journal journal_;
  WorkSignal signal_;

  mutable std::mutex mu_;
  // All guarded by mu_.
  std::unordered_map<std::string, std::shared_ptr<Event>> events_;  // not final yet
  std::unordered_map<std::string, Summary> finished_;  // final events (at most event_capacity)
  std::deque<const std::string*> finished_order_;      // keys of finished_, oldest first (eviction)
  internal::StringPool strings_;                       // the interned strings of finished_
  std::priority_queue<Task, std::vector<Task>, Later> queue_;
  std::uint64_t next_order_ = 0;
  std::map<std::pair<std::string, std::string>, DestinationStats> stats_;
  std::uint64_t submitted_ = 0;
  std::uint64_t delivered_ = 0;
  std::uint64_t expired_ = 0;
  std::uint64_t undeliverable_ = 0;
  std::mt19937_64 random_;
};

// Virtual time helpers for tests and the mock's virtual-time mode.
// Runs what is due, then moves `clock` to each next due instant and runs that, until nothing is
// queued or `max_tasks` ran. Returns how many tasks ran.
std::size_t RunUntilIdle(DeliveryEngine& engine, core::SteppedClock& clock,
                         std::size_t max_tasks = 10'000'000);
// Moves `clock` forward by `by`, stopping at every due instant on the way to run what is due.
std::size_t AdvanceAndRun(DeliveryEngine& engine, core::SteppedClock& clock, core::Micros by);

}  // namespace multihook::delivery
