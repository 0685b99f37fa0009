// `multihook verify`'s signature faults (row N5): what is sent, and how the report judges a
// receiver that refuses them, accepts them, or does not answer.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "harness/scripted_receiver.hpp"
#include "harness/verify/signature_faults.hpp"
#include "harness/verify/verifier.hpp"
#include "harness/verify/verify_reporters.hpp"
#include "mock_server/app/system_clock.hpp"
#include "mock_server/codec/signature.hpp"
#include "mock_server/core/wire_names.hpp"
#include "mock_server/delivery/http_transport.hpp"
#include "tests/verify/xml_check.hpp"

namespace multihook::harness {
namespace {

using Catch::Matchers::Contains;

const std::string kSecret = "partner-secret";
const std::string kHeader(core::kSignatureHeader);

// One catalogue case and the signature faults against a receiver answering `faults` to the three
// faults (after a 200 for the case). The transport is declared after the receiver so its pooled
// connections close first.
struct SignatureRun {
  std::unique_ptr<ScriptedReceiver> receiver;
  app::SystemClock clock;
  delivery::HttpTransport transport{clock, {}};
  VerifyReport report;

  explicit SignatureRun(std::vector<Answer> faults) {
    ReceiverOptions options;
    options.name = "partner";
    auto started = ScriptedReceiver::Start(std::move(options));
    if (!started.ok()) FAIL(started.status().ToString());
    receiver = std::move(*started);
    std::vector<Answer> script{Answer::Status(200)};
    script.insert(script.end(), faults.begin(), faults.end());
    receiver->Script(std::move(script));
    VerifyPlan plan;
    plan.url = receiver->BaseUrl() + "/hook";
    plan.secret = kSecret;
    plan.cases = {"message.text"};
    plan.seed = 5;
    report = Verifier(transport, clock, plan).Run();
  }
};

TEST_CASE("signature checks: a wrong signature, a body changed after signing, no signature",
          "[verify][signature]") {
  SignatureRun run({Answer::Status(401), Answer::Status(401), Answer::Status(401)});
  auto got = run.receiver->WaitForRequests(4);
  REQUIRE(got.ok());
  REQUIRE(got->size() == 4);
  CHECK(codec::SignatureMatches(kSecret, got->at(0).body, got->at(0).Header(kHeader)));

  const ReceivedRequest& wrong = got->at(1);
  CHECK(wrong.Header(kHeader).size() == 64);  // well-formed, only not made with the secret
  CHECK_FALSE(codec::SignatureMatches(kSecret, wrong.body, wrong.Header(kHeader)));

  // Signed before the amount changed: the signature matches the body as it was.
  const ReceivedRequest& changed = got->at(2);
  CHECK_FALSE(codec::SignatureMatches(kSecret, changed.body, changed.Header(kHeader)));
  std::string original = changed.body;
  const std::size_t at = original.find("99.00 EUR");
  REQUIRE(at != std::string::npos);
  original.replace(at, 5, "10.00");
  CHECK(codec::SignatureMatches(kSecret, original, changed.Header(kHeader)));

  const ReceivedRequest& missing = got->at(3);
  CHECK(missing.headers.count(kHeader) == 0);
  for (const ReceivedRequest& r : *got) {
    CHECK(r.method == "POST");
    CHECK(r.Header("Content-Type") == "application/json");
    CHECK(nlohmann::json::parse(r.body).at("object") == "whatsapp_business_account");
  }
}

TEST_CASE("signature checks: a receiver that refuses each passes", "[verify][signature]") {
  SignatureRun run({Answer::Status(401), Answer::Status(403), Answer::Status(400)});
  INFO(SummaryLine(run.report));
  CHECK(run.report.passed());
  REQUIRE(run.report.signature_checks.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(run.report.signature_checks[i].name == SignatureFaultNames()[i]);
    CHECK(run.report.signature_checks[i].passed());
  }
  CHECK(run.report.AcceptedSignatureFaults().empty());
  std::ostringstream out;
  PrintConsoleReport(run.report, out);
  CHECK_THAT(out.str(), Contains("signature checks (a receiver that verifies must refuse each):"));
  CHECK_THAT(out.str(), Contains("  PASS  signature.body_changed"));
  CHECK_THAT(out.str(), Contains("403     the body changed after it was signed"));
}

TEST_CASE("signature checks: a receiver that accepts them fails, and every report names each",
          "[verify][signature]") {
  SignatureRun run({Answer::Status(200), Answer::Status(401), Answer::Status(204)});
  CHECK_FALSE(run.report.passed());
  CHECK(run.report.CasesPassed() == 1);
  CHECK(run.report.AcceptedSignatureFaults() ==
        std::vector<std::string>{"signature.wrong", "signature.missing"});
  CHECK(run.report.signature_checks[0].Reason() ==
        "accepted: answered 200 (expected a refusal: any status but 2xx)");

  std::ostringstream out;
  PrintConsoleReport(run.report, out);
  CHECK_THAT(out.str(), Contains("  FAIL  signature.wrong"));
  CHECK_THAT(out.str(), Contains("  PASS  signature.body_changed"));
  CHECK_THAT(out.str(), Contains("  FAIL  signature.missing"));
  CHECK_THAT(SummaryLine(run.report),
             Contains("failed: accepted a bad signature: signature.wrong, signature.missing"));

  const nlohmann::json json = ReportToJson(run.report);
  CHECK(json.at("passed") == false);
  CHECK(json.at("accepted_signature_faults") ==
        nlohmann::json::array({"signature.wrong", "signature.missing"}));
  CHECK(json.at("signature_checks").size() == 3);
  CHECK(json.at("signature_checks").at(2).at("status") == 204);
  CHECK(json.at("signature_checks").at(2).at("accepted") == true);
  CHECK(json.at("signature_checks_off").is_null());

  const std::string xml = ReportToJunitXml(run.report);
  CHECK(testing::XmlProblem(xml).empty());
  CHECK_THAT(xml, Contains(R"(classname="multihook.verify.signature" name="signature.wrong")"));
  CHECK_THAT(xml, Contains(R"(<failure type="signature" message="accepted: answered 204)"));
  CHECK_THAT(xml, Contains(R"(<property name="signature_checks" value="on"/>)"));
}

TEST_CASE("signature checks: no answer is no refusal", "[verify][signature]") {
  SignatureRun run({Answer::Status(401), Answer::Reset(), Answer::Status(401)});
  CHECK_FALSE(run.report.passed());
  const SignatureCheckResult& reset = run.report.signature_checks.at(1);
  CHECK_FALSE(reset.accepted());
  CHECK_FALSE(reset.passed());
  CHECK_THAT(reset.Reason(), Contains("no answer: reset"));
  CHECK(run.report.AcceptedSignatureFaults().empty());
  CHECK_THAT(SummaryLine(run.report),
             Contains("failed: no refusal (no answer): signature.body_changed"));
}

}  // namespace
}  // namespace multihook::harness
