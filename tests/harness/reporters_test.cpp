#include "harness/report/reporters.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

namespace multihook::harness {
namespace {

RunReport SampleReport() {
  RunReport report;
  report.duration = std::chrono::milliseconds(1234);
  ScenarioResult pass;
  pass.name = "gate_main_200";
  pass.file = "scenarios/gate_main_200.json";
  pass.duration = std::chrono::milliseconds(12);
  ScenarioResult fail;
  fail.name = "wrong <&> \"one\"";
  fail.file = "fixtures/wrong.json";
  fail.outcome = Outcome::kFailed;
  fail.failures.push_back(Failure{"/expect/receivers/backup/count",
                                  "receiver 'backup' got 1 request(s), expected 2", "2", "1",
                                  "received:\n  #0 POST /hook {\"a\":\"<b>\"}"});
  fail.notes.push_back("a note");
  ScenarioResult error;
  error.name = "broken";
  error.file = "fixtures/broken.json";
  error.outcome = Outcome::kError;
  error.failures.push_back(Failure{"/options", "the mock did not start: x", "", "", ""});
  report.scenarios = {pass, fail, error};
  return report;
}

// A minimal XML well-formedness check: declaration, balanced and properly nested elements,
// quoted attributes, no raw '<' or '&' outside markup and entities, no raw control characters
// (tab, LF and CR inside values are character references; a raw LF only separates elements).
// Returns the element names in document order.
std::vector<std::string> CheckXml(const std::string& xml) {
  std::vector<std::string> stack, names;
  std::size_t i = 0;
  REQUIRE(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", 0) == 0);
  i = xml.find("?>") + 2;
  while (i < xml.size()) {
    if (xml[i] == '<') {
      const std::size_t end = xml.find('>', i);
      REQUIRE(end != std::string::npos);
      std::string tag = xml.substr(i + 1, end - i - 1);
      REQUIRE(tag.find('<') == std::string::npos);
      CHECK(std::none_of(tag.begin(), tag.end(),
                         [](char c) { return static_cast<unsigned char>(c) < 0x20; }));
      if (tag[0] == '/') {
        REQUIRE(!stack.empty());
        CHECK(stack.back() == tag.substr(1));
        stack.pop_back();
      } else {
        const bool empty = tag.back() == '/';
        if (empty) tag.pop_back();
        const std::string name = tag.substr(0, tag.find(' '));
        names.push_back(name);
        CHECK(std::count(tag.begin(), tag.end(), '"') % 2 == 0);
        if (!empty) stack.push_back(name);
      }
      i = end + 1;
    } else {
      if (xml[i] == '&') {
        const std::size_t semi = xml.find(';', i);
        REQUIRE(semi != std::string::npos);
        const std::string entity = xml.substr(i, semi - i + 1);
        CHECK((entity == "&amp;" || entity == "&lt;" || entity == "&gt;" || entity == "&quot;" ||
               entity == "&apos;" || entity == "&#9;" || entity == "&#10;" || entity == "&#13;"));
      }
      CHECK((static_cast<unsigned char>(xml[i]) >= 0x20 || xml[i] == '\n'));
      CHECK(xml[i] != '>');
      ++i;
    }
  }
  CHECK(stack.empty());
  return names;
}

TEST_CASE("JUnit XML is well-formed with a testcase per scenario and failure/error elements",
          "[harness]") {
  RunReport report = SampleReport();
  report.scenarios[1].notes.push_back("bell \x07 and\ttab");
  const std::string xml = JunitReport(report);
  const std::vector<std::string> names = CheckXml(xml);
  CHECK(std::count(names.begin(), names.end(), "testsuites") == 1);
  CHECK(std::count(names.begin(), names.end(), "testsuite") == 1);
  CHECK(std::count(names.begin(), names.end(), "testcase") == 3);
  CHECK(std::count(names.begin(), names.end(), "failure") == 1);
  CHECK(std::count(names.begin(), names.end(), "error") == 1);
  CHECK_THAT(xml, Catch::Contains("tests=\"3\" failures=\"1\" errors=\"1\""));
  CHECK_THAT(xml, Catch::Contains("name=\"wrong &lt;&amp;&gt; &quot;one&quot;\""));
  CHECK_THAT(
      xml, Catch::Contains("message=\"receiver &apos;backup&apos; got 1 request(s), expected 2\""));
  // Line breaks in the failure text are character references, like in attribute values.
  CHECK_THAT(
      xml,
      Catch::Contains(
          "type=\"failure\">at /expect/receivers/backup/count: receiver &apos;backup&apos; got 1 "
          "request(s), expected 2&#10;  - expected: 2&#10;  + actual:   1&#10;  received:&#10;"
          "  #0 POST /hook {&quot;a&quot;:&quot;&lt;b&gt;&quot;}&#10;</failure>"));
  // A control character XML cannot carry becomes U+FFFD; the tab survives as a reference.
  CHECK_THAT(xml, Catch::Contains(
                      "<system-out>a note&#10;bell \xEF\xBF\xBD and&#9;tab&#10;</system-out>"));
  CHECK_THAT(xml, Catch::Contains("<testcase name=\"gate_main_200\" classname=\"scenarios\" "
                                  "file=\"scenarios/gate_main_200.json\" time=\"0.012\"/>"));
}

TEST_CASE("The JSON report has a summary and one entry per scenario", "[harness]") {
  const auto json = nlohmann::json::parse(JsonReport(SampleReport()));
  CHECK(json.at("summary") == nlohmann::json{{"total", 3},
                                             {"passed", 1},
                                             {"failed", 1},
                                             {"errors", 1},
                                             {"skipped", 0},
                                             {"duration_ms", 1234}});
  const auto& scenarios = json.at("scenarios");
  REQUIRE(scenarios.size() == 3);
  CHECK(scenarios[0].at("outcome") == "passed");
  CHECK(scenarios[0].at("failures").empty());
  CHECK(scenarios[1].at("outcome") == "failed");
  CHECK(scenarios[1].at("file") == "fixtures/wrong.json");
  CHECK(scenarios[1].at("failures")[0].at("at") == "/expect/receivers/backup/count");
  CHECK(scenarios[1].at("failures")[0].at("expected") == "2");
  CHECK(scenarios[1].at("notes")[0] == "a note");
  CHECK(scenarios[2].at("outcome") == "error");
}

TEST_CASE("The console report shows a line per scenario and a diff per failure", "[harness]") {
  std::ostringstream out;
  WriteConsoleReport(SampleReport(), out);
  const std::string text = out.str();
  CHECK_THAT(text,
             Catch::Contains("PASS  gate_main_200  (scenarios/gate_main_200.json, 0.01 s)\n"));
  CHECK_THAT(text, Catch::Contains("FAIL  wrong <&> \"one\"  (fixtures/wrong.json, 0.00 s)\n"
                                   "      at /expect/receivers/backup/count: receiver 'backup' got "
                                   "1 request(s), expected 2\n"
                                   "        - expected: 2\n"
                                   "        + actual:   1\n"
                                   "          received:\n"
                                   "            #0 POST /hook {\"a\":\"<b>\"}\n"
                                   "      note: a note\n"));
  CHECK_THAT(text, Catch::Contains("ERROR broken"));
  CHECK_THAT(text,
             Catch::EndsWith("3 scenario(s) in 1.23 s; 1 of the failed could not run (error)\n"
                             "1 passed, 2 failed, 0 skipped\n"));

  std::ostringstream quiet;
  WriteConsoleReport(SampleReport(), quiet, ConsoleOptions{.show_passed = false});
  CHECK_THAT(quiet.str(), !Catch::Contains("PASS"));
}

RunReport SkipReport() {
  RunReport report = SampleReport();
  report.scenarios.erase(report.scenarios.begin() + 1, report.scenarios.end());
  ScenarioResult skip;
  skip.name = "gate_main_500_then_retry";
  skip.file = "scenarios/gate_main_500_then_retry.json";
  skip.outcome = Outcome::kSkipped;
  skip.skip_reason = "receiver 'main' is scripted to answer 500 <&>";
  report.scenarios.push_back(skip);
  return report;
}

TEST_CASE("A skipped scenario carries its reason in every report", "[harness]") {
  const RunReport report = SkipReport();
  CHECK(report.NoneFailed());
  CHECK(!report.AllPassed());

  for (bool show_passed : {true, false}) {
    std::ostringstream out;
    WriteConsoleReport(report, out, ConsoleOptions{.show_passed = show_passed});
    CHECK_THAT(out.str(),
               Catch::Contains(
                   "SKIP  gate_main_500_then_retry  (scenarios/gate_main_500_then_retry.json)\n"
                   "      skipped: receiver 'main' is scripted to answer 500 <&>\n"));
    CHECK_THAT(out.str(), Catch::EndsWith("\n1 passed, 0 failed, 1 skipped\n"));
  }

  const auto json = nlohmann::json::parse(JsonReport(report));
  CHECK(json.at("summary").at("skipped") == 1);
  CHECK(json.at("scenarios")[1].at("outcome") == "skipped");
  CHECK(json.at("scenarios")[1].at("skip_reason") ==
        "receiver 'main' is scripted to answer 500 <&>");
  CHECK(!json.at("scenarios")[0].contains("skip_reason"));

  const std::string xml = JunitReport(report);
  CheckXml(xml);
  CHECK_THAT(xml, Catch::Contains("skipped=\"1\""));
  CHECK_THAT(xml, Catch::Contains("<skipped message=\"receiver &apos;main&apos; is scripted to "
                                  "answer 500 &lt;&amp;&gt;\"/>"));
  CHECK_THAT(xml, !Catch::Contains("<failure"));
}

}  // namespace
}  // namespace multihook::harness
