// Progress of a long run on stderr (position, rate, time left), for people:
// shown only when stderr is a terminal, at most once a second, and only
// once the run has lasted a second; quiet otherwise (scripts, CI, pipes).
//
// Not thread-safe: the command's thread.
#pragma once

#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace comanda::tools {

class Progress {
 public:
  // `what` names the run ("export"); `total` positions (0: unknown).
  Progress(std::string what, uint64_t total)
      : what_(std::move(what)), total_(total), shown_(isatty(STDERR_FILENO) == 1) {}
  ~Progress() { done(); }

  // At `position`, with `count` done since the start.
  void at(uint64_t position, uint64_t count) {
    if (!shown_ || (count & 1023) != 0) return;
    const auto now = Clock::now();
    if (now - last_ < std::chrono::seconds(1) || now - start_ < std::chrono::seconds(1)) return;
    last_ = now;
    const double seconds = std::chrono::duration<double>(now - start_).count();
    const double rate = static_cast<double>(count) / seconds;
    std::fprintf(stderr, "\r%s: position %llu", what_.c_str(),
                 static_cast<unsigned long long>(position));
    if (total_ > position && rate > 0)
      std::fprintf(stderr, " of %llu, %.0f events/s, %.0f s left   ",
                   static_cast<unsigned long long>(total_), rate,
                   static_cast<double>(total_ - position) / rate);
    else
      std::fprintf(stderr, ", %.0f events/s   ", rate);
    printed_ = true;
  }

  // Ends the line, if one was printed.
  void done() {
    if (printed_) std::fputc('\n', stderr);
    printed_ = false;
  }

 private:
  using Clock = std::chrono::steady_clock;
  std::string what_;
  uint64_t total_;
  bool shown_;
  bool printed_ = false;
  Clock::time_point start_ = Clock::now(), last_ = start_;
};

}  // namespace comanda::tools
