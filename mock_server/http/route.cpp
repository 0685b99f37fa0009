#include "mock_server/http/route.hpp"

#include <charconv>
#include <exception>
#include <memory>
#include <optional>
#include <regex>

#include "mock_server/codec/webhook_codec.hpp"
#include "mock_server/core/url_rules.hpp"
#include "mock_server/core/wire_names.hpp"
#include "mock_server/http/error_mapping.hpp"

namespace multihook::http {
namespace {

// A request without Content-Length whose Transfer-Encoding is anything but a single "chunked"
// (e.g. "gzip", or "gzip, chunked", a coding cpp-httplib cannot undo) has a body whose length
// cannot be known: cpp-httplib 0.11 would read it until the client hangs up and then apply it.
// RFC 9112 §6.3: answer 400 and close. Nothing when the framing is fine.
std::optional<core::Status> FramingError(const httplib::Request& req) {
  if (req.has_header("Content-Length") || !req.has_header("Transfer-Encoding")) return std::nullopt;
  const std::string coding = req.get_header_value("Transfer-Encoding");
  if (req.get_header_value_count("Transfer-Encoding") == 1 &&
      core::AsciiLower(coding) == "chunked") {
    return std::nullopt;
  }
  return core::InvalidArgument(
      "",
      "a request body needs Content-Length or Transfer-Encoding: chunked, got "
      "Transfer-Encoding: " +
          coding);
}

core::Status TooLarge(std::size_t limit) {
  return core::Status(core::StatusCode::kPayloadTooLarge, "",
                      "request body is larger than " + std::to_string(limit) + " bytes");
}

// The body limit of the route a request goes to, matched as cpp-httplib matches it (method, then
// the whole path against the pattern); kMaxConfigBodyBytes when no route matches.
class BodyLimits {
 public:
  explicit BodyLimits(const std::vector<Route>& routes) {
    for (const Route& route : routes) {
      Entry entry{route.method, route.pattern, std::nullopt, route.max_body_bytes};
      // Most patterns are plain paths: compared as text, cheaply, on every request.
      if (route.pattern.find_first_of("\\^$.|?*+()[]{}") != std::string::npos) {
        entry.regex.emplace(route.pattern);
      }
      entries_.push_back(std::move(entry));
    }
  }
  std::size_t For(const httplib::Request& req) const {
    for (const Entry& entry : entries_) {
      if (entry.method != req.method) continue;
      if (entry.regex ? std::regex_match(req.path, *entry.regex) : req.path == entry.pattern) {
        return entry.limit;
      }
    }
    return kMaxConfigBodyBytes;
  }

 private:
  struct Entry {
    std::string method;
    std::string pattern;
    std::optional<std::regex> regex;  // when the pattern is not a plain path
    std::size_t limit;
  };
  std::vector<Entry> entries_;
};

httplib::Server::Handler Limited(const Route& route) {
  return [handler = route.handler, limit = route.max_body_bytes](const httplib::Request& req,
                                                                 httplib::Response& res) {
    // Chunked uploads have no Content-Length to refuse early.
    if (req.body.size() > limit) {
      SetError(res, TooLarge(limit));
      // Closed like an announced oversized body, so every refusal of a body ends the connection.
      res.set_header("Connection", "close");
      return;
    }
    handler(req, res);
  };
}

// Before a body is read: an absent one is said to be empty, one of unknown length is refused
// (FramingError) and an announced oversized one is refused unread (413); both refusals close.
httplib::Server::HandlerResponse CheckBodyFraming(const BodyLimits& limits,
                                                  const httplib::Request& req,
                                                  httplib::Response& res) {
  if (!req.has_header("Content-Length")) {
    // A request with neither Content-Length nor Transfer-Encoding has an empty body (RFC 9112
    // §6.3), which is what `curl -X POST URL` sends. cpp-httplib 0.11 instead reads such a
    // POST, PUT, PATCH or DELETE until the connection closes: a 5 s stall, then 400. Saying
    // so explicitly makes it read nothing. This runs before the body is read, and `req` is
    // the server's own mutable request, only handed to us as const.
    if (!req.has_header("Transfer-Encoding")) {
      const_cast<httplib::Request&>(req).set_header("Content-Length", "0");
    } else if (auto error = FramingError(req)) {
      SetError(res, *error);
      res.set_header("Connection", "close");  // its body is unread
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  }
  // Refuse an announced oversized body before reading it, and close: its bytes are unread.
  const std::string length = req.get_header_value("Content-Length");
  std::size_t bytes = 0;
  const auto [end, ec] = std::from_chars(length.data(), length.data() + length.size(), bytes);
  // A malformed length is left to httplib, which answers 400.
  const std::size_t limit = limits.For(req);
  if (ec != std::errc() || end != length.data() + length.size() || bytes <= limit) {
    return httplib::Server::HandlerResponse::Unhandled;
  }
  SetError(res, TooLarge(limit));
  res.set_header("Connection", "close");
  return httplib::Server::HandlerResponse::Handled;
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
      server.Get(route.pattern, Limited(route));
    } else if (route.method == "POST") {
      server.Post(route.pattern, Limited(route));
    } else if (route.method == "PUT") {
      server.Put(route.pattern, Limited(route));
    } else if (route.method == "PATCH") {
      server.Patch(route.pattern, Limited(route));
    } else if (route.method == "DELETE") {
      server.Delete(route.pattern, Limited(route));
    }
  }
}

void InstallCommonHandlers(httplib::Server& server, const std::vector<Route>& routes) {
  const auto limits = std::make_shared<const BodyLimits>(routes);
  const auto limit_for = [limits](const httplib::Request& req) { return limits->For(req); };
  server.set_pre_routing_handler([limits](const httplib::Request& req, httplib::Response& res) {
    return CheckBodyFraming(*limits, req, res);
  });
  server.set_error_handler(httplib::Server::HandlerWithResponse(
      [limit_for](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        if (res.status == 404) {
          SetError(res, core::Status(core::StatusCode::kNotFound, "",
                                     "no route for " + req.method + " " + req.path));
        } else if (res.status == 413) {
          SetError(res, TooLarge(limit_for(req)));
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
      [](const httplib::Request&, httplib::Response& res, const std::exception_ptr& error) {
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
