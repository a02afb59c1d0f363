// A small blocking FIFO for handing work between the pipeline's threads.
// Thread-safe. pop() blocks until an item arrives or the queue is closed and
// empty (then it returns nullopt).
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>

namespace comanda::engine {

template <typename T>
class BlockingQueue {
 public:
  void push(T item) {
    std::lock_guard lock(mu_);
    items_.push_back(std::move(item));
    ready_.notify_one();
  }

  std::optional<T> pop() {
    std::unique_lock lock(mu_);
    ready_.wait(lock, [&] { return closed_ || !items_.empty(); });
    if (items_.empty()) return std::nullopt;
    T item = std::move(items_.front());
    items_.pop_front();
    return item;
  }

  // Wakes every pop(); items already queued are still handed out.
  void close() {
    std::lock_guard lock(mu_);
    closed_ = true;
    ready_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<T> items_;
  bool closed_ = false;
};

}  // namespace comanda::engine
