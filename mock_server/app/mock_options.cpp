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

struct OptionSpec {
  std::string_view name;      // without "--"
  std::string_view value;     // placeholder in --help; empty for a flag
  std::string_view help;
  // Applies a textual value (flags get "true"/"false"); `where` names the option for errors.
  std::function<Status(MockOptions&, std::string_view value, const std::string& where)> apply;
};

Status Expected(const std::string& where, std::string_view what, std::string_view got) {
  return core::InvalidArgument(where, "expected " + std::string(what) + ", got '" +
                                          std::string(got) + "'");
}

template <typename Int>
Status ParseInt(std::string_view text, Int min, Int max, const std::string& where, Int& out) {
  Int value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < min ||
      value > max) {
    return Expected(where,
                    "a whole number from " + std::to_string(min) + " to " + std::to_string(max),
                    text);
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
    return core::InvalidArgument(where, "'" + std::string(text) + "': " + s.location().substr(1) +
                                            " " + s.reason());
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
Status ParseChoice(std::string_view text, const std::string& where,
                   std::initializer_list<std::pair<const char*, Enum>> choices, Enum& out) {
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

const std::vector<OptionSpec>& Options() {
  static const std::vector<OptionSpec> kOptions = {
      {"bind", "HOST", "address to listen on (default 127.0.0.1; '::1' for IPv6)",
       [](MockOptions& o, std::string_view v, const std::string& where) {
         if (v.empty()) return Expected(where, "a host address", v);
         o.bind = std::string(v);
         return Status::Ok();
       }},
      {"port", "N", "port to listen on (default 8360; 0 picks a free one)",
       [](MockOptions& o, std::string_view v, const std::string& where) {
         return ParseInt(v, 0, 65535, where, o.port);
       }},
      {"apply-delay", "DURATION",
       "delay before an accepted /multi_webhook change takes effect (default 2s; e.g. 0, 500ms)",
       [](MockOptions& o, std::string_view v, const std::string& where) {
         auto d = core::ParseDuration(v, where);
         if (!d.ok()) return d.status();
         o.apply_delay = *d;
         return Status::Ok();
       }},
      {"channel", "KEY[:PHONE_NUMBER_ID]",
       "add a phone number with this API key (repeatable; default: one channel 'demo-key')",
       [](MockOptions& o, std::string_view v, const std::string& where) {
         core::ChannelSpec spec;
         if (Status s = ParseChannel(v, where, spec); !s.ok()) return s;
         o.channels.push_back(std::move(spec));
         return Status::Ok();
       }},
      {"duplicate-names", "reject|skip",
       "a destination name that exists already: skipped with a warning (skip, default, as "
       "the provider does) or 409 (reject)",
       [](MockOptions& o, std::string_view v, const std::string& where) {
         if (v == "reject") {
           o.rules.duplicate_names = core::DuplicateNames::kReject;
         } else if (v == "skip") {
           o.rules.duplicate_names = core::DuplicateNames::kSkip;
         } else {
           return Expected(where, "reject or skip", v);
         }
         return Status::Ok();
       }},
      {"limit-counts-primary", "", "count the main webhook in the 3-webhook limit",
       [](MockOptions& o, std::string_view v, const std::string&) {
         o.rules.primary_in_limit =
             v == "true" ? core::PrimaryInLimit::kCounted : core::PrimaryInLimit::kExcluded;
         return Status::Ok();
       }},
      {"url-policy", "strict|lenient",
       "strict (default): the provider's URL rules; lenient: allow http, ports and '_' with a "
       "warning",
       [](MockOptions& o, std::string_view v, const std::string& where) {
         if (v == "strict") {
           o.rules.url_policy = core::UrlPolicy::kStrict;
         } else if (v == "lenient") {
           o.rules.url_policy = core::UrlPolicy::kLenient;
         } else {
           return Expected(where, "strict or lenient", v);
         }
         return Status::Ok();
       }},
      {"http-threads", "N", "HTTP worker threads, one per open connection (default 32)",
       [](MockOptions& o, std::string_view v, const std::string& where) {
         return ParseInt<std::size_t>(v, 2, 1024, where, o.http_threads);
       }},
      {"clock", "real|virtual",
       "real (default), or virtual: time moves only by POST /mock/clock/advance",
       [](MockOptions& o, std::string_view v, const std::string& where) {
         return ParseChoice(v, where, {std::pair{"real", ClockMode::kReal},
                                       std::pair{"virtual", ClockMode::kVirtual}},
                            o.clock);
       }},
      {"fanout", "sequential|parallel",
       "extra webhooks one after another (default, as the provider does) or all at once",
       [](MockOptions& o, std::string_view v, const std::string& where) {
         return ParseChoice(v, where,
                            {std::pair{"sequential", delivery::Fanout::kSequential},
                             std::pair{"parallel", delivery::Fanout::kParallel}},
                            o.delivery.fanout);
       }},
      {"success", "200|2xx", "what opens the gate to the extras: exactly 200 (default) or any 2xx",
       [](MockOptions& o, std::string_view v, const std::string& where) {
         return ParseChoice(v, where,
                            {std::pair{"200", delivery::SuccessRule::kExactly200},
                             std::pair{"2xx", delivery::SuccessRule::kAny2xx}},
                            o.delivery.success);
       }},
      {"timeout", "DURATION", "how long a webhook may take to answer (default 5s)",
       [](MockOptions& o, std::string_view v, const std::string& where) {
         return ParseDurationInto(v, where, o.delivery.timeout);
       }},
      {"retry-first", "DURATION", "wait before the first retry of a failed delivery (default 1s)",
       [](MockOptions& o, std::string_view v, const std::string& where) {
         return ParseDurationInto(v, where, o.delivery.retry.first_delay);
       }},
      {"retry-factor", "X", "each retry waits X times the previous wait (default 2)",
       [](MockOptions& o, std::string_view v, const std::string& where) {
         return ParseFactor(v, where, o.delivery.retry.factor);
       }},
      {"retry-cap", "DURATION", "no wait between retries is longer (default 1h)",
       [](MockOptions& o, std::string_view v, const std::string& where) {
         return ParseDurationInto(v, where, o.delivery.retry.cap);
       }},
      {"retry-horizon", "DURATION", "give up retrying this long after the first attempt (default 7d)",
       [](MockOptions& o, std::string_view v, const std::string& where) {
         return ParseDurationInto(v, where, o.delivery.retry.horizon);
       }},
      {"retry-extras", "", "retry failed extra webhooks too (default: recorded, not retried)",
       [](MockOptions& o, std::string_view v, const std::string&) {
         o.delivery.retry_extras =
             v == "true" ? delivery::RetryExtras::kYes : delivery::RetryExtras::kNo;
         return Status::Ok();
       }},
      {"signing-secret", "SECRET",
       "sign every delivery: x-360dialog-signature = hex HMAC-SHA256 of the body",
       [](MockOptions& o, std::string_view v, const std::string& where) {
         if (v.empty()) return Expected(where, "a non-empty secret", v);
         o.signing_secret = std::string(v);
         return Status::Ok();
       }},
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
       }},
      {"insecure", "", "do not verify https webhooks' certificates (local testing only)",
       [](MockOptions& o, std::string_view v, const std::string&) {
         o.transport.insecure = v == "true";
         return Status::Ok();
       }},
      {"user-agent", "TEXT",
       "User-Agent of deliveries (default multihook/VERSION); a destination's own header wins",
       [](MockOptions& o, std::string_view v, const std::string& where) {
         const bool printable = std::all_of(v.begin(), v.end(), [](char c) {
           return (c >= 0x20 && c < 0x7f) || c == '\t';
         });
         if (v.empty() || v.size() > 256 || !printable) {
           return Expected(where, "1 to 256 printable ASCII characters", v);
         }
         o.transport.user_agent = std::string(v);
         return Status::Ok();
       }},
      {"journal-capacity", "N", "delivery attempts kept for GET /mock/deliveries (default 100000)",
       [](MockOptions& o, std::string_view v, const std::string& where) {
         return ParseInt<std::size_t>(v, 1, 100'000'000, where, o.delivery.journal_capacity);
       }},
      {"event-capacity", "N",
       "finished events kept for GET /mock/events/{id} (default 25000; the oldest go first)",
       [](MockOptions& o, std::string_view v, const std::string& where) {
         return ParseInt<std::size_t>(v, 1, 100'000'000, where, o.delivery.event_capacity);
       }},
      {"max-pending", "N",
       "notifications accepted but not delivered yet, at most (default 10000); beyond it "
       "POST /mock/inbound and /messages answer 429 with Retry-After",
       [](MockOptions& o, std::string_view v, const std::string& where) {
         return ParseInt<std::size_t>(v, 1, 100'000'000, where, o.delivery.max_pending);
       }},
      {"delivery-workers", "N", "deliveries in flight at once (default 8)",
       [](MockOptions& o, std::string_view v, const std::string& where) {
         return ParseInt<std::size_t>(v, 1, 1024, where, o.delivery_workers);
       }},
      {"status-delays", "SENT,DELIVERED,READ",
       "when POST /messages' status notifications follow the send (default 0,1s,2s)",
       [](MockOptions& o, std::string_view v, const std::string& where) {
         core::Micros* targets[] = {&o.sent_after, &o.delivered_after, &o.read_after};
         std::size_t start = 0;
         for (std::size_t i = 0; i < 3; ++i) {
           const std::size_t comma = v.find(',', start);
           if ((i < 2) == (comma == std::string_view::npos)) {
             return Expected(where, "three durations, e.g. 0,1s,2s", v);
           }
           const std::string_view part =
               v.substr(start, comma == std::string_view::npos ? v.npos : comma - start);
           if (Status s = ParseDurationInto(part, where, *targets[i]); !s.ok()) return s;
           start = comma + 1;
         }
         return Status::Ok();
       }},
      {"seed", "N", "seed for generated keys and ids (default: random)",
       [](MockOptions& o, std::string_view v, const std::string& where) {
         std::uint64_t seed = 0;
         if (Status s = ParseInt<std::uint64_t>(v, 0, UINT64_MAX, where, seed); !s.ok()) return s;
         o.seed = seed;
         return Status::Ok();
       }},
  };
  return kOptions;
}

