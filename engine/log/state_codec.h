// The stored form of the sequencer's state at a checkpoint
// (engine/pipeline/state_snapshot.h): one value per hot stream, in
// schemas/comanda/v1/state.proto. Like the event codec, the only place that
// converts this state to and from Protobuf. Safe on any thread.
//
// Restaurants and menus are stored as one founding event in the log's own
// form (so the event codec owns the format of their payloads); the other
// kinds field by field. A value that does not decode is kCorruption.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/base/error.h"
#include "engine/domain/account.h"
#include "engine/domain/driver.h"
#include "engine/domain/geo.h"
#include "engine/domain/menu.h"
#include "engine/domain/order.h"
#include "engine/domain/restaurant.h"

namespace comanda::engine {

// What the scheduler (engine/pipeline/scheduler.h) keeps of an open order.
struct ScheduledOrder {
  Uuid restaurant;
  uint64_t version = 0;
  OrderStatus status = OrderStatus::kPending;
  int64_t pending_since_us = 0;
  int64_t scheduled_for_us = 0;
  int64_t offer_expires_at_us = 0;
  friend bool operator==(const ScheduledOrder&, const ScheduledOrder&) = default;
};

// Each appends to `out` (which the caller may reuse) or reads one value back.
void encode_state(const Uuid& id, const RestaurantState& state, std::string& out);
Status decode_state(std::string_view stored, RestaurantState& state);

void encode_state(const Uuid& id, const MenuState& state, std::string& out);
Status decode_state(std::string_view stored, MenuState& state);

void encode_state(const Uuid& id, const DriverState& state, std::string& out);
Status decode_state(std::string_view stored, DriverState& state);

void encode_state(const Uuid& id, const AccountState& state, std::string& out);
Status decode_state(std::string_view stored, AccountState& state);

// An order, with where it is picked up while it waits for a driver in range
// (the order book's index of waiting orders).
void encode_state(const OrderState& state, const std::optional<GeoPoint>& waiting_pickup,
                  std::string& out);
Status decode_state(std::string_view stored, OrderState& state,
                    std::optional<GeoPoint>& waiting_pickup);

void encode_state(const ScheduledOrder& order, std::string& out);
Status decode_state(std::string_view stored, ScheduledOrder& order);

// The snapshot's header: the checkpoint, the log's chain link there, how
// many rows follow, the newest recorded time applied, and the format and
// code version that wrote it.
struct StateSnapshotHeader {
  uint32_t format = 0;
  std::string code_version;
  uint64_t checkpoint = 0;
  std::string checkpoint_link;
  uint64_t rows = 0;
  int64_t last_recorded_at_us = 0;
};
void encode_header(const StateSnapshotHeader& header, std::string& out);
Status decode_header(std::string_view stored, StateSnapshotHeader& header);

}  // namespace comanda::engine
