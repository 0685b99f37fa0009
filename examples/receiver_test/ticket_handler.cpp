#include "ticket_handler.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <chrono>
#include <nlohmann/json.hpp>

namespace partner {
namespace {

std::string HmacSha256Hex(const std::string& key, const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0x0f];
  }
  return hex;
}

bool SignatureValid(const std::string& secret, const std::string& body,
                    const std::string& signature) {
  const std::string expected = HmacSha256Hex(secret, body);
  return signature.size() == expected.size() &&
         CRYPTO_memcmp(signature.data(), expected.data(), expected.size()) == 0;
}

}  // namespace

int TicketHandler::Handle(const std::string& body, const std::string& signature) {
  if (!SignatureValid(secret_, body, signature)) return 401;
  const nlohmann::json notification = nlohmann::json::parse(body, nullptr, false);
  if (notification.is_discarded() || !notification.is_object() ||
      notification.value("object", "") != "whatsapp_business_account" ||
      !notification.contains("entry") || !notification.at("entry").is_array()) {
    return 400;
  }
  std::vector<Ticket> opened;
  try {
    for (const auto& entry : notification.at("entry")) {
      for (const auto& change : entry.at("changes")) {
        const auto& value = change.at("value");
        if (!value.contains("messages")) continue;  // statuses, errors: accepted, no ticket
        for (const auto& message : value.at("messages")) {
          if (message.at("type") != "text") continue;
          opened.push_back({message.at("from"), message.at("text").at("body"), message.at("id")});
        }
      }
    }
  } catch (const nlohmann::json::exception&) {
    return 400;  // not the Cloud API's shape: nothing is opened
  }
  std::lock_guard lock(mu_);
  tickets_.insert(tickets_.end(), opened.begin(), opened.end());
  return 200;
}

std::vector<Ticket> TicketHandler::Tickets() const {
  std::lock_guard lock(mu_);
  return tickets_;
}

std::unique_ptr<TicketServer> TicketServer::Start(TicketHandler& handler) {
  std::unique_ptr<TicketServer> server(new TicketServer());
  server->server_.Post("/webhook", [&handler](const httplib::Request& req, httplib::Response& res) {
    res.status = handler.Handle(req.body, req.get_header_value("x-360dialog-signature"));
    res.set_content(res.status == 200 ? "{}" : R"({"error":"rejected"})", "application/json");
  });
  server->port_ = server->server_.bind_to_any_port("127.0.0.1");
  if (server->port_ <= 0) return nullptr;
  server->thread_ = std::thread([s = server.get()] { s->server_.listen_after_bind(); });
  // cpp-httplib 0.11 has no wait_until_ready(): wait, bounded, until the loop runs.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!server->server_.is_running()) {
    if (std::chrono::steady_clock::now() > deadline) return nullptr;  // the destructor joins
    std::this_thread::yield();
  }
  return server;
}

TicketServer::~TicketServer() {
  server_.stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace partner
