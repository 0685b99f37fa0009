// The soak's set-up and the HTTP calls of its racing threads (see soak.cpp).
#include "bench/soak_support.hpp"

#include <chrono>
#include <iostream>

#include "mock_server/codec/json_reader.hpp"

namespace multihook::soak {
namespace {

using codec::Json;

constexpr std::array<const char*, kExtras + 1> kNames = {"main", "e1", "e2", "e3"};

// One profile per receiver: main fails often enough that some events retry to expiry, e1 is slow,
// e2 resets and garbles, e3 refuses. Every one times out now and then.
std::string ProfileText(std::size_t i, const SoakOptions& o) {
  static constexpr std::array<const char*, kExtras + 1> kMix = {
      R"("p500": 0.10, "p429": 0.05, "p_reset": 0.05, "p_timeout": 0.01, "p_garbage": 0.05,
         "delay_ms": {"p50": 2, "p99": 40})",
      R"("p500": 0.02, "p_timeout": 0.005, "delay_ms": {"p50": 5, "p99": 60})",
      R"("p_reset": 0.05, "p_garbage": 0.05, "p_timeout": 0.005, "delay_ms": {"p50": 1, "p99": 20})",
      R"("p500": 0.10, "p429": 0.10, "p_timeout": 0.005, "delay_ms": {"p50": 1, "p99": 20})",
  };
  return "{\"seed\": " + std::to_string(o.seed * 100 + i) +
         ", \"timeout_ms\": " + std::to_string(o.timeout_ms + 500) + ", " + kMix[i] + "}";
}

std::string UrlOf(std::size_t receiver) { return "https://" + HostOf(kNames[receiver]) + "/hook"; }

httplib::Headers Key() { return {{"D360-API-KEY", std::string(kApiKey)}}; }

core::Status Expect(const httplib::Result& res, int status, const std::string& what) {
  if (!res) return core::Status(core::StatusCode::kInternal, what, httplib::to_string(res.error()));
  if (res->status != status) {
    return core::Status(core::StatusCode::kInternal, what,
                        "answered " + std::to_string(res->status) + ": " + res->body);
  }
  return core::Status::Ok();
}

// --inject early-extra: an extra gets a copy of a notification straight from here, before the
// mock could have had main's 200 for it. The check must see it.
void SendEarlyExtra(Rig& rig, const std::string& message_id) {
  httplib::Client client(rig.receivers[1]->BaseUrl());
  const Json body{
      {"entry", {{{"changes", {{{"value", {{"messages", {{{"id", message_id}}}}}}}}}}}}};
  (void)client.Post("/hook", codec::ToText(body), "application/json");
  rig.early_extra_sent = message_id;
}

}  // namespace

void Tally::Error(std::string what) {
  std::lock_guard lock(mu);
  if (errors.size() < 20) errors.push_back(std::move(what));
}

std::string HostOf(std::string_view receiver_name) {
  return std::string(receiver_name) + ".soak.example.com";
}

httplib::Client Client(const std::string& base_url) {
  httplib::Client client(base_url);
  client.set_tcp_nodelay(true);
  client.set_keep_alive(true);
  client.set_read_timeout(60);
  return client;
}

int Fail(const std::string& why) {
  std::cerr << "soak: cannot run: " << why << "\n";
  return 2;
}

core::Result<Rig> StartReceivers(const SoakOptions& o) {
  Rig rig;
  rig.inject_early_extra = o.inject == "early-extra";
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    MULTIHOOK_ASSIGN_OR_RETURN(auto profile, harness::ParseFaultProfileText(ProfileText(i, o)));
    harness::ReceiverOptions options;
    options.name = kNames[i];
    options.threads = 32;  // a timeout fault holds a thread for --timeout-ms + 500 ms
    MULTIHOOK_ASSIGN_OR_RETURN(auto receiver, harness::ScriptedReceiver::Start(options));
    harness::ApplyFaults(*receiver, profile);
    rig.profiles.push_back(profile);
    rig.receivers.push_back(std::move(receiver));
  }
  return rig;
}

core::Status Configure(const std::string& base, const Rig&) {
  httplib::Client client = Client(base);
  const Json main{{"url", UrlOf(0)}};
  MULTIHOOK_RETURN_IF_ERROR(
      Expect(client.Post("/v1/configs/webhook", Key(), codec::ToText(main), "application/json"),
             200, "POST /v1/configs/webhook"));
  Json destinations = Json::array();
  for (std::size_t k = 1; k <= kExtras; ++k) {
    destinations.push_back(Json{{"name", kNames[k]}, {"url", UrlOf(k)}});
  }
  const Json multi{{"enabled", true}, {"destinations", destinations}};
  return Expect(client.Post("/multi_webhook", Key(), codec::ToText(multi), "application/json"), 200,
                "POST /multi_webhook");
}

void Send(httplib::Client& client, std::uint64_t n, Rig& rig, Tally& tally) {
  const Json body{
      {"message", {{"type", "text"}, {"text", {{"body", "soak " + std::to_string(n)}}}}}};
  auto res = client.Post("/mock/inbound", Key(), codec::ToText(body), "application/json");
  if (res && res->status == 429) {
    std::lock_guard lock(tally.mu);
    ++tally.rejected_429;
    return;
  }
  if (core::Status s = Expect(res, 202, "POST /mock/inbound"); !s.ok()) {
    return tally.Error(s.ToString());
  }
  auto answer = codec::ParseBody(res->body);
  if (!answer.ok() || !answer->contains("event_id") || !answer->contains("message_id")) {
    return tally.Error("POST /mock/inbound: unexpected answer " + res->body);
  }
  const std::string event_id = answer->at("event_id").get<std::string>();
  const std::string message_id = answer->at("message_id").get<std::string>();
  {
    std::lock_guard lock(tally.mu);
    tally.accepted.push_back(event_id);
    tally.message_of[event_id] = message_id;
  }
  // One sender thread writes the rig, and only before the check reads it.
  if (rig.inject_early_extra && rig.early_extra_sent.empty()) SendEarlyExtra(rig, message_id);
}

void Churn(httplib::Client& client, std::size_t k, bool& present, bool patch, Tally& tally) {
  const std::string name = kNames[k + 1];
  const std::string method = present ? (patch ? "PATCH" : "DELETE") : "PUT";
  const auto send = [&]() -> httplib::Result {
    if (method == "DELETE") return client.Delete("/multi_webhook/" + name, Key());
    if (method == "PATCH") {
      const Json body{{"name", name}, {"headers", {{"X-Soak-Change", std::to_string(k)}}}};
      return client.Patch("/multi_webhook", Key(), codec::ToText(body), "application/json");
    }
    const Json body{{"destinations", {{{"name", name}, {"url", UrlOf(k + 1)}}}}};
    return client.Put("/multi_webhook", Key(), codec::ToText(body), "application/json");
  };
  if (core::Status s = Expect(send(), 200, method + " /multi_webhook"); !s.ok()) {
    return tally.Error(s.ToString());
  }
  if (method != "PATCH") present = !present;
  std::lock_guard lock(tally.mu);
  ++tally.changes[method];
}

void Advance(httplib::Client& client, int ms, Tally& tally) {
  const Json body{{"ms", ms}};
  auto res = client.Post("/mock/clock/advance", codec::ToText(body), "application/json");
  if (core::Status s = Expect(res, 200, "POST /mock/clock/advance"); !s.ok()) {
    return tally.Error(s.ToString());
  }
  std::lock_guard lock(tally.mu);
  ++tally.advances;
}

}  // namespace multihook::soak
