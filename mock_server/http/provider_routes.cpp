#include "mock_server/http/provider_routes.hpp"

#include <utility>

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
  for (const std::string& warning : accepted->warnings) {
    log(req.method + " " + req.path + ": " + warning);
    res.set_header(kWarningHeader, warning);
  }
  SetJson(res, 200, codec::EncodeMessage(kOperationStarted));
}

}  // namespace

std::vector<Route> ProviderRoutes(store::ChannelStore& store, LogSink log) {
  auto* s = &store;
  std::vector<Route> routes;
  routes.push_back(
      {"GET", "/v1/configs/webhook", "/v1/configs/webhook", [s](const Request& req, Response& res) {
         auto key = AuthenticatedKey(req, *s);
         if (!key.ok()) return SetError(res, key.status());
         auto primary = s->GetPrimary(*key);
         if (!primary.ok()) return SetError(res, primary.status());
         SetJson(res, 200, codec::EncodePrimaryWebhook(*primary));
       }});
  routes.push_back({"POST", "/v1/configs/webhook", "/v1/configs/webhook",
                    [s, log](const Request& req, Response& res) {
                      auto key = AuthenticatedKey(req, *s);
                      if (!key.ok()) return SetError(res, key.status());
                      auto request = codec::DecodePrimaryWebhook(req.body, ReadOptionsOf(*s));
                      if (!request.ok()) return SetError(res, request.status(), ErrorShape::kMeta);
                      auto stored = s->SetPrimary(*key, *request);
                      if (!stored.ok()) return SetError(res, stored.status(), ErrorShape::kMeta);
                      for (const std::string& warning : stored->warnings) {
                        log(req.method + " " + req.path + ": " + warning);
                        res.set_header(kWarningHeader, warning);
                      }
                      SetJson(res, 200, codec::EncodePrimaryWebhook(stored->stored));
                    }});
  routes.push_back(
      {"GET", "/multi_webhook", "/multi_webhook", [s](const Request& req, Response& res) {
         auto key = AuthenticatedKey(req, *s);
         if (!key.ok()) return SetError(res, key.status());
         auto config = s->GetMultiWebhook(*key);
         if (!config.ok()) return SetError(res, config.status());
         SetJson(res, 200, codec::EncodeMultiWebhook(*config));
       }});
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
  // cpp-httplib has already percent-decoded req.path, so the captured name is the real one.
  routes.push_back(
      {"DELETE", "/multi_webhook/(.*)", "/multi_webhook/{name}",
       [s, log](const Request& req, Response& res) {
         Mutation(
             req, res, *s, log,
             [](const Request& r) -> core::Result<std::string> {
               std::string name = r.matches[1];
               if (core::Status st = core::CheckDestinationName(name); !st.ok()) {
                 return st.WithLocationPrefix("/name");
               }
               return name;
             },
             [s](const std::string& key, const std::string& name) { return s->Remove(key, name); });
       }});
  return routes;
}

}  // namespace multihook::http
