#include "mock_server/http/control_routes.hpp"

#include <chrono>
#include <optional>

#include "mock_server/codec/control_codec.hpp"
#include "mock_server/codec/webhook_codec.hpp"
#include "mock_server/http/error_mapping.hpp"
#include "mock_server/http/ui_routes.hpp"

namespace multihook::http {

namespace control = codec::control;
using httplib::Request;
using httplib::Response;

namespace {

long long UnixMicros(core::WallTime t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

control::ChangeLog ToWire(const store::ChangeLog& log) {
  control::ChangeLog out{.changes = {}, .dropped = log.dropped};
  for (const store::ChangeRecord& c : log.changes) {
    out.changes.push_back(control::Change{.sequence = c.sequence,
                                          .api_key = c.api_key,
                                          .method = c.method,
                                          .path = c.path,
                                          .accepted_at_us = UnixMicros(c.accepted_at),
                                          .due_at_us = UnixMicros(c.due_at),
                                          .applied = c.applied,
                                          .warnings = c.warnings,
                                          .skipped = c.skipped});
  }
  return out;
}

core::Status AddChannel(store::ChannelStore& s, const Request& req, Response& res) {
  MULTIHOOK_ASSIGN_OR_RETURN(core::ChannelSpec spec, codec::DecodeChannelSpec(req.body));
  MULTIHOOK_ASSIGN_OR_RETURN(core::ChannelIdentity channel,
                             s.AddChannel(spec, store::ChannelOrigin::kRuntime));
  SetJson(res, 201, control::Encode(channel));
  return core::Status::Ok();
}

core::Status Reset(const ControlContext& ctx, Response& res) {
  if (ctx.options.restore) MULTIHOOK_RETURN_IF_ERROR(ctx.options.restore());
  ctx.store.Reset();
  if (ctx.engine != nullptr) ctx.engine->Reset();
  if (ctx.bodies != nullptr) ctx.bodies->Clear();
  if (ctx.transport != nullptr) ctx.transport->CloseIdleConnections();
  SetJson(res, 200, control::EncodeMessage("state reset"));
  return core::Status::Ok();
}

core::Status PatchOptions(const OptionsControl& options, const Request& req, Response& res) {
  MULTIHOOK_ASSIGN_OR_RETURN(std::string answer, options.patch(req.body));
  SetJson(res, 200, answer);
  return core::Status::Ok();
}

// Answers `status`'s error when it is one.
void Answer(Response& res, const core::Status& status) {
  if (!status.ok()) SetError(res, status);
}

}  // namespace

std::vector<Route> ControlRoutes(const ControlContext& context) {
  store::ChannelStore* s = &context.store;
  const ControlContext ctx = context;  // copied into each handler: references stay valid
  std::vector<Route> routes;
  routes.push_back(
      {"POST", "/mock/channels", "/mock/channels",
       [s](const Request& req, Response& res) { Answer(res, AddChannel(*s, req, res)); }});
  routes.push_back({"GET", "/mock/channels", "/mock/channels", [s](const Request&, Response& res) {
                      SetJson(res, 200, control::Encode(s->Channels()));
                    }});
  routes.push_back({"POST", "/mock/flush", "/mock/flush", [s](const Request&, Response& res) {
                      SetJson(res, 200, control::Encode(control::FlushAnswer{s->Flush()}));
                    }});
  routes.push_back({"POST", "/mock/reset", "/mock/reset",
                    [ctx](const Request&, Response& res) { Answer(res, Reset(ctx, res)); }});
  routes.push_back(
      {"GET", "/mock/changes", "/mock/changes", [s](const Request& req, Response& res) {
         std::optional<std::string> api_key;
         if (req.has_param("api_key")) api_key = req.get_param_value("api_key");
         SetJson(res, 200, control::Encode(ToWire(s->Changes(api_key))));
       }});
  const OptionsControl options = context.options;
  if (options.get && options.patch) {
    routes.push_back(
        {"GET", "/mock/options", "/mock/options",
         [options](const Request&, Response& res) { SetJson(res, 200, options.get()); }});
    routes.push_back(
        {"PATCH", "/mock/options", "/mock/options", [options](const Request& req, Response& res) {
           Answer(res, PatchOptions(options, req, res));
         }});
  }
  routes.push_back({"GET", "/mock/health", "/mock/health", [](const Request&, Response& res) {
                      SetJson(res, 200, R"({"status":"ok"})");
                    }});
  routes.push_back(
      {"GET", "/mock/openapi\\.json", "/mock/openapi.json",
       [](const Request&, Response& res) { SetJson(res, 200, std::string(OpenApiDocument())); }});
  if (ctx.engine != nullptr) {
    std::vector<Route> ui = UiRoutes(UiContext{*s, *ctx.engine, options.get, ctx.bodies});
    routes.insert(routes.end(), ui.begin(), ui.end());
  }
  return routes;
}

}  // namespace multihook::http
