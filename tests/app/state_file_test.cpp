// --state-file without a disk: the write protocol and its failures through a fake FileEnv, the
// ordering of concurrent saves, and a mock restarted in-process from what the first one saved.
#include "mock_server/app/state_file.hpp"

#include <httplib.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "mock_server/app/mock_provider.hpp"
#include "mock_server/codec/state_file_codec.hpp"

namespace multihook::app {
namespace {

using std::chrono::seconds;

// An in-memory file system that logs every operation and can fail one kind of them.
class FakeFileEnv final : public FileEnv {
 public:
  core::Result<std::optional<std::string>> ReadFile(const std::string& path) override {
    std::lock_guard lock(mu_);
    Log("read " + path);
    const auto it = files_.find(path);
    if (it == files_.end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second);
  }
  core::Status WriteSyncedFile(const std::string& path, std::string_view contents) override {
    {
      std::unique_lock gate(gate_mu_);
      if (hold_) {
        ++held_;
        gate_cv_.notify_all();
        gate_cv_.wait(gate, [this] { return !hold_; });
      }
    }
    std::lock_guard lock(mu_);
    MULTIHOOK_RETURN_IF_ERROR(Step("write", path));
    files_[path] = std::string(contents);
    return core::Status::Ok();
  }
  core::Status Rename(const std::string& from, const std::string& to) override {
    std::lock_guard lock(mu_);
    MULTIHOOK_RETURN_IF_ERROR(Step("rename", from + " " + to));
    files_[to] = files_.at(from);
    files_.erase(from);
    return core::Status::Ok();
  }
  core::Status SyncDirectory(const std::string& dir) override {
    std::lock_guard lock(mu_);
    return Step("syncdir", dir);
  }
  core::Status RemoveFile(const std::string& path) override {
    std::lock_guard lock(mu_);
    Log("remove " + path);
    files_.erase(path);
    return core::Status::Ok();
  }
  core::Status CheckWritableDirectory(const std::string& dir) override {
    std::lock_guard lock(mu_);
    return Step("checkdir", dir);
  }

  void Put(const std::string& path, std::string contents) {
    std::lock_guard lock(mu_);
    files_[path] = std::move(contents);
  }
  std::optional<std::string> Get(const std::string& path) {
    std::lock_guard lock(mu_);
    const auto it = files_.find(path);
    return it == files_.end() ? std::nullopt : std::optional<std::string>(it->second);
  }
  std::vector<std::string> TakeLog() {
    std::lock_guard lock(mu_);
    return std::exchange(log_, {});
  }
  std::size_t Count(const std::string& kind) {
    std::lock_guard lock(mu_);
    return counts_[kind];
  }
  // Writes block from now until ReleaseWrites().
  void HoldWrites() {
    std::lock_guard gate(gate_mu_);
    hold_ = true;
  }
  void ReleaseWrites() {
    std::lock_guard gate(gate_mu_);
    hold_ = false;
    gate_cv_.notify_all();
  }
  bool WaitForHeldWrite(std::chrono::seconds timeout) {
    std::unique_lock gate(gate_mu_);
    return gate_cv_.wait_for(gate, timeout, [this] { return held_ > 0; });
  }
  void FailOn(std::string kind) {
    std::lock_guard lock(mu_);
    fail_on_ = std::move(kind);
  }

 private:
  void Log(std::string line) { log_.push_back(std::move(line)); }
  core::Status Step(const std::string& kind, const std::string& args) {
    Log(kind + " " + args);
    ++counts_[kind];
    if (kind == fail_on_) {
      return core::Status(core::StatusCode::kFailedPrecondition, "",
                          "cannot " + kind + ": No space");
    }
    return core::Status::Ok();
  }

