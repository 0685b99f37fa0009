// Value types of a phone number's webhook configuration, as the provider models it: the main
// (primary) webhook, and the multi-webhook feature with up to three named extra destinations.
// Plain values; thread-compatible.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace multihook::core {

// Custom headers sent with every delivery to a destination. Ordered by name so that encodings and
// comparisons are deterministic.
using Headers = std::map<std::string, std::string>;

struct Destination {
  std::string name;  // case-sensitive unique id within a channel
  std::string url;   // stored exactly as the partner sent it
  Headers headers;

  bool operator==(const Destination&) const = default;
};

struct MultiWebhookConfig {
  bool enabled = false;
  std::vector<Destination> destinations;  // in configured (delivery) order

  bool operator==(const MultiWebhookConfig&) const = default;
};

struct PrimaryWebhook {
  std::optional<std::string> url;  // unset until POST /v1/configs/webhook
  Headers headers;

  bool operator==(const PrimaryWebhook&) const = default;
};

// The identity of a phone number (the provider calls it a channel): one API key per channel.
struct ChannelIdentity {
  std::string api_key;
  std::string phone_number_id;
  std::string display_phone_number;
  std::string waba_id;

  bool operator==(const ChannelIdentity&) const = default;
};

// Requests of the multi-webhook API after decoding, before the rules are applied.
struct EnableRequest {  // POST /multi_webhook
  bool enabled = false;
  std::optional<std::vector<Destination>> destinations;
};

struct AppendRequest {  // PUT /multi_webhook
  std::vector<Destination> destinations;
};

struct UpdateRequest {  // PATCH /multi_webhook
  std::string name;
  std::optional<std::string> url;
  std::optional<Headers> headers;
};

}  // namespace multihook::core

namespace multihook::core {

// POST /mock/channels and --channel: what the caller chose; the rest is generated.
struct ChannelSpec {
  std::optional<std::string> api_key;
  std::optional<std::string> phone_number_id;
  std::optional<std::string> display_phone_number;
  std::optional<std::string> waba_id;
};

}  // namespace multihook::core
