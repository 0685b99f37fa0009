#include "mock_server/delivery/delivery_policy.hpp"

namespace multihook::delivery {

core::Status DeliveryPolicy::Validate() const {
  MULTIHOOK_RETURN_IF_ERROR(retry.Validate());
  if (timeout <= core::Micros(0)) return core::InvalidArgument("/timeout", "must be positive");
  if (max_pending == 0) return core::InvalidArgument("/max_pending", "must be at least 1");
  if (journal_capacity == 0) {
    return core::InvalidArgument("/journal_capacity", "must be at least 1");
  }
  if (event_capacity == 0) return core::InvalidArgument("/event_capacity", "must be at least 1");
  return core::Status::Ok();
}

}  // namespace multihook::delivery
