#include "mock_server/app/mock_options.hpp"

#include <fstream>
#include <sstream>

#include "mock_server/app/flag_set.hpp"
#include "mock_server/app/mock_option_table.hpp"
#include "mock_server/codec/json_reader.hpp"

namespace multihook::app {
namespace {

using core::Status;
using Json = codec::Json;

constexpr std::size_t kHelpColumn = 40;

enum class ConfigUse { kStartup, kStartupProfileGiven, kRuntime };

core::Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::InvalidArgument("--config", "cannot read '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A JSON member as the option's textual value; `channels` objects are handled by the caller.
core::Result<std::string> JsonOptionValue(const Json& value, const OptionSpec& spec,
                                          const std::string& pointer) {
  if (spec.placeholder.empty()) {
    if (!value.is_boolean()) return codec::TypeError(pointer, "a boolean", value);
    return std::string(value.get<bool>() ? "true" : "false");
  }
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_unsigned()) return std::to_string(value.get<std::uint64_t>());
  if (value.is_number_float()) return value.dump();  // e.g. retry_factor 1.5
  return codec::TypeError(pointer, "a string or a whole number", value);
}

// PATCH /mock/options refuses what only a restart changes. True when the member needs nothing
// more: signing_secret null (removes the secret) or masked (keeps it).
core::Result<bool> HandleRuntimeKey(const std::string& key, const Json& value,
                                    const std::string& pointer, MockOptions& options) {
  const OptionSpec* spec = FindOption(ToOptionName(key));
  const bool fixed = key == "channels" || key == "routes" || key == "config" ||
                     (spec != nullptr && key.find('-') == std::string::npos && !spec->runtime);
  if (fixed) {
    return core::InvalidArgument(
        pointer, "cannot be changed at runtime; restart the mock with --" + ToOptionName(key));
  }
  if (key == "signing_secret" && value.is_null()) {
    options.signing_secret.reset();
    return true;
  }
  return key == "signing_secret" && value == kMaskedSecret;
}

// "channels": ["KEY[:PHONE_NUMBER_ID]" or {"api_key", "phone_number_id", ...}, ...].
Status ApplyChannels(const Json& value, const std::string& pointer, MockOptions& options) {
  if (!value.is_array()) return codec::TypeError(pointer, "an array", value);
  for (std::size_t i = 0; i < value.size(); ++i) {
    const std::string at = pointer + "/" + std::to_string(i);
    const Json& entry = value[i];
    if (entry.is_string()) {
      MULTIHOOK_ASSIGN_OR_RETURN(core::ChannelSpec spec,
                                 ParseChannel(entry.get<std::string>(), at));
      options.channels.push_back(std::move(spec));
      continue;
    }
    MULTIHOOK_ASSIGN_OR_RETURN(
        const codec::ObjectReader reader,
        codec::ObjectReader::Open(
            entry, at, {"api_key", "phone_number_id", "display_phone_number", "waba_id"}));
    core::ChannelSpec spec;
    MULTIHOOK_ASSIGN_OR_RETURN(spec.api_key, reader.RequiredString("api_key"));
    MULTIHOOK_ASSIGN_OR_RETURN(spec.phone_number_id, reader.OptionalString("phone_number_id"));
    MULTIHOOK_ASSIGN_OR_RETURN(spec.display_phone_number,
                               reader.OptionalString("display_phone_number"));
    MULTIHOOK_ASSIGN_OR_RETURN(spec.waba_id, reader.OptionalString("waba_id"));
    options.channels.push_back(std::move(spec));
  }
  return Status::Ok();
}

// "routes": ["HOST=URL", ...], each as --route takes it.
Status ApplyRoutes(const Json& value, const std::string& pointer, MockOptions& options) {
  if (!value.is_array()) return codec::TypeError(pointer, "an array", value);
  for (std::size_t i = 0; i < value.size(); ++i) {
    const std::string at = pointer + "/" + std::to_string(i);
    if (!value[i].is_string()) return codec::TypeError(at, "a string", value[i]);
    MULTIHOOK_RETURN_IF_ERROR(FindOption("route")->apply(options, value[i].get<std::string>(), at));
  }
  return Status::Ok();
}

Status ApplyMember(const std::string& key, const Json& value, MockOptions& options, ConfigUse use) {
  const std::string pointer = "/" + core::PointerToken(key);
  if (use == ConfigUse::kRuntime) {
    MULTIHOOK_ASSIGN_OR_RETURN(const bool done, HandleRuntimeKey(key, value, pointer, options));
    if (done) return Status::Ok();
  }
  if (key == "channels") return ApplyChannels(value, pointer, options);
  if (key == "routes") return ApplyRoutes(value, pointer, options);
  const OptionSpec* spec = FindOption(ToOptionName(key));
  if (spec == nullptr || key.find('-') != std::string::npos) {
    return core::InvalidArgument(pointer, "unknown option");
  }
  MULTIHOOK_ASSIGN_OR_RETURN(const std::string text, JsonOptionValue(value, *spec, pointer));
  return spec->apply(options, text, pointer);
}

Status ApplyConfig(std::string_view json_text, MockOptions& options, ConfigUse use) {
  MULTIHOOK_ASSIGN_OR_RETURN(const Json json, codec::ParseBody(json_text));
  if (!json.is_object()) return codec::TypeError("", "an object", json);
  // The profile first, wherever it stands: the other keys override its values.
  if (use != ConfigUse::kStartupProfileGiven) {
    if (const auto it = json.find("profile"); it != json.end()) {
      MULTIHOOK_ASSIGN_OR_RETURN(const std::string text,
                                 JsonOptionValue(*it, *FindOption("profile"), "/profile"));
      MULTIHOOK_ASSIGN_OR_RETURN(const Profile profile, ParseProfile(text, "/profile"));
      ApplyProfile(profile, options);
    }
  }
  for (const auto& item : json.items()) {
    if (item.key() == "profile") continue;
    MULTIHOOK_RETURN_IF_ERROR(ApplyMember(item.key(), item.value(), options, use));
  }
  return Status::Ok();
}

// The command line: every option of the table applied to `options`, then --config (read by
// ParseCommandLine), -h/--help and --version (answered before anything is parsed).
FlagSet CommandLineFlags(MockOptions& options) {
  FlagSet flags;
  for (const OptionSpec& spec : MockOptionTable()) {
    flags.Add({spec.name, spec.placeholder, spec.help,
               [&options, &spec](std::string_view value, const std::string& where) {
                 return spec.apply(options, value, where);
               }});
  }
  flags.Add({"config", "FILE",
             "read options from a JSON file (keys as above, with '_' for '-'; 'channels' and "
             "'routes' take arrays)",
             nullptr});
  flags.Add({"help", "", "show this help and exit", nullptr, 'h'});
  flags.Add({"version", "", "print the version and exit", nullptr});
  return flags;
}

Status CheckDistinctChannels(const std::vector<core::ChannelSpec>& channels) {
  for (std::size_t i = 0; i < channels.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (channels[i].api_key == channels[j].api_key) {
        return core::InvalidArgument("--channel",
                                     "API key '" + *channels[i].api_key + "' is given twice");
      }
    }
  }
  return Status::Ok();
}

}  // namespace

