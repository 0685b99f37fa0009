#include "ticket_handler.hpp"

#include <httplib.h>

#include <nlohmann/json.hpp>

namespace partner {

int TicketHandler::Handle(const std::string& notification_body) const {
  const nlohmann::json notification = nlohmann::json::parse(notification_body, nullptr, false);
  if (notification.is_discarded() || !notification.is_object() ||
      notification.value("object", "") != "whatsapp_business_account") {
    return 400;
  }
  httplib::Client crm(crm_base_url_);
  crm.set_connection_timeout(2);
  crm.set_read_timeout(2);
  for (const auto& entry : notification.value("entry", nlohmann::json::array())) {
    for (const auto& change : entry.value("changes", nlohmann::json::array())) {
      const auto& value = change.value("value", nlohmann::json::object());
      for (const auto& message : value.value("messages", nlohmann::json::array())) {
        if (message.value("type", "") != "text") continue;
        const nlohmann::json ticket{{"from", message.value("from", "")},
                                    {"text", message.at("text").value("body", "")},
                                    {"message_id", message.value("id", "")}};
        const auto answer = crm.Post("/tickets", ticket.dump(), "application/json");
        if (!answer || answer->status != 201) return 503;
      }
    }
  }
  return 200;
}

}  // namespace partner
