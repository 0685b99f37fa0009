#include "mock_server/delivery/target.hpp"

#include <algorithm>

namespace multihook::delivery {
namespace {

Target Unavailable(std::string reason) {
  Target target;
  target.unavailable = std::move(reason);
  return target;
}

Target ResolveMain(const store::ChannelSnapshot& snapshot, DeleteAll delete_all) {
  if (!snapshot.primary.url) return Unavailable("no main webhook configured");
  const bool all_deleted = snapshot.applied.enabled && snapshot.applied.destinations.empty();
  if (all_deleted && delete_all == DeleteAll::kNoCallbacks) {
    return Unavailable(
        "every webhook deleted: callbacks get an empty response (delete_all no-callbacks)");
  }
  Target target;
  target.url = &*snapshot.primary.url;
  target.headers = &snapshot.primary.headers;
  target.all_deleted = all_deleted;
  if (snapshot.applied.enabled) {
    target.plan.reserve(snapshot.applied.destinations.size());
    for (const auto& d : snapshot.applied.destinations) target.plan.push_back(d.name);
  }
  return target;
}

Target ResolveExtra(const store::ChannelSnapshot& snapshot, std::string_view destination) {
  if (!snapshot.applied.enabled) return Unavailable("multi-webhook disabled before this attempt");
  const auto& destinations = snapshot.applied.destinations;
  const auto it = std::find_if(destinations.begin(), destinations.end(),
                               [&](const core::Destination& d) { return d.name == destination; });
  if (it == destinations.end()) return Unavailable("destination deleted before this attempt");
  Target target;
  target.url = &it->url;
  target.headers = &it->headers;
  return target;
}

}  // namespace

Target ResolveTarget(const core::Result<store::ChannelSnapshot>& snapshot, bool is_main,
                     std::string_view destination, DeleteAll delete_all) {
  if (!snapshot.ok()) return Unavailable("channel unavailable: " + snapshot.status().ToString());
  return is_main ? ResolveMain(*snapshot, delete_all) : ResolveExtra(*snapshot, destination);
}

}  // namespace multihook::delivery
