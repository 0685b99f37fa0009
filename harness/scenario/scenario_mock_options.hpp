// The options of the mock a scenario runs against: the scenario defaults (an isolated mock on an
// ephemeral loopback port, virtual time, changes applied at once, a fixed seed for reproducible
// ids, one channel) overlaid with the file's "options" (keys and encodings of a
// `multihook-mock --config` file). The loader checks them with this function; the runner starts
// its embedded mock with them.
//
// Free functions; thread-safe.
#pragma once

#include "harness/scenario/scenario.hpp"
#include "mock_server/app/mock_options.hpp"
#include "mock_server/core/status.hpp"

namespace multihook::harness {

// `options_json` is the file's "options" object (or an empty object). Errors are located inside
// it ("/clock"); the caller prefixes "/options".
core::Result<app::MockOptions> EmbeddedMockOptions(const Json& options_json);

// The values of `options` that the scenario model keeps.
ScenarioOptions ScenarioValues(const app::MockOptions& options);

}  // namespace multihook::harness
