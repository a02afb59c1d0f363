#include "engine/base/background.h"

#include <sys/resource.h>
#include <unistd.h>

namespace comanda::engine {

namespace {
constexpr int kBackgroundNice = 10;
}

void run_in_background() {
#ifdef __linux__
  // On Linux a nice value is per thread: PRIO_PROCESS with a thread's id.
  (void)setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), kBackgroundNice);
#endif
}

}  // namespace comanda::engine
