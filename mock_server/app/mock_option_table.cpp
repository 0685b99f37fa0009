#include "mock_server/app/mock_option_table.hpp"

#include <algorithm>
#include <charconv>

#include "mock_server/app/flag_set.hpp"
#include "mock_server/core/duration.hpp"

namespace multihook::app {
namespace {

using core::Status;
using Json = codec::Json;

template <typename Enum>
using Choices = std::vector<std::pair<const char*, Enum>>;

Status Expected(const std::string& where, std::string_view what, std::string_view got) {
  return core::InvalidArgument(
      where, "expected " + std::string(what) + ", got '" + std::string(got) + "'");
}

// Stores a whole number parsed by the one integer parser (flag_set.hpp).
template <typename Int>
Status ParseInt(std::string_view text, Int min, Int max, const std::string& where, Int& out) {
  MULTIHOOK_ASSIGN_OR_RETURN(out, ParseWholeNumber<Int>(text, where, min, max));
  return Status::Ok();
}

// "2", "1.5": a factor above 1.
Status ParseFactor(std::string_view text, const std::string& where, double& out) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < 1.0 ||
      value > 100.0) {
    return Expected(where, "a number from 1 to 100", text);
  }
  out = value;
  return Status::Ok();
}

Status ParseDurationInto(std::string_view text, const std::string& where, core::Micros& out) {
  MULTIHOOK_ASSIGN_OR_RETURN(out, core::ParseDuration(text, where));
  return Status::Ok();
}

template <typename Enum>
Status ParseChoice(std::string_view text, const std::string& where, Choices<Enum> choices,
                   Enum& out) {
  std::string names;
  for (const auto& [name, value] : choices) {
    if (text == name) {
      out = value;
      return Status::Ok();
    }
    names += (names.empty() ? "" : " or ") + std::string(name);
  }
  return Expected(where, names, text);
}

template <typename Enum>
Json ChoiceName(Choices<Enum> choices, Enum value) {
  for (const auto& [name, v] : choices) {
    if (v == value) return name;
  }
  return nullptr;
}

// An option whose value is one of `choices`, stored at `field` of MockOptions.
template <typename Enum>
OptionSpec Choice(std::string name, std::string placeholder, std::string help,
                  Choices<Enum> choices, Enum& (*field)(MockOptions&), bool runtime,
                  bool in_profile) {
  return OptionSpec{name,
                    placeholder,
                    help,
                    [choices, field](MockOptions& o, std::string_view v, const std::string& where) {
                      return ParseChoice(v, where, choices, field(o));
                    },
                    [choices, field](const MockOptions& o) {
                      return ChoiceName(choices, field(const_cast<MockOptions&>(o)));
                    },
                    runtime,
                    in_profile};
}

// A duration stored at `field`.
OptionSpec DurationOption(std::string name, std::string help,
                          core::Micros& (*field)(MockOptions&)) {
  return OptionSpec{std::move(name),
                    "DURATION",
                    std::move(help),
                    [field](MockOptions& o, std::string_view v, const std::string& where) {
                      return ParseDurationInto(v, where, field(o));
                    },
                    [field](const MockOptions& o) {
                      return Json(core::FormatDuration(field(const_cast<MockOptions&>(o))));
                    },
                    true};
}

// A flag (boolean) stored at `field` as one of two enum values.
template <typename Enum>
OptionSpec Flag(std::string name, std::string help, Enum& (*field)(MockOptions&), Enum off, Enum on,
                bool runtime, bool in_profile) {
  return OptionSpec{
      name,
      "",
      help,
      [field, on, off](MockOptions& o, std::string_view v, const std::string&) {
        field(o) = v == "true" ? on : off;
        return Status::Ok();
      },
      [field, on](const MockOptions& o) { return Json(field(const_cast<MockOptions&>(o)) == on); },
      runtime,
      in_profile};
}

const Choices<Profile> kProfiles = {{"strict", Profile::kStrict}, {"lenient", Profile::kLenient}};
const Choices<core::UrlPolicy> kUrlPolicies = {{"strict", core::UrlPolicy::kStrict},
                                               {"documented", core::UrlPolicy::kDocumented},
                                               {"lenient", core::UrlPolicy::kLenient}};

