#include "mock_server/core/webhook_rules.hpp"

#include <catch2/catch.hpp>

namespace multihook::core {
namespace {

Destination D(std::string name, std::string url = "https://hook.example.com/in") {
  return Destination{std::move(name), std::move(url), {}};
}

MultiWebhookConfig Enabled(std::vector<Destination> destinations) {
  return MultiWebhookConfig{true, std::move(destinations)};
}

std::vector<std::string> Names(const MultiWebhookConfig& config) {
  std::vector<std::string> names;
  for (const auto& d : config.destinations) names.push_back(d.name);
  return names;
}

// Duplicate names are conflicts here (kReject); the default, kSkip, has its own section.
const RuleOptions kStrict = [] {
  RuleOptions options;
  options.duplicate_names = DuplicateNames::kReject;
  return options;
}();

ChannelView View(const MultiWebhookConfig& projected, bool primary_set,
                 std::vector<std::string> names_in_use = {}) {
  return ChannelView{projected, primary_set, std::move(names_in_use)};
}

TEST_CASE("Enable: POST with first destinations", "[core][rules]") {
  auto change = ApplyEnable(View({}, false), {true, std::vector{D("a"), D("b")}}, kStrict);
  REQUIRE(change.ok());
  CHECK(change->next.enabled);
  CHECK(Names(change->next) == std::vector<std::string>{"a", "b"});

  SECTION("already enabled: destinations must go through PUT") {
    auto again = ApplyEnable(View(change->next, false), {true, std::vector{D("c")}}, kStrict);
    REQUIRE_FALSE(again.ok());
    CHECK(again.status().code() == StatusCode::kFailedPrecondition);
    CHECK(again.status().reason() ==
          "multi-webhook is already enabled; use PUT to append destinations");
  }
  SECTION("already enabled without destinations: accepted, nothing changes") {
    auto again = ApplyEnable(View(change->next, false), {true, std::nullopt}, kStrict);
    REQUIRE(again.ok());
    CHECK(again->next == change->next);
  }
  SECTION("disable keeps destinations; enabling again brings them back") {
    auto off = ApplyEnable(View(change->next, false), {false, std::nullopt}, kStrict);
    REQUIRE(off.ok());
    CHECK_FALSE(off->next.enabled);
    CHECK(Names(off->next) == std::vector<std::string>{"a", "b"});
    auto on = ApplyEnable(View(off->next, false), {true, std::vector{D("c")}}, kStrict);
    REQUIRE(on.ok());
    CHECK(Names(on->next) == std::vector<std::string>{"a", "b", "c"});
  }
  SECTION("disable with destinations is malformed") {
    auto off = ApplyEnable(View(change->next, false), {false, std::vector{D("c")}}, kStrict);
    REQUIRE_FALSE(off.ok());
    CHECK(off.status().ToString() ==
          "invalid_argument at /destinations: destinations are only accepted with enabled: true");
  }
}

TEST_CASE("The limit: at most three webhooks per phone number", "[core][rules][limit]") {
  SECTION("three in one request fit, four do not") {
    CHECK(ApplyEnable(View({}, false), {true, std::vector{D("a"), D("b"), D("c")}}, kStrict).ok());
    auto four =
        ApplyEnable(View({}, false), {true, std::vector{D("a"), D("b"), D("c"), D("d")}}, kStrict);
    REQUIRE_FALSE(four.ok());
    CHECK(four.status().code() == StatusCode::kLimitExceeded);
    CHECK(four.status().ToString() ==
          "limit_exceeded at /destinations: at most 3 webhooks per phone number; this request "
          "would make 4");
  }
  SECTION("appends count what is there") {
    auto two = Enabled({D("a"), D("b")});
    CHECK(ApplyAppend(View(two, false), {{D("c")}}, kStrict).ok());
    CHECK(ApplyAppend(View(two, false), {{D("c"), D("d")}}, kStrict).status().code() ==
          StatusCode::kLimitExceeded);
  }
  SECTION("disabled destinations still count") {
    MultiWebhookConfig off{false, {D("a"), D("b"), D("c")}};
    CHECK(ApplyEnable(View(off, false), {true, std::vector{D("d")}}, kStrict).status().code() ==
          StatusCode::kLimitExceeded);
  }
  SECTION("the main webhook is excluded by default, counted on request") {
    RuleOptions counted;
    counted.primary_in_limit = PrimaryInLimit::kCounted;
    auto three = std::vector{D("a"), D("b"), D("c")};
    CHECK(ApplyEnable(View({}, true), {true, three}, kStrict).ok());
    auto over = ApplyEnable(View({}, true), {true, three}, counted);
    REQUIRE_FALSE(over.ok());
    CHECK(over.status().reason() ==
          "at most 3 webhooks per phone number (the main webhook counts as one); this request "
          "would make 4");
    CHECK(ApplyEnable(View({}, false), {true, three}, counted).ok());  // no main webhook yet
  }
}

TEST_CASE("Names are case-sensitive unique ids", "[core][rules][names]") {
  auto both =
      ApplyEnable(View({}, false), {true, std::vector{D("webhook"), D("WEBhook")}}, kStrict);
  REQUIRE(both.ok());
  CHECK(Names(both->next) == std::vector<std::string>{"webhook", "WEBhook"});

  SECTION("an existing name is a conflict") {
    auto dup = ApplyAppend(View(both->next, false), {{D("webhook")}}, kStrict);
    REQUIRE_FALSE(dup.ok());
    CHECK(dup.status().code() == StatusCode::kAlreadyExists);
    CHECK(dup.status().ToString() ==
          "already_exists at /destinations/0/name: a destination named 'webhook' already exists "
          "(names are case-sensitive)");
  }
  SECTION("a name repeated inside one request is a conflict") {
    auto dup = ApplyEnable(View({}, false), {true, std::vector{D("x"), D("x")}}, kStrict);
    REQUIRE_FALSE(dup.ok());
    CHECK(dup.status().ToString() ==
          "already_exists at /destinations/1/name: name 'x' appears twice in this request");
  }
  SECTION("a name still being deleted is not free yet") {
    auto removed = ApplyRemove(both->next, "webhook");
    REQUIRE(removed.ok());
    auto again =
        ApplyAppend(View(removed->next, false, {"webhook", "WEBhook"}), {{D("webhook")}}, kStrict);
    REQUIRE_FALSE(again.ok());
    CHECK(again.status().ToString() ==
          "already_exists at /destinations/0/name: a destination named 'webhook' is being deleted; "
          "add it again once that change is applied");
    CHECK(ApplyAppend(View(removed->next, false, {"WEBhook"}), {{D("webhook")}}, kStrict).ok());
  }
  SECTION("duplicate_names=skip, the default, accepts the request and skips them") {
    RuleOptions skip;
    CHECK(skip.duplicate_names == DuplicateNames::kSkip);
    auto skipped = ApplyAppend(View(both->next, false), {{D("webhook"), D("new"), D("new")}}, skip);
    REQUIRE(skipped.ok());
    CHECK(Names(skipped->next) == std::vector<std::string>{"webhook", "WEBhook", "new"});
    CHECK(skipped->skipped == std::vector<std::string>{"webhook", "new"});
  }
}

TEST_CASE("Destinations are validated field by field with their location", "[core][rules]") {
  const auto [destination, expected] = GENERATE(table<Destination, std::string>({
      {D("", "https://a.example.com/"), "invalid_argument at /destinations/1/name: name is empty"},
      {D("x", "https://a_b.example.com/"),
       "invalid_argument at /destinations/1/url: host contains '_'"},
      {D("x", "https://a.example.com:8443/"),
       "invalid_argument at /destinations/1/url: URL has an explicit port (:8443)"},
      {Destination{"x", "https://a.example.com/", {{"X_Key", "v"}}},
       "invalid_argument at /destinations/1/headers/X_Key: header name contains '_'"},
  }));
  auto change = ApplyEnable(View({}, false), {true, std::vector{D("ok"), destination}}, kStrict);
  REQUIRE_FALSE(change.ok());
  CHECK(change.status().ToString() == expected);
}

TEST_CASE("Append needs the feature enabled and at least one destination", "[core][rules]") {
  auto disabled = ApplyAppend(View({}, false), {{D("a")}}, kStrict);
  CHECK(disabled.status().code() == StatusCode::kFailedPrecondition);
  CHECK(disabled.status().reason() == "multi-webhook is not enabled; enable it with POST first");
  CHECK(ApplyAppend(View(Enabled({}), false), {{}}, kStrict).status().ToString() ==
        "invalid_argument at /destinations: must contain at least one destination");
  auto appended = ApplyAppend(View(Enabled({D("a")}), false), {{D("b")}}, kStrict);
  REQUIRE(appended.ok());
  CHECK(Names(appended->next) == std::vector<std::string>{"a", "b"});
}

TEST_CASE("Update changes url and/or headers of the exact name", "[core][rules]") {
  const auto config = Enabled({D("webhook", "https://old.example.com/"), D("other")});
  SECTION("url only keeps headers") {
    auto change =
        ApplyUpdate(config, {"webhook", "https://new.example.com/", std::nullopt}, kStrict);
    REQUIRE(change.ok());
    CHECK(change->next.destinations[0].url == "https://new.example.com/");
    CHECK(change->next.destinations[1] == config.destinations[1]);
  }
  SECTION("headers replace the whole header set") {
    auto change = ApplyUpdate(config, {"webhook", std::nullopt, Headers{{"X-A", "1"}}}, kStrict);
    REQUIRE(change.ok());
    CHECK(change->next.destinations[0].headers == Headers{{"X-A", "1"}});
    CHECK(change->next.destinations[0].url == "https://old.example.com/");
  }
  SECTION("the name must match exactly") {
    auto change =
        ApplyUpdate(config, {"WEBHOOK", "https://new.example.com/", std::nullopt}, kStrict);
    CHECK(change.status().code() == StatusCode::kNotFound);
    CHECK(change.status().ToString() ==
          "not_found at /name: no destination named 'WEBHOOK' (names are case-sensitive)");
  }
  SECTION("nothing to update") {
    CHECK(ApplyUpdate(config, {"webhook", std::nullopt, std::nullopt}, kStrict).status().reason() ==
          "nothing to update: give url and/or headers");
  }
  SECTION("new values follow the URL rules") {
    CHECK(ApplyUpdate(config, {"webhook", "https://x_y.example.com/", std::nullopt}, kStrict)
              .status()
              .ToString() == "invalid_argument at /url: host contains '_'");
  }
  SECTION("disabled feature") {
    MultiWebhookConfig off = config;
    off.enabled = false;
    CHECK(ApplyUpdate(off, {"webhook", "https://n.example.com/", std::nullopt}, kStrict)
              .status()
              .code() == StatusCode::kFailedPrecondition);
  }
}

TEST_CASE("Remove deletes the exact name; deleting every webhook is allowed", "[core][rules]") {
  const auto config = Enabled({D("a"), D("A")});
  auto first = ApplyRemove(config, "A");
  REQUIRE(first.ok());
  CHECK(Names(first->next) == std::vector<std::string>{"a"});
  auto last = ApplyRemove(first->next, "a");
  REQUIRE(last.ok());
  CHECK(last->next.destinations.empty());
  CHECK(last->next.enabled);
  CHECK(ApplyRemove(last->next, "a").status().ToString() ==
        "not_found: no destination named 'a' (names are case-sensitive)");
}

TEST_CASE("Main webhook: URL rules, and the limit when it counts", "[core][rules][primary]") {
  CHECK(CheckPrimary({"https://main.example.com/hook", {}}, false, {}, kStrict).ok());
  CHECK(CheckPrimary({"https://main.example.com:8443/", {}}, false, {}, kStrict)
            .status()
            .ToString() == "invalid_argument at /url: URL has an explicit port (:8443)");
  CHECK(CheckPrimary({std::nullopt, {}}, false, {}, kStrict).status().ToString() ==
        "invalid_argument at /url: is required");
  RuleOptions counted;
  counted.primary_in_limit = PrimaryInLimit::kCounted;
  const auto three = Enabled({D("a"), D("b"), D("c")});
  CHECK(CheckPrimary({"https://main.example.com/", {}}, false, three, counted).status().code() ==
        StatusCode::kLimitExceeded);
  CHECK(CheckPrimary({"https://main.example.com/", {}}, true, three, counted).ok());  // replacing
  CHECK(CheckPrimary({"https://main.example.com/", {}}, false, three, kStrict).ok());
}

TEST_CASE("Lenient precondition options accept what strict rejects", "[core][rules][profile]") {
  RuleOptions lenient;
  lenient.disabled_changes = DisabledChanges::kAllow;
  lenient.enable_with_destinations = EnableWithDestinations::kAppend;
  lenient.unknown_names = UnknownNames::kIgnore;
  const MultiWebhookConfig disabled{false, {D("a")}};
  const MultiWebhookConfig enabled = Enabled({D("a")});

  SECTION("PUT while disabled") {
    CHECK(ApplyAppend(View(disabled, false), {{D("b")}}, kStrict).status().code() ==
          StatusCode::kFailedPrecondition);
    auto put = ApplyAppend(View(disabled, false), {{D("b")}}, lenient);
    REQUIRE(put.ok());
    CHECK_FALSE(put->next.enabled);
    CHECK(Names(put->next) == std::vector<std::string>{"a", "b"});
  }
  SECTION("PATCH while disabled") {
    const UpdateRequest update{"a", std::string("https://new.example.com/"), std::nullopt};
    CHECK(ApplyUpdate(disabled, update, kStrict).status().code() ==
          StatusCode::kFailedPrecondition);
    auto patched = ApplyUpdate(disabled, update, lenient);
    REQUIRE(patched.ok());
    CHECK(patched->next.destinations.at(0).url == "https://new.example.com/");
  }
  SECTION("POST enabled:true with destinations while enabled") {
    CHECK(ApplyEnable(View(enabled, false), {true, std::vector{D("b")}}, kStrict).status().code() ==
          StatusCode::kFailedPrecondition);
    auto appended = ApplyEnable(View(enabled, false), {true, std::vector{D("b")}}, lenient);
    REQUIRE(appended.ok());
    CHECK(Names(appended->next) == std::vector<std::string>{"a", "b"});
  }
  SECTION("PATCH and DELETE of an unknown name") {
    const UpdateRequest ghost{"ghost", std::string("https://g.example.com/"), std::nullopt};
    CHECK(ApplyUpdate(enabled, ghost, kStrict).status().code() == StatusCode::kNotFound);
    CHECK(ApplyRemove(enabled, "ghost", kStrict).status().code() == StatusCode::kNotFound);
    auto patched = ApplyUpdate(enabled, ghost, lenient);
    REQUIRE(patched.ok());
    CHECK(patched->next == enabled);
    CHECK(patched->warnings ==
          std::vector<std::string>{"no destination named 'ghost' (names are case-sensitive): "
                                   "nothing updated"});
    auto removed = ApplyRemove(enabled, "ghost", lenient);
    REQUIRE(removed.ok());
    CHECK(removed->next == enabled);
    CHECK(removed->warnings.size() == 1);
    // The URL of an ignored PATCH is still checked.
    const UpdateRequest bad{"ghost", std::string("https://bad_host.example.com/"), std::nullopt};
    CHECK_FALSE(ApplyUpdate(enabled, bad, lenient).ok());
  }
  SECTION("lenient header bounds are warnings; safety rules stay errors") {
    RuleOptions headers;
    headers.header_rules = HeaderRules::kLenient;
    Destination d = D("b");
    d.headers = {{"X-A", "1"}, {"x-a", "2"}, {"X-Long", std::string(5000, 'v')}};
    CHECK_FALSE(ApplyAppend(View(enabled, false), {{d}}, kStrict).ok());
    auto accepted = ApplyAppend(View(enabled, false), {{d}}, headers);
    REQUIRE(accepted.ok());
    CHECK(accepted->warnings.size() == 2);
    d.headers = {{"X-A", "a\r\nb"}};
    CHECK_FALSE(ApplyAppend(View(enabled, false), {{d}}, headers).ok());
    d.headers = {{"Host", "h"}};
    CHECK_FALSE(ApplyAppend(View(enabled, false), {{d}}, headers).ok());
  }
}

TEST_CASE("The documented URL policy keeps the page's rules, relaxes https", "[core][rules][url]") {
  RuleOptions documented;
  documented.url_policy = UrlPolicy::kDocumented;
  const MultiWebhookConfig enabled = Enabled({});
  auto http =
      ApplyAppend(View(enabled, false), {{D("a", "http://hook.example.com/in")}}, documented);
  REQUIRE(http.ok());
  CHECK(http->warnings.size() == 1);
  CHECK_FALSE(
      ApplyAppend(View(enabled, false), {{D("a", "https://my_hook.example.com/in")}}, documented)
          .ok());
  CHECK_FALSE(
      ApplyAppend(View(enabled, false), {{D("a", "https://hook.example.com:8443/in")}}, documented)
          .ok());
  Destination underscore = D("a");
  underscore.headers = {{"X_Token", "t"}};
  CHECK_FALSE(ApplyAppend(View(enabled, false), {{underscore}}, documented).ok());
}

}  // namespace
}  // namespace multihook::core
