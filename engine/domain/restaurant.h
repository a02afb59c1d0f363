// The restaurant aggregate: registration, and the settings every order at it
// is decided with (owners, currency, tax, reference series).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/error.h"
#include "engine/domain/aggregate.h"
#include "engine/domain/geo.h"
#include "engine/domain/pricing.h"

namespace comanda::engine {

struct Event;
class Decision;

// ---- events ----

struct RestaurantRegistered {
  static constexpr std::string_view kType = "restaurant_registered";
  std::string name;
  std::string address;
  std::optional<GeoPoint> location;
  std::string currency;   // ISO 4217
  std::string time_zone;  // IANA
  TaxPolicy tax;
  std::vector<std::string> owners;  // the accounts that run it
  std::string series;               // prefix of order references, "A001"
  friend bool operator==(const RestaurantRegistered&, const RestaurantRegistered&) = default;
};

// ---- commands ----

struct RegisterRestaurant {
  Uuid restaurant_id;  // minted by the caller
  RestaurantRegistered details;
};

// ---- state ----

struct RestaurantState {
  uint64_t version = 0;
  std::vector<std::string> owners;
  std::string currency;
  TaxPolicy tax;
  std::string series;
};

class RestaurantBook : public Book<RestaurantState> {
 public:
  const RestaurantState& apply(const Event& event, const RestaurantRegistered& registered);
};

struct Restaurant {
  using State = RestaurantState;
  using Book = RestaurantBook;
  using Commands = TypeList<RegisterRestaurant>;
  using Events = TypeList<RestaurantRegistered>;
};

// The default series of order references.
inline constexpr std::string_view kDefaultSeries = "A001";

// A supported currency, a known time zone (set by the caller when the
// client gave none), a series of 1 to 8 characters A-Z or 0-9 (the default
// when empty).
Status validate(RegisterRestaurant& command);

// Admins and owners register restaurants; an owner becomes one of its owners.
Status decide(RegisterRestaurant& command, Decision& decision);

}  // namespace comanda::engine