  std::mutex mu_;
  std::map<std::string, std::string> files_;
  std::vector<std::string> log_;
  std::map<std::string, std::size_t> counts_;
  std::string fail_on_;
  std::mutex gate_mu_;
  std::condition_variable gate_cv_;
  bool hold_ = false;
  int held_ = 0;
};

// Spins (bounded, yielding) until `condition` holds; false after 5 s.
template <typename Condition>
bool WaitFor(Condition condition) {
  const auto deadline = std::chrono::steady_clock::now() + seconds(5);
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

core::StoreState StateNumber(long long n) {
  core::ChannelState channel;
  channel.identity = {"k", "1", "+1 555 0100001", "2"};
  channel.primary.url = "https://m.example.com/" + std::to_string(n);
  return core::StoreState{core::WallTime(seconds(n)), {channel}};
}

long long NumberIn(const std::string& text) {
  auto state = codec::DecodeStateFile(text);
  REQUIRE(state.ok());
  return std::chrono::duration_cast<seconds>(state->saved_at.time_since_epoch()).count();
}

TEST_CASE("A save writes a synced temp file, renames it over the file, then syncs the directory",
          "[app][state]") {
  FakeFileEnv env;
  StateFile file("/data/state.json", env);
  REQUIRE(file.Save(StateNumber(1), 1).ok());
  CHECK(env.TakeLog() == std::vector<std::string>{"write /data/state.json.tmp",
                                                  "rename /data/state.json.tmp /data/state.json",
                                                  "syncdir /data"});
  CHECK_FALSE(env.Get("/data/state.json.tmp"));
  auto loaded = file.Load();
  REQUIRE(loaded.ok());
  REQUIRE(loaded->has_value());
  CHECK(**loaded == StateNumber(1));

  StateFile relative("state.json", env);  // the current directory is synced
  REQUIRE(relative.Save(StateNumber(1), 1).ok());
  CHECK(env.TakeLog().back() == "syncdir .");
}

TEST_CASE("A failed write or rename leaves the previous file whole and says why", "[app][state]") {
  FakeFileEnv env;
  StateFile file("/data/state.json", env);
  REQUIRE(file.Save(StateNumber(1), 1).ok());
  const std::string step = GENERATE("write", "rename");
  env.FailOn(step);
  const core::Status status = file.Save(StateNumber(2), 2);
  CHECK(status.ToString() == "failed_precondition: cannot " + step + ": No space");
  CHECK(NumberIn(*env.Get("/data/state.json")) == 1);
  CHECK_FALSE(env.Get("/data/state.json.tmp"));  // the temp file is removed
  // The next change writes the whole state again.
  env.FailOn("");
  REQUIRE(file.Save(StateNumber(3), 3).ok());
  CHECK(NumberIn(*env.Get("/data/state.json")) == 3);
}

TEST_CASE("A state older than the one written is never written after it", "[app][state]") {
  FakeFileEnv env;
  StateFile file("/data/state.json", env);
  REQUIRE(file.Save(StateNumber(2), 2).ok());
  REQUIRE(file.Save(StateNumber(1), 1).ok());  // came late: already covered by version 2
  CHECK(NumberIn(*env.Get("/data/state.json")) == 2);
  CHECK(env.Count("write") == 1);
}

TEST_CASE("A state that comes while a newer one is queued is dropped, never written",
          "[app][state]") {
  FakeFileEnv env;
  StateFile file("/data/state.json", env);
  env.HoldWrites();
  std::atomic<int> failed{0};
  const auto save = [&](long long n) {
    return std::thread([&file, &failed, n] {
      if (!file.Save(StateNumber(n), static_cast<std::uint64_t>(n)).ok()) ++failed;
    });
  };
  std::thread writing = save(3);  // writes, held in the file system
  REQUIRE(env.WaitForHeldWrite(seconds(5)));
  std::thread newer = save(5);
  REQUIRE(WaitFor([&file] { return file.queued_version() == 5 && file.waiting() == 1; }));
  std::thread older = save(4);  // late: version 5 is queued already
  REQUIRE(WaitFor([&file] { return file.waiting() == 2; }));
  CHECK(file.queued_version() == 5);
  env.ReleaseWrites();
  for (std::thread* thread : {&writing, &newer, &older}) thread->join();
  CHECK(failed == 0);
  CHECK(NumberIn(*env.Get("/data/state.json")) == 5);
  CHECK(env.Count("write") == 2);  // 3, then 5 for both waiters
}

TEST_CASE("Concurrent saves end with the newest state, each returning once it is covered",
          "[app][state]") {
  FakeFileEnv env;
  StateFile file("/data/state.json", env);
  std::atomic<long long> next{0};
  std::atomic<int> uncovered{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        const long long version = ++next;
        if (!file.Save(StateNumber(version), version).ok()) ++uncovered;
        // On return, this version or a later one is in the file.
        auto text = env.Get("/data/state.json");
        if (!text || codec::DecodeStateFile(*text)->saved_at < core::WallTime(seconds(version))) {
          ++uncovered;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  CHECK(uncovered == 0);
  CHECK(NumberIn(*env.Get("/data/state.json")) == 200);
  CHECK(env.Count("write") <= 200);
}

TEST_CASE("Loading: a missing file needs a writable directory; a bad file is an error",
          "[app][state]") {
  FakeFileEnv env;
  StateFile file("/data/state.json", env);
  auto missing = file.Load();
  REQUIRE(missing.ok());
  CHECK_FALSE(missing->has_value());
  CHECK(env.TakeLog() == std::vector<std::string>{"read /data/state.json", "checkdir /data"});

  env.FailOn("checkdir");
  CHECK(file.Load().status().ToString() == "failed_precondition: cannot checkdir: No space");

  env.Put("/data/state.json", "{\"format\": \"something else\"}");
  CHECK(file.Load().status().ToString() ==
        "invalid_argument at /format: not a multihook-mock state file (expected \"multihook-mock "
        "state\")");
}

// --- the mock, restarted in-process over the fake file system -----------------------------------

MockOptions StateOptions() {
  MockOptions options;
  options.port = 0;
  options.http_threads = 2;
  options.seed = 7;
  options.apply_delay = seconds(2);
  options.state_file = "/data/state.json";
  core::ChannelSpec channel;
  channel.api_key = "k1";
  channel.phone_number_id = "100000000000001";
  options.channels = {channel};
  return options;
}

std::unique_ptr<MockProvider> StartMock(const MockOptions& options, const core::Clock& clock,
                                        FileEnv& env) {
  auto started = MockProvider::Start(options, {&clock, {}, &env});
  if (!started.ok()) FAIL("mock did not start: " << started.status().ToString());
  return std::move(*started);
}

httplib::Headers Key() { return {{"D360-API-KEY", "k1"}}; }

TEST_CASE("A mock restarted from its state file has the configuration it had", "[app][state]") {
  FakeFileEnv env;
  core::ManualClock clock;
  const std::string applied = R"({"enabled":true,"destinations":[{"name":"a","url":)"
                              R"("https://a.example.com/hook","headers":{}}]})";
  const std::string pending = R"({"enabled":true,"destinations":[{"name":"a","url":)"
                              R"("https://a.example.com/hook","headers":{}},{"name":"b","url":)"
                              R"("https://b.example.com/hook","headers":{}}]})";
  {
    auto mock = StartMock(StateOptions(), clock, env);
    CHECK_FALSE(env.Get("/data/state.json"));  // created on the first change, not at start
    httplib::Client client(mock->BaseUrl());
    auto posted = client.Post("/multi_webhook", Key(),
                              R"({"enabled": true, "destinations": [{"name": "a", "url": )"
                              R"("https://a.example.com/hook"}]})",
                              "application/json");
    REQUIRE(posted);
    REQUIRE(posted->status == 200);
    clock.Advance(seconds(2));
    auto put =
        client.Put("/multi_webhook", Key(),
                   R"({"destinations": [{"name": "b", "url": "https://b.example.com/hook"}]})",
                   "application/json");
    REQUIRE(put);
    REQUIRE(put->status == 200);
    REQUIRE(env.Get("/data/state.json"));
  }
  clock.Advance(seconds(1));  // down for 1 s: 1 s of b's delay is left
  auto mock = StartMock(StateOptions(), clock, env);
  httplib::Client client(mock->BaseUrl());
  auto got = client.Get("/multi_webhook", Key());
  REQUIRE(got);
  CHECK(got->body == applied);
  clock.Advance(seconds(1));
  got = client.Get("/multi_webhook", Key());
  REQUIRE(got);
  CHECK(got->body == pending);
}

TEST_CASE("Without --state-file the mock touches no file", "[app][state]") {
  FakeFileEnv env;
  core::ManualClock clock;
  MockOptions options = StateOptions();
  options.state_file.reset();
  auto mock = StartMock(options, clock, env);
  httplib::Client client(mock->BaseUrl());
  auto posted = client.Post("/v1/configs/webhook", Key(), R"({"url": "https://m.example.com/"})",
                            "application/json");
  REQUIRE(posted);
  CHECK(posted->status == 200);
  CHECK(env.TakeLog().empty());
}

TEST_CASE("A bad state file or a channel that contradicts it stops the start, naming the file",
          "[app][state]") {
  FakeFileEnv env;
  core::ManualClock clock;
  env.Put("/data/state.json", "{\"format\": \"multihook-mock state\", \"version\": 9}");
  auto bad = MockProvider::Start(StateOptions(), {&clock, {}, &env});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().ToString() ==
        "invalid_argument at --state-file /data/state.json /version: unsupported state file "
        "version 9 (this mock reads version 1)");

  core::StoreState saved = StateNumber(1);
  saved.channels[0].identity = {"k1", "555", "+1 555 0100001", "2"};
  env.Put("/data/state.json", codec::EncodeStateFile(saved));
  auto contradicted = MockProvider::Start(StateOptions(), {&clock, {}, &env});
  REQUIRE_FALSE(contradicted.ok());
  CHECK(contradicted.status().ToString() ==
        "invalid_argument at channel 1 /phone_number_id: is '555' in the state file, not "
        "'100000000000001'");

  // Without --channel the saved channels are served, and no demo channel is added.
  MockOptions no_channels = StateOptions();
  no_channels.channels.clear();
  auto mock = StartMock(no_channels, clock, env);
  CHECK_FALSE(mock->demo());
  REQUIRE(mock->store().Channels().size() == 1);
  CHECK(mock->store().Channels()[0].phone_number_id == "555");
}

}  // namespace
}  // namespace multihook::app