const OptionSpec* FindOption(std::string_view name) {
  for (const OptionSpec& spec : Options()) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

std::string ToOptionName(std::string_view json_key) {
  std::string name(json_key);
  for (char& c : name) {
    if (c == '_') c = '-';
  }
  return name;
}

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
  return codec::TypeError(pointer, "a string or a whole number", value);
}

}  // namespace

Status ApplyConfigJson(std::string_view json_text, MockOptions& options) {
  auto json = codec::ParseBody(json_text);
  if (!json.ok()) return json.status();
  if (!json->is_object()) return codec::TypeError("", "an object", *json);
  for (const auto& item : json->items()) {
    const std::string pointer = "/" + core::PointerToken(item.key());
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
        for (auto [field, target] :
             {std::pair{"phone_number_id", &spec.phone_number_id},
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
  for (const Given& g : given) {
    if (g.name != "config") continue;
    auto text = ReadFile(*g.value);
    if (!text.ok()) return text.status();
    if (Status s = ApplyConfigJson(*text, command.options); !s.ok()) {
      return s.WithLocationPrefix("--config " + *g.value + " ");
    }
  }
  for (const Given& g : given) {
    if (g.name == "config") continue;
    const OptionSpec* spec = FindOption(g.name);
    if (Status s = spec->apply(command.options, g.value.value_or("true"), "--" + g.name);
        !s.ok()) {
      return s;
    }
  }
  const auto& channels = command.options.channels;
  for (std::size_t i = 0; i < channels.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (channels[i].api_key == channels[j].api_key) {
        return core::InvalidArgument("--channel", "API key '" + *channels[i].api_key +
                                                      "' is given twice");
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
  for (const OptionSpec& spec : Options()) {
    std::string left = "--" + std::string(spec.name);
    if (!spec.value.empty()) left += " " + std::string(spec.value);
    line(left, spec.help);
  }
  line("--config FILE",
       "read options from a JSON file (keys as above, with '_' for '-'; 'channels' and 'routes' "
       "take arrays)");
  line("-h, --help", "show this help and exit");
  line("--version", "print the version and exit");
  out +=
      "\n"
      "Durations are a whole number with a unit: us, ms, s, m, h, d (or 0).\n"
      "The first line on stdout is 'multihook-mock listening on http://HOST:PORT'.\n"
      "Exit status: 0 on SIGINT/SIGTERM, 1 when the server cannot start, 2 on bad options.\n";
  return out;
}

}  // namespace multihook::app
