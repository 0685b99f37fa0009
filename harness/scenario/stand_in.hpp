// Real endpoints standing in for a scenario's receivers (`multihook run --receiver NAME=URL`):
// whether a scenario can run with the receivers replaced (a real endpoint cannot be told to
// answer 500 or to reset a connection), and why a run against one failed (a receiver that
// answers 401 to signed notifications rejected the signature).
//
// Free functions of their arguments; thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness/report/run_report.hpp"
#include "harness/scenario/scenario.hpp"
#include "mock_server/codec/control_codec.hpp"

namespace multihook::harness {

// The lowercase host of a URL ("https://Main.example.com:443/x" -> "main.example.com").
std::string HostOfUrl(const std::string& url);

// An answer a real endpoint cannot be asked for: a status other than 200, a delay or a reset.
bool IsFault(const Answer& answer);
// "answer 500", "wait 700ms before answering", "reset the connection", ...
std::string DescribeAnswer(const Answer& answer);

// Nothing when the scenario can run with `replaced` (receiver name -> URL of a real endpoint)
// and, when `secret_given`, with every delivery signed; otherwise why it is skipped.
std::optional<std::string> StandInSkipReason(const Scenario& scenario,
                                             const std::map<std::string, std::string>& replaced,
                                             bool secret_given);

// A receiver that is a real endpoint, as the journal knows it.
struct RealReceiver {
  std::string name;
  std::string host;  // the host its webhook URLs use ("main.example.com")
  std::string url;   // where the mock connects ("http://127.0.0.1:9000")
};

// When the journal (the `GET /mock/deliveries` answer) shows a real receiver answering 401 or 403,
// the failure that explains it: the receiver rejected the x-360dialog-signature (signed) or wants
// one (unsigned).
std::optional<Failure> SignatureRejection(const codec::control::JournalPage& journal,
                                          const std::vector<RealReceiver>& receivers,
                                          bool signed_deliveries);

}  // namespace multihook::harness
