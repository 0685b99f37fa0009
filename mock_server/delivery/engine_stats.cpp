#include "mock_server/delivery/engine_stats.hpp"

namespace multihook::delivery {

void StatsRecorder::Observe(const AttemptRecord& record,
                            std::optional<core::Micros> added_latency) {
  auto [it, inserted] = destinations_.try_emplace({record.api_key, record.destination});
  DestinationStats& stats = it->second;
  if (inserted) {
    stats.api_key = record.api_key;
    stats.destination = record.destination;
  }
  ++stats.attempts;
  if (record.succeeded) ++stats.succeeded;
  ++stats.outcomes[OutcomeName(record)];
  if (record.error == ErrorClass::kNone) stats.latency.Record(record.duration);
  if (added_latency) stats.added_latency.Record(*added_latency);
}

void StatsRecorder::Finished(EventState state) {
  switch (state) {
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
}

EngineStats StatsRecorder::Snapshot() const {
  EngineStats out;
  out.submitted = submitted_;
  out.delivered = delivered_;
  out.expired = expired_;
  out.undeliverable = undeliverable_;
  out.in_progress = submitted_ - delivered_ - expired_ - undeliverable_;
  out.destinations.reserve(destinations_.size());
  for (const auto& [key, stats] : destinations_) out.destinations.push_back(stats);
  return out;
}

}  // namespace multihook::delivery
