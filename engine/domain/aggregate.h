// What every aggregate kind has in common. A kind (engine/domain/restaurant.h,
// order.h, driver.h) is a struct naming its State (one stream's state), its
// Book (every hot stream of the kind), its Commands and its Events:
//
//   struct Order {
//     using State = OrderState;
//     using Book = OrderBook;
//     using Commands = TypeList<PlaceOrder, ChangeOrderStatus>;
//     using Events = TypeList<OrderPlaced, OrderStatusChanged>;
//     static bool finished(const OrderState&);  // only kinds that leave memory
//   };
//
// beside free functions `Status validate(Command&)` (rules that need no state,
// run where the command is built) and `Status decide(Command&, Decision&)`
// for each command, and `const State& Book::apply(const Event&, const E&)`
// for each event (returning the stream's state after it).
// engine/domain/aggregates.h lists the kinds; everything that dispatches on
// commands or events (the pipeline's hot state, the codec, the JSON) is
// generic over that list.
#pragma once

#include <concepts>
#include <cstdint>
#include <type_traits>
#include <unordered_map>

#include "engine/base/flat_growing_map.h"
#include "engine/base/ids.h"

namespace comanda::engine {

template <class... T>
struct TypeList {};

// Where an event goes: the stream it extends, the stream's partition (its
// restaurant; a driver is its own) and the stream's version before it.
struct Target {
  Uuid stream;
  Uuid partition;
  uint64_t version = 0;  // 0: the event opens the stream
};

// A kind whose finished streams leave the sequencer's memory after the hot
// window, and come back from the log when a command names them.
template <class K>
concept Evictable = requires(const typename K::State& s) {
  { K::finished(s) } -> std::convertible_to<bool>;
  { s.last_position } -> std::convertible_to<uint64_t>;
  { s.updated_at_us } -> std::convertible_to<int64_t>;
};

// The hot streams of one kind, by id. Kinds derive their Book from it and
// add the indexes their rules need.
//
// Threads: the sequencer's (see engine/pipeline/hot_state.h).
template <class State>
class Book {
 public:
  const State* find(const Uuid& id) const { return states_.find(id); }
  // Drops a stream from memory (its events stay in the log).
  void erase(const Uuid& id) { states_.erase(id); }
  size_t size() const { return states_.size(); }
  // fn(id, state) for every hot stream, in no order (the snapshot's writer).
  template <class Fn>
  void for_each(Fn&& fn) const {
    states_.for_each(fn);
  }
  // Puts back a stream's state as a snapshot holds it. Books with indexes
  // hide this with their own, which index it too.
  void restore(const Uuid& id, State state) { states_[id] = std::move(state); }

 protected:
  State* find_mutable(const Uuid& id) { return states_.find(id); }
  // The stream's state, created empty by its first event.
  State& at(const Uuid& id) { return states_[id]; }

 private:
  // Flat, and grows a step at a time: the sequencer never waits for a
  // whole rehash.
  FlatGrowingMap<Uuid, State, UuidHash> states_;
};

}  // namespace comanda::engine
