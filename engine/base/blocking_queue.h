// A small blocking FIFO for handing work between threads (the pipeline's,
// a scan reading ahead).
// Thread-safe. pop() blocks until an item arrives or the queue is closed and
// empty (then it returns nullopt).
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <vector>

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

  // Like pop(), but takes every item waiting (appended to `out`). Returns
  // false when the queue is closed and empty.
  bool pop_all(std::vector<T>& out) {
    std::unique_lock lock(mu_);
    ready_.wait(lock, [&] { return closed_ || !items_.empty(); });
    if (items_.empty()) return false;
    for (auto& item : items_) out.push_back(std::move(item));
    items_.clear();
    return true;
  }

  // Whether nothing is queued (at the moment of asking).
  bool empty() {
    std::lock_guard lock(mu_);
    return items_.empty();
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
