#include "engine/log/event_codec.h"

#include <google/protobuf/arena.h>

#include "comanda/v1/events.pb.h"
#include "engine/base/crc32c.h"
#include "engine/log/codec/account_codec.h"
#include "engine/log/codec/dispatch_codec.h"
#include "engine/log/codec/driver_codec.h"
#include "engine/log/codec/menu_codec.h"
#include "engine/log/codec/order_codec.h"
#include "engine/log/codec/restaurant_codec.h"

namespace comanda::engine {
namespace {

namespace pb = ::comanda::v1;

// Each aggregate's decoder (engine/log/codec/), one line each. Encoding
// needs no table: the to_pb overloads they declare are chosen by type.
using PayloadDecoder = std::optional<Result<EventPayload>> (*)(const pb::Envelope&);
constexpr PayloadDecoder kDecoders[] = {
    &codec::restaurant_event_from_pb, &codec::menu_event_from_pb,   &codec::order_event_from_pb,
    &codec::dispatch_event_from_pb,   &codec::driver_event_from_pb, &codec::account_event_from_pb,
};

Result<EventPayload> payload_from_pb(const pb::Envelope& envelope) {
  for (PayloadDecoder decode : kDecoders)
    if (auto payload = decode(envelope)) return std::move(*payload);
  return Error::unprocessable("", "event type unknown to this build");
}

google::protobuf::ArenaOptions arena_options(char* block, size_t size) {
  google::protobuf::ArenaOptions options;
  options.initial_block = block;
  options.initial_block_size = size;
  return options;
}

}  // namespace

void encode_event(const Event& event, std::string& out) {
  // The envelope lives on a per-thread arena, reset after each event: its
  // messages cost a pointer bump, not a malloc and a free each (clearing a
  // reused envelope would free its payload's whole message tree).
  struct Scratch {
    alignas(16) char block[16 << 10];
    google::protobuf::Arena arena{arena_options(block, sizeof block)};
  };
  thread_local Scratch scratch;
  struct Reset {
    google::protobuf::Arena& arena;
    ~Reset() { arena.Reset(); }
  } reset{scratch.arena};
  pb::Envelope& env = *google::protobuf::Arena::CreateMessage<pb::Envelope>(&scratch.arena);
  env.set_position(event.position);
  env.set_stream_id(event.stream.raw().data(), 16);
  env.set_stream_version(event.stream_version);
  // A stream that is its own partition (a restaurant, a driver) stores it once.
  if (event.partition != event.stream) env.set_partition_key(event.partition.raw().data(), 16);
  env.set_recorded_at_us(event.recorded_at_us);
  env.mutable_actor()->set_user_id(event.actor.subject);
  env.mutable_actor()->set_role(static_cast<pb::Role>(event.actor.role));
  env.set_correlation_id(event.correlation_id.raw().data(), 16);
  std::visit([&](const auto& p) { codec::to_pb(p, env); }, event.payload);

  const size_t start = out.size();
  out.append(4, '\0');
  env.AppendToString(&out);
  const uint32_t crc = crc32c(std::string_view(out).substr(start + 4));
  for (int i = 0; i < 4; ++i) out[start + i] = static_cast<char>(crc >> (8 * i));
}

Result<Event> decode_event(std::string_view stored) {
  if (stored.size() < 4) return Error::corruption("stored event is truncated");
  uint32_t expected = 0;
  for (int i = 0; i < 4; ++i)
    expected |= static_cast<uint32_t>(static_cast<uint8_t>(stored[i])) << (8 * i);
  const std::string_view body = stored.substr(4);
  if (crc32c(body) != expected) return Error::corruption("checksum mismatch");

  thread_local pb::Envelope env;
  if (!env.ParseFromArray(body.data(), static_cast<int>(body.size())))
    return Error::corruption("envelope does not parse");
  auto stream = Uuid::from_raw(env.stream_id());
  auto partition = env.partition_key().empty() ? stream : Uuid::from_raw(env.partition_key());
  auto correlation = Uuid::from_raw(env.correlation_id());
  if (!stream || !partition || !correlation)
    return Error::corruption("envelope has a malformed id");
  auto payload = payload_from_pb(env);
  if (!payload.ok()) return std::move(payload).error();

  Event e;
  e.position = env.position();
  e.stream = *stream;
  e.stream_version = env.stream_version();
  e.partition = *partition;
  e.recorded_at_us = env.recorded_at_us();
  e.actor.subject = env.actor().user_id();
  const int role = env.actor().role();
  e.actor.role = role >= 0 && role <= static_cast<int>(Role::kDriver) ? static_cast<Role>(role)
                                                                      : Role::kEngine;
  e.correlation_id = *correlation;
  e.payload = std::move(payload).value();
  return e;
}

}  // namespace comanda::engine
