#include "mock_server/app/process_tuning.hpp"

#include <malloc.h>

namespace multihook::app {

void TuneAllocator() {
  mallopt(M_ARENA_MAX, 4);
  mallopt(M_MXFAST, 0);
}

}  // namespace multihook::app
