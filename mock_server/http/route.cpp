#include "mock_server/http/route.hpp"

#include <charconv>
#include <exception>

#include "mock_server/codec/webhook_codec.hpp"
#include "mock_server/core/wire_names.hpp"
#include "mock_server/http/error_mapping.hpp"

namespace multihook::http {
namespace {

core::Status TooLarge(std::size_t limit) {
  return core::Status(core::StatusCode::kPayloadTooLarge, "",
                      "request body is larger than " + std::to_string(limit) + " bytes");
}

}  // namespace

core::Result<std::string> AuthenticatedKey(const httplib::Request& req,
                                           const store::ChannelStore& store) {
  const std::string header(core::kApiKeyHeader);
  if (!req.has_header(header)) {
    return core::Status(core::StatusCode::kUnauthenticated, "", "missing D360-API-KEY header");
  }
  std::string key = req.get_header_value(header);
  if (core::Status s = store.Authenticate(key); !s.ok()) return s;
  return key;
}

void InstallRoutes(httplib::Server& server, const std::vector<Route>& routes) {
  for (const Route& route : routes) {
    if (route.method == "GET") {
      server.Get(route.pattern, route.handler);
    } else if (route.method == "POST") {
      server.Post(route.pattern, route.handler);
    } else if (route.method == "PUT") {
      server.Put(route.pattern, route.handler);
    } else if (route.method == "PATCH") {
      server.Patch(route.pattern, route.handler);
    } else if (route.method == "DELETE") {
      server.Delete(route.pattern, route.handler);
    }
  }
}

core::Status CheckBodySize(const httplib::Request& req, std::size_t limit) {
  return req.body.size() > limit ? TooLarge(limit) : core::Status::Ok();
}

void InstallCommonHandlers(httplib::Server& server, BodyLimit limit_for) {
  server.set_pre_routing_handler([limit_for](const httplib::Request& req, httplib::Response& res) {
    if (!req.has_header("Content-Length")) {
      // A request with neither Content-Length nor Transfer-Encoding has an empty body (RFC 9112
      // §6.3), which is what `curl -X POST URL` sends. cpp-httplib 0.11 instead reads such a
      // POST, PUT, PATCH or DELETE until the connection closes: a 5 s stall, then 400. Saying
      // so explicitly makes it read nothing. This runs before the body is read, and `req` is
      // the server's own mutable request, only handed to us as const.
      if (!req.has_header("Transfer-Encoding")) {
        const_cast<httplib::Request&>(req).set_header("Content-Length", "0");
      }
      return httplib::Server::HandlerResponse::Unhandled;
    }
    // Refuse an announced oversized body before reading it, and close: its bytes are unread.
    const std::string length = req.get_header_value("Content-Length");
    std::size_t bytes = 0;
    const auto [end, ec] = std::from_chars(length.data(), length.data() + length.size(), bytes);
    // A malformed length is left to httplib, which answers 400.
    const std::size_t limit = limit_for(req.path);
    if (ec != std::errc() || end != length.data() + length.size() || bytes <= limit) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    SetError(res, TooLarge(limit));
    res.set_header("Connection", "close");
    return httplib::Server::HandlerResponse::Handled;
  });
  server.set_error_handler(httplib::Server::HandlerWithResponse(
      [limit_for](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        if (res.status == 404) {
          SetError(res, core::Status(core::StatusCode::kNotFound, "",
                                     "no route for " + req.method + " " + req.path));
        } else if (res.status == 413) {
          SetError(res, TooLarge(limit_for(req.path)));
        } else {
          SetJson(res, res.status,
                  codec::EncodeError(core::InvalidArgument(
                      "", res.status == 400 ? "malformed HTTP request (e.g. a bad Content-Length "
                                              "or chunked body)"
                                            : "request rejected by the HTTP layer (status " +
                                                  std::to_string(res.status) + ")")));
        }
        return httplib::Server::HandlerResponse::Handled;
      }));
  server.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr error) {
        std::string what = "unexpected exception";
        try {
          if (error) std::rethrow_exception(error);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        SetError(res, core::Status(core::StatusCode::kInternal, "", what));
      });
}

}  // namespace multihook::http