Status ApplyConfigJson(std::string_view json_text, MockOptions& options) {
  return ApplyConfig(json_text, options, ConfigUse::kStartup);
}

core::Result<CliCommand> ParseCommandLine(const std::vector<std::string_view>& args) {
  for (const std::string_view arg : args) {
    if (arg == "-h" || arg == "--help") return CliCommand{CliAction::kHelp, {}};
    if (arg == "--version") return CliCommand{CliAction::kPrintVersion, {}};
  }
  CliCommand command;
  const FlagSet flags = CommandLineFlags(command.options);
  MULTIHOOK_ASSIGN_OR_RETURN(const SplitArgs split, flags.Split(args));
  if (!split.positional.empty()) {
    return core::InvalidArgument(split.positional.front(), "unexpected argument");
  }
  // A profile on the command line wins over one in the config file; either is applied before
  // any other option, so that every option given explicitly overrides its profile's value.
  bool profile_given = false;
  for (const GivenFlag& given : split.flags) {
    if (given.spec->name != "profile") continue;
    MULTIHOOK_RETURN_IF_ERROR(given.spec->apply(given.value, given.where));
    ApplyProfile(command.options.profile, command.options);
    profile_given = true;
  }
  for (const GivenFlag& given : split.flags) {
    if (given.spec->name != "config") continue;
    MULTIHOOK_ASSIGN_OR_RETURN(const std::string text, ReadFile(given.value));
    const Status applied =
        ApplyConfig(text, command.options,
                    profile_given ? ConfigUse::kStartupProfileGiven : ConfigUse::kStartup);
    if (!applied.ok()) return applied.WithLocationPrefix("--config " + given.value + " ");
  }
  for (const GivenFlag& given : split.flags) {
    if (given.spec->name == "config" || given.spec->name == "profile") continue;
    MULTIHOOK_RETURN_IF_ERROR(given.spec->apply(given.value, given.where));
  }
  MULTIHOOK_RETURN_IF_ERROR(CheckDistinctChannels(command.options.channels));
  return command;
}

