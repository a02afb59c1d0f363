// An event: one entry of the log. The envelope (position, stream, time,
// actor, ...) is the same for every kind; the payload is one of the kinds'
// event structs (engine/domain/aggregates.h). engine/log/event_codec.h turns
// events into their stored Protobuf form and back.
#pragma once

#include <cstdint>
#include <string_view>

#include "engine/base/ids.h"
#include "engine/domain/aggregates.h"
#include "engine/domain/principal.h"

namespace comanda::engine {

struct Event {
  uint64_t position = 0;        // global, dense from 1
  Uuid stream;                  // the aggregate's id
  uint64_t stream_version = 0;  // dense from 1 per stream
  Uuid partition;               // the restaurant; a driver's events: the driver
  int64_t recorded_at_us = 0;   // UTC microseconds, never decreasing along the log
  Principal actor;
  Uuid correlation_id;
  EventPayload payload;
  friend bool operator==(const Event&, const Event&) = default;
};

// The event's type name as clients see it ("order_placed").
inline std::string_view event_type_name(const EventPayload& payload) {
  return std::visit([](const auto& p) { return std::decay_t<decltype(p)>::kType; }, payload);
}

}  // namespace comanda::engine
