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
#include "mock_server/core/webhook_config.hpp"

namespace multihook::delivery {

// Header carrying the signature of the raw body (contract §6).
inline constexpr std::string_view kSignatureHeader = "x-360dialog-signature";

struct OutgoingRequest {
  std::string url;  // as stored; routing a real-looking host to a local address is the
                    // transport's job
  core::Headers headers;
  std::string body;  // byte-identical for every destination of one notification
  core::Micros timeout{0};
};

// Why an attempt failed without an HTTP status. Counted per class, like wrk's error counters.
enum class ErrorClass {
  kNone,       // an HTTP answer arrived (any status)
  kTimeout,    // no complete answer within the timeout (also: an answer that came too late)
  kConnect,    // refused / unreachable / DNS
  kReset,      // connection reset or closed before a complete answer
  kTls,        // handshake or certificate failure
  kProtocol,   // malformed HTTP answer
  kOther,      // anything else (including a transport that threw)
  kNoWebhook,  // engine only: nothing was sent because no destination is configured
};

// Stable lowercase names: "none", "timeout", "connect", "reset", "tls", "protocol", "other",
// "no_webhook". Journal encodings and tests match on them.
std::string_view ErrorClassName(ErrorClass error);

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
