#include "harness/scenario/scenario_mock_options.hpp"

#include "mock_server/codec/json_reader.hpp"

namespace multihook::harness {

core::Result<app::MockOptions> EmbeddedMockOptions(const Json& options_json) {
  app::MockOptions options;
  options.port = 0;
  options.http_threads = 8;
  options.seed = 1;
  options.clock = app::ClockMode::kVirtual;
  options.apply_delay = core::Micros{0};
  MULTIHOOK_RETURN_IF_ERROR(app::ApplyConfigJson(codec::ToText(options_json), options));
  if (options.channels.empty()) {
    core::ChannelSpec channel;
    channel.api_key = "scenario-key";
    channel.phone_number_id = "100000000000001";
    options.channels.push_back(channel);
  }
  return options;
}

ScenarioOptions ScenarioValues(const app::MockOptions& options) {
  return ScenarioOptions{.clock = options.clock,
                         .channels = options.channels,
                         .signing_secret = options.signing_secret};
}

}  // namespace multihook::harness