std::vector<core::HostRoute>& Routes(MockOptions& o) { return o.routes; }
delivery::HttpTransportOptions& Transport(MockOptions& o) { return o.transport; }

// A flag shared with the other programs (flag_set.hpp: name, help and parsing defined once),
// applied to the part of MockOptions that `field` selects.
template <typename Target>
OptionSpec Shared(FlagSpec (*make)(Target&), Target& (*field)(MockOptions&),
                  std::function<Json(const MockOptions&)> format = nullptr) {
  Target scratch{};
  const FlagSpec flag = make(scratch);
  return OptionSpec{flag.name, flag.placeholder, flag.help,
                    [make, field](MockOptions& o, std::string_view v, const std::string& where) {
                      return make(field(o)).apply(v, where);
                    },
                    std::move(format)};
}

std::string FormatStatusDelays(const MockOptions& o) {
  return core::FormatDuration(o.sent_after) + "," + core::FormatDuration(o.delivered_after) + "," +
         core::FormatDuration(o.read_after);
}

std::vector<OptionSpec> ServerOptions() {
  return {
      {"bind", "HOST", "address to listen on ('::1' for IPv6)",
       [](MockOptions& o, std::string_view v, const std::string& where) {
         if (v.empty()) return Expected(where, "a host address", v);
         o.bind = std::string(v);
         return Status::Ok();
       },
       [](const MockOptions& o) { return Json(o.bind); }},
      {"port", "N", "port to listen on (0 picks a free one)",
       [](MockOptions& o, std::string_view v, const std::string& where) {
         return ParseInt(v, 0, 65535, where, o.port);
       },
       [](const MockOptions& o) { return Json(o.port); }},
      {"channel", "KEY[:PHONE_NUMBER_ID]",
       "add a phone number with this API key (repeatable; none given: one channel 'demo-key')",
       [](MockOptions& o, std::string_view v, const std::string& where) {
         MULTIHOOK_ASSIGN_OR_RETURN(core::ChannelSpec spec, ParseChannel(v, where));
         o.channels.push_back(std::move(spec));
         return Status::Ok();
       }},
      {"state-file", "PATH",
       "keep channels and webhook configs across restarts in PATH: read at start, replaced "
       "atomically after each accepted change (none: nothing is written to disk)",
       [](MockOptions& o, std::string_view v, const std::string& where) {
         if (v.empty()) return Expected(where, "a file path", v);
         o.state_file = std::string(v);
         return Status::Ok();
       },
       [](const MockOptions& o) { return o.state_file ? Json(*o.state_file) : Json(nullptr); }},
      Choice<Profile>(
          "profile", "strict|lenient",
          "set every rule option below marked [profile] at once: strict fails "
          "whatever the provider might reject, lenient only what its page says it "
          "rejects; an option given explicitly overrides its profile's value",
          kProfiles, [](MockOptions& o) -> Profile& { return o.profile; }, true, false),
      DurationOption("apply-delay",
                     "delay before an accepted /multi_webhook change takes effect (e.g. 0, 500ms)",
                     [](MockOptions& o) -> core::Micros& { return o.apply_delay; }),
  };
}