namespace {

// "Every option but bind, port, ... can also be changed while the mock runs: ...", wrapped at 90
// columns; the options named are those the table does not mark as settable at runtime.
std::string RuntimeNote() {
  std::vector<std::string> words{"Every", "option", "but"};
  for (const OptionSpec& spec : MockOptionTable()) {
    if (spec.runtime || spec.name == "config" || spec.name == "profile") continue;
    if (words.size() > 3) words.back() += ",";
    words.push_back(spec.name);
  }
  for (const char* word : {"can", "also", "be", "changed", "while", "the", "mock", "runs:", "PATCH",
                           "/mock/options", "with", "the", "--config", "keys."}) {
    words.emplace_back(word);
  }
  std::string text;
  std::size_t line = 0;
  for (const std::string& word : words) {
    if (line > 0 && line + 1 + word.size() > 90) {
      text += "\n";
      line = 0;
    }
    if (line > 0) {
      text += " ";
      ++line;
    }
    text += word;
    line += word.size();
  }
  return text + "\n";
}

}  // namespace

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
  MockOptions scratch;
  const MockOptions defaults;
  out += CommandLineFlags(scratch).Help(kHelpColumn, [&defaults](const FlagSpec& flag) {
    if (flag.placeholder.empty()) return std::string();
    return OptionValueText(defaults, ConfigKey(flag.name));
  });
  out +=
      "\n"
      "Durations are a whole number with a unit: us, ms, s, m, h, d (or 0).\n"
      "Options marked [profile] take their value from --profile unless given explicitly.\n";
  out += RuntimeNote();
  out +=
      "The first line on stdout is 'multihook-mock listening on http://HOST:PORT'.\n"
      "Exit status: 0 after SIGINT/SIGTERM (in-flight deliveries finish), 130 when a second\n"
      "signal cuts that short, 1 when the server cannot start (e.g. the port is in use, or the\n"
      "--state-file cannot be read), 2 on bad options.\n";
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
  for (const OptionSpec& spec : MockOptionTable()) {
    if (spec.runtime) out[ConfigKey(spec.name)] = spec.format(options);
  }
  return out.dump();
}

core::Status ApplyRuntimeOptionsJson(std::string_view json_text, MockOptions& options) {
  return ApplyConfig(json_text, options, ConfigUse::kRuntime);
}

std::vector<std::string> ConfigKeys() {
  std::vector<std::string> keys;
  for (const OptionSpec& spec : MockOptionTable()) keys.push_back(ConfigKey(spec.name));
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