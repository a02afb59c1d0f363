// Background work yields the CPU to requests: the threads that snapshot,
// follow the log or move cold data run at a lower priority than those that
// answer, so that a core shared by both serves the requests first and the
// background with what is left (DESIGN.md "Write path": nothing may stall
// the pipeline).
#pragma once

namespace comanda::engine {

// Lowers the calling thread's CPU priority (Linux: its nice value, 10).
// Harmless where it cannot: the thread then runs as before.
void run_in_background();

}  // namespace comanda::engine
