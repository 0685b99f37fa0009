#include "mock_server/http/provider_routes.hpp"

#include <string>
#include <utility>
#include <vector>

#include "mock_server/codec/webhook_codec.hpp"
#include "mock_server/core/url_rules.hpp"
#include "mock_server/http/error_mapping.hpp"

namespace multihook::http {
namespace {

using httplib::Request;
using httplib::Response;

constexpr char kWarningHeader[] = "X-Multihook-Warning";

// How provider request bodies are read under the rule options in force.
codec::ReadOptions ReadOptionsOf(const store::ChannelStore& store) {
  const core::RuleOptions rules = store.options().rules;
  return codec::ReadOptions{rules.unknown_fields == core::UnknownFields::kIgnore,
                            rules.null_values == core::NullValues::kAbsent};
}

// Each warning of an accepted change goes to the log and to an X-Multihook-Warning header.
void Warn(const std::vector<std::string>& warnings, const Request& req, Response& res,
          const LogSink& log) {
  for (const std::string& warning : warnings) {
    log(req.method + " " + req.path + ": " + warning);
    res.set_header(kWarningHeader, warning);
  }
}

// Runs decode -> store for a /multi_webhook mutation and writes the provider's answer.
template <typename Decode, typename Apply>
void Mutation(const Request& req, Response& res, const store::ChannelStore& store,
              const LogSink& log, Decode decode, Apply apply) {
  auto key = AuthenticatedKey(req, store);
  if (!key.ok()) return SetError(res, key.status());
  auto request = decode(req);
  if (!request.ok()) return SetError(res, request.status());
  core::Result<store::Accepted> accepted = apply(*key, *request);
  if (!accepted.ok()) return SetError(res, accepted.status());
  Warn(accepted->warnings, req, res, log);
  SetJson(res, 200, codec::EncodeMessage(kOperationStarted));
}

void GetPrimary(store::ChannelStore& s, const Request& req, Response& res) {
  auto key = AuthenticatedKey(req, s);
  if (!key.ok()) return SetError(res, key.status());
  auto primary = s.GetPrimary(*key);
  if (!primary.ok()) return SetError(res, primary.status());
  SetJson(res, 200, codec::EncodePrimaryWebhook(*primary));
}

// The primary webhook's errors keep the provider's {"meta"} shape.
void SetPrimary(store::ChannelStore& s, const LogSink& log, const Request& req, Response& res) {
  auto key = AuthenticatedKey(req, s);
  if (!key.ok()) return SetError(res, key.status());
  auto request = codec::DecodePrimaryWebhook(req.body, ReadOptionsOf(s));
  if (!request.ok()) return SetError(res, request.status(), ErrorShape::kMeta);
  auto stored = s.SetPrimary(*key, *request);
  if (!stored.ok()) return SetError(res, stored.status(), ErrorShape::kMeta);
  Warn(stored->warnings, req, res, log);
  SetJson(res, 200, codec::EncodePrimaryWebhook(stored->stored));
}

void GetMultiWebhook(store::ChannelStore& s, const Request& req, Response& res) {
  auto key = AuthenticatedKey(req, s);
  if (!key.ok()) return SetError(res, key.status());
  auto config = s.GetMultiWebhook(*key);
  if (!config.ok()) return SetError(res, config.status());
  SetJson(res, 200, codec::EncodeMultiWebhook(*config));
}

// cpp-httplib has already percent-decoded req.path, so the captured name is the real one.
core::Result<std::string> DestinationName(const Request& req) {
  std::string name = req.matches[1];
  if (core::Status st = core::CheckDestinationName(name); !st.ok()) {
    return st.WithLocationPrefix("/name");
  }
  return name;
}

}  // namespace

std::vector<Route> ProviderRoutes(store::ChannelStore& store, const LogSink& log) {
  auto* s = &store;
  std::vector<Route> routes;
  routes.push_back({"GET", "/v1/configs/webhook", "/v1/configs/webhook",
                    [s](const Request& req, Response& res) { GetPrimary(*s, req, res); }});
  routes.push_back(
      {"POST", "/v1/configs/webhook", "/v1/configs/webhook",
       [s, log](const Request& req, Response& res) { SetPrimary(*s, log, req, res); }});
  routes.push_back({"GET", "/multi_webhook", "/multi_webhook",
                    [s](const Request& req, Response& res) { GetMultiWebhook(*s, req, res); }});
  routes.push_back(
      {"POST", "/multi_webhook", "/multi_webhook", [s, log](const Request& req, Response& res) {
         Mutation(
             req, res, *s, log,
             [s](const Request& r) {
               return codec::DecodeEnableRequest(r.body, ReadOptionsOf(*s));
             },
             [s](const std::string& key, const core::EnableRequest& request) {
               return s->Enable(key, request);
             });
       }});
  routes.push_back(
      {"PUT", "/multi_webhook", "/multi_webhook", [s, log](const Request& req, Response& res) {
         Mutation(
             req, res, *s, log,
             [s](const Request& r) {
               return codec::DecodeAppendRequest(r.body, ReadOptionsOf(*s));
             },
             [s](const std::string& key, const core::AppendRequest& request) {
               return s->Append(key, request);
             });
       }});
  routes.push_back(
      {"PATCH", "/multi_webhook", "/multi_webhook", [s, log](const Request& req, Response& res) {
         Mutation(
             req, res, *s, log,
             [s](const Request& r) {
               return codec::DecodeUpdateRequest(r.body, ReadOptionsOf(*s));
             },
             [s](const std::string& key, const core::UpdateRequest& request) {
               return s->Update(key, request);
             });
       }});
  routes.push_back({"DELETE", "/multi_webhook/(.*)", "/multi_webhook/{name}",
                    [s, log](const Request& req, Response& res) {
                      Mutation(req, res, *s, log, DestinationName,
                               [s](const std::string& key, const std::string& name) {
                                 return s->Remove(key, name);
                               });
                    }});
  return routes;
}

}  // namespace multihook::http
