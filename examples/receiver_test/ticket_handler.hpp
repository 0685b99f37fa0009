// A partner's webhook receiver (the code a partner would test): it checks the provider's
// x-360dialog-signature (hex HMAC-SHA256 of the raw body under the webhook's secret), and opens a
// ticket for every inbound text message of a notification. It answers 200 for every notification
// it accepted (texts, other message types, statuses, errors), 401 for a missing or wrong
// signature, 400 for a body that is not a notification; nothing changes on 400 or 401.
// TicketServer serves it over HTTP at POST /webhook.
//
// TicketHandler is thread-safe (the inbox is guarded by a mutex).
#pragma once

#include <httplib.h>

#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace partner {

struct Ticket {
  std::string from;
  std::string text;
  std::string message_id;
};

class TicketHandler {
 public:
  explicit TicketHandler(std::string secret) : secret_(std::move(secret)) {}

  // The HTTP status to answer the provider's delivery with.
  int Handle(const std::string& body, const std::string& signature);

  std::vector<Ticket> Tickets() const;

 private:
  const std::string secret_;
  mutable std::mutex mu_;
  std::vector<Ticket> tickets_;  // guarded by mu_
};

// The receiver's HTTP endpoint: POST /webhook on 127.0.0.1, on a port the OS picks.
class TicketServer {
 public:
  // nullptr when the port cannot be bound or the server does not start within 5 s.
  static std::unique_ptr<TicketServer> Start(TicketHandler& handler);
  ~TicketServer();  // stops and joins

  int port() const { return port_; }

 private:
  TicketServer() = default;

  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace partner
