#include "api/http/connections.h"

#include <vector>

namespace comanda::api {

Connections::Slot& Connections::Slot::operator=(Slot&& other) noexcept {
  if (this != &other) {
    release();
    owner_ = std::exchange(other.owner_, nullptr);
    key_ = other.key_;
  }
  return *this;
}

void Connections::Slot::bind(const std::shared_ptr<Stoppable>& session) {
  if (!owner_) return;
  bool stop_now = false;
  {
    std::lock_guard lock(owner_->mu_);
    owner_->sessions_[key_] = session;
    stop_now = owner_->stopping_.load(std::memory_order_relaxed);
  }
  // Bound after stop_all() went round: it would never be told.
  if (stop_now) session->stop();
}

void Connections::Slot::release() {
  if (!owner_) return;
  {
    std::lock_guard lock(owner_->mu_);
    owner_->sessions_.erase(key_);
  }
  owner_->count_.fetch_sub(1, std::memory_order_relaxed);
  owner_ = nullptr;
}

Connections::Slot Connections::open() {
  if (stopping()) {
    refused_.fetch_add(1, std::memory_order_relaxed);
    return {};
  }
  if (count_.fetch_add(1, std::memory_order_relaxed) >= cap_) {
    count_.fetch_sub(1, std::memory_order_relaxed);
    refused_.fetch_add(1, std::memory_order_relaxed);
    return {};
  }
  std::lock_guard lock(mu_);
  return Slot(this, next_key_++);
}

void Connections::stop_all() {
  std::vector<std::shared_ptr<Stoppable>> live;
  {
    std::lock_guard lock(mu_);
    stopping_.store(true, std::memory_order_release);
    for (auto& [key, weak] : sessions_)
      if (auto session = weak.lock()) live.push_back(std::move(session));
  }
  for (auto& session : live) session->stop();
}

}  // namespace comanda::api
