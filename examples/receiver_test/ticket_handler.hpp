// A partner's webhook handler (the code a partner would test): every inbound WhatsApp text
// message in a provider notification opens a ticket in the partner's CRM with
// POST {crm}/tickets {"from", "text", "message_id"}. The handler answers the provider 200 only when
// every ticket was created, so that the provider retries the notification otherwise.
//
// Thread-safe (each call opens its own connection).
#pragma once

#include <string>

namespace partner {

class TicketHandler {
 public:
  explicit TicketHandler(std::string crm_base_url) : crm_base_url_(std::move(crm_base_url)) {}

  // The HTTP status to answer the provider's delivery with: 200, 400 for a body that is not a
  // notification, 503 when the CRM did not take a ticket.
  int Handle(const std::string& notification_body) const;

 private:
  std::string crm_base_url_;
};

}  // namespace partner
