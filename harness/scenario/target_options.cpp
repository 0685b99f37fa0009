#include "harness/scenario/target_options.hpp"

namespace multihook::harness {

Json TargetOptionsPatch(const Scenario& scenario, const std::optional<std::string>& secret) {
  Json patch = {{"clock", "virtual"}, {"apply_delay", "0"}};
  if (scenario.options_json.is_object()) {
    for (const auto& item : scenario.options_json.items()) {
      if (item.key() == "channels" || item.key() == "routes") continue;
      patch[item.key()] = item.value();
    }
  }
  if (secret) patch["signing_secret"] = *secret;
  return patch;
}

}  // namespace multihook::harness
