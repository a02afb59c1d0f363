#include "engine/pipeline/idempotency_window.h"

namespace comanda::engine {

const IdempotencyRecord* IdempotencyWindow::find(const std::string& scope, int64_t now_us) {
  forget_expired(now_us);
  auto it = records_.find(scope);
  return it == records_.end() ? nullptr : &it->second;
}

void IdempotencyWindow::remember(IdempotencyRecord record) {
  by_age_.emplace_back(record.recorded_at_us, record.scope);
  std::string scope = record.scope;
  records_[std::move(scope)] = std::move(record);
}

void IdempotencyWindow::forget_expired(int64_t now_us) {
  const int64_t cutoff = now_us - window_us_;
  while (!by_age_.empty() && by_age_.front().first < cutoff) {
    auto it = records_.find(by_age_.front().second);
    if (it != records_.end() && it->second.recorded_at_us < cutoff) records_.erase(it);
    by_age_.pop_front();
  }
}

}  // namespace comanda::engine
