#include "mock_server/http/control_routes.hpp"

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>

#include "mock_server/codec/json_reader.hpp"
#include "mock_server/codec/webhook_codec.hpp"
#include "mock_server/http/error_mapping.hpp"
#include "mock_server/http/ui_routes.hpp"

namespace multihook::http {

using httplib::Request;
using httplib::Response;
using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

namespace {

long long UnixMicros(core::WallTime t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

OrderedJson ChangeLogJson(const store::ChangeLog& log) {
  OrderedJson changes = OrderedJson::array();
  for (const store::ChangeRecord& c : log.changes) {
    changes.push_back(OrderedJson{{"sequence", c.sequence},
                                  {"api_key", c.api_key},
                                  {"method", c.method},
                                  {"path", c.path},
                                  {"accepted_at_us", UnixMicros(c.accepted_at)},
                                  {"due_at_us", UnixMicros(c.due_at)},
                                  {"applied", c.applied},
                                  {"warnings", c.warnings},
                                  {"skipped", c.skipped}});
  }
  return OrderedJson{{"changes", std::move(changes)}, {"dropped", log.dropped}};
}

}  // namespace

std::vector<Route> ControlRoutes(const ControlContext& context) {
  store::ChannelStore* s = &context.store;
  delivery::DeliveryEngine* engine = context.engine;
  delivery::HttpTransport* transport = context.transport;
  std::vector<Route> routes;
  routes.push_back(
      {"POST", "/mock/channels", "/mock/channels", [s](const Request& req, Response& res) {
         auto spec = codec::DecodeChannelSpec(req.body);
         if (!spec.ok()) return SetError(res, spec.status());
         auto channel = s->AddChannel(*spec, store::ChannelOrigin::kRuntime);
         if (!channel.ok()) return SetError(res, channel.status());
         SetJson(res, 201, codec::EncodeChannel(*channel));
       }});
  routes.push_back({"GET", "/mock/channels", "/mock/channels", [s](const Request&, Response& res) {
                      SetJson(res, 200, codec::EncodeChannels(s->Channels()));
                    }});
  routes.push_back({"POST", "/mock/flush", "/mock/flush", [s](const Request&, Response& res) {
                      SetJson(res, 200, codec::ToText(Json{{"applied", s->Flush()}}));
                    }});
  const OptionsControl options = context.options;
  routes.push_back({"POST", "/mock/reset", "/mock/reset",
                    [s, engine, transport, options](const Request&, Response& res) {
                      if (options.restore) {
                        if (core::Status st = options.restore(); !st.ok()) {
                          return SetError(res, st);
                        }
                      }
                      s->Reset();
                      if (engine != nullptr) engine->Reset();
                      if (transport != nullptr) transport->CloseIdleConnections();
                      SetJson(res, 200, codec::EncodeMessage("state reset"));
                    }});
  routes.push_back(
      {"GET", "/mock/changes", "/mock/changes", [s](const Request& req, Response& res) {
         std::optional<std::string> api_key;
         if (req.has_param("api_key")) api_key = req.get_param_value("api_key");
         SetJson(res, 200, codec::ToText(ChangeLogJson(s->Changes(api_key))));
       }});
  if (options.get && options.patch) {
    routes.push_back(
        {"GET", "/mock/options", "/mock/options",
         [options](const Request&, Response& res) { SetJson(res, 200, options.get()); }});
    routes.push_back(
        {"PATCH", "/mock/options", "/mock/options", [options](const Request& req, Response& res) {
           auto answer = options.patch(req.body);
           if (!answer.ok()) return SetError(res, answer.status());
           SetJson(res, 200, *answer);
         }});
  }
  routes.push_back({"GET", "/mock/health", "/mock/health", [](const Request&, Response& res) {
                      SetJson(res, 200, R"({"status":"ok"})");
                    }});
  routes.push_back(
      {"GET", "/mock/openapi\\.json", "/mock/openapi.json",
       [](const Request&, Response& res) { SetJson(res, 200, std::string(OpenApiDocument())); }});
  if (engine != nullptr) {
    std::vector<Route> ui = UiRoutes(UiContext{*s, *engine, options.get});
    routes.insert(routes.end(), ui.begin(), ui.end());
  }
  return routes;
}

}  // namespace multihook::http
