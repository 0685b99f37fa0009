#include "mock_server/delivery/http_transport.hpp"

#include <httplib.h>

#include "mock_server/core/url_rules.hpp"

namespace multihook::delivery {
namespace {

using std::chrono::duration_cast;
using std::chrono::microseconds;
using std::chrono::seconds;

// httplib takes timeouts as seconds + microseconds.
template <typename Setter>
void SetTimeout(core::Micros timeout, Setter&& set) {
  const auto whole = duration_cast<seconds>(timeout);
  set(static_cast<time_t>(whole.count()),
      static_cast<time_t>(duration_cast<microseconds>(timeout - whole).count()));
}

TransportResult Failure(ErrorClass error, std::string detail) {
  return TransportResult{0, error, std::move(detail)};
}

ErrorClass Classify(httplib::Error error, bool past_deadline) {
  switch (error) {
    case httplib::Error::Connection:
    case httplib::Error::BindIPAddress:
      return ErrorClass::kConnect;
    case httplib::Error::ConnectionTimeout:
      return ErrorClass::kTimeout;
    case httplib::Error::Read:
    case httplib::Error::Write:
      return past_deadline ? ErrorClass::kTimeout : ErrorClass::kReset;
    case httplib::Error::SSLConnection:
    case httplib::Error::SSLLoadingCerts:
    case httplib::Error::SSLServerVerification:
      return ErrorClass::kTls;
    default:
      return ErrorClass::kOther;
  }
}

}  // namespace

HttpTransport::HttpTransport(const core::Clock& clock, HttpTransportOptions options)
    : clock_(clock), options_(std::move(options)) {}

HttpTransport::~HttpTransport() = default;

void HttpTransport::SetRoute(core::HostRoute route) {
  std::lock_guard lock(mu_);
  routes_.Set(std::move(route));
}

std::vector<core::HostRoute> HttpTransport::Routes() const {
  std::lock_guard lock(mu_);
  return routes_.routes();
}

std::unique_ptr<httplib::Client> HttpTransport::Acquire(const core::Endpoint& endpoint,
                                                        core::Micros timeout) {
  std::unique_ptr<httplib::Client> client;
  std::vector<Idle> stale;  // closed outside the lock
  {
    std::lock_guard lock(mu_);
    auto& idle = idle_[endpoint.BaseUrl()];
    if (!idle.empty() && clock_.Now() - idle.back().since < options_.max_idle_time) {
      client = std::move(idle.back().client);
      idle.pop_back();
    } else {
      stale.swap(idle);  // the newest is too old, so are the others
    }
  }
  if (!client) {
    client = std::make_unique<httplib::Client>(endpoint.BaseUrl());
    client->set_tcp_nodelay(true);
    client->set_keep_alive(true);
    client->set_follow_location(false);
    SetTimeout(options_.connect_timeout,
               [&](time_t s, time_t us) { client->set_connection_timeout(s, us); });
    if (endpoint.scheme == "https") {
      if (options_.ca_file) client->set_ca_cert_path(*options_.ca_file);
      client->enable_server_certificate_verification(!options_.insecure);
    }
  }
  SetTimeout(timeout, [&](time_t s, time_t us) {
    client->set_read_timeout(s, us);
    client->set_write_timeout(s, us);
  });
  return client;
}

void HttpTransport::Release(const core::Endpoint& endpoint,
                            std::unique_ptr<httplib::Client> client) {
  std::lock_guard lock(mu_);
  auto& idle = idle_[endpoint.BaseUrl()];
  if (idle.size() < options_.max_idle_per_endpoint)
    idle.push_back({std::move(client), clock_.Now()});
}

TransportResult HttpTransport::Send(const OutgoingRequest& request) {
  auto url = core::ParseUrl(request.url);
  if (!url.ok()) return Failure(ErrorClass::kOther, "unusable URL: " + url.status().reason());
  std::optional<core::Endpoint> routed;
  {
    std::lock_guard lock(mu_);
    routed = routes_.Find(url->host);
  }
  const core::Endpoint endpoint =
      routed ? *routed
             : core::Endpoint{url->scheme, url->host,
                              url->port.value_or(url->scheme == "https" ? 443 : 80)};

  httplib::Request req;
  req.method = "POST";
  req.path = url->target;
  for (const auto& [name, value] : request.headers) req.headers.emplace(name, value);
  // httplib's Headers compare names case-insensitively: a destination's own User-Agent wins.
  if (!req.has_header("User-Agent")) {
    req.headers.emplace("User-Agent",
                        options_.user_agent.empty() ? "multihook" : options_.user_agent);
  }
  if (routed) {
    // Keep the configured host visible to the receiver, as curl --connect-to does.
    const bool v6 = url->host_is_ipv6;
    std::string host = v6 ? "[" + url->host + "]" : url->host;
    if (url->port) host += ":" + std::to_string(*url->port);
    req.headers.emplace("Host", std::move(host));
  }
  req.body = request.body;
  std::size_t received = 0;
  const std::size_t limit = options_.max_response_body;
  req.content_receiver = [&received, limit](const char*, size_t length, uint64_t, uint64_t) {
    received += length;
    return received <= limit;  // stop reading an oversized answer; its status still counts
  };

  std::unique_ptr<httplib::Client> client = Acquire(endpoint, request.timeout);
  httplib::Response res;
  httplib::Error error = httplib::Error::Success;
  const core::SteadyTime start = clock_.Now();
  const bool sent = client->send(req, res, error);
  const bool past_deadline = clock_.Now() - start > request.timeout;

  if (!sent && !(error == httplib::Error::Canceled && res.status > 0)) {
    return Failure(Classify(error, past_deadline),
                   httplib::to_string(error) + " (" + endpoint.BaseUrl() + ")");
  }
  if (past_deadline) {
    return Failure(ErrorClass::kTimeout,
                   "answered " + std::to_string(res.status) + " after the timeout");
  }
  if (sent) Release(endpoint, std::move(client));  // a cancelled read leaves the socket unusable
  return TransportResult{res.status, ErrorClass::kNone, {}};
}

void HttpTransport::CloseIdleConnections() {
  std::map<std::string, std::vector<Idle>> closing;
  {
    std::lock_guard lock(mu_);
    closing.swap(idle_);
  }
  // The clients close their sockets as `closing` goes, outside the lock.
}

}  // namespace multihook::delivery
