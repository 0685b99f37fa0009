#include "mock_server/app/process_tuning.hpp"

#include <malloc.h>

#include <csignal>

namespace multihook::app {

void PrepareProcess() {
  std::signal(SIGPIPE, SIG_IGN);
  mallopt(M_ARENA_MAX, 4);
  mallopt(M_MXFAST, 0);
}

}  // namespace multihook::app
