#include "engine/pipeline/hot_state.h"

#include <algorithm>
#include <cassert>

#include "engine/domain/handlers.h"

namespace comanda::engine {

void HotState::apply(const Event& event) {
  last_recorded_at_us_ = std::max(last_recorded_at_us_, event.recorded_at_us);
  apply_event(books_, event, [&]<class K>(const typename K::State& state) {
    std::get<HotWindow<K>>(windows_).applied(state, event);
  });
}

bool HotState::take_cold(const ColdStream& cold) {
  if (cold.events.empty()) return false;
  bool in_memory = false;
  visit_kind(cold.events.front().payload,
             [&]<class K>() { in_memory = book<K>().find(cold.id) != nullptr; });
  if (in_memory) return false;  // memory is never older than the log
  // Into the Book only: the hot window hears of it once the command is
  // accepted (kept()), so that a refusal leaves nothing behind.
  for (const Event& e : cold.events) apply_event(books_, e);
  return true;
}

void HotState::kept(const ColdStream& cold) {
  const Event& last = cold.events.back();
  visit_kind(last.payload, [&]<class K>() {
    if (const typename K::State* state = book<K>().find(cold.id))
      std::get<HotWindow<K>>(windows_).applied(*state, last);
  });
}

void HotState::forget(const ColdStream& cold) {
  visit_kind(cold.events.front().payload,
             [&]<class K>() { std::get<typename K::Book>(books_).erase(cold.id); });
}

CommandOutcome HotState::decide(Command& command, BatchContext& ctx, std::vector<Event>& out) {
  if (!command.idempotency_scope.empty()) {
    if (const IdempotencyRecord* seen =
            idempotency_.find(command.idempotency_scope, ctx.recorded_at_us)) {
      if (seen->request_hash != command.request_hash)
        return Error::conflict("Idempotency-Key",
                               "this Idempotency-Key was already used for a different request");
      return CommandResult{seen->stream, seen->stream_version, seen->position, true};
    }
  }
  // Streams loaded from the log for this command enter memory for its
  // decision, and stay only if it is accepted.
  taken_.clear();
  for (const ColdStream& cold : command.cold)
    if (take_cold(cold)) taken_.push_back(&cold);

  Decision decision(books_, command.principal, command.expected_version, command.cold,
                    {ctx.recorded_at_us, ctx.next_position, command.correlation_id}, out);
  const Status decided = decide_command(command.body, decision);
  const size_t first = decision.first_event();
  if (!decided.ok() || decision.missing()) {
    out.erase(out.begin() + static_cast<ptrdiff_t>(first), out.end());
    for (const ColdStream* cold : taken_) forget(*cold);
    if (decision.missing()) return CommandOutcome::NeedsLoad{*decision.missing()};
    return decided.error();
  }

  ctx.next_position = decision.next_position();
  for (const ColdStream* cold : taken_) kept(*cold);
  for (size_t i = first; i < out.size(); ++i) apply(out[i]);
  if (out.size() == first) {
    // Accepted with nothing to record: answered with the stream as it is.
    assert(decision.unchanged_target() && "an accepted command emits or says unchanged()");
    if (!decision.unchanged_target()) return CommandResult{};
    const Target& target = *decision.unchanged_target();
    return CommandResult{target.stream, target.version, ctx.next_position - 1, false};
  }
  CommandResult result{out[first].stream, 0, out.back().position, false};
  for (size_t i = first; i < out.size(); ++i)
    if (out[i].stream == result.stream) result.stream_version = out[i].stream_version;
  if (!command.idempotency_scope.empty()) {
    IdempotencyRecord record{command.idempotency_scope, command.request_hash, result.stream,
                             result.stream_version,     result.position,      ctx.recorded_at_us};
    if (ctx.idempotency_out) ctx.idempotency_out->push_back(record);
    idempotency_.remember(std::move(record));
  }
  return result;
}

void HotState::evict_finished(int64_t now_us, uint64_t committed_position) {
  const int64_t cutoff = now_us - options_.hot_window_us;
  AggregateKinds::for_each_kind([&]<class K>() {
    std::get<HotWindow<K>>(windows_).evict(std::get<typename K::Book>(books_), cutoff,
                                           committed_position);
  });
}

Result<ColdStream> HotState::load_stream(const EventLog& log, const Uuid& id,
                                         uint64_t committed_position) {
  ColdStream cold{id, {}};
  Status status = log.read_stream(
      id,
      [&](const Event& e) {
        cold.events.push_back(e);
        return true;
      },
      committed_position);
  if (!status.ok()) return status.error();
  return cold;
}

Status HotState::follow(const EventLog& log, const Event& event) {
  bool absent = false;
  if (event.stream_version > 1)
    visit_kind(event.payload, [&]<class K>() { absent = book<K>().find(event.stream) == nullptr; });
  if (absent) {
    // Left memory before this event: its history up to it, from the log.
    Status read = log.read_stream(
        event.stream,
        [&](const Event& e) {
          apply(e);
          return true;
        },
        event.position - 1);
    if (!read.ok()) return read;
  }
  apply(event);
  return {};
}

Status HotState::load_idempotency(const EventLog& log, std::optional<int64_t> now_us) {
  std::vector<IdempotencyRecord> records;
  Status idem = log.scan_idempotency([&](const IdempotencyRecord& r) {
    if (!now_us || r.recorded_at_us >= *now_us - idempotency_.window_us()) records.push_back(r);
    return true;
  });
  if (!idem.ok()) return idem;
  std::sort(records.begin(), records.end(),
            [](const auto& a, const auto& b) { return a.recorded_at_us < b.recorded_at_us; });
  idempotency_ = IdempotencyWindow(idempotency_.window_us());
  for (auto& r : records) idempotency_.remember(std::move(r));
  return {};
}

Status HotState::load(const EventLog& log, std::optional<int64_t> now_us,
                      const std::function<void(const Event&)>& also) {
  // Built aside and swapped in only when whole: a failed load leaves the
  // state as it was.
  HotState fresh(options_);
  Status loaded = fresh.load_into(log, now_us, also);
  if (loaded.ok()) *this = std::move(fresh);
  return loaded;
}

Status HotState::load_into(const EventLog& log, std::optional<int64_t> now_us,
                           const std::function<void(const Event&)>& also) {
  Status events = log.scan_chunks(1, log.last_position(), [&](std::span<Event> chunk) {
    for (const Event& e : chunk) {
      apply(e);
      if (also) also(e);
    }
    return true;
  });
  if (!events.ok()) return events;
  if (Status idem = load_idempotency(log, now_us); !idem.ok()) return idem;
  // What has been finished for longer than the window stays on disk only.
  if (now_us) evict_finished(*now_us, log.last_position());
  return {};
}

}  // namespace comanda::engine
