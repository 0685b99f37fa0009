// Verifier: checks a partner's webhook receiver the way the provider will use it. It sends the
// catalogue (verify_catalogue.hpp) one request at a time, then, when it signs, the signature
// faults a verifying receiver must refuse (signature_faults.hpp), then, when the plan has a load,
// a fixed-rate open-loop load, and returns a VerifyReport with the standards judged.
//
// The open loop: request i is due at start + i / rate. Up to `connections` requests are in
// flight; a free connection takes the next due slot, waits for its due time and sends. When every
// connection is busy the next request leaves late, and its latency still runs from its due time,
// so a slow receiver shows up as slow instead of lowering the rate (no coordinated omission).
// Each load thread owns its state (histogram, counters, body source), merged at the end as in
// wrk.
//
// Time comes from the injected clock; waits for a due time happen in real time for the amount the
// clock says remains (give it the real clock). Sending goes through the injected Transport (the
// command uses delivery::HttpTransport: keep-alive, TCP_NODELAY, routes, classified errors).
//
// Run() blocks until done; one Run() at a time per Verifier. The transport must be thread-safe.
#pragma once

#include "harness/verify/verify_options.hpp"
#include "harness/verify/verify_report.hpp"
#include "mock_server/core/clock.hpp"
#include "mock_server/core/id_source.hpp"
#include "mock_server/delivery/transport.hpp"

namespace multihook::harness {

class Verifier {
 public:
  Verifier(delivery::Transport& transport, const core::Clock& clock, VerifyPlan plan)
      : transport_(transport), clock_(clock), plan_(std::move(plan)) {}

  VerifyReport Run();

 private:
  // A signed (when the plan has a secret) JSON POST of `body` to the plan's URL.
  delivery::OutgoingRequest Request(std::string body) const;
  RequestOutcome Send(const delivery::OutgoingRequest& request);
  core::Status RunCatalogue(const core::ChannelIdentity& channel, core::IdSource& ids,
                            VerifyReport& report, LatencyStats& latency);
  core::Status RunSignatureChecks(const core::ChannelIdentity& channel, core::IdSource& ids,
                                  VerifyReport& report);
  LoadResult RunLoad(const LoadPlan& load, const core::ChannelIdentity& channel,
                     LatencyStats& latency);

  delivery::Transport& transport_;
  const core::Clock& clock_;
  const VerifyPlan plan_;
};

}  // namespace multihook::harness
