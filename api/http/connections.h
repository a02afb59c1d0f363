// The open connections of a server (HTTP and WebSocket alike): how many,
// against a cap, and a way to reach each one to stop it when the server
// shuts down gracefully.
//
// A session holds a Connections::Slot for as long as its socket is open
// (an HTTP session upgraded to a WebSocket hands its slot on). The slot
// counts the connection and registers the session to be told stop().
//
// Threads: any; the sessions' stop() is posted to their own strands.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <utility>

namespace comanda::api {

// A session a graceful shutdown can ask to finish: answer what it is
// answering, send what it has queued, then close.
class Stoppable {
 public:
  virtual ~Stoppable() = default;
  // Called on any thread; the session posts the work to its strand.
  virtual void stop() = 0;
};

class Connections {
 public:
  explicit Connections(size_t cap) : cap_(cap) {}
  Connections(const Connections&) = delete;
  Connections& operator=(const Connections&) = delete;

  // One open connection. Move-only; releases its count when destroyed.
  class Slot {
   public:
    Slot() = default;
    Slot(Slot&& other) noexcept : owner_(std::exchange(other.owner_, nullptr)), key_(other.key_) {}
    Slot& operator=(Slot&& other) noexcept;
    ~Slot() { release(); }

    // The session to stop on shutdown (a new one after an upgrade).
    void bind(const std::shared_ptr<Stoppable>& session);

   private:
    friend class Connections;
    Slot(Connections* owner, uint64_t key) : owner_(owner), key_(key) {}
    void release();

    Connections* owner_ = nullptr;
    uint64_t key_ = 0;
  };

  // A slot for a connection just accepted; none (an empty slot) when the
  // cap is reached or the server is stopping: the caller refuses it.
  Slot open();

  // Stops taking connections and asks every open one to stop.
  void stop_all();
  bool stopping() const { return stopping_.load(std::memory_order_acquire); }

  size_t count() const { return count_.load(std::memory_order_relaxed); }
  size_t cap() const { return cap_; }
  uint64_t refused() const { return refused_.load(std::memory_order_relaxed); }

  // Whether `slot` holds a connection (open() succeeded).
  static bool held(const Slot& slot) { return slot.owner_ != nullptr; }

 private:
  const size_t cap_;
  std::atomic<size_t> count_{0};
  std::atomic<uint64_t> refused_{0};
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  uint64_t next_key_ = 1;                                            // mu_
  std::unordered_map<uint64_t, std::weak_ptr<Stoppable>> sessions_;  // mu_
};

}  // namespace comanda::api
