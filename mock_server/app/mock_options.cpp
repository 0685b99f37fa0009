#include "mock_server/app/mock_options.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <functional>
#include <sstream>

#include "mock_server/codec/json_reader.hpp"
#include "mock_server/core/duration.hpp"

namespace multihook::app {
namespace {

using core::Status;

constexpr char kMaskedSecret[] = "********";

using Json = codec::Json;

struct OptionSpec {
  std::string_view name;   // without "--"
  std::string_view value;  // placeholder in --help; empty for a flag
  std::string_view help;   // without the default, which Format() of MockOptions{} gives
  // Applies a textual value (flags get "true"/"false"); `where` names the option for errors.
  std::function<Status(MockOptions&, std::string_view value, const std::string& where)> apply;
  // The value in a --config file's encoding; null when it has none (unset, repeatable).
  std::function<Json(const MockOptions&)> format = nullptr;
  bool runtime = false;  // settable through PATCH /mock/options
  // Grouped by --profile (ApplyProfile sets it).
  bool in_profile = false;
};

template <typename Enum>
using Choices = std::vector<std::pair<const char*, Enum>>;

Status Expected(const std::string& where, std::string_view what, std::string_view got) {
  return core::InvalidArgument(
      where, "expected " + std::string(what) + ", got '" + std::string(got) + "'");
}

template <typename Int>
Status ParseInt(std::string_view text, Int min, Int max, const std::string& where, Int& out) {
  Int value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < min ||
      value > max) {
    return Expected(
        where, "a whole number from " + std::to_string(min) + " to " + std::to_string(max), text);
  }
  out = value;
  return Status::Ok();
}

Status ParseChannel(std::string_view text, const std::string& where, core::ChannelSpec& out) {
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
  auto d = core::ParseDuration(text, where);
  if (!d.ok()) return d.status();
  out = *d;
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
OptionSpec Choice(std::string_view name, std::string_view placeholder, std::string_view help,
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
OptionSpec DurationOption(std::string_view name, std::string_view help,
                          core::Micros& (*field)(MockOptions&)) {
  return OptionSpec{name,
                    "DURATION",
                    help,
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
OptionSpec Flag(std::string_view name, std::string_view help, Enum& (*field)(MockOptions&),
                Enum off, Enum on, bool runtime, bool in_profile) {
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

std::string FormatStatusDelays(const MockOptions& o) {
  return core::FormatDuration(o.sent_after) + "," + core::FormatDuration(o.delivered_after) + "," +
         core::FormatDuration(o.read_after);
}

const std::vector<OptionSpec>& Options() {
  static const std::vector<OptionSpec> kOptions = {
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
         core::ChannelSpec spec;
         if (Status s = ParseChannel(v, where, spec); !s.ok()) return s;
         o.channels.push_back(std::move(spec));
         return Status::Ok();
       }},
      Choice<Profile>(
          "profile", "strict|lenient",
          "set every rule option below marked [profile] at once: strict fails "
          "whatever the provider might reject, lenient only what its page says it "
          "rejects; an option given explicitly overrides its profile's value",
          kProfiles, [](MockOptions& o) -> Profile& { return o.profile; }, true, false),
      DurationOption("apply-delay",
                     "delay before an accepted /multi_webhook change takes effect (e.g. 0, 500ms)",
                     [](MockOptions& o) -> core::Micros& { return o.apply_delay; }),
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
      {"signing-secret", "SECRET",
       "sign every delivery: x-360dialog-signature = hex HMAC-SHA256 of the body (none: unsigned)",
       [](MockOptions& o, std::string_view v, const std::string& where) {
         if (v.empty()) return Expected(where, "a non-empty secret", v);
         o.signing_secret = std::string(v);
         return Status::Ok();
       },
       [](const MockOptions& o) { return o.signing_secret ? Json(kMaskedSecret) : Json(nullptr); },
       true},
      {"route", "HOST=http[s]://ADDR:PORT",
       "deliver to HOST at a local address; the stored URL is unchanged (repeatable)",
       [](MockOptions& o, std::string_view v, const std::string& where) {
         auto route = core::ParseHostRoute(v);
         if (!route.ok()) return core::InvalidArgument(where, route.status().reason());
         o.routes.push_back(std::move(*route));
         return Status::Ok();
       }},
      {"ca-file", "FILE", "trust the CA certificates in FILE (PEM) for https webhooks",
       [](MockOptions& o, std::string_view v, const std::string& where) {
         if (v.empty()) return Expected(where, "a file name", v);
         o.transport.ca_file = std::string(v);
         return Status::Ok();
       },
       [](const MockOptions& o) {
         return o.transport.ca_file ? Json(*o.transport.ca_file) : Json(nullptr);
       }},
      {"insecure", "", "do not verify https webhooks' certificates (local testing only)",
       [](MockOptions& o, std::string_view v, const std::string&) {
         o.transport.insecure = v == "true";
         return Status::Ok();
       },
       [](const MockOptions& o) { return Json(o.transport.insecure); }},
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
  return kOptions;
}

const OptionSpec* FindOption(std::string_view name) {
  for (const OptionSpec& spec : Options()) {
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

enum class ConfigUse { kStartup, kStartupProfileGiven, kRuntime };
Status ApplyConfig(std::string_view json_text, MockOptions& options, ConfigUse use);

core::Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::InvalidArgument("--config", "cannot read '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A JSON member as the option's textual value; `channels` objects are handled by the caller.
core::Result<std::string> JsonOptionValue(const codec::Json& value, const OptionSpec& spec,
                                          const std::string& pointer) {
  if (spec.value.empty()) {
    if (!value.is_boolean()) return codec::TypeError(pointer, "a boolean", value);
    return std::string(value.get<bool>() ? "true" : "false");
  }
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_unsigned()) return std::to_string(value.get<std::uint64_t>());
  if (value.is_number_float()) return value.dump();  // e.g. retry_factor 1.5
  return codec::TypeError(pointer, "a string or a whole number", value);
}

}  // namespace

Status ApplyConfigJson(std::string_view json_text, MockOptions& options) {
  return ApplyConfig(json_text, options, ConfigUse::kStartup);
}

namespace {

Status ApplyConfig(std::string_view json_text, MockOptions& options, ConfigUse use) {
  auto json = codec::ParseBody(json_text);
  if (!json.ok()) return json.status();
  if (!json->is_object()) return codec::TypeError("", "an object", *json);
  // The profile first, wherever it stands: the other keys override its values.
  if (use != ConfigUse::kStartupProfileGiven) {
    if (const auto it = json->find("profile"); it != json->end()) {
      auto value = JsonOptionValue(*it, *FindOption("profile"), "/profile");
      if (!value.ok()) return value.status();
      Profile profile = options.profile;
      if (Status s = ParseChoice(*value, "/profile", kProfiles, profile); !s.ok()) return s;
      ApplyProfile(profile, options);
    }
  }
  for (const auto& item : json->items()) {
    const std::string pointer = "/" + core::PointerToken(item.key());
    if (item.key() == "profile") continue;
    if (use == ConfigUse::kRuntime) {
      const OptionSpec* spec = FindOption(ToOptionName(item.key()));
      const bool fixed =
          item.key() == "channels" || item.key() == "routes" || item.key() == "config" ||
          (spec != nullptr && item.key().find('-') == std::string::npos && !spec->runtime);
      if (fixed) {
        return core::InvalidArgument(pointer,
                                     "cannot be changed at runtime; restart the mock "
                                     "with --" +
                                         ToOptionName(item.key()));
      }
      if (item.key() == "signing_secret" && item.value().is_null()) {
        options.signing_secret.reset();
        continue;
      }
      if (item.key() == "signing_secret" && item.value() == kMaskedSecret) continue;
    }
    if (item.key() == "channels") {
      if (!item.value().is_array()) return codec::TypeError(pointer, "an array", item.value());
      for (std::size_t i = 0; i < item.value().size(); ++i) {
        const std::string at = pointer + "/" + std::to_string(i);
        const codec::Json& entry = item.value()[i];
        if (entry.is_string()) {
          core::ChannelSpec spec;
          if (Status s = ParseChannel(entry.get<std::string>(), at, spec); !s.ok()) return s;
          options.channels.push_back(std::move(spec));
          continue;
        }
        auto reader = codec::ObjectReader::Open(
            entry, at, {"api_key", "phone_number_id", "display_phone_number", "waba_id"});
        if (!reader.ok()) return reader.status();
        core::ChannelSpec spec;
        auto key = reader->RequiredString("api_key");
        if (!key.ok()) return key.status();
        spec.api_key = *key;
        for (auto [field, target] : {std::pair{"phone_number_id", &spec.phone_number_id},
                                     std::pair{"display_phone_number", &spec.display_phone_number},
                                     std::pair{"waba_id", &spec.waba_id}}) {
          auto value = reader->OptionalString(field);
          if (!value.ok()) return value.status();
          *target = *value;
        }
        options.channels.push_back(std::move(spec));
      }
      continue;
    }
    if (item.key() == "routes") {
      if (!item.value().is_array()) return codec::TypeError(pointer, "an array", item.value());
      for (std::size_t i = 0; i < item.value().size(); ++i) {
        const std::string at = pointer + "/" + std::to_string(i);
        const codec::Json& entry = item.value()[i];
        if (!entry.is_string()) return codec::TypeError(at, "a string", entry);
        if (Status s = FindOption("route")->apply(options, entry.get<std::string>(), at); !s.ok()) {
          return s;
        }
      }
      continue;
    }
    const OptionSpec* spec = FindOption(ToOptionName(item.key()));
    if (spec == nullptr || item.key().find('-') != std::string::npos) {
      return core::InvalidArgument(pointer, "unknown option");
    }
    auto value = JsonOptionValue(item.value(), *spec, pointer);
    if (!value.ok()) return value.status();
    if (Status s = spec->apply(options, *value, pointer); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace

core::Result<CliCommand> ParseCommandLine(const std::vector<std::string_view>& args) {
  CliCommand command;
  // Split "--name=value" and "--name value" into pairs first, so --config can be applied first.
  struct Given {
    std::string name;
    std::optional<std::string> value;
  };
  std::vector<Given> given;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "-h" || arg == "--help") return CliCommand{CliAction::kHelp, {}};
    if (arg == "--version") return CliCommand{CliAction::kPrintVersion, {}};
    if (arg.substr(0, 2) != "--" || arg.size() == 2) {
      return core::InvalidArgument(std::string(arg), "unexpected argument");
    }
    const std::size_t eq = arg.find('=');
    Given g{std::string(arg.substr(2, eq == std::string_view::npos ? arg.npos : eq - 2)), {}};
    if (eq != std::string_view::npos) g.value = std::string(arg.substr(eq + 1));
    const std::string where = "--" + g.name;
    const OptionSpec* spec = FindOption(g.name);
    const bool is_config = g.name == "config";
    if (spec == nullptr && !is_config) return core::InvalidArgument(where, "unknown option");
    const bool takes_value = is_config || !spec->value.empty();
    if (!takes_value && g.value) return core::InvalidArgument(where, "takes no value");
    if (takes_value && !g.value) {
      if (i + 1 >= args.size()) return core::InvalidArgument(where, "needs a value");
      g.value = std::string(args[++i]);
    }
    given.push_back(std::move(g));
  }
  // A profile on the command line wins over one in the config file; either is applied before
  // any other option, so that every option given explicitly overrides its profile's value.
  bool profile_given = false;
  for (const Given& g : given) {
    if (g.name != "profile") continue;
    if (Status s = FindOption("profile")->apply(command.options, *g.value, "--profile"); !s.ok()) {
      return s;
    }
    ApplyProfile(command.options.profile, command.options);
    profile_given = true;
  }
  for (const Given& g : given) {
    if (g.name != "config") continue;
    auto text = ReadFile(*g.value);
    if (!text.ok()) return text.status();
    if (Status s =
            ApplyConfig(*text, command.options,
                        profile_given ? ConfigUse::kStartupProfileGiven : ConfigUse::kStartup);
        !s.ok()) {
      return s.WithLocationPrefix("--config " + *g.value + " ");
    }
  }
  for (const Given& g : given) {
    if (g.name == "config" || g.name == "profile") continue;
    const OptionSpec* spec = FindOption(g.name);
    if (Status s = spec->apply(command.options, g.value.value_or("true"), "--" + g.name); !s.ok()) {
      return s;
    }
  }
  const auto& channels = command.options.channels;
  for (std::size_t i = 0; i < channels.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (channels[i].api_key == channels[j].api_key) {
        return core::InvalidArgument("--channel",
                                     "API key '" + *channels[i].api_key + "' is given twice");
      }
    }
  }
  return command;
}

std::string UsageText() {
  std::string out =
      "Usage: multihook-mock [OPTIONS]\n"
      "\n"
      "A local mock of the provider's multiple-webhooks-per-phone-number API: the config API\n"
      "(/v1/configs/webhook, /multi_webhook) with the provider's rules, plus a control API\n"
      "under /mock for tests. With no options it serves a demo channel with API key 'demo-key'\n"
      "on http://127.0.0.1:8360.\n"
      "\n"
      "Options:\n";
  const auto line = [&out](std::string left, std::string_view help) {
    left.resize(std::max<std::size_t>(left.size() + 2, 34), ' ');
    out += "  " + left + std::string(help) + "\n";
  };
  const MockOptions defaults;
  for (const OptionSpec& spec : Options()) {
    std::string left = "--" + std::string(spec.name);
    if (!spec.value.empty()) left += " " + std::string(spec.value);
    std::string help(spec.help);
    if (spec.format && !spec.value.empty()) {
      const Json value = spec.format(defaults);
      if (!value.is_null())
        help += " (default " + (value.is_string() ? value.get<std::string>() : value.dump()) + ")";
    }
    line(left, help);
  }
  line("--config FILE",
       "read options from a JSON file (keys as above, with '_' for '-'; 'channels' and 'routes' "
       "take arrays)");
  line("-h, --help", "show this help and exit");
  line("--version", "print the version and exit");
  out +=
      "\n"
      "Durations are a whole number with a unit: us, ms, s, m, h, d (or 0).\n"
      "Options marked [profile] take their value from --profile unless given explicitly.\n"
      "Every option but bind, port, channel, route, ca-file, insecure, user-agent,\n"
      "http-threads, delivery-workers, journal-capacity, event-capacity and seed can also be\n"
      "changed while the mock runs: PATCH /mock/options with the --config keys.\n"
      "The first line on stdout is 'multihook-mock listening on http://HOST:PORT'.\n"
      "Exit status: 0 after SIGINT/SIGTERM (in-flight deliveries finish), 130 when a second\n"
      "signal cuts that short, 1 when the server cannot start (e.g. the port is in use),\n"
      "2 on bad options.\n";
  return out;
}

void ApplyProfile(Profile profile, MockOptions& options) {
  const bool strict = profile == Profile::kStrict;
  core::RuleOptions& r = options.rules;
  options.profile = profile;
  // What the provider's page states stays an error under both profiles ('_' and ports in URLs,
  // '_' in header names); the rest is our reading and is relaxed by lenient.
  r.url_policy = strict ? core::UrlPolicy::kStrict : core::UrlPolicy::kDocumented;
  r.primary_in_limit = core::PrimaryInLimit::kExcluded;
  r.disabled_changes = strict ? core::DisabledChanges::kReject : core::DisabledChanges::kAllow;
  r.enable_with_destinations =
      strict ? core::EnableWithDestinations::kReject : core::EnableWithDestinations::kAppend;
  r.unknown_names = strict ? core::UnknownNames::kReject : core::UnknownNames::kIgnore;
  r.header_rules = strict ? core::HeaderRules::kStrict : core::HeaderRules::kLenient;
  r.unknown_fields = strict ? core::UnknownFields::kReject : core::UnknownFields::kIgnore;
  r.null_values = strict ? core::NullValues::kReject : core::NullValues::kAbsent;
}

std::string EncodeRuntimeOptions(const MockOptions& options) {
  Json out = Json::object();
  for (const OptionSpec& spec : Options()) {
    if (spec.runtime) out[ConfigKey(spec.name)] = spec.format(options);
  }
  return out.dump();
}

core::Status ApplyRuntimeOptionsJson(std::string_view json_text, MockOptions& options) {
  return ApplyConfig(json_text, options, ConfigUse::kRuntime);
}

std::vector<std::string> ConfigKeys() {
  std::vector<std::string> keys;
  for (const OptionSpec& spec : Options()) keys.push_back(ConfigKey(spec.name));
  return keys;
}

bool IsRuntimeOption(std::string_view config_key) {
  const OptionSpec* spec = FindOption(ToOptionName(config_key));
  return spec != nullptr && spec->runtime;
}

bool IsProfileOption(std::string_view config_key) {
  const OptionSpec* spec = FindOption(ToOptionName(config_key));
  return spec != nullptr && spec->in_profile;
}

std::string OptionValueText(const MockOptions& options, std::string_view config_key) {
  const OptionSpec* spec = FindOption(ToOptionName(config_key));
  if (spec == nullptr || !spec->format) return "";
  const Json value = spec->format(options);
  if (value.is_null()) return "";
  return value.is_string() ? value.get<std::string>() : value.dump();
}

}  // namespace multihook::app
