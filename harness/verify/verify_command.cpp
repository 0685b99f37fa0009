#include "harness/verify/verify_command.hpp"

#include <algorithm>
#include <fstream>
#include <random>

#include "harness/verify/signature_faults.hpp"
#include "harness/verify/verifier.hpp"
#include "harness/verify/verify_catalogue.hpp"
#include "harness/verify/verify_options.hpp"
#include "harness/verify/verify_reporters.hpp"
#include "mock_server/app/system_clock.hpp"
#include "mock_server/core/duration.hpp"
#include "mock_server/delivery/http_transport.hpp"

namespace multihook::harness {
namespace {

constexpr int kExitPass = 0;
constexpr int kExitFail = 1;
constexpr int kExitUsage = 2;

bool WriteFile(const std::string& path, const std::string& text, std::ostream& err) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (file) file << text;
  if (file) file.flush();
  if (!file) {
    err << "multihook verify: invalid_argument at " << path << ": cannot write the report\n";
    return false;
  }
  return true;
}

}  // namespace

int RunVerifyCommand(const std::vector<std::string_view>& args, std::ostream& out,
                     std::ostream& err) {
  auto command = ParseVerifyArgs(args);
  if (!command.ok()) {
    err << "multihook verify: " << command.status().ToString() << " (see --help)\n";
    return kExitUsage;
  }
  if (command->action == VerifyAction::kHelp) {
    out << VerifyUsageText();
    return kExitPass;
  }
  if (command->action == VerifyAction::kListCases) {
    for (const std::string_view name : CatalogueCaseNames()) out << name << "\n";
    return kExitPass;
  }
  VerifyOptions& options = command->options;
  if (!options.seed_given) options.plan.seed = std::random_device{}();

  app::SystemClock clock;
  delivery::HttpTransportOptions transport_options = options.transport;
  if (options.plan.load) {
    // Keep one pooled connection per concurrent request, so the load never reconnects.
    transport_options.max_idle_per_endpoint = std::max(transport_options.max_idle_per_endpoint,
                                                       options.plan.load->EffectiveConnections());
  }
  delivery::HttpTransport transport(clock, transport_options);
  for (const core::HostRoute& route : options.routes) transport.SetRoute(route);

  out << "verifying " << options.plan.url;
  for (const core::HostRoute& route : options.routes) out << " (route " << route.ToString() << ")";
  out << ": "
      << (options.plan.cases.empty() ? CatalogueCaseNames().size() : options.plan.cases.size())
      << " cases";
  if (options.plan.secret && options.plan.signature_checks) {
    out << ", " << SignatureFaultNames().size() << " signature checks";
  }
  if (const auto& load = options.plan.load) {
    out << ", then " << load->RequestCount() << " requests at " << load->rate << "/s for "
        << core::FormatDuration(load->duration);
  }
  out << "\n" << std::flush;

  Verifier verifier(transport, clock, options.plan);
  const VerifyReport report = verifier.Run();

  PrintConsoleReport(report, out);
  bool written = true;
  if (options.json_file) {
    written = WriteFile(*options.json_file, ReportToJson(report).dump(2) + "\n", err) && written;
  }
  if (options.junit_file) {
    written = WriteFile(*options.junit_file, ReportToJunitXml(report), err) && written;
  }
  if (!written) return kExitUsage;
  return report.passed() ? kExitPass : kExitFail;
}

}  // namespace multihook::harness
