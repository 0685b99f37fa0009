// Runs the built `multihook` binary (path from CMake) and checks its exit codes and outputs.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace {

const std::string kFixtures = std::string(MULTIHOOK_SOURCE_DIR) + "/tests/harness/fixtures/";

struct Ran {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string Slurp(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Ran Run(const std::string& args) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("multihook_cli_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string command = std::string("'") + MULTIHOOK_BIN + "' " + args + " >'" +
                              (dir / "out").string() + "' 2>'" + (dir / "err").string() + "'";
  const int status = std::system(command.c_str());
  Ran ran;
  ran.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  ran.out = Slurp(dir / "out");
  ran.err = Slurp(dir / "err");
  return ran;
}

TEST_CASE("multihook run exits 0 when every scenario passes", "[harness]") {
  const Ran ran = Run("run " + kFixtures + "passing.json");
  INFO(ran.out << ran.err);
  CHECK(ran.exit_code == 0);
  CHECK_THAT(ran.out, Catch::EndsWith("\n1 passed, 0 failed, 0 skipped\n"));
}

TEST_CASE("multihook run exits 1 when a scenario fails, and writes JSON and JUnit reports",
          "[harness]") {
  const auto dir = std::filesystem::temp_directory_path();
  const std::string json = (dir / ("mh_report_" + std::to_string(::getpid()) + ".json")).string();
  const std::string junit = (dir / ("mh_report_" + std::to_string(::getpid()) + ".xml")).string();
  const Ran ran = Run("run -j 2 --json " + json + " --junit " + junit + " " + kFixtures +
                      "passing.json " + kFixtures + "wrong_expectation.json");
  INFO(ran.out << ran.err);
  CHECK(ran.exit_code == 1);
  CHECK_THAT(ran.out, Catch::Contains("FAIL  wrong_expectation"));
  CHECK_THAT(ran.out, Catch::Contains("is \"hello\", expected \"goodbye\""));
  const auto report = nlohmann::json::parse(Slurp(json));
  CHECK(report.at("summary").at("failed") == 1);
  CHECK(report.at("summary").at("passed") == 1);
  CHECK_THAT(Slurp(junit), Catch::Contains("<failure message=\"receiver &apos;backup&apos;"));
  std::filesystem::remove(json);
  std::filesystem::remove(junit);
}

TEST_CASE("multihook run --tag runs only the tagged scenarios", "[harness]") {
  const Ran ran =
      Run("run --no-progress --tag receiver " + std::string(MULTIHOOK_SOURCE_DIR) + "/scenarios");
  INFO(ran.out << ran.err);
  CHECK(ran.exit_code == 0);
  CHECK_THAT(ran.out, Catch::Contains("PASS  gate_main_200 "));
  CHECK_THAT(ran.out, Catch::Contains("PASS  signature "));
  CHECK_THAT(ran.out, !Catch::Contains("gate_main_500_then_retry"));
  CHECK_THAT(ran.out, Catch::Contains(" failed, 0 skipped\n"));
}

TEST_CASE("multihook run --receiver: what a real endpoint cannot do is skipped, exit 0",
          "[harness]") {
  // Nothing listens on port 9 of the loopback: every applicable scenario would fail there, so this
  // fixture's receiver (not marked stand_in) must be skipped without being contacted.
  const Ran ran = Run("run --receiver main=http://127.0.0.1:9 " + kFixtures + "passing.json");
  INFO(ran.out << ran.err);
  CHECK(ran.exit_code == 0);
  CHECK_THAT(ran.out, Catch::Contains("SKIP  passing  (" + kFixtures +
                                      "passing.json)\n"
                                      "      skipped: receiver 'main' is not marked \"stand_in\""));
  CHECK_THAT(ran.out, Catch::EndsWith("\n0 passed, 0 failed, 1 skipped\n"));
  // A name no scenario has is likely a typo: a warning, and the skip says which receiver.
  const Ran ghost = Run("run --receiver ghost=http://127.0.0.1:9 " + kFixtures + "passing.json");
  CHECK(ghost.exit_code == 0);
  CHECK_THAT(ghost.out, Catch::Contains("skipped: no receiver 'ghost' in this scenario"));
  CHECK_THAT(ghost.err,
             Catch::Contains("warning: --receiver ghost: no scenario has a receiver named"));
}

TEST_CASE("multihook run exits 2 on unusable input", "[harness]") {
  const auto [args, message] = GENERATE(table<std::string, std::string>({
      {"run " + kFixtures + "invalid_status_type.json",
       "invalid_status_type.json at /steps/1/expect/status: expected an integer, got string"},
      {"run " + kFixtures + "no_such_file.json", "no_such_file.json: no such file or directory"},
      {"run --jobs 0 " + kFixtures + "passing.json",
       "--jobs: expected a whole number from 1 to 256"},
      {"run --frobnicate " + kFixtures + "passing.json",
       "invalid_argument at --frobnicate: unknown option"},
      {"run", "no scenario files or directories given"},
      {"run --receiver main " + kFixtures + "passing.json", "--receiver: expected NAME=http"},
      {"run " + kFixtures + "passing.json --secret", "invalid_argument at --secret: needs a value"},
      {"run --tag no-such-tag " + kFixtures + "passing.json", "no scenario has the tag(s) given"},
      {"bogus", "unknown command 'bogus'"},
  }));
  CAPTURE(args);
  const Ran ran = Run(args);
  CHECK(ran.exit_code == 2);
  CHECK_THAT(ran.err, Catch::Contains(message));
}

TEST_CASE("multihook --help and run --help describe the commands", "[harness]") {
  const Ran top = Run("--help");
  CHECK(top.exit_code == 0);
  CHECK_THAT(top.out, Catch::Contains("run FILE|DIR..."));
  CHECK_THAT(top.out, Catch::Contains("verify"));
  const Ran run = Run("run --help");
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.out, Catch::Contains("--junit FILE"));
  CHECK_THAT(run.out, Catch::Contains("Exit status: 0 nothing failed (skips allowed); 1 some"));
  CHECK_THAT(run.out, Catch::Contains("--secret S"));
  CHECK_THAT(run.out, Catch::Contains("--tag TAG"));
}

}  // namespace
