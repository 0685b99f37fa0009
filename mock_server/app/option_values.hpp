// The mock's option enums and constants as plain values, for code that describes a mock without
// running one (the harness's scenario model): no delivery engine, transport or HTTP library.
#pragma once

namespace multihook::app {

inline constexpr char kMockVersion[] = "0.1.0";
inline constexpr char kDemoApiKey[] = "demo-key";

// real: deliveries and retries follow the wall clock. virtual: time moves only through
// POST /mock/clock/advance, so a 7-day retry horizon takes milliseconds.
enum class ClockMode { kReal, kVirtual };

// A set of rule options chosen together (see ApplyProfile). strict: fail whatever the provider
// might reject; lenient: fail only what the provider's page says it rejects.
enum class Profile { kStrict, kLenient };

}  // namespace multihook::app
