// The Catch2 main of every test binary. Like multihook-mock and multihook, test processes ignore
// SIGPIPE: cpp-httplib 0.11 sends without MSG_NOSIGNAL, so a peer that closes early (a test of a
// hostile receiver) would otherwise kill the whole test binary instead of failing one request.
#define CATCH_CONFIG_RUNNER
#include <signal.h>

#include <catch2/catch.hpp>

int main(int argc, char* argv[]) {
  signal(SIGPIPE, SIG_IGN);
  return Catch::Session().run(argc, argv);
}
