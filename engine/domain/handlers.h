// Commands to their kind's validate() and decide(), events to their kind's
// Book: the one dispatch over the aggregate list
// (engine/domain/aggregates.h). Pure.
#pragma once

#include <type_traits>
#include <variant>

#include "engine/base/error.h"
#include "engine/domain/aggregates.h"
#include "engine/domain/decision.h"
#include "engine/domain/event.h"

namespace comanda::engine {

// The rules of `body` that need no state (its kind's validate(), where it
// has one), which may also fill in defaults. Run where a command is built (a
// network thread, the scheduler, seeding, import), never on the sequencer:
// some need the disk (the tz database).
inline Status validate_command(CommandBody& body) {
  return std::visit(
      [](auto& command) -> Status {
        if constexpr (requires { validate(command); })
          return validate(command);
        else
          return {};
      },
      body);
}

// Decides `body` with its kind's decide(): events go to `decision`.
inline Status decide_command(CommandBody& body, Decision& decision) {
  return std::visit([&](auto& command) { return decide(command, decision); }, body);
}

// Calls fn.template operator()<K>() with the kind K that `payload` belongs to.
template <class Fn>
void visit_kind(const EventPayload& payload, Fn&& fn) {
  std::visit(
      [&](const auto& p) {
        using K = AggregateKinds::KindOfEvent<std::decay_t<decltype(p)>>;
        fn.template operator()<K>();
      },
      payload);
}

// Applies `event` to its kind's Book; then, if given,
// `after.template operator()<K>(state)` sees the stream's state after it.
struct NothingAfter {
  template <class K>
  void operator()(const typename K::State&) const {}
};
template <class After = NothingAfter>
void apply_event(Books& books, const Event& event, After&& after = {}) {
  std::visit(
      [&](const auto& payload) {
        using K = AggregateKinds::KindOfEvent<std::decay_t<decltype(payload)>>;
        const typename K::State& state = std::get<typename K::Book>(books).apply(event, payload);
        after.template operator()<K>(state);
      },
      event.payload);
}

}  // namespace comanda::engine
