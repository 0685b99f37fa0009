// Requests per second of the provider's config API over loopback, one keep-alive client per
// benchmark thread (closed loop). For the 16-connection GET figure of the issue, see
// config_api_wrk.sh (wrk is an open-source load generator in C, not limited by this client).
//
//   BM_GetMultiWebhook   GET /multi_webhook with three destinations configured
//   BM_PutDelete         PUT one destination and DELETE it again (two requests per iteration)
//   BM_Patch             PATCH a destination's URL
#include "bench/bench_support.hpp"

namespace multihook::bench {
namespace {

struct ConfigSetup {
  std::unique_ptr<app::MockProvider> mock;
  std::string error;

  ConfigSetup() {
    app::MockOptions options;
    options.port = 0;
    options.apply_delay = std::chrono::seconds(0);
    core::ChannelSpec channel;
    channel.api_key = kKey;
    options.channels = {channel};
    auto started = app::MockProvider::Start(options);
    if (!started.ok()) {
      error = started.status().ToString();
      return;
    }
    mock = std::move(*started);
    httplib::Client client = Client(mock->BaseUrl());
    auto res = client.Post("/multi_webhook", {{"D360-API-KEY", kKey}},
                           R"({"enabled": true, "destinations": [
                               {"name": "crm", "url": "https://crm.example.com/hooks/wa",
                                "headers": {"Authorization": "Bearer abc"}},
                               {"name": "analytics", "url": "https://analytics.example.com/in"}]})",
                           "application/json");
    if (!res || res->status != 200) error = "cannot configure";
  }
};

ConfigSetup* shared_setup = nullptr;  // created by thread 0 of each benchmark run

void SetUp(const benchmark::State& state) {
  if (state.thread_index() == 0) shared_setup = new ConfigSetup();
}
void TearDown(const benchmark::State& state) {
  if (state.thread_index() == 0) {
    delete shared_setup;
    shared_setup = nullptr;
  }
}

const httplib::Headers kAuth = {{"D360-API-KEY", kKey}};

void BM_GetMultiWebhook(benchmark::State& state) {
  if (!shared_setup->error.empty()) return state.SkipWithError(shared_setup->error.c_str());
  httplib::Client client = Client(shared_setup->mock->BaseUrl());
  TimedLoop(state, [&] {
    auto res = client.Get("/multi_webhook", kAuth);
    return res && res->status == 200;
  });
}
BENCHMARK(BM_GetMultiWebhook)
    ->Setup(SetUp)
    ->Teardown(TearDown)
    ->Threads(1)
    ->Threads(4)
    ->UseRealTime();

void BM_PutDelete(benchmark::State& state) {
  if (!shared_setup->error.empty()) return state.SkipWithError(shared_setup->error.c_str());
  httplib::Client client = Client(shared_setup->mock->BaseUrl());
  // One name per thread; the third slot of the limit is shared, so run single-threaded.
  TimedLoop(state, [&] {
    auto put = client.Put(
        "/multi_webhook", kAuth,
        R"({"destinations": [{"name": "backup", "url": "https://backup.example.com/wa"}]})",
        "application/json");
    auto del = client.Delete("/multi_webhook/backup", kAuth);
    return put && put->status == 200 && del && del->status == 200;
  });
}
BENCHMARK(BM_PutDelete)->Setup(SetUp)->Teardown(TearDown)->UseRealTime();

void BM_Patch(benchmark::State& state) {
  if (!shared_setup->error.empty()) return state.SkipWithError(shared_setup->error.c_str());
  httplib::Client client = Client(shared_setup->mock->BaseUrl());
  TimedLoop(state, [&] {
    auto res = client.Patch("/multi_webhook", kAuth,
                            R"({"name": "crm", "url": "https://crm2.example.com/hooks/wa"})",
                            "application/json");
    return res && res->status == 200;
  });
}
BENCHMARK(BM_Patch)->Setup(SetUp)->Teardown(TearDown)->Threads(1)->Threads(4)->UseRealTime();

}  // namespace
}  // namespace multihook::bench

MULTIHOOK_BENCHMARK_MAIN()
