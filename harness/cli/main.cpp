// multihook: the partner-facing tool. `multihook run` runs scenario files against the mock;
// `multihook verify` checks a partner's receiver (harness/verify, built when available);
// `multihook sample` prints a notification as the mock delivers it.
#include <unistd.h>

#include <iostream>
#include <string_view>
#include <vector>

#include "harness/cli/run_command.hpp"
#include "harness/cli/sample_command.hpp"
#include "harness/verify/verify_command.hpp"
#include "mock_server/app/option_values.hpp"
#include "mock_server/app/process_tuning.hpp"

namespace {

constexpr char kUsage[] = R"(usage: multihook COMMAND [ARGS...]

Commands:
  run FILE|DIR...   run scenarios against the multihook mock (multihook run --help)
  verify ...        check your webhook receiver against the provider's contract
                    (multihook verify --help)
  sample TYPE       print a signed notification as the mock delivers it, or the curl
                    command that posts it (multihook sample --help)
  help              this help

Options:
  -h, --help        this help
      --version     print the version
)";

}  // namespace

int main(int argc, char** argv) {
  // A receiver that closes mid-request must fail that request, not kill the process; the mock
  // that `multihook run` starts in this process gets multihook-mock's allocator settings.
  multihook::app::PrepareProcess();
  std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::cerr << kUsage;
    return multihook::harness::kExitUsage;
  }
  const std::string_view command = args.front();
  const std::vector<std::string_view> rest(args.begin() + 1, args.end());
  if (command == "-h" || command == "--help" || command == "help") {
    std::cout << kUsage;
    return 0;
  }
  if (command == "--version") {
    std::cout << "multihook " << multihook::app::kMockVersion << "\n";
    return 0;
  }
  if (command == "run") {
    const auto terminal = isatty(STDERR_FILENO) != 0 ? multihook::harness::Terminal::kYes
                                                     : multihook::harness::Terminal::kNo;
    return multihook::harness::RunRunCommand(rest, std::cout, std::cerr, terminal);
  }
  if (command == "verify") {
    return multihook::harness::RunVerifyCommand(rest, std::cout, std::cerr);
  }
  if (command == "sample") {
    return multihook::harness::RunSampleCommand(rest, std::cout, std::cerr);
  }
  std::cerr << "multihook: unknown command '" << command << "'\n" << kUsage;
  return multihook::harness::kExitUsage;
}
