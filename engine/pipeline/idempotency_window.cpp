#include "engine/pipeline/idempotency_window.h"

namespace comanda::engine {

const IdempotencyRecord* IdempotencyWindow::find(const std::string& scope, int64_t now_us) {
  forget_expired(now_us);
  return records_.find(scope);
}

void IdempotencyWindow::remember(IdempotencyRecord record) {
  by_age_.emplace_back(record.recorded_at_us, record.scope);
  records_[record.scope] = std::move(record);
}

void IdempotencyWindow::forget_expired(int64_t now_us) {
  const int64_t cutoff = now_us - window_us_;
  while (!by_age_.empty() && by_age_.front().first < cutoff) {
    const IdempotencyRecord* record = records_.find(by_age_.front().second);
    if (record && record->recorded_at_us < cutoff) records_.erase(by_age_.front().second);
    by_age_.pop_front();
  }
}

}  // namespace comanda::engine