std::vector<OptionSpec> RuleOptions() {
  return {
      Choice<core::DuplicateNames>(
          "duplicate-names", "reject|skip",
          "a destination name that exists already: 409 (reject) or skipped with a warning",
          {{"reject", core::DuplicateNames::kReject}, {"skip", core::DuplicateNames::kSkip}},
          [](MockOptions& o) -> core::DuplicateNames& { return o.rules.duplicate_names; }, true,
          false),
      Flag<core::PrimaryInLimit>(
          "limit-counts-primary", "count the main webhook in the 3-webhook limit [profile]",
          [](MockOptions& o) -> core::PrimaryInLimit& { return o.rules.primary_in_limit; },
          core::PrimaryInLimit::kExcluded, core::PrimaryInLimit::kCounted, true, true),
      Choice<core::UrlPolicy>(
          "url-policy", "strict|documented|lenient",
          "strict: the provider's URL rules and https; documented: only the rules on the "
          "provider's page ('_', ports), http with a warning; lenient: http, ports and '_' with "
          "a warning [profile]",
          kUrlPolicies, [](MockOptions& o) -> core::UrlPolicy& { return o.rules.url_policy; }, true,
          true),
      Choice<core::DisabledChanges>(
          "disabled-changes", "reject|allow",
          "PUT or PATCH while multi-webhook is not enabled: 409 (reject) or accepted [profile]",
          {{"reject", core::DisabledChanges::kReject}, {"allow", core::DisabledChanges::kAllow}},
          [](MockOptions& o) -> core::DisabledChanges& { return o.rules.disabled_changes; }, true,
          true),
      Choice<core::EnableWithDestinations>(
          "enable-with-destinations", "reject|append",
          "POST enabled:true with destinations while already enabled: 409 (reject) or the "
          "destinations appended [profile]",
          {{"reject", core::EnableWithDestinations::kReject},
           {"append", core::EnableWithDestinations::kAppend}},
          [](MockOptions& o) -> core::EnableWithDestinations& {
            return o.rules.enable_with_destinations;
          },
          true, true),
      Choice<core::UnknownNames>(
          "unknown-names", "reject|ignore",
          "PATCH or DELETE of a destination name that does not exist: 404 (reject) or accepted "
          "as a change that does nothing, with a warning [profile]",
          {{"reject", core::UnknownNames::kReject}, {"ignore", core::UnknownNames::kIgnore}},
          [](MockOptions& o) -> core::UnknownNames& { return o.rules.unknown_names; }, true, true),
      Choice<core::HeaderRules>(
          "header-rules", "strict|lenient",
          "custom headers: names unique ignoring case, at most 32, values at most 4096 bytes "
          "(strict), or each of those a warning (lenient) [profile]",
          {{"strict", core::HeaderRules::kStrict}, {"lenient", core::HeaderRules::kLenient}},
          [](MockOptions& o) -> core::HeaderRules& { return o.rules.header_rules; }, true, true),
      Choice<core::UnknownFields>(
          "unknown-fields", "reject|ignore",
          "a field the provider API does not define in a request body: 400 or ignored [profile]",
          {{"reject", core::UnknownFields::kReject}, {"ignore", core::UnknownFields::kIgnore}},
          [](MockOptions& o) -> core::UnknownFields& { return o.rules.unknown_fields; }, true,
          true),
      Choice<core::NullValues>(
          "null-values", "reject|absent",
          "null for an optional field of a provider request body: 400 or the same as leaving "
          "it out [profile]",
          {{"reject", core::NullValues::kReject}, {"absent", core::NullValues::kAbsent}},
          [](MockOptions& o) -> core::NullValues& { return o.rules.null_values; }, true, true),
  };
}

std::vector<OptionSpec> DeliveryOptions() {
  return {
      {"http-threads", "N", "HTTP worker threads: requests handled at once",
       [](MockOptions& o, std::string_view v, const std::string& where) {
         return ParseInt<std::size_t>(v, 2, 1024, where, o.http_threads);
       },
       [](const MockOptions& o) { return Json(o.http_threads); }},
      Choice<ClockMode>(
          "clock", "real|virtual", "real, or virtual: time moves only by POST /mock/clock/advance",
          {{"real", ClockMode::kReal}, {"virtual", ClockMode::kVirtual}},
          [](MockOptions& o) -> ClockMode& { return o.clock; }, true, false),
      Choice<delivery::Fanout>(
          "fanout", "sequential|parallel",
          "extra webhooks one after another (as the provider does) or all at once",
          {{"sequential", delivery::Fanout::kSequential},
           {"parallel", delivery::Fanout::kParallel}},
          [](MockOptions& o) -> delivery::Fanout& { return o.delivery.fanout; }, true, false),
      Choice<delivery::SuccessRule>(
          "success", "200|2xx", "what opens the gate to the extras: exactly 200 or any 2xx",
          {{"200", delivery::SuccessRule::kExactly200}, {"2xx", delivery::SuccessRule::kAny2xx}},
          [](MockOptions& o) -> delivery::SuccessRule& { return o.delivery.success; }, true, false),
      DurationOption("timeout", "how long a webhook may take to answer",
                     [](MockOptions& o) -> core::Micros& { return o.delivery.timeout; }),
      DurationOption("retry-first", "wait before the first retry of a failed delivery",
                     [](MockOptions& o) -> core::Micros& { return o.delivery.retry.first_delay; }),
      {"retry-factor", "X", "each retry waits X times the previous wait",
       [](MockOptions& o, std::string_view v, const std::string& where) {
         return ParseFactor(v, where, o.delivery.retry.factor);
       },
       [](const MockOptions& o) { return Json(o.delivery.retry.factor); }, true},
      DurationOption("retry-cap", "no wait between retries is longer",
                     [](MockOptions& o) -> core::Micros& { return o.delivery.retry.cap; }),
      DurationOption("retry-horizon", "give up retrying this long after the first attempt",
                     [](MockOptions& o) -> core::Micros& { return o.delivery.retry.horizon; }),
      Flag<delivery::RetryExtras>(
          "retry-extras", "retry failed extra webhooks too (otherwise recorded, not retried)",
          [](MockOptions& o) -> delivery::RetryExtras& { return o.delivery.retry_extras; },
          delivery::RetryExtras::kNo, delivery::RetryExtras::kYes, true, false),
      Choice<delivery::DeleteAll>(
          "delete-all", "main-only|no-callbacks",
          "multi-webhook enabled after every extra destination was deleted: the main webhook "
          "still receives (main-only), or no callback is sent at all (no-callbacks)",
          {{"main-only", delivery::DeleteAll::kMainOnly},
           {"no-callbacks", delivery::DeleteAll::kNoCallbacks}},
          [](MockOptions& o) -> delivery::DeleteAll& { return o.delivery.delete_all; }, true,
          false),
  };
}

