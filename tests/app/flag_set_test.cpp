#include "mock_server/app/flag_set.hpp"

#include <catch2/catch.hpp>

namespace multihook::app {
namespace {

// A FlagSet over a few targets, as the programs build theirs.
struct Fixture {
  std::size_t jobs = 1;
  bool quiet = false;
  std::vector<core::HostRoute> routes;
  delivery::HttpTransportOptions transport;
  FlagSet flags;

  Fixture() {
    flags
        .Add({"jobs", "N", "scenarios at once",
              [this](std::string_view v, const std::string& where) -> core::Status {
                MULTIHOOK_ASSIGN_OR_RETURN(jobs, ParseWholeNumber<std::size_t>(v, where, 1, 256));
                return core::Status::Ok();
              },
              'j'})
        .Add({"quiet", "", "less output",
              [this](std::string_view, const std::string&) {
                quiet = true;
                return core::Status::Ok();
              },
              'q'})
        .Add(RouteFlag(routes))
        .Add(CaFileFlag(transport))
        .Add(InsecureFlag(transport));
  }

  std::string Parse(std::vector<std::string_view> args) {
    auto positional = flags.Parse(args);
    if (!positional.ok()) return positional.status().ToString();
    std::string out;
    for (const std::string& p : *positional) out += "[" + p + "]";
    return out;
  }
};

TEST_CASE("FlagSet: long and short spellings, flags and positionals", "[app][cli]") {
  Fixture f;
  CHECK(f.Parse({"a.json", "--jobs", "3", "-q", "b.json"}) == "[a.json][b.json]");
  CHECK(f.jobs == 3);
  CHECK(f.quiet);
  CHECK(f.Parse({"-j7"}).empty());
  CHECK(f.jobs == 7);
  CHECK(f.Parse({"-j", "8", "--jobs=9"}).empty());
  CHECK(f.jobs == 9);
  CHECK(f.Parse({"--route", "h.example.com=http://127.0.0.1:9", "--insecure", "--ca-file=ca.pem",
                 "-"}) == "[-]");
  REQUIRE(f.routes.size() == 1);
  CHECK(f.routes[0].ToString() == "h.example.com=http://127.0.0.1:9");
  CHECK(f.transport.insecure);
  CHECK(f.transport.ca_file == "ca.pem");
}

TEST_CASE("FlagSet: every error is one line naming the option", "[app][cli]") {
  const auto [args, error] = GENERATE(table<std::vector<std::string_view>, std::string>({
      {{"--nope"}, "invalid_argument at --nope: unknown option"},
      {{"-x"}, "invalid_argument at -x: unknown option"},
      {{"-qq"}, "invalid_argument at -qq: unknown option"},
      {{"--jobs"}, "invalid_argument at --jobs: needs a value"},
      {{"-j"}, "invalid_argument at --jobs: needs a value"},
      {{"--insecure=true"}, "invalid_argument at --insecure: takes no value"},
      {{"--quiet=yes"}, "invalid_argument at --quiet: takes no value"},
      {{"-j0"}, "invalid_argument at --jobs: expected a whole number from 1 to 256, got '0'"},
      {{"--jobs", "4x"},
       "invalid_argument at --jobs: expected a whole number from 1 to 256, got '4x'"},
      {{"--ca-file="}, "invalid_argument at --ca-file: needs a file name"},
      {{"--route", "nope"}, ""},
      {{"--"}, "invalid_argument at --: unexpected argument"},
  }));
  CAPTURE(args);
  Fixture f;
  const std::string result = f.Parse(args);
  if (error.empty()) {
    CHECK_THAT(result, Catch::StartsWith("invalid_argument at --route: "));
  } else {
    CHECK(result == error);
  }
}

TEST_CASE("FlagSet: help lines align, with the defaults given", "[app][cli]") {
  Fixture f;
  const std::string help =
      f.flags.Help(24, [](const FlagSpec& flag) { return flag.name == "jobs" ? "4" : ""; });
  CHECK_THAT(help, Catch::Contains("  -j, --jobs N          scenarios at once (default 4)\n"));
  CHECK_THAT(help, Catch::Contains("  -q, --quiet           less output\n"));
  CHECK_THAT(help, Catch::Contains("      --ca-file FILE    trust"));
  CHECK_THAT(help, Catch::Contains("keeping the URL's\n                        path"));
}

}  // namespace
}  // namespace multihook::app
