#include "harness/scripted_receiver.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <sstream>

namespace multihook::harness {
namespace {

// Raises httplib 0.11's fixed listen backlog of 5 (bursts of deliveries would overflow it).
template <typename Base>
class Listening : public Base {
 public:
  using Base::Base;
  bool SetBacklog(int backlog) { return ::listen(this->svr_sock_, backlog) == 0; }
};

std::string Describe(const std::vector<ReceivedRequest>& requests) {
  std::ostringstream out;
  for (const auto& r : requests) {
    out << "\n  #" << r.sequence << " " << r.method << " " << r.path << " (" << r.body.size()
        << " bytes)";
  }
  return out.str();
}

}  // namespace

std::string ReceivedRequest::Header(const std::string& name) const {
  const auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

core::Result<std::unique_ptr<ScriptedReceiver>> ScriptedReceiver::Start(ReceiverOptions options) {
  std::unique_ptr<ScriptedReceiver> receiver(new ScriptedReceiver(std::move(options)));
  const ReceiverOptions& o = receiver->options_;
  const bool tls = o.cert_file && o.key_file;
  std::unique_ptr<httplib::Server> server;
  int port = -1;
  const auto bind = [&](auto& s) {
    port = s.bind_to_any_port(o.host);
    if (port > 0 && !s.SetBacklog(1024)) port = -1;
  };
  if (tls) {
    auto s =
        std::make_unique<Listening<httplib::SSLServer>>(o.cert_file->c_str(), o.key_file->c_str());
    if (!s->is_valid()) {
      return core::Status(core::StatusCode::kInvalidArgument, "",
                          "cannot load TLS certificate/key for receiver '" + o.name + "'");
    }
    server = std::move(s);
  } else {
    server = std::make_unique<Listening<httplib::Server>>();
  }
  const std::size_t threads = o.threads;
  server->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server->set_tcp_nodelay(true);
  server->set_keep_alive_max_count(10'000);
  // Stop() waits for idle keep-alive connections to time out: keep that wait short.
  server->set_keep_alive_timeout(1);
  server->set_payload_max_length(16 << 20);
  // Not httplib's default (SO_REUSEPORT too): two listeners must never share a port.
  server->set_socket_options([](socket_t sock) {
    const int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  ScriptedReceiver* self = receiver.get();
  const auto handler = [self](const httplib::Request& req, httplib::Response& res) {
    self->Handle(req, res);
  };
  server->Post(".*", handler);
  server->Put(".*", handler);
  server->Get(".*", handler);
  if (tls) {
    bind(static_cast<Listening<httplib::SSLServer>&>(*server));
  } else {
    bind(static_cast<Listening<httplib::Server>&>(*server));
  }
  if (port <= 0) {
    return core::Status(core::StatusCode::kInternal, "",
                        "receiver '" + o.name + "' cannot listen on " + o.host);
  }
  receiver->port_ = port;
  httplib::Server* raw = server.get();
  receiver->server_ = std::move(server);
  receiver->thread_ = std::thread([raw] { raw->listen_after_bind(); });
  while (!raw->is_running() && receiver->thread_.joinable()) std::this_thread::yield();
  return receiver;
}

ScriptedReceiver::~ScriptedReceiver() { Stop(); }

void ScriptedReceiver::Stop() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
}

void ScriptedReceiver::Script(std::vector<Answer> answers, Answer then) {
  core::MutexLock lock(mu_);
  script_.assign(answers.begin(), answers.end());
  then_ = std::move(then);
}

std::string ScriptedReceiver::BaseUrl() const {
  return std::string(options_.cert_file ? "https" : "http") + "://" + options_.host + ":" +
         std::to_string(port_);
}

void ScriptedReceiver::AnswerFrom(AnswerSource source) {
  core::MutexLock lock(mu_);
  source_ = std::move(source);
  source_index_ = 0;
}

Answer ScriptedReceiver::NextAnswer() {
  if (script_.empty()) return source_ ? source_(source_index_++) : then_;
  Answer next = std::move(script_.front());
  script_.pop_front();
  return next;
}

void ScriptedReceiver::Handle(const httplib::Request& req, httplib::Response& res) {
  Answer answer;
  bool wake = false;
  {
    core::MutexLock lock(mu_);
    if (options_.record_requests) {
      std::string path = req.path;
      if (!req.params.empty()) {
        path += "?";
        for (const auto& [k, v] : req.params) path.append(k).append("=").append(v).append("&");
        path.pop_back();
      }
      requests_.push_back(ReceivedRequest{req.method, path, req.headers, req.body, received_,
                                          std::chrono::steady_clock::now()});
    }
    ++received_;
    answer = NextAnswer();
    wake = received_ >= wake_at_;
    if (wake) wake_at_ = kNoWaiter;
  }
  if (wake) arrived_.NotifyAll();
  if (answer.delay.count() > 0) std::this_thread::sleep_for(answer.delay);  // scripted latency
  if (answer.kind == Answer::Kind::kReset) {
    // Promise a body, then give up: the peer sees the connection close mid-answer.
    res.set_content_provider(1024, "application/json",
                             [](size_t, size_t, httplib::DataSink&) { return false; });
    return;
  }
  if (answer.kind == Answer::Kind::kGarbage) {
    // httplib writes the status line as given ("HTTP/1.1 1000 ..."), which no client parses.
    res.status = 1000;
    res.set_content("not an HTTP answer", "text/plain");
    return;
  }
  res.status = answer.status;
  for (const auto& [name, value] : answer.headers) res.set_header(name, value);
  res.set_content(answer.body, "application/json");
}

std::vector<ReceivedRequest> ScriptedReceiver::Requests() const {
  core::MutexLock lock(mu_);
  return requests_;
}

std::size_t ScriptedReceiver::RequestCount() const {
  core::MutexLock lock(mu_);
  return received_;
}

core::Result<std::vector<ReceivedRequest>> ScriptedReceiver::WaitForRequests(
    std::size_t count, std::chrono::milliseconds timeout) const {
  if (!options_.record_requests) {
    return core::Status(core::StatusCode::kFailedPrecondition, "",
                        "receiver '" + options_.name + "' does not record requests");
  }
  if (core::Status s = WaitForCount(count, timeout); !s.ok()) return s;
  return Requests();
}

core::Status ScriptedReceiver::WaitForCount(std::size_t count,
                                            std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  core::MutexLock lock(mu_);
  while (received_ < count) {
    // Wake me at `count`, not at every request (the smallest count of all waiters wins; whoever
    // wakes short of its own asks again).
    wake_at_ = std::min(wake_at_, count);
    if (!arrived_.WaitUntil(mu_, deadline)) break;
  }
  if (received_ >= count) return core::Status::Ok();
  std::ostringstream message;
  message << "timed out after " << timeout.count() << " ms waiting for " << count
          << " requests to '" << options_.name << "'; got " << received_ << Describe(requests_);
  return core::Status(core::StatusCode::kFailedPrecondition, "", message.str());
}

}  // namespace multihook::harness
