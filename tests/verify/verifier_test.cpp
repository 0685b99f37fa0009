#include "harness/verify/verifier.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "harness/scripted_receiver.hpp"
#include "harness/verify/verify_catalogue.hpp"
#include "harness/verify/verify_command.hpp"
#include "harness/verify/verify_reporters.hpp"
#include "mock_server/app/system_clock.hpp"
#include "mock_server/codec/signature.hpp"
#include "mock_server/delivery/http_transport.hpp"
#include "tests/verify/xml_check.hpp"

namespace multihook::harness {
namespace {

using std::chrono::milliseconds;

std::unique_ptr<ScriptedReceiver> StartReceiver(std::string name = "partner") {
  ReceiverOptions options;
  options.name = std::move(name);
  auto receiver = ScriptedReceiver::Start(std::move(options));
  if (!receiver.ok()) FAIL(receiver.status().ToString());
  return std::move(*receiver);
}

const StandardResult* FindStandard(const VerifyReport& report, std::string_view name) {
  for (const auto& s : report.standards) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

const CaseResult* FindCase(const VerifyReport& report, std::string_view name) {
  for (const auto& c : report.cases) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

// Runs the library directly. The transport is declared after the receiver so its pooled
// connections close first.
struct Run {
  std::unique_ptr<ScriptedReceiver> receiver = StartReceiver();
  app::SystemClock clock;
  delivery::HttpTransport transport{clock, {}};

  VerifyReport Verify(VerifyPlan plan) {
    Verifier verifier(transport, clock, std::move(plan));
    return verifier.Run();
  }
};

std::string ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

std::string TempPath(const std::string& name) {
  return std::string(P_tmpdir) + "/multihook_verify_test_" + name;
}

TEST_CASE("verify: a prompt receiver passes the whole catalogue, signed, with every shape",
          "[verify][receiver]") {
  Run run;
  VerifyPlan plan;
  plan.url = run.receiver->BaseUrl() + "/webhook";
  plan.secret = "s3cret";
  plan.signature_checks = false;  // this receiver accepts anything; see the signature tests
  plan.seed = 42;
  const VerifyReport report = run.Verify(plan);
  CHECK(report.signature_checks.empty());
  CHECK(report.signature_checks_off == "--no-signature-checks");
  INFO(SummaryLine(report));
  CHECK(report.passed());
  REQUIRE(report.cases.size() == CatalogueCaseNames().size());
  CHECK(report.latency.source == "catalogue");

  // Every body arrived, signed with a valid x-360dialog-signature, as JSON.
  auto got = run.receiver->WaitForRequests(report.cases.size() + 1);  // + the duplicate
  REQUIRE(got.ok());
  CHECK(got->size() == report.cases.size() + 1);
  std::set<std::string> message_types, statuses;
  bool error_seen = false;
  bool large_seen = false;
  for (const ReceivedRequest& r : *got) {
    CHECK(r.method == "POST");
    CHECK(r.path == "/webhook");
    CHECK(r.Header("Content-Type") == "application/json");
    CHECK(codec::SignatureMatches("s3cret", r.body, r.Header("x-360dialog-signature")));
    CHECK_FALSE(codec::SignatureMatches("other", r.body, r.Header("x-360dialog-signature")));
    large_seen = large_seen || r.body.size() == kLargePayloadBytes;
    const auto json = nlohmann::json::parse(r.body);
    CHECK(json.at("object") == "whatsapp_business_account");
    const auto& value = json.at("entry").at(0).at("changes").at(0).at("value");
    if (value.contains("messages")) {
      const auto& message = value.at("messages").at(0);
      std::string type = message.at("type");
      if (type == "interactive")
        type += "." + message.at("interactive").at("type").get<std::string>();
      message_types.insert(type);
    }
    if (value.contains("statuses")) statuses.insert(value.at("statuses").at(0).at("status"));
    if (value.contains("errors")) error_seen = true;
  }
  CHECK(message_types == std::set<std::string>{"text", "image", "audio", "video", "document",
                                               "sticker", "location", "contacts",
                                               "interactive.button_reply", "interactive.list_reply",
                                               "button", "reaction", "unsupported"});
  CHECK(statuses == std::set<std::string>{"sent", "delivered", "read", "failed"});
  CHECK(error_seen);
  CHECK(large_seen);

  // The duplicate delivery is two byte-identical bodies in a row.
  const CaseResult* duplicate = FindCase(report, "delivery.duplicate");
  REQUIRE(duplicate != nullptr);
  CHECK(duplicate->requests.size() == 2);
  std::size_t identical_neighbours = 0;
  for (std::size_t i = 1; i < got->size(); ++i) {
    if ((*got)[i].body == (*got)[i - 1].body) ++identical_neighbours;
  }
  CHECK(identical_neighbours == 1);
}

TEST_CASE("verify: without --secret no signature header is sent", "[verify][receiver]") {
  Run run;
  VerifyPlan plan;
  plan.url = run.receiver->BaseUrl() + "/hook";
  plan.cases = {"message.text"};
  const VerifyReport report = run.Verify(plan);
  CHECK(report.passed());
  CHECK(report.signature_checks.empty());
  CHECK(report.signature_checks_off == "no --secret: nothing is signed");
  auto got = run.receiver->WaitForRequests(1);
  REQUIRE(got.ok());
  CHECK(got->at(0).Header("x-360dialog-signature").empty());
  CHECK(run.receiver->RequestCount() == 1);
}

TEST_CASE("verify: a case answered 500 fails with its status", "[verify][receiver]") {
  Run run;
  run.receiver->Script({Answer::Status(200), Answer::Status(200), Answer::Status(500)});
  VerifyPlan plan;
  plan.url = run.receiver->BaseUrl() + "/hook";
  plan.cases = {"message.text", "status.read", "status.failed"};  // run in catalogue order
  const VerifyReport report = run.Verify(plan);
  CHECK_FALSE(report.passed());
  REQUIRE(report.cases.size() == 3);
  CHECK(report.cases[0].passed());
  CHECK(report.cases[1].passed());
  const CaseResult& failed = report.cases[2];
  CHECK(failed.name == "status.failed");
  CHECK_FALSE(failed.passed());
  REQUIRE(failed.requests.size() == 1);
  CHECK(failed.requests[0].status == 500);
  CHECK(failed.Reason() == "status 500 (expected 200)");

  std::ostringstream out;
  PrintConsoleReport(report, out);
  CHECK_THAT(out.str(), Catch::Matchers::Contains("  FAIL  status.failed"));
  CHECK_THAT(out.str(), Catch::Matchers::Contains("500     "));
  CHECK_THAT(out.str(), Catch::Matchers::Contains("status 500 (expected 200)"));
  CHECK_THAT(out.str(), Catch::Matchers::Contains("failed: 1 case not answered 200"));
}

TEST_CASE("verify: a receiver answering in 300 ms fails the median standard (catalogue)",
          "[verify][receiver][standards]") {
  Run run;
  run.receiver->Script({}, Answer::Delayed(milliseconds(300)));
  VerifyPlan plan;
  plan.url = run.receiver->BaseUrl() + "/hook";
  plan.cases = {"message.text", "status.read", "status.delivered"};
  const VerifyReport report = run.Verify(plan);
  CHECK_FALSE(report.passed());
  CHECK(report.CasesPassed() == 3);  // every case answered 200, only slowly
  const StandardResult* median = FindStandard(report, kStandardMedian);
  REQUIRE(median != nullptr);
  CHECK_FALSE(median->passed);
  CHECK_THAT(median->detail,
             Catch::Matchers::Matches(R"(median 3\d\d\.\d ms > 250 ms \(catalogue, 3 answers\))"));
  const StandardResult* slow = FindStandard(report, kStandardSlow);
  REQUIRE(slow != nullptr);
  CHECK(slow->passed);
}

TEST_CASE("verify command: 300 ms answers under a 20/s open-loop load fail the median",
          "[verify][receiver][load]") {
  auto receiver = StartReceiver("slow");
  receiver->Script({}, Answer::Delayed(milliseconds(300)));
  const std::string json_path = TempPath("slow.json");
  const std::string junit_path = TempPath("slow.xml");
  std::ostringstream out, err;
  const std::string url = "https://crm.example.com/webhook";
  const std::string route = "crm.example.com=" + receiver->BaseUrl();
  const int code =
      RunVerifyCommand({url, "--route", route, "--case", "message.text", "--rate", "20",
                        "--duration", "1s", "--json", json_path, "--junit", junit_path},
                       out, err);
  INFO(out.str() << err.str());
  CHECK(code == 1);
  CHECK(err.str().empty());
  const std::string text = out.str();
  CHECK_THAT(text,
             Catch::Matchers::Contains("load: 20 requests at 20/s for 1s over 20 connections: "
                                       "20 answered 200"));
  CHECK_THAT(text, Catch::Matchers::Contains(std::string("  FAIL  ") + kStandardMedian));
  CHECK_THAT(
      text,
      Catch::Matchers::Matches(
          R"((.|\n)*\nFAIL: 1/1 cases passed; median 3\d\d\.\d ms, p99 \d+\.\d ms, 0\.00 % over 1 s \(load, 20 answers\); failed: median 3\d\d\.\d ms > 250 ms \(load, 20 answers\)\n)"));
  CHECK(receiver->WaitForCount(21).ok());
  // The route kept the configured Host.
  CHECK(receiver->Requests().at(0).Header("Host") == "crm.example.com");

  const auto json = nlohmann::json::parse(ReadFile(json_path));
  CHECK(json.at("passed") == false);
  CHECK(json.at("load").at("scheduled") == 20);
  CHECK(json.at("load").at("answered_200") == 20);
  CHECK(json.at("latency").at("source") == "load");
  CHECK(json.at("latency").at("p50_us").get<std::int64_t>() >= 300'000);
  const std::string xml = ReadFile(junit_path);
  CHECK(testing::XmlProblem(xml).empty());
  CHECK_THAT(xml, Catch::Matchers::Contains(R"(tests="4" failures="1")"));
  CHECK_THAT(xml, Catch::Matchers::Contains(std::string(R"(name=")") + kStandardStatus));
  std::remove(json_path.c_str());
  std::remove(junit_path.c_str());
}

TEST_CASE("verify command: a prompt receiver passes the catalogue and a 20/s load",
          "[verify][receiver][load]") {
  auto receiver = StartReceiver("prompt");
  std::ostringstream out, err;
  const std::string url = receiver->BaseUrl() + "/hook";
  const int code = RunVerifyCommand({url, "--secret", "k", "--no-signature-checks", "--rate", "20",
                                     "--duration", "1s", "--seed", "3"},
                                    out, err);
  INFO(out.str() << err.str());
  CHECK(code == 0);
  CHECK_THAT(out.str(),
             Catch::Matchers::Contains("\nPASS: " + std::to_string(CatalogueCaseNames().size()) +
                                       "/" + std::to_string(CatalogueCaseNames().size()) +
                                       " cases passed; median "));
  CHECK_THAT(out.str(), Catch::Matchers::Contains("signature checks: off (--no-signature-checks)"));
  // No signature faults among them: the catalogue, its duplicate and the load.
  const std::size_t expected = CatalogueCaseNames().size() + 1 + 20;
  auto got = receiver->WaitForRequests(expected);
  REQUIRE(got.ok());
  CHECK(got->size() == expected);
  // The load's mix: statuses and inbound messages, all signed.
  for (const auto& r : *got)
    CHECK(codec::SignatureMatches("k", r.body, r.Header("x-360dialog-signature")));
  CHECK(receiver->RequestCount() == expected);
}

TEST_CASE("verify command: an unreachable receiver fails every case with the error class",
          "[verify][receiver]") {
  std::string url;
  {
    auto receiver = StartReceiver("gone");
    url = receiver->BaseUrl() + "/hook";
  }  // stopped: its port now refuses connections
  std::ostringstream out, err;
  const int code = RunVerifyCommand({url, "--case", "message.text", "--timeout", "1s"}, out, err);
  CHECK(code == 1);
  CHECK_THAT(out.str(), Catch::Matchers::Contains("  FAIL  message.text"));
  CHECK_THAT(out.str(), Catch::Matchers::Contains("connect"));
  CHECK_THAT(out.str(), Catch::Matchers::Contains("no answers to measure"));
}

TEST_CASE("verify command: a report file that cannot be written is unusable input (2)",
          "[verify][receiver]") {
  auto receiver = StartReceiver();
  std::ostringstream out, err;
  const int code = RunVerifyCommand({receiver->BaseUrl() + "/hook", "--case", "message.text",
                                     "--json", "/nonexistent-dir/report.json"},
                                    out, err);
  CHECK(code == 2);
  CHECK(err.str() ==
        "multihook verify: invalid_argument at /nonexistent-dir/report.json: cannot write the "
        "report\n");
}

}  // namespace
}  // namespace multihook::harness
