#include "harness/scenario/scenario_loader.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <span>
#include <sstream>

#include "harness/scenario/scenario_mock_options.hpp"
#include "harness/scenario/scenario_reading.hpp"
#include "harness/scenario/stand_in.hpp"
#include "mock_server/codec/json_reader.hpp"
#include "mock_server/core/url_rules.hpp"

namespace multihook::harness {

using core::Result;
using core::Status;

namespace loader {

Status Error(const std::string& at, std::string reason) {
  return core::InvalidArgument(at, std::move(reason));
}

std::string Child(const std::string& at, std::string_view key) {
  return at + "/" + core::PointerToken(key);
}
std::string Child(const std::string& at, std::size_t index) {
  return at + "/" + std::to_string(index);
}

Result<std::string> NonEmptyElement(const Json& value, const std::string& at) {
  if (!value.is_string()) return codec::TypeError(at, "a string", value);
  if (value.get_ref<const std::string&>().empty()) return Error(at, "must not be empty");
  return value.get<std::string>();
}

Result<core::Micros> ReadDuration(const Json& value, const std::string& at) {
  if (!value.is_string()) return codec::TypeError(at, "a string", value);
  return core::ParseDuration(value.get_ref<const std::string&>(), at);
}

Result<std::optional<core::Micros>> OptionalDuration(const ObjectReader& reader,
                                                     std::string_view key) {
  const Json* value = reader.Find(key);
  if (value == nullptr) return std::optional<core::Micros>();
  MULTIHOOK_ASSIGN_OR_RETURN(const core::Micros duration,
                             ReadDuration(*value, reader.PointerTo(key)));
  return std::optional<core::Micros>(duration);
}

namespace {

// Notification bodies are long-winded: "/value/..." stands for "/entry/0/changes/0/value/...".
std::string ExpandNotificationPointer(const std::string& pointer) {
  if (pointer == "/value" || pointer.rfind("/value/", 0) == 0)
    return "/entry/0/changes/0" + pointer;
  return pointer;
}

}  // namespace

Result<std::vector<PointerMatch>> PointerMatches(const Json& value, const std::string& at,
                                                 bool notification) {
  if (!value.is_object()) return codec::TypeError(at, "an object of JSON pointer: value", value);
  std::vector<PointerMatch> matches;
  for (const auto& item : value.items()) {
    const std::string where = Child(at, item.key());
    if (!item.key().empty() && item.key()[0] != '/') {
      return Error(where, "a JSON pointer must be empty or start with '/'");
    }
    try {
      (void)Json::json_pointer(item.key());
    } catch (const std::exception& e) {
      return Error(where, std::string("not a valid JSON pointer: ") + e.what());
    }
    matches.push_back(PointerMatch{
        where, notification ? ExpandNotificationPointer(item.key()) : item.key(), item.value()});
  }
  return matches;
}

const ReceiverSpec* FindReceiver(const Scenario& scenario, const std::string& name) {
  for (const auto& r : scenario.receivers) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

Status UnknownReceiver(const Scenario& scenario, const std::string& at, const std::string& name) {
  std::string names;
  for (const auto& r : scenario.receivers) names += (names.empty() ? "'" : ", '") + r.name + "'";
  return Error(
      at, "no receiver named '" + name + "' (receivers: " + (names.empty() ? "none" : names) + ")");
}

namespace {

// An answer's extra headers: {"Location": "/moved"}. Names must be header tokens and values free of
// CR, LF and NUL, so a scenario cannot split the receiver's answer.
Result<Answer::Headers> AnswerHeaders(const Json& value, const std::string& at) {
  if (!value.is_object()) return codec::TypeError(at, "an object of header name: value", value);
  Answer::Headers headers;
  for (const auto& item : value.items()) {
    const std::string hat = Child(at, item.key());
    if (!item.value().is_string()) return codec::TypeError(hat, "a string", item.value());
    const std::string& v = item.value().get_ref<const std::string&>();
    const bool token = !item.key().empty() &&
                       std::all_of(item.key().begin(), item.key().end(), [](unsigned char c) {
                         return std::isalnum(c) ||
                                std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) !=
                                    std::string_view::npos;
                       });
    if (!token) return Error(hat, "not a valid header name");
    if (v.find_first_of(std::string("\r\n\0", 3)) != std::string::npos) {
      return Error(hat, "a header value must not contain CR, LF or NUL");
    }
    headers.emplace(item.key(), v);
  }
  return headers;
}

// A receiver's answer; in a script (`times` given) also "times", how often it repeats.
Result<Answer> ParseAnswer(const Json& value, const std::string& at, int* times) {
  const std::span<const std::string_view> keys(kAnswerKeys);
  MULTIHOOK_ASSIGN_OR_RETURN(
      const ObjectReader r,
      ObjectReader::Open(value, at, times != nullptr ? keys : keys.first(keys.size() - 1)));
  Answer answer = Answer::Status(200);
  MULTIHOOK_ASSIGN_OR_RETURN(const auto status, r.OptionalInteger("status", 100, 599));
  if (status) answer.status = static_cast<int>(*status);
  MULTIHOOK_ASSIGN_OR_RETURN(const auto delay, OptionalDuration(r, "delay"));
  if (delay) answer.delay = std::chrono::duration_cast<std::chrono::milliseconds>(*delay);
  if (const Json* body = r.Find("body")) {
    answer.body = body->is_string() ? body->get<std::string>() : body->dump();
  }
  if (const Json* headers = r.Find("headers")) {
    MULTIHOOK_ASSIGN_OR_RETURN(answer.headers, AnswerHeaders(*headers, r.PointerTo("headers")));
  }
  MULTIHOOK_ASSIGN_OR_RETURN(const auto reset, r.OptionalBool("reset"));
  if (reset.value_or(false)) {
    if (r.Has("status") || r.Has("body") || r.Has("headers")) {
      return Error(r.PointerTo("reset"), "a reset sends no status, headers or body");
    }
    answer.kind = Answer::Kind::kReset;
  }
  if (times != nullptr) {
    MULTIHOOK_ASSIGN_OR_RETURN(const auto n, r.OptionalInteger("times", 1, 10000));
    *times = static_cast<int>(n.value_or(1));
  }
  return answer;
}

// "faults": a seeded fault profile (fault_profile.hpp) that answers every request after the
// script, so it and "then" exclude each other. Errors are located under /receivers/NAME/faults.
Status ParseFaults(const ObjectReader& r, ReceiverSpec& spec) {
  const Json* faults = r.Find("faults");
  if (faults == nullptr) return Status::Ok();
  if (r.Has("then")) {
    return Error(r.PointerTo("then"),
                 "a receiver with faults takes no then: the profile answers every request after "
                 "the script");
  }
  MULTIHOOK_ASSIGN_OR_RETURN(spec.faults, ParseFaultProfile(*faults, r.PointerTo("faults")));
  return Status::Ok();
}

// "stand_in": what a real endpoint replacing the receiver must do. A receiver whose script asks
// for a fault cannot be replaced by an endpoint that only answers 200: that is a contradiction in
// the file, not something to find out at run time.
Status ParseStandIn(const ObjectReader& r, ReceiverSpec& spec) {
  MULTIHOOK_ASSIGN_OR_RETURN(const auto text, r.OptionalString("stand_in"));
  if (!text) return Status::Ok();
  const std::string at = r.PointerTo("stand_in");
  if (*text != kStandInValues[0]) {
    return Error(at, "expected \"answers_200\", got '" + *text + "'");
  }
  if (spec.faults) {
    return Error(at,
                 "a receiver a real endpoint stands in for answers 200, but 'faults' asks it to "
                 "answer from a fault profile");
  }
  for (std::size_t i = 0; i < spec.script.size(); ++i) {
    if (IsFault(spec.script[i])) {
      return Error(at, "a receiver a real endpoint stands in for answers 200, but script entry " +
                           std::to_string(i) + " asks it to " + DescribeAnswer(spec.script[i]));
    }
  }
  if (IsFault(spec.then)) {
    return Error(at,
                 "a receiver a real endpoint stands in for answers 200, but 'then' asks it to " +
                     DescribeAnswer(spec.then));
  }
  spec.stand_in = StandIn::kAnswers200;
  return Status::Ok();
}

Status ParseTags(const Json& value, const std::string& at, Scenario& scenario) {
  if (!value.is_array()) return codec::TypeError(at, "an array of tag names", value);
  for (std::size_t i = 0; i < value.size(); ++i) {
    MULTIHOOK_ASSIGN_OR_RETURN(std::string tag, NonEmptyElement(value[i], Child(at, i)));
    const bool plain = std::all_of(tag.begin(), tag.end(), [](unsigned char c) {
      return std::islower(c) || std::isdigit(c) || c == '_' || c == '-';
    });
    if (!plain) return Error(Child(at, i), "a tag is lowercase letters, digits, '_' and '-'");
    scenario.tags.push_back(std::move(tag));
  }
  return Status::Ok();
}

// "host" (lower-cased, a valid route host) and "external" (a URL to route it to).
Status ParseReceiverTarget(const ObjectReader& r, ReceiverSpec& spec) {
  if (!r.Has("host")) return Error(r.PointerTo("host"), "is required");
  MULTIHOOK_ASSIGN_OR_RETURN(const auto host, r.OptionalNonEmptyString("host"));
  spec.host = *host;
  std::transform(spec.host.begin(), spec.host.end(), spec.host.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (auto route = core::ParseHostRoute(spec.host + "=http://127.0.0.1:1"); !route.ok()) {
    return Error(r.PointerTo("host"), route.status().reason());
  }
  MULTIHOOK_ASSIGN_OR_RETURN(spec.external_url, r.OptionalNonEmptyString("external"));
  if (!spec.external_url) return Status::Ok();
  if (auto route = core::ParseHostRoute(spec.host + "=" + *spec.external_url); !route.ok()) {
    return Error(r.PointerTo("external"), route.status().reason());
  }
  if (r.Has("script") || r.Has("then") || r.Has("faults")) {
    return Error(r.PointerTo("external"), "an external receiver takes no script, then or faults");
  }
  return Status::Ok();
}

Result<ReceiverSpec> ParseReceiver(const std::string& name, const Json& value,
                                   const std::string& at) {
  MULTIHOOK_ASSIGN_OR_RETURN(const ObjectReader r, ObjectReader::Open(value, at, kReceiverKeys));
  ReceiverSpec spec;
  spec.at = at;
  spec.name = name;
  if (spec.name.empty()) return Error(at, "a receiver name must not be empty");
  MULTIHOOK_RETURN_IF_ERROR(ParseReceiverTarget(r, spec));
  if (const Json* script = r.Find("script")) {
    const std::string sat = r.PointerTo("script");
    if (!script->is_array()) return codec::TypeError(sat, "an array", *script);
    for (std::size_t i = 0; i < script->size(); ++i) {
      int times = 1;
      MULTIHOOK_ASSIGN_OR_RETURN(const Answer answer,
                                 ParseAnswer((*script)[i], Child(sat, i), &times));
      for (int t = 0; t < times; ++t) spec.script.push_back(answer);
    }
  }
  if (const Json* then = r.Find("then")) {
    MULTIHOOK_ASSIGN_OR_RETURN(spec.then, ParseAnswer(*then, r.PointerTo("then"), nullptr));
  }
  MULTIHOOK_RETURN_IF_ERROR(ParseFaults(r, spec));
  MULTIHOOK_RETURN_IF_ERROR(ParseStandIn(r, spec));
  return spec;
}

Status ParseReceivers(const Json& value, const std::string& at, Scenario& scenario) {
  if (!value.is_object())
    return codec::TypeError(at, "an object of receiver name: receiver", value);
  std::set<std::string> hosts;
  for (const auto& item : value.items()) {
    const std::string rat = Child(at, item.key());
    MULTIHOOK_ASSIGN_OR_RETURN(ReceiverSpec spec, ParseReceiver(item.key(), item.value(), rat));
    if (!hosts.insert(spec.host).second) {
      return Error(Child(rat, "host"), "host '" + spec.host + "' is used by another receiver");
    }
    scenario.receivers.push_back(std::move(spec));
  }
  return Status::Ok();
}

// "options": a --config object for the scenario's mock (scenario_mock_options.hpp).
Status ParseOptions(const ObjectReader& r, Scenario& scenario) {
  if (const Json* options = r.Find("options")) {
    if (!options->is_object()) return codec::TypeError("/options", "an object", *options);
    for (const char* key : {"port", "bind"}) {
      if (options->contains(key)) {
        return Error(Child("/options", key),
                     "a scenario's mock always listens on an ephemeral loopback port");
      }
    }
    scenario.options_json = *options;
  }
  auto options = EmbeddedMockOptions(scenario.options_json);
  if (!options.ok()) return options.status().WithLocationPrefix("/options");
  scenario.options = ScenarioValues(*options);
  scenario.api_key = scenario.options.channels.front().api_key.value_or("");
  return Status::Ok();
}

Status ParseScenario(const Json& json, Scenario& scenario) {
  MULTIHOOK_ASSIGN_OR_RETURN(const ObjectReader r, ObjectReader::Open(json, "", kScenarioKeys));
  MULTIHOOK_RETURN_IF_ERROR(r.OptionalString("$schema"));
  MULTIHOOK_ASSIGN_OR_RETURN(const auto name, r.OptionalNonEmptyString("name"));
  if (name) scenario.name = *name;
  MULTIHOOK_ASSIGN_OR_RETURN(const auto description, r.OptionalString("description"));
  scenario.description = description.value_or("");
  if (const Json* tags = r.Find("tags")) {
    MULTIHOOK_RETURN_IF_ERROR(ParseTags(*tags, "/tags", scenario));
  }
  MULTIHOOK_RETURN_IF_ERROR(ParseOptions(r, scenario));
  if (const Json* receivers = r.Find("receivers")) {
    MULTIHOOK_RETURN_IF_ERROR(ParseReceivers(*receivers, "/receivers", scenario));
  }
  Captures captures;
  const Json* steps = r.Find("steps");
  if (steps == nullptr) return Error("/steps", "is required");
  if (!steps->is_array()) return codec::TypeError("/steps", "an array", *steps);
  for (std::size_t i = 0; i < steps->size(); ++i) {
    MULTIHOOK_RETURN_IF_ERROR(ParseStep((*steps)[i], Child("/steps", i), scenario, captures));
  }
  if (const Json* expect = r.Find("expect")) {
    MULTIHOOK_RETURN_IF_ERROR(ParseExpect(*expect, "/expect", scenario, captures));
  }
  return Status::Ok();
}

}  // namespace
}  // namespace loader

Result<Scenario> LoadScenarioText(std::string_view text, const std::string& file) {
  Scenario scenario;
  scenario.file = file;
  scenario.name = std::filesystem::path(file).stem().string();
  auto json = codec::ParseBody(text);
  Status status = json.ok() ? loader::ParseScenario(*json, scenario) : json.status();
  if (!status.ok()) {
    const std::string where = status.location().empty() ? file : file + " at " + status.location();
    return Status(status.code(), where, status.reason());
  }
  return scenario;
}

Result<Scenario> LoadScenarioFile(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status(core::StatusCode::kNotFound, file, "cannot read the file");
  std::ostringstream text;
  text << in.rdbuf();
  return LoadScenarioText(text.str(), file);
}

std::string LoadErrorMessage(const core::Status& status) {
  if (status.location().empty()) return status.reason();
  return status.location() + ": " + status.reason();
}

Result<std::vector<std::string>> ExpandScenarioPaths(const std::vector<std::string>& paths) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<std::string> found;
      for (const auto& entry : fs::directory_iterator(path, ec)) {
        const std::string name = entry.path().filename().string();
        if (entry.is_regular_file() && entry.path().extension() == ".json" &&
            !(name.size() >= 11 && name.compare(name.size() - 11, 11, "schema.json") == 0)) {
          found.push_back(entry.path().string());
        }
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(path, ec)) {
      files.push_back(path);
    } else {
      return Status(core::StatusCode::kNotFound, path, "no such file or directory");
    }
  }
  return files;
}

}  // namespace multihook::harness
