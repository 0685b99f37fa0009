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

// `answered_bytes`: the peer sent something on this request; `status_line`: it parsed as HTTP.
ErrorClass Classify(httplib::Error error, bool past_deadline, bool answered_bytes,
                    bool status_line) {
  switch (error) {
    case httplib::Error::Connection:
    case httplib::Error::BindIPAddress:
      return ErrorClass::kConnect;
    case httplib::Error::ConnectionTimeout:
      return ErrorClass::kTimeout;
    case httplib::Error::Read:
    case httplib::Error::Write:  // e.g. a peer that wrote its garbage and closed before reading
      if (past_deadline) return ErrorClass::kTimeout;
      // Bytes that are not an HTTP status line: a malformed answer, not a reset.
      return answered_bytes && !status_line ? ErrorClass::kProtocol : ErrorClass::kReset;
    case httplib::Error::SSLConnection:
    case httplib::Error::SSLLoadingCerts:
    case httplib::Error::SSLServerVerification:
      return ErrorClass::kTls;
    default:
      return ErrorClass::kOther;
  }
}

TransportResult SendFailure(ErrorClass error_class, httplib::Error error,
                            const core::Endpoint& endpoint) {
  const std::string what =
      error_class == ErrorClass::kProtocol ? "malformed HTTP answer" : httplib::to_string(error);
  return Failure(error_class, what + " (" + endpoint.BaseUrl() + ")");
}

}  // namespace

HttpTransport::HttpTransport(const core::Clock& clock, HttpTransportOptions options)
    : clock_(clock), options_(std::move(options)) {}

HttpTransport::~HttpTransport() = default;

void HttpTransport::SetRoute(core::HostRoute route) {
  core::MutexLock lock(mu_);
  routes_.Set(std::move(route));
  resolved_.clear();
}

std::vector<core::HostRoute> HttpTransport::Routes() const {
  core::MutexLock lock(mu_);
  return routes_.routes();
}

core::Result<std::shared_ptr<const HttpTransport::Resolved>> HttpTransport::Resolve(
    const std::string& url) {
  {
    core::MutexLock lock(mu_);
    if (const auto it = resolved_.find(url); it != resolved_.end()) return it->second;
  }
  auto parts = core::ParseUrl(url);
  if (!parts.ok()) return parts.status();
  auto resolved = std::make_shared<Resolved>();
  resolved->target = parts->target;
  core::MutexLock lock(mu_);
  const std::optional<core::Endpoint> routed = routes_.Find(parts->host);
  resolved->endpoint =
      routed ? *routed
             : core::Endpoint{parts->scheme, parts->host,
                              parts->port.value_or(parts->scheme == "https" ? 443 : 80)};
  resolved->base_url = resolved->endpoint.BaseUrl();
  if (routed) {
    // Keep the configured host visible to the receiver, as curl --connect-to does.
    std::string host = parts->host_is_ipv6 ? "[" + parts->host + "]" : parts->host;
    if (parts->port) host += ":" + std::to_string(*parts->port);
    resolved->host_header = std::move(host);
  }
  if (resolved_.size() >= kMaxResolved) resolved_.clear();
  resolved_.emplace(url, resolved);
  return std::shared_ptr<const Resolved>(std::move(resolved));
}

HttpTransport::Connection HttpTransport::Acquire(const Resolved& to, core::Micros timeout) {
  const core::Endpoint& endpoint = to.endpoint;
  Connection connection;
  std::vector<Idle> stale;  // closed outside the lock
  {
    core::MutexLock lock(mu_);
    auto& idle = idle_[to.base_url];
    if (!idle.empty() && clock_.Now() - idle.back().since < options_.max_idle_time) {
      connection = std::move(idle.back().connection);
      idle.pop_back();
    } else {
      stale.swap(idle);  // the newest is too old, so are the others
    }
  }
  if (!connection.client) {
    connection.client = std::make_unique<httplib::Client>(to.base_url);
    connection.watch = std::make_shared<SocketWatch>();
    httplib::Client* client = connection.client.get();
    client->set_socket_options([watch = connection.watch](socket_t sock) { watch->Watch(sock); });
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
    connection.client->set_read_timeout(s, us);
    connection.client->set_write_timeout(s, us);
  });
  return connection;
}

void HttpTransport::Release(const Resolved& to, Connection connection) {
  core::MutexLock lock(mu_);
  auto& idle = idle_[to.base_url];
  if (idle.size() < options_.max_idle_per_endpoint)
    idle.push_back({std::move(connection), clock_.Now()});
}

TransportResult HttpTransport::Send(const OutgoingRequest& request) {
  auto resolved = Resolve(request.url);
  if (!resolved.ok()) {
    return Failure(ErrorClass::kOther, "unusable URL: " + resolved.status().reason());
  }
  const Resolved& to = **resolved;

  httplib::Request req;
  req.method = "POST";
  req.path = to.target;
  for (const auto& [name, value] : request.headers) req.headers.emplace(name, value);
  // httplib's Headers compare names case-insensitively: a destination's own User-Agent wins.
  if (!req.has_header("User-Agent")) {
    req.headers.emplace("User-Agent",
                        options_.user_agent.empty() ? "multihook" : options_.user_agent);
  }
  if (to.host_header) req.headers.emplace("Host", *to.host_header);
  req.body = request.body;
  std::size_t received = 0;
  const std::size_t limit = options_.max_response_body;
  req.content_receiver = [&received, limit](const char*, size_t length, uint64_t, uint64_t) {
    received += length;
    return received <= limit;  // stop reading an oversized answer; its status still counts
  };

  Connection connection = Acquire(to, request.timeout);
  httplib::Response res;
  httplib::Error error = httplib::Error::Success;
  const std::uint64_t generation = connection.watch->generation();
  const std::uint64_t bytes_before = connection.watch->BytesReceived();
  const core::SteadyTime start = clock_.Now();
  const bool sent = connection.client->send(req, res, error);
  const bool past_deadline = clock_.Now() - start > request.timeout;

  if (!sent && !(error == httplib::Error::Canceled && res.status > 0)) {
    // A new connection (a reconnect) restarts the count: then any byte is this answer's.
    const std::uint64_t bytes_after = connection.watch->BytesReceived();
    const bool answered =
        connection.watch->generation() != generation ? bytes_after > 0 : bytes_after > bytes_before;
    return SendFailure(Classify(error, past_deadline, answered, res.status > 0), error,
                       to.endpoint);
  }
  if (past_deadline) {
    return Failure(ErrorClass::kTimeout,
                   "answered " + std::to_string(res.status) + " after the timeout");
  }
  if (sent) Release(to, std::move(connection));  // a cancelled read leaves the socket unusable
  return TransportResult{res.status, ErrorClass::kNone, {}};
}

void HttpTransport::CloseIdleConnections() {
  std::map<std::string, std::vector<Idle>> closing;
  {
    core::MutexLock lock(mu_);
    closing.swap(idle_);
  }
  // The clients close their sockets as `closing` goes, outside the lock.
}

}  // namespace multihook::delivery
