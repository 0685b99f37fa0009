// Per-call costs of the pure pieces on the hot paths: URL rules, the strict JSON codec, the
// notification builder and the HMAC signature.
#include <benchmark/benchmark.h>

#include "mock_server/codec/notification_codec.hpp"
#include "mock_server/codec/signature.hpp"
#include "mock_server/codec/webhook_codec.hpp"
#include "mock_server/core/url_rules.hpp"

namespace multihook::bench {
namespace {

void BM_CheckUrl(benchmark::State& state) {
  const std::string url = "https://subdomain.yourwebhook.example.com/hooks/whatsapp?tenant=42";
  for (auto _ : state) {
    auto checked = core::CheckUrl(url, core::UrlPolicy::kStrict);
    benchmark::DoNotOptimize(checked);
  }
}
BENCHMARK(BM_CheckUrl);

void BM_DecodeEnableRequest(benchmark::State& state) {
  const std::string body = R"({"enabled": true, "destinations": [
      {"name": "crm", "url": "https://crm.example.com/hooks/wa", "headers": {"Authorization": "Bearer abc"}},
      {"name": "analytics", "url": "https://analytics.example.com/in"},
      {"name": "backup", "url": "https://backup.example.com/wa"}]})";
  for (auto _ : state) {
    auto decoded = codec::DecodeEnableRequest(body);
    benchmark::DoNotOptimize(decoded);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
}
BENCHMARK(BM_DecodeEnableRequest);

void BM_EncodeMultiWebhook(benchmark::State& state) {
  core::MultiWebhookConfig config{
      true,
      {{"crm", "https://crm.example.com/hooks/wa", {{"Authorization", "Bearer abc"}}},
       {"analytics", "https://analytics.example.com/in", {}},
       {"backup", "https://backup.example.com/wa", {}}}};
  for (auto _ : state) benchmark::DoNotOptimize(codec::EncodeMultiWebhook(config));
}
BENCHMARK(BM_EncodeMultiWebhook);

void BM_BuildInboundNotification(benchmark::State& state) {
  const core::ChannelIdentity channel{"k", "100000000000001", "+1 555 0100", "200000000000001"};
  core::IdSource ids(1);
  const std::string body = R"({"message": {"type": "text", "text": {"body": "hello"}}})";
  for (auto _ : state) {
    auto built = codec::BuildInboundNotification(body, channel, core::WallTime{}, ids);
    benchmark::DoNotOptimize(built);
  }
}
BENCHMARK(BM_BuildInboundNotification);

void BM_Signature(benchmark::State& state) {
  const std::string body(static_cast<std::size_t>(state.range(0)), 'x');
  for (auto _ : state) benchmark::DoNotOptimize(codec::SignatureHex("s3cr3t", body));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
}
BENCHMARK(BM_Signature)->ArgName("bytes")->Arg(700)->Arg(3 << 20);

}  // namespace
}  // namespace multihook::bench

BENCHMARK_MAIN();
