#include "mock_server/core/webhook_rules.hpp"

#include <algorithm>

namespace multihook::core {
namespace {

bool HasName(const std::vector<Destination>& list, std::string_view name) {
  return std::any_of(list.begin(), list.end(),
                     [&](const Destination& d) { return d.name == name; });
}

void Append(std::vector<std::string>& to, std::vector<std::string> from) {
  to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

// URL and header rules for one destination's fields; `at` is its JSON pointer.
Status CheckUrlAndHeaders(const std::string* url, const Headers* headers, const std::string& at,
                          const RuleOptions& options, std::vector<std::string>& warnings) {
  if (url != nullptr) {
    auto checked = CheckUrl(*url, options.url_policy);
    if (!checked.ok()) return checked.status().WithLocationPrefix(at + "/url");
    Append(warnings, std::move(checked->warnings));
  }
  if (headers != nullptr) {
    auto checked =
        CheckHeaders(*headers, options.url_policy, options.header_rules == HeaderRules::kLenient);
    if (!checked.ok()) return checked.status().WithLocationPrefix(at + "/headers");
    Append(warnings, std::move(checked->warnings));
  }
  return Status::Ok();
}

std::size_t Limit(bool primary_set, const RuleOptions& options) {
  const bool counted = options.primary_in_limit == PrimaryInLimit::kCounted && primary_set;
  return counted ? kMaxWebhooks - 1 : kMaxWebhooks;
}

Status LimitError(std::size_t would_have, bool primary_counted) {
  std::string reason = "at most 3 webhooks per phone number";
  if (primary_counted) reason += " (the main webhook counts as one)";
  reason += "; this request would make " + std::to_string(would_have + (primary_counted ? 1 : 0));
  return Status(StatusCode::kLimitExceeded, "/destinations", std::move(reason));
}

// Validates `incoming`, then appends it to `change.next.destinations` under the duplicate-name
// and limit rules. On error nothing of `change` is meaningful.
Status AppendDestinations(const std::vector<Destination>& incoming, const ChannelView& channel,
                          const RuleOptions& options, Change& change) {
  for (std::size_t i = 0; i < incoming.size(); ++i) {
    const std::string at = "/destinations/" + std::to_string(i);
    if (Status s = CheckDestinationName(incoming[i].name); !s.ok()) {
      return s.WithLocationPrefix(at + "/name");
    }
    if (Status s = CheckUrlAndHeaders(&incoming[i].url, &incoming[i].headers, at, options,
                                      change.warnings);
        !s.ok()) {
      return s;
    }
  }
  std::vector<Destination>& list = change.next.destinations;
  const std::size_t existing = list.size();
  for (std::size_t i = 0; i < incoming.size(); ++i) {
    const Destination& d = incoming[i];
    const bool pending_delete = !HasName(list, d.name) &&
                                std::find(channel.names_in_use.begin(), channel.names_in_use.end(),
                                          d.name) != channel.names_in_use.end();
    if (!HasName(list, d.name) && !pending_delete) {
      list.push_back(d);
      continue;
    }
    if (options.duplicate_names == DuplicateNames::kSkip) {
      change.skipped.push_back(d.name);
      continue;
    }
    const bool in_request =
        std::any_of(list.begin() + static_cast<std::ptrdiff_t>(existing), list.end(),
                    [&](const Destination& e) { return e.name == d.name; });
    std::string reason =
        in_request ? "name '" + d.name + "' appears twice in this request"
        : pending_delete
            ? "a destination named '" + d.name +
                  "' is being deleted; add it again once that change is applied"
            : "a destination named '" + d.name + "' already exists (names are case-sensitive)";
    return Status(StatusCode::kAlreadyExists, "/destinations/" + std::to_string(i) + "/name",
                  std::move(reason));
  }
  const std::size_t limit = Limit(channel.primary_set, options);
  if (list.size() > limit) return LimitError(list.size(), limit < kMaxWebhooks);
  return Status::Ok();
}

bool IsVisibleAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

bool IsDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

const char* const kNotEnabled = "multi-webhook is not enabled; enable it with POST first";

}  // namespace

Result<Change> ApplyEnable(const ChannelView& channel, const EnableRequest& request,
                           const RuleOptions& options) {
  const MultiWebhookConfig& projected = channel.projected;
  Change change{projected, {}, {}};
  const bool has_destinations = request.destinations && !request.destinations->empty();
  if (!request.enabled) {
    if (has_destinations) {
      return InvalidArgument("/destinations", "destinations are only accepted with enabled: true");
    }
    change.next.enabled = false;
    return change;
  }
  if (projected.enabled && has_destinations &&
      options.enable_with_destinations == EnableWithDestinations::kReject) {
    return Status(StatusCode::kFailedPrecondition, "/destinations",
                  "multi-webhook is already enabled; use PUT to append destinations");
  }
  change.next.enabled = true;
  if (has_destinations) {
    if (Status s = AppendDestinations(*request.destinations, channel, options, change); !s.ok()) {
      return s;
    }
  }
  return change;
}

Result<Change> ApplyAppend(const ChannelView& channel, const AppendRequest& request,
                           const RuleOptions& options) {
  if (!channel.projected.enabled && options.disabled_changes == DisabledChanges::kReject) {
    return Status(StatusCode::kFailedPrecondition, "", kNotEnabled);
  }
  if (request.destinations.empty()) {
    return InvalidArgument("/destinations", "must contain at least one destination");
  }
  Change change{channel.projected, {}, {}};
  if (Status s = AppendDestinations(request.destinations, channel, options, change); !s.ok()) {
    return s;
  }
  return change;
}

Result<Change> ApplyUpdate(const MultiWebhookConfig& projected, const UpdateRequest& request,
                           const RuleOptions& options) {
  if (!projected.enabled && options.disabled_changes == DisabledChanges::kReject) {
    return Status(StatusCode::kFailedPrecondition, "", kNotEnabled);
  }
  if (Status s = CheckDestinationName(request.name); !s.ok()) return s.WithLocationPrefix("/name");
  if (!request.url && !request.headers) {
    return InvalidArgument("", "nothing to update: give url and/or headers");
  }
  Change change{projected, {}, {}};
  auto& list = change.next.destinations;
  const auto it = std::find_if(list.begin(), list.end(),
                               [&](const Destination& d) { return d.name == request.name; });
  if (it == list.end()) {
    const std::string reason =
        "no destination named '" + request.name + "' (names are case-sensitive)";
    if (options.unknown_names == UnknownNames::kReject) {
      return Status(StatusCode::kNotFound, "/name", reason);
    }
    // Still checked, as the real API would check them before looking the name up.
    if (Status s = CheckUrlAndHeaders(request.url ? &*request.url : nullptr,
                                      request.headers ? &*request.headers : nullptr, "", options,
                                      change.warnings);
        !s.ok()) {
      return s;
    }
    change.warnings.push_back(reason + ": nothing updated");
    return change;
  }
  if (Status s = CheckUrlAndHeaders(request.url ? &*request.url : nullptr,
                                    request.headers ? &*request.headers : nullptr, "", options,
                                    change.warnings);
      !s.ok()) {
    return s;
  }
  if (request.url) it->url = *request.url;
  if (request.headers) it->headers = *request.headers;
  return change;
}

Result<Change> ApplyRemove(const MultiWebhookConfig& projected, std::string_view name,
                           const RuleOptions& options) {
  Change change{projected, {}, {}};
  auto& list = change.next.destinations;
  const auto it =
      std::find_if(list.begin(), list.end(), [&](const Destination& d) { return d.name == name; });
  if (it == list.end()) {
    const std::string reason =
        "no destination named '" + std::string(name) + "' (names are case-sensitive)";
    if (options.unknown_names == UnknownNames::kReject) {
      return Status(StatusCode::kNotFound, "", reason);
    }
    change.warnings.push_back(reason + ": nothing deleted");
    return change;
  }
  list.erase(it);
  return change;
}

Result<std::vector<std::string>> CheckPrimary(const PrimaryWebhook& request, bool primary_was_set,
                                              const MultiWebhookConfig& projected,
                                              const RuleOptions& options) {
  std::vector<std::string> warnings;
  if (!request.url) return InvalidArgument("/url", "is required");
  if (Status s = CheckUrlAndHeaders(&*request.url, &request.headers, "", options, warnings);
      !s.ok()) {
    return s;
  }
  if (!primary_was_set && options.primary_in_limit == PrimaryInLimit::kCounted &&
      projected.destinations.size() >= kMaxWebhooks) {
    return Status(StatusCode::kLimitExceeded, "/url",
                  "at most 3 webhooks per phone number (the main webhook counts as one); 3 "
                  "extra webhooks are configured");
  }
  return warnings;
}

Status CheckChannelSpec(const ChannelSpec& spec) {
  if (spec.api_key &&
      (spec.api_key->empty() || spec.api_key->size() > 128 || !IsVisibleAscii(*spec.api_key))) {
    return InvalidArgument("/api_key", "must be 1 to 128 visible ASCII characters");
  }
  if (spec.phone_number_id && (spec.phone_number_id->empty() || spec.phone_number_id->size() > 20 ||
                               !IsDigits(*spec.phone_number_id))) {
    return InvalidArgument("/phone_number_id", "must be 1 to 20 digits");
  }
  if (spec.waba_id &&
      (spec.waba_id->empty() || spec.waba_id->size() > 20 || !IsDigits(*spec.waba_id))) {
    return InvalidArgument("/waba_id", "must be 1 to 20 digits");
  }
  if (spec.display_phone_number &&
      (spec.display_phone_number->empty() || spec.display_phone_number->size() > 32 ||
       !std::all_of(spec.display_phone_number->begin(), spec.display_phone_number->end(),
                    [](char c) { return c >= 0x20 && c < 0x7f; }))) {
    return InvalidArgument("/display_phone_number", "must be 1 to 32 printable ASCII characters");
  }
  return Status::Ok();
}

}  // namespace multihook::core
