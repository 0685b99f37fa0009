// `multihook run [OPTIONS] FILES|DIRS...`: loads scenarios, runs them (runner) and prints the
// report (reporters). Exit codes: 0 nothing failed (skipped scenarios allowed), 1 any failed,
// 2 unusable input (bad option, unreadable or invalid scenario file, no scenario with a --tag,
// report file not writable).
//
// Free functions; thread-safe (all state is local to a call).
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace multihook::harness {

inline constexpr int kExitPassed = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

enum class Terminal { kNo, kYes };  // whether `err` is a terminal (progress display)

int RunRunCommand(const std::vector<std::string_view>& args, std::ostream& out, std::ostream& err,
                  Terminal terminal = Terminal::kNo);

std::string RunUsageText();

}  // namespace multihook::harness
