// The restaurant aggregate: registration, changes to it (PATCH), pausing and
// resuming, and the settings every order at it is decided with (owners,
// currency, tax, reference series, engine/domain/restaurant_settings.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/error.h"
#include "engine/domain/aggregate.h"
#include "engine/domain/geo.h"
#include "engine/domain/pricing.h"
#include "engine/domain/restaurant_settings.h"

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
  RestaurantSettings settings;
  friend bool operator==(const RestaurantRegistered&, const RestaurantRegistered&) = default;
};

// What a change set, each field as it now is (absent: unchanged).
struct RestaurantUpdated {
  static constexpr std::string_view kType = "restaurant_updated";
  std::optional<std::string> name;
  std::optional<std::string> address;
  std::optional<GeoPoint> location;
  std::optional<std::string> time_zone;
  std::optional<TaxPolicy> tax;
  std::optional<std::vector<std::string>> owners;
  std::optional<std::string> series;
  std::optional<RestaurantSettings> settings;  // all of them, when any changed
  friend bool operator==(const RestaurantUpdated&, const RestaurantUpdated&) = default;
};

// New orders are refused (409) until it resumes; open orders go on.
struct RestaurantPaused {
  static constexpr std::string_view kType = "restaurant_paused";
  friend bool operator==(const RestaurantPaused&, const RestaurantPaused&) = default;
};

struct RestaurantResumed {
  static constexpr std::string_view kType = "restaurant_resumed";
  friend bool operator==(const RestaurantResumed&, const RestaurantResumed&) = default;
};

// Applies a change to the details a read model keeps.
void apply_update(RestaurantRegistered& details, const RestaurantUpdated& change);

// ---- commands ----

struct RegisterRestaurant {
  Uuid restaurant_id;  // minted by the caller
  RestaurantRegistered details;
  bool paused = false;  // registered paused: it takes orders once resumed
};

// A PATCH: each field present is set; nested settings field by field.
struct RestaurantPatch {
  std::optional<std::string> name;
  std::optional<std::string> address;
  std::optional<GeoPoint> location;
  std::optional<std::string> time_zone;
  std::optional<uint32_t> tax_rate_bp;
  std::optional<bool> tax_included;
  std::optional<std::vector<std::string>> owners;
  std::optional<std::string> series;
  std::optional<int64_t> delivery_fee;
  std::optional<DispatchSettings::Mode> dispatch_mode;
  std::optional<OrderStatus> dispatch_offer_on;
  std::optional<uint32_t> dispatch_offer_to;
  std::optional<uint32_t> dispatch_radius_m;
  std::optional<uint32_t> dispatch_offer_timeout_s;
  std::optional<bool> geofence_enabled;
  std::optional<uint32_t> geofence_near_restaurant_m;
  std::optional<uint32_t> geofence_near_customer_m;
  std::optional<uint32_t> auto_reject_after_s;
  std::optional<uint32_t> preorder_lead_s;
  std::optional<bool> paused;
};

struct UpdateRestaurant {
  Uuid restaurant_id;
  RestaurantPatch patch;
};

// `settings` with what `patch` sets, field by field.
RestaurantSettings with_patch(RestaurantSettings settings, const RestaurantPatch& patch);

// ---- state ----

struct RestaurantState {
  uint64_t version = 0;
  RestaurantRegistered details;  // as registered, with every change since
  bool paused = false;
};

class RestaurantBook : public Book<RestaurantState> {
 public:
  const RestaurantState& apply(const Event& event, const RestaurantRegistered& registered);
  const RestaurantState& apply(const Event& event, const RestaurantUpdated& updated);
  const RestaurantState& apply(const Event& event, const RestaurantPaused& paused);
  const RestaurantState& apply(const Event& event, const RestaurantResumed& resumed);
};

struct Restaurant {
  using State = RestaurantState;
  using Book = RestaurantBook;
  using Commands = TypeList<RegisterRestaurant, UpdateRestaurant>;
  using Events =
      TypeList<RestaurantRegistered, RestaurantUpdated, RestaurantPaused, RestaurantResumed>;
};

// The default series of order references.
inline constexpr std::string_view kDefaultSeries = "A001";

// A supported currency, a known time zone (set by the caller when the
// client gave none), a series of 1 to 8 characters A-Z or 0-9 (the default
// when empty), settings within their bounds.
Status validate(RegisterRestaurant& command);

// Admins and owners register restaurants; an owner becomes one of its owners.
Status decide(RegisterRestaurant& command, Decision& decision);

// A known time zone, a series of A-Z or 0-9, at least one owner.
Status validate(UpdateRestaurant& command);

// Admins, and the restaurant's owners (anyone else: 404 as for an absent
// one), at the expected version; the settings it leaves within bounds. An
// owner cannot take themself off the owners (an admin can).
// Records what it sets, and a pause or a resume when `paused` changes.
Status decide(UpdateRestaurant& command, Decision& decision);

}  // namespace comanda::engine
