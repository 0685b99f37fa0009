// The options a scenario needs, as a running mock takes them at runtime (`PATCH /mock/options`,
// keys and encodings as in a `multihook-mock --config` file): what `multihook run --target`
// sends before each scenario. The mock answers 400 for a key it cannot change at runtime; the
// runner then skips the scenario with that answer as the reason.
//
// A free function; thread-safe.
#pragma once

#include <optional>
#include <string>

#include "harness/scenario/scenario.hpp"

namespace multihook::harness {

// The scenario defaults (`"clock": "virtual"`, `"apply_delay": "0"`) overlaid with the file's
// own `options`, without `channels` and `routes` (the runner posts those to /mock/channels and
// /mock/routes); `signing_secret` is `secret` when given. `seed` only when the file sets it.
Json TargetOptionsPatch(const Scenario& scenario, const std::optional<std::string>& secret);

}  // namespace multihook::harness
