#include "mock_server/delivery/transport.hpp"

namespace multihook::delivery {

std::string_view ErrorClassName(ErrorClass error) {
  switch (error) {
    case ErrorClass::kNone:
      return "none";
    case ErrorClass::kTimeout:
      return "timeout";
    case ErrorClass::kConnect:
      return "connect";
    case ErrorClass::kReset:
      return "reset";
    case ErrorClass::kTls:
      return "tls";
    case ErrorClass::kProtocol:
      return "protocol";
    case ErrorClass::kOther:
      return "other";
    case ErrorClass::kNoWebhook:
      return "no_webhook";
  }
  return "other";
}

}  // namespace multihook::delivery
