// Transport: how the delivery engine sends one notification to one URL. The engine builds the
// request (URL exactly as configured, headers, body) and interprets the answer; a transport only
// moves bytes. The real one (httplib, route table for local addresses) lives elsewhere; tests use
// RecordingTransport (recording_transport.hpp).
//
// Implementations must be thread-safe: the DeliveryRunner calls Send() from several workers at
// once. Send() blocks until the answer, an error, or `timeout` has passed, and must not throw
// (the engine catches and classifies exceptions as kOther anyway).
#pragma once

#include <string>
#include <string_view>

#include "mock_server/core/clock.hpp"
#include "mock_server/core/delivery_states.hpp"
#include "mock_server/core/webhook_config.hpp"
#include "mock_server/core/wire_names.hpp"

namespace multihook::delivery {

// Header carrying the signature of the raw body (contract §6).
using core::kSignatureHeader;

struct OutgoingRequest {
  std::string url;  // as stored; routing a real-looking host to a local address is the
                    // transport's job
  core::Headers headers;
  std::string body;  // byte-identical for every destination of one notification
  core::Micros timeout{0};
};

// The error classes live in core (delivery_states.hpp) so the control codec can name them.
using core::ErrorClass;
using core::ErrorClassName;

struct TransportResult {
  int status = 0;  // HTTP status when error == kNone, else 0
  ErrorClass error = ErrorClass::kNone;
  std::string detail;  // human text for the journal (e.g. "connection refused")
};

class Transport {
 public:
  virtual ~Transport() = default;
  virtual TransportResult Send(const OutgoingRequest& request) = 0;
};

}  // namespace multihook::delivery