std::vector<OptionSpec> TransportOptions() {
  return {
      {"signing-secret", "SECRET",
       "sign every delivery: x-360dialog-signature = hex HMAC-SHA256 of the body (none: unsigned)",
       [](MockOptions& o, std::string_view v, const std::string& where) {
         if (v.empty()) return Expected(where, "a non-empty secret", v);
         o.signing_secret = std::string(v);
         return Status::Ok();
       },
       [](const MockOptions& o) { return o.signing_secret ? Json(kMaskedSecret) : Json(nullptr); },
       true},
      Shared(RouteFlag, Routes),
      Shared(CaFileFlag, Transport,
             [](const MockOptions& o) {
               return o.transport.ca_file ? Json(*o.transport.ca_file) : Json(nullptr);
             }),
      Shared(InsecureFlag, Transport,
             [](const MockOptions& o) { return Json(o.transport.insecure); }),
      {"user-agent", "TEXT", "User-Agent of deliveries; a destination's own User-Agent header wins",
       [](MockOptions& o, std::string_view v, const std::string& where) {
         const bool printable = std::all_of(
             v.begin(), v.end(), [](char c) { return (c >= 0x20 && c < 0x7f) || c == '\t'; });
         if (v.empty() || v.size() > 256 || !printable) {
           return Expected(where, "1 to 256 printable ASCII characters", v);
         }
         o.transport.user_agent = std::string(v);
         return Status::Ok();
       },
       [](const MockOptions& o) { return Json(o.transport.user_agent); }},
  };
}

std::vector<OptionSpec> CapacityOptions() {
  return {
      {"journal-capacity", "N", "delivery attempts kept for GET /mock/deliveries",
       [](MockOptions& o, std::string_view v, const std::string& where) {
         return ParseInt<std::size_t>(v, 1, 100'000'000, where, o.delivery.journal_capacity);
       },
       [](const MockOptions& o) { return Json(o.delivery.journal_capacity); }},
      {"event-capacity", "N", "finished events kept for GET /mock/events/{id} (oldest go first)",
       [](MockOptions& o, std::string_view v, const std::string& where) {
         return ParseInt<std::size_t>(v, 1, 100'000'000, where, o.delivery.event_capacity);
       },
       [](const MockOptions& o) { return Json(o.delivery.event_capacity); }},
      {"keep-bodies", "N",
       "latest events whose delivered body and signature GET /mock/events/{id} and /mock/ui "
       "show (0: none; at most 64 MiB of bodies)",
       [](MockOptions& o, std::string_view v, const std::string& where) {
         return ParseInt<std::size_t>(v, 0, 100'000'000, where, o.keep_bodies);
       },
       [](const MockOptions& o) { return Json(o.keep_bodies); }},
      {"max-pending", "N",
       "notifications accepted but not delivered yet, at most; beyond it POST /mock/inbound and "
       "/messages answer 429 with Retry-After",
       [](MockOptions& o, std::string_view v, const std::string& where) {
         return ParseInt<std::size_t>(v, 1, 100'000'000, where, o.delivery.max_pending);
       },
       [](const MockOptions& o) { return Json(o.delivery.max_pending); }, true},
      {"delivery-workers", "N", "deliveries in flight at once",
       [](MockOptions& o, std::string_view v, const std::string& where) {
         return ParseInt<std::size_t>(v, 1, 1024, where, o.delivery_workers);
       },
       [](const MockOptions& o) { return Json(o.delivery_workers); }},
  };
}

