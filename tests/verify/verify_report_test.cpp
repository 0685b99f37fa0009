#include "harness/verify/verify_report.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "harness/verify/verify_reporters.hpp"
#include "tests/verify/xml_check.hpp"

namespace multihook::harness {
namespace {

using std::chrono::milliseconds;

LatencyStats Latencies(std::vector<milliseconds> values, std::string source = "load") {
  LatencyStats stats;
  stats.source = std::move(source);
  for (const auto v : values) {
    stats.histogram.Record(v);
    if (v > kSlowAnswer) ++stats.over_1s;
  }
  return stats;
}

const StandardResult& Find(const std::vector<StandardResult>& standards, std::string_view name) {
  for (const auto& s : standards) {
    if (s.name == name) return s;
  }
  FAIL("no standard " << name);
  throw;  // unreachable
}

TEST_CASE("standards: median <= 250 ms and fewer than 1 % over 1 s", "[verify][standards]") {
  using Row = std::tuple<std::vector<milliseconds>, bool, bool>;
  const auto [values, median_ok, slow_ok] = GENERATE(table<std::vector<milliseconds>, bool, bool>({
      Row{{milliseconds(3), milliseconds(5), milliseconds(7)}, true, true},
      Row{{milliseconds(240), milliseconds(245), milliseconds(249)}, true, true},
      Row{{milliseconds(300), milliseconds(301), milliseconds(302)}, false, true},
      // One slow answer in 100 is 1 %: not "fewer than 1 %".
      Row{std::vector<milliseconds>(99, milliseconds(10)), true, true},
  }));
  const auto stats = Latencies(values);
  const auto standards = JudgeStandards(stats, std::nullopt);
  REQUIRE(standards.size() == 2);
  CHECK(Find(standards, kStandardMedian).passed == median_ok);
  CHECK(Find(standards, kStandardSlow).passed == slow_ok);
}

TEST_CASE("standards: exactly 1 % over 1 s fails, just under passes", "[verify][standards]") {
  std::vector<milliseconds> values(99, milliseconds(10));
  values.push_back(milliseconds(1500));
  auto standards = JudgeStandards(Latencies(values), std::nullopt);
  CHECK_FALSE(Find(standards, kStandardSlow).passed);
  CHECK(Find(standards, kStandardSlow).detail == "1.00 % over 1 s >= 1 % (load, 1 of 100 answers)");
  values.push_back(milliseconds(10));
  standards = JudgeStandards(Latencies(values), std::nullopt);
  CHECK(Find(standards, kStandardSlow).passed);
}

TEST_CASE("standards: the failure says which and why", "[verify][standards]") {
  const auto standards = JudgeStandards(
      Latencies({milliseconds(301), milliseconds(301), milliseconds(301)}, "catalogue"),
      std::nullopt);
  const auto& median = Find(standards, kStandardMedian);
  CHECK_FALSE(median.passed);
  CHECK_THAT(median.detail,
             Catch::Matchers::Matches(R"(median 30\d\.\d ms > 250 ms \(catalogue, 3 answers\))"));
}

TEST_CASE("standards: nothing measured fails; a load with errors fails its status standard",
          "[verify][standards]") {
  const auto empty = JudgeStandards(Latencies({}), std::nullopt);
  CHECK_FALSE(Find(empty, kStandardMedian).passed);
  CHECK(Find(empty, kStandardMedian).detail == "no answers to measure");

  LoadResult load;
  load.scheduled = 10;
  load.completed = 9;
  load.answered_200 = 7;
  load.other_statuses[503] = 1;
  load.errors["timeout"] = 1;
  const auto standards = JudgeStandards(Latencies({milliseconds(1)}), load);
  const auto& status = Find(standards, kStandardStatus);
  CHECK_FALSE(status.passed);
  CHECK(status.detail ==
        "7 of 10 load requests answered 200; 1 x status 503, 1 x timeout, 1 not sent");
}

VerifyReport NastyReport() {
  VerifyReport report;
  report.url = "http://127.0.0.1:1/hook?a=1&b=<2>\"'";
  report.signed_requests = true;
  report.cases.push_back(
      CaseResult{"message.text",
                 "inbound <text> & \"quotes\"",
                 {RequestOutcome{200, delivery::ErrorClass::kNone, "", milliseconds(3), 120}}});
  report.cases.push_back(
      CaseResult{"status.failed",
                 "control \x01 char",
                 {RequestOutcome{0, delivery::ErrorClass::kConnect,
                                 "Connection <refused> & \x02 gone", milliseconds(1), 99}}});
  report.latency = Latencies({milliseconds(3)}, "catalogue");
  report.standards = JudgeStandards(report.latency, std::nullopt);
  return report;
}

TEST_CASE("JUnit XML: well-formed, a testcase per case and per standard", "[verify][report]") {
  const VerifyReport report = NastyReport();
  const std::string xml = ReportToJunitXml(report);
  CHECK(testing::XmlProblem(xml).empty());
  INFO(xml);
  CHECK_THAT(xml, Catch::Matchers::Contains(R"(tests="4" failures="1")"));
  CHECK_THAT(xml, Catch::Matchers::Contains(
                      R"(<testcase classname="multihook.verify.catalogue" name="message.text")"));
  CHECK_THAT(xml, Catch::Matchers::Contains(R"(name="status.failed")"));
  CHECK_THAT(xml, Catch::Matchers::Contains(R"(<failure type="status" message="connect)"));
  CHECK_THAT(xml, Catch::Matchers::Contains(std::string(R"(name=")") + kStandardMedian));
  CHECK_THAT(xml, Catch::Matchers::Contains(std::string(R"(name=")") + kStandardSlow));
  // Markup characters are escaped; the control character becomes U+FFFD (a raw one would make
  // XmlProblem fail above).
  CHECK_THAT(xml, Catch::Matchers::Contains("Connection &lt;refused&gt; &amp; \xEF\xBF\xBD gone"));
  CHECK_THAT(xml, Catch::Matchers::Contains("?a=1&amp;b=&lt;2&gt;&quot;&apos;\"/>"));

  // The checker itself catches what it should.
  CHECK_FALSE(testing::XmlProblem("<a><b></a></b>").empty());
  CHECK_FALSE(testing::XmlProblem("<a x=\"1 & 2\"/>").empty());
  CHECK_FALSE(testing::XmlProblem("<a>\x01</a>").empty());
  CHECK(testing::XmlProblem("<?xml version=\"1.0\"?>\n<a x=\"&amp;\"><b/>t&lt;</a>\n").empty());
}

TEST_CASE("JSON report: parses back with every case, the latency and the standards",
          "[verify][report]") {
  const VerifyReport report = NastyReport();
  const std::string text = ReportToJson(report).dump(2);
  const auto json = nlohmann::json::parse(text);
  CHECK(json.at("url") == report.url);
  CHECK(json.at("passed") == false);
  CHECK(json.at("signed") == true);
  REQUIRE(json.at("cases").size() == 2);
  CHECK(json.at("cases").at(1).at("name") == "status.failed");
  CHECK(json.at("cases").at(1).at("passed") == false);
  CHECK(json.at("cases").at(1).at("requests").at(0).at("error") == "connect");
  CHECK(json.at("latency").at("source") == "catalogue");
  CHECK(json.at("latency").at("count") == 1);
  CHECK(json.at("load").is_null());
  CHECK(json.at("standards").size() == 2);
  CHECK(json.at("summary").get<std::string>().rfind("FAIL: 1/2 cases passed", 0) == 0);
}

TEST_CASE("Console report: a line per case and standard, then the summary", "[verify][report]") {
  std::ostringstream out;
  PrintConsoleReport(NastyReport(), out);
  const std::string text = out.str();
  CHECK_THAT(text, Catch::Matchers::Contains("  PASS  message.text "));
  CHECK_THAT(text, Catch::Matchers::Contains("  FAIL  status.failed "));
  CHECK_THAT(text, Catch::Matchers::Contains("connect (Connection <refused>"));
  CHECK_THAT(text, Catch::Matchers::Contains(std::string("  PASS  ") + kStandardMedian));
  CHECK_THAT(text, Catch::Matchers::Contains(
                       "FAIL: 1/2 cases passed; median 3.0 ms, p99 3.0 ms, 0.00 % over 1 s "
                       "(catalogue, 1 answers); failed: 1 case not answered 200\n"));
}

}  // namespace
}  // namespace multihook::harness
