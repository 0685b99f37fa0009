#include "harness/scenario/stand_in.hpp"

#include <algorithm>
#include <cctype>

namespace multihook::harness {
namespace {

const ReceiverSpec* Find(const Scenario& scenario, const std::string& name) {
  for (const ReceiverSpec& r : scenario.receivers) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

// Why a real endpoint cannot replace `spec`, or nothing.
std::optional<std::string> ReplaceReason(const Scenario& scenario, const ReceiverSpec* spec,
                                         const std::string& name) {
  if (spec == nullptr)
    return "no receiver '" + name + "' in this scenario (--receiver " + name + ")";
  for (const Answer& answer : spec->script) {
    if (IsFault(answer)) {
      return "receiver '" + name + "' is scripted to " + DescribeAnswer(answer) +
             ", which a real endpoint cannot be told to do";
    }
  }
  if (spec->faults) {
    return "receiver '" + name + "' answers from a fault profile (seed " +
           std::to_string(spec->faults->seed) + "), which a real endpoint cannot be told to do";
  }
  if (IsFault(spec->then)) {
    return "receiver '" + name + "' is scripted to " + DescribeAnswer(spec->then) +
           ", which a real endpoint cannot be told to do";
  }
  if (!spec->stand_in && !spec->external_url) {
    return "receiver '" + name + "' is not marked \"stand_in\" in " + scenario.file +
           ": a real endpoint may not replace it here";
  }
  for (const Step& step : scenario.steps) {
    if (step.kind == StepKind::kWait && step.wait_receiver == name) {
      return "step " + step.at + " counts the requests receiver '" + name +
             "' got, which only an embedded receiver can report";
    }
  }
  return std::nullopt;
}

// An embedded receiver that must get unsigned deliveries cannot pass once --secret signs all.
std::optional<std::string> UnsignedExpectation(const Scenario& scenario,
                                               const std::map<std::string, std::string>& replaced) {
  for (const ReceiverExpect& e : scenario.receiver_expects) {
    const ReceiverSpec* spec = Find(scenario, e.receiver);
    if (replaced.count(e.receiver) || (spec != nullptr && spec->external_url)) continue;
    std::vector<const RequestMatcher*> matchers;
    for (const RequestMatcher& m : e.requests) matchers.push_back(&m);
    if (e.every) matchers.push_back(&*e.every);
    for (const RequestMatcher* m : matchers) {
      if (m->signature == SignatureExpect::kAbsent) {
        return "the scenario expects unsigned deliveries to '" + e.receiver + "' (" + m->at +
               "/signature), but --secret signs every delivery";
      }
    }
  }
  return std::nullopt;
}

}  // namespace

std::string HostOfUrl(const std::string& url) {
  std::size_t start = url.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  const std::size_t end = url.find_first_of(":/?", start);
  std::string host = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
  std::transform(host.begin(), host.end(), host.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return host;
}

bool IsFault(const Answer& answer) {
  return answer.kind == Answer::Kind::kReset || answer.status != 200 || answer.delay.count() > 0;
}

std::string DescribeAnswer(const Answer& answer) {
  std::string text;
  if (answer.delay.count() > 0) {
    text = "wait " + std::to_string(answer.delay.count()) + "ms, then ";
  }
  if (answer.kind == Answer::Kind::kReset) return text + "reset the connection";
  return text + "answer " + std::to_string(answer.status);
}

std::optional<std::string> StandInSkipReason(const Scenario& scenario,
                                             const std::map<std::string, std::string>& replaced,
                                             bool secret_given) {
  for (const auto& [name, url] : replaced) {
    if (auto reason = ReplaceReason(scenario, Find(scenario, name), name)) return reason;
  }
  if (secret_given) return UnsignedExpectation(scenario, replaced);
  return std::nullopt;
}

std::optional<Failure> SignatureRejection(const codec::control::JournalPage& journal,
                                          const std::vector<RealReceiver>& receivers,
                                          bool signed_deliveries) {
  for (const codec::control::Attempt& record : journal.deliveries) {
    const int code = record.status;
    if (record.error != core::ErrorClass::kNone || (code != 401 && code != 403)) continue;
    for (const RealReceiver& r : receivers) {
      if (HostOfUrl(record.url) != r.host) continue;
      const std::string head =
          "receiver '" + r.name + "' (" + r.url + ") answered " + std::to_string(code);
      std::string message =
          signed_deliveries
              ? head +
                    " to a signed notification: it rejected the x-360dialog-signature; is "
                    "--secret the receiver's secret?"
              : head +
                    " to an unsigned notification: it wants an x-360dialog-signature; give "
                    "the receiver's secret with --secret";
      return Failure{"/receivers/" + r.name, std::move(message), "200", std::to_string(code),
                     "journal record: " + codec::control::Encode(record)};
    }
  }
  return std::nullopt;
}

}  // namespace multihook::harness
