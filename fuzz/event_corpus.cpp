// Writes fuzz_event_decode's corpus: an event of every type, encoded by the
// production encoder, as <type>.bin in the directory given. Run it again
// when an event type is added (README.md "Fuzzing"):
//   build-fuzz/fuzz_event_corpus fuzz/corpus/fuzz_event_decode
// Types with nested values get them filled in, so that the decoders' loops
// and optional fields start covered; the others keep their defaults.
#include <cstdio>
#include <fstream>
#include <string>
#include <utility>
#include <variant>

#include "engine/domain/event.h"
#include "engine/log/event_codec.h"

namespace {

using namespace comanda::engine;

const Uuid kRestaurant = *Uuid::parse("01933c4e-8a00-7000-8000-000000000001");
const Uuid kOrder = *Uuid::parse("01933c4e-8a00-7000-8000-000000000002");
const Uuid kDriver = *Uuid::parse("01933c4e-8a00-7000-8000-000000000003");
const Uuid kAccount = *Uuid::parse("01933c4e-8a00-7000-8000-000000000004");

RestaurantRegistered restaurant() {
  RestaurantRegistered r;
  r.name = "Sede 1";
  r.address = "Av. Larco 101";
  r.location = GeoPoint{-12.12, -77.03};
  r.currency = "PEN";
  r.time_zone = "America/Lima";
  r.tax = {1800, true};
  r.owners = {"u-owner-1"};
  r.series = "A001";
  r.settings.delivery_fee = 500;
  return r;
}

MenuItem burger() {
  return {"BURGER", "Hamburguesa", 1550, true, {{"Extra cheese", 300}}, {"onion"}};
}

OrderLine burger_line() {
  return {"BURGER",
          "Hamburguesa",
          2,
          1550,
          {{"Extra cheese", 300, false}, {"No onion", 0, true}},
          "bien cocida",
          3700,
          PriceSource::kMenu};
}

OrderPlaced order() {
  OrderPlaced o;
  o.restaurant_id = kRestaurant;
  o.reference = "A001-000001";
  o.number = 1;
  o.customer = {"u-cust-1", "Ana Pérez", "+51 999 888 777", "ana@example.pe", "es"};
  o.items = {burger_line()};
  o.fulfillment = {FulfillmentType::kDelivery, "Calle 1 234", GeoPoint{-12.1, -77.0}, 0};
  o.payment = {"cash", 5000, {}};
  o.notes = "sin ají";
  o.currency = "PEN";
  o.tax = {1800, true};
  o.totals = {3700, 0, 500, 3559, 641, 200, 4400};
  o.app_id = "pos-tablet";
  o.delivery_zone = "Miraflores";
  return o;
}

// The filled-in events; every other type is written with its defaults.
EventPayload filled(EventPayload payload) {
  return std::visit(
      [&](auto& p) -> EventPayload {
        using P = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<P, RestaurantRegistered>) {
          return restaurant();
        } else if constexpr (std::is_same_v<P, RestaurantUpdated>) {
          p.name = "Sede 2";
          p.owners = std::vector<std::string>{"u-owner-1", "u-owner-2"};
          p.settings = restaurant().settings;
        } else if constexpr (std::is_same_v<P, MenuReplaced>) {
          p.items = {burger(), {"SODA", "Inca Kola", 500, false, {}, {}}};
        } else if constexpr (std::is_same_v<P, MenuItemUpserted>) {
          p.item = burger();
        } else if constexpr (std::is_same_v<P, OrderPlaced>) {
          return order();
        } else if constexpr (std::is_same_v<P, OrderChanged>) {
          p.items = std::vector<OrderLine>{burger_line()};
          p.payment = Payment{"credit", std::nullopt, kAccount};
          p.totals = order().totals;
        } else if constexpr (std::is_same_v<P, OrderStatusChanged>) {
          p = {OrderStatus::kPending, OrderStatus::kAccepted, "", 0};
        } else if constexpr (std::is_same_v<P, DriverOffered>) {
          p.drivers = {kDriver};
          p.expires_at_us = 1'795'000'060'000'000;
        } else if constexpr (std::is_same_v<P, DriverLocationReported>) {
          p = {-121234567, -770301234, 90.0f, 8.5f, 5.0f, 1'795'000'000'250'000};
        } else if constexpr (std::is_same_v<P, AccountRegistered>) {
          p.user_id = "u-cust-1";
          p.name = "Ana Pérez";
          p.restaurant_ids = {kRestaurant};
        }
        return payload;
      },
      payload);
}

Event envelope(EventPayload payload) {
  Event e;
  e.position = 42;
  e.stream = kOrder;
  e.stream_version = 3;
  e.partition = kRestaurant;
  e.recorded_at_us = 1'795'000'000'123'456;
  e.actor = {"u-owner-1", Role::kOwner};
  e.correlation_id = *Uuid::parse("01933c4e-8a00-7000-8000-0000000000cc");
  e.payload = std::move(payload);
  return e;
}

template <size_t I = 0>
void write_each(const std::string& dir) {
  if constexpr (I < std::variant_size_v<EventPayload>) {
    const Event e = envelope(filled(EventPayload(std::in_place_index<I>)));
    std::string stored;
    encode_event(e, stored);
    const std::string path = dir + "/" + std::string(event_type_name(e.payload)) + ".bin";
    std::ofstream(path, std::ios::binary) << stored;
    std::printf("%s (%zu bytes)\n", path.c_str(), stored.size());
    write_each<I + 1>(dir);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <corpus directory>\n", argv[0]);
    return 2;
  }
  write_each(argv[1]);
  return 0;
}
