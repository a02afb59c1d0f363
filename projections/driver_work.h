// What each driver has to do, as the orders read model sees it: the orders
// offered to it, those it is delivering (assigned, not finished), and those
// it completed recently (a window of 50 hours, enough for "today" in any
// time zone). The orders model keeps one and moves an order between its
// lists as the order changes; the driver's panel reads it.
//
// Not thread-safe: the orders model's lock guards it.
#pragma once

#include <cstdint>
#include <deque>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/base/ids.h"

namespace comanda::projections {

struct OrderView;

class DriverWork {
 public:
  using Completions = std::deque<std::pair<int64_t, engine::Uuid>>;  // (completed at, order)
  using Placement = std::pair<uint64_t, engine::Uuid>;               // (placed position, order id)

  // How long a completion stays on the panel's list.
  static constexpr int64_t kRecentUs = 50LL * 3600 * 1'000'000;

  // An order's ties to drivers.
  struct Ties {
    std::vector<engine::Uuid> offered;  // the standing offer's drivers
    engine::Uuid delivering;            // assigned and not finished; nil: none
    engine::Uuid completed_by;          // completed with this driver; nil: not
    int64_t completed_at_us = 0;
  };
  static Ties ties_of(const OrderView& order);

  // Moves the order at `p` from the lists of `was` to those of `now`.
  void retie(const Placement& p, const Ties& was, const Ties& now);
  // A snapshot's order: added unsorted, sorted by finish_load(). Its
  // completion comes with the driver's (load_completed()), not with it: the
  // order may have left memory.
  void load(const Placement& p, const Ties& now);
  void load_completed(const engine::Uuid& driver, int64_t at_us, const engine::Uuid& order);
  // Every driver's completions, for a snapshot.
  template <class Fn>
  void for_each_completed(Fn&& fn) const {
    for (const auto& [driver, list] : completed_) fn(driver, list);
  }
  void finish_load();
  void clear();

  // One driver's lists: offers and deliveries by placement, completions
  // (order ids, oldest first) within kRecentUs of its latest.
  struct Lists {
    std::vector<Placement> offers, delivering;
    std::vector<std::pair<int64_t, engine::Uuid>> completed;  // (completed at, order)
  };
  Lists of(const engine::Uuid& driver) const;

 private:
  void complete(const engine::Uuid& driver, int64_t at_us, const engine::Uuid& order);

  std::unordered_map<engine::Uuid, std::vector<Placement>, engine::UuidHash> offers_;
  std::unordered_map<engine::Uuid, std::vector<Placement>, engine::UuidHash> delivering_;
  std::unordered_map<engine::Uuid, Completions, engine::UuidHash> completed_;
};

}  // namespace comanda::projections
