// A reader-writer lock that serves a waiting writer before new readers.
//
// The read models are written by one thread (the pipeline's publisher, which
// completes every caller's write) and read by many. std::shared_mutex on
// glibc prefers readers: a stream of overlapping queries keeps the publisher
// waiting, and with it every client's POST. Here a writer that waits stops
// new readers, waits for the readers inside to leave, and goes next.
//
// Not recursive: a thread holding it shared must not take it shared again
// (a waiting writer would block the second attempt, and the first would never
// leave). Meets the standard's SharedMutex requirements, for std::shared_lock
// and std::unique_lock.
#pragma once

#include <pthread.h>

#include <cstdlib>

namespace comanda::engine {

class SharedMutex {
 public:
  SharedMutex() {
    pthread_rwlockattr_t attr;
    pthread_rwlockattr_init(&attr);
    pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    if (pthread_rwlock_init(&rw_, &attr) != 0) std::abort();
    pthread_rwlockattr_destroy(&attr);
  }
  ~SharedMutex() { pthread_rwlock_destroy(&rw_); }
  SharedMutex(const SharedMutex&) = delete;
  SharedMutex& operator=(const SharedMutex&) = delete;

  void lock() { check(pthread_rwlock_wrlock(&rw_)); }
  bool try_lock() { return pthread_rwlock_trywrlock(&rw_) == 0; }
  void unlock() { check(pthread_rwlock_unlock(&rw_)); }

  void lock_shared() { check(pthread_rwlock_rdlock(&rw_)); }
  bool try_lock_shared() { return pthread_rwlock_tryrdlock(&rw_) == 0; }
  void unlock_shared() { check(pthread_rwlock_unlock(&rw_)); }

 private:
  // The calls fail only on misuse (a deadlock detected, too many readers).
  static void check(int rc) {
    if (rc != 0) std::abort();
  }

  pthread_rwlock_t rw_;
};

}  // namespace comanda::engine