// When generated notifications follow, and what seeds generated keys and ids.
std::vector<OptionSpec> GeneratedOptions() {
  return {
      {"status-delays", "SENT,DELIVERED,READ",
       "when POST /messages' status notifications follow the send",
       [](MockOptions& o, std::string_view v, const std::string& where) {
         core::Micros parsed[3];
         std::size_t start = 0;
         for (std::size_t i = 0; i < 3; ++i) {
           const std::size_t comma = v.find(',', start);
           if ((i < 2) == (comma == std::string_view::npos)) {
             return Expected(where, "three durations, e.g. 0,1s,2s", v);
           }
           const std::string_view part =
               v.substr(start, comma == std::string_view::npos ? v.npos : comma - start);
           if (Status s = ParseDurationInto(part, where, parsed[i]); !s.ok()) return s;
           start = comma + 1;
         }
         o.sent_after = parsed[0];
         o.delivered_after = parsed[1];
         o.read_after = parsed[2];
         return Status::Ok();
       },
       [](const MockOptions& o) { return Json(FormatStatusDelays(o)); }, true},
      {"seed", "N", "seed for generated keys and ids (none: random)",
       [](MockOptions& o, std::string_view v, const std::string& where) {
         std::uint64_t seed = 0;
         if (Status s = ParseInt<std::uint64_t>(v, 0, UINT64_MAX, where, seed); !s.ok()) return s;
         o.seed = seed;
         return Status::Ok();
       },
       [](const MockOptions& o) { return o.seed ? Json(*o.seed) : Json(nullptr); }},
  };
}

}  // namespace

const std::vector<OptionSpec>& MockOptionTable() {
  static const std::vector<OptionSpec> kTable = [] {
    std::vector<OptionSpec> table;
    for (auto group : {ServerOptions, RuleOptions, DeliveryOptions, TransportOptions,
                       CapacityOptions, GeneratedOptions}) {
      for (OptionSpec& spec : group()) table.push_back(std::move(spec));
    }
    return table;
  }();
  return kTable;
}

core::Result<core::ChannelSpec> ParseChannel(std::string_view text, const std::string& where) {
  core::ChannelSpec out;
  const std::size_t colon = text.find(':');
  out.api_key = std::string(text.substr(0, colon));
  if (colon != std::string_view::npos) out.phone_number_id = std::string(text.substr(colon + 1));
  if (out.api_key->empty() || (out.phone_number_id && out.phone_number_id->empty())) {
    return Expected(where, "KEY or KEY:PHONE_NUMBER_ID", text);
  }
  if (Status s = core::CheckChannelSpec(out); !s.ok()) {
    return core::InvalidArgument(
        where, "'" + std::string(text) + "': " + s.location().substr(1) + " " + s.reason());
  }
  return out;
}

core::Result<Profile> ParseProfile(std::string_view text, const std::string& where) {
  Profile profile = Profile::kStrict;
  MULTIHOOK_RETURN_IF_ERROR(ParseChoice(text, where, kProfiles, profile));
  return profile;
}

const OptionSpec* FindOption(std::string_view name) {
  for (const OptionSpec& spec : MockOptionTable()) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

std::string ConfigKey(std::string_view option_name) {
  std::string key(option_name);
  for (char& c : key) {
    if (c == '-') c = '_';
  }
  return key;
}

std::string ToOptionName(std::string_view json_key) {
  std::string name(json_key);
  for (char& c : name) {
    if (c == '_') c = '-';
  }
  return name;
}

}  // namespace multihook::app
