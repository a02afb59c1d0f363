#include "tools/city.h"

#include <algorithm>
#include <cmath>
#include <string_view>

namespace comanda::tools {

using namespace comanda::engine;

namespace {

constexpr double kLat = -12.12, kLng = -77.03;  // the city's centre
constexpr double kDegreesPerMetre = 1 / 111'195.0;
constexpr double kSpeed = 7.0;  // metres a second: a motorbike in town
constexpr int64_t kSecond = 1'000'000;
constexpr int64_t kDay = 86'400 * kSecond;
const Principal kDispatcher{"comanda-seed", Role::kAdmin};

struct Dish {
  std::string_view sku, name;
  int64_t price;
};
constexpr Dish kMenu[] = {
    {"LOMO", "Lomo saltado", 3200},       {"AJI", "Ají de gallina", 2600},
    {"CEVICHE", "Ceviche clásico", 3500}, {"POLLO", "1/4 pollo a la brasa", 2200},
    {"CAUSA", "Causa limeña", 1800},      {"ARROZ", "Arroz chaufa", 2400},
    {"CHICHA", "Chicha morada 1 l", 900}, {"INCA", "Inca Kola 500 ml", 500},
};

double metres(double lat1, double lng1, double lat2, double lng2) {
  const double dy = (lat2 - lat1) / kDegreesPerMetre;
  const double dx = (lng2 - lng1) / kDegreesPerMetre * std::cos(lat1 * M_PI / 180);
  return std::sqrt(dx * dx + dy * dy);
}

DriverLocationReported ping(double lat, double lng) {
  DriverLocationReported p;
  p.lat_e7 = static_cast<int32_t>(std::llround(lat * 1e7));
  p.lng_e7 = static_cast<int32_t>(std::llround(lng * 1e7));
  p.speed_mps = static_cast<float>(kSpeed);
  return p;
}

}  // namespace

City::City(const CityOptions& options) : options_(options), rng_(options.seed) {
  for (size_t r = 0; r < options_.restaurants; ++r)
    restaurants_.push_back({mint(kStartUs),
                            kLat + uniform(-0.04, 0.04),
                            kLng + uniform(-0.04, 0.04),
                            {"u-owner-" + std::to_string(r), Role::kOwner}});
  for (size_t d = 0; d < options_.drivers; ++d)
    drivers_.push_back({mint(kStartUs),
                        {"u-driver-" + std::to_string(d), Role::kDriver},
                        kLat + uniform(-0.04, 0.04),
                        kLng + uniform(-0.04, 0.04)});
  // Each day's share of the orders, at their moments; then their lifecycles.
  for (size_t n = 0; n < options_.orders; ++n) {
    const int day = static_cast<int>(n % static_cast<size_t>(std::max(1, options_.days)));
    Order o;
    o.restaurant = static_cast<size_t>(uniform(0, static_cast<double>(restaurants_.size())));
    const double kind = uniform(0, 100);
    o.type = kind < 60   ? FulfillmentType::kDelivery
             : kind < 80 ? FulfillmentType::kPickup
             : kind < 90 ? FulfillmentType::kEatIn
             : kind < 95 ? FulfillmentType::kCurbside
                         : FulfillmentType::kDriveThru;
    const double fate = uniform(0, 100);
    o.outcome = fate < 3   ? Outcome::kRejected
                : fate < 6 ? Outcome::kCancelled
                : fate < 9 ? Outcome::kFailed
                           : Outcome::kDone;
    o.customer = {"u-cust-" + std::to_string(static_cast<int>(uniform(0, 1000))), Role::kCustomer};
    const double far = uniform(800, 4000), angle = uniform(0, 2 * M_PI);
    const Restaurant& r = restaurants_[o.restaurant];
    o.lat = r.lat + far * std::sin(angle) * kDegreesPerMetre;
    o.lng = r.lng + far * std::cos(angle) * kDegreesPerMetre / std::cos(r.lat * M_PI / 180);
    orders_.push_back(std::move(o));
    schedule(arrival_us(day), Kind::kPlace, n);
  }
  for (Order& o : orders_) o.id = mint(kStartUs);
}

Uuid City::mint(int64_t at_us) {
  std::string raw(16, '\0');
  const uint64_t ms = static_cast<uint64_t>(at_us / 1000);
  for (int i = 0; i < 6; ++i) raw[static_cast<size_t>(i)] = static_cast<char>(ms >> (40 - 8 * i));
  const uint64_t a = rng_(), b = rng_();
  for (int i = 6; i < 16; ++i)
    raw[static_cast<size_t>(i)] = static_cast<char>((i < 11 ? a : b) >> (8 * (i % 8)));
  raw[6] = static_cast<char>(0x70 | (raw[6] & 0x0f));
  raw[8] = static_cast<char>(0x80 | (raw[8] & 0x3f));
  return *Uuid::from_raw(raw);
}

double City::uniform(double lo, double hi) {
  return std::uniform_real_distribution<double>(lo, hi)(rng_);
}

int64_t City::seconds(double lo, double hi) {
  return static_cast<int64_t>(uniform(lo, hi) * static_cast<double>(kSecond));
}

int64_t City::arrival_us(int day) {
  // A third at lunch (13:00 ± 45 min), a third at dinner (20:00 ± 1 h), a
  // third spread from 10:00 to 23:00, local time.
  const double roll = uniform(0, 3);
  double hour = roll < 1   ? std::normal_distribution<double>(13.0, 0.75)(rng_)
                : roll < 2 ? std::normal_distribution<double>(20.0, 1.0)(rng_)
                           : uniform(10, 23);
  hour = std::clamp(hour, 9.0, 23.5);
  return kStartUs + day * kDay + static_cast<int64_t>(hour * 3600 * kSecond);
}

void City::schedule(int64_t at_us, Kind kind, size_t order) {
  // On whole seconds: what falls in the same second is written together.
  actions_.push({at_us / kSecond * kSecond, seq_++, kind, order});
}

void City::found(std::vector<Step>& out) {
  for (size_t i = 0; i < restaurants_.size(); ++i) {
    const Restaurant& r = restaurants_[i];
    RestaurantRegistered details;
    details.name = "Sede " + std::to_string(i + 1);
    details.address = "Av. Larco " + std::to_string(100 + i);
    details.location = GeoPoint{r.lat, r.lng};
    details.currency = "PEN";
    details.time_zone = "America/Lima";
    details.tax = {1800, true};
    details.owners = {r.owner.subject};
    details.series = "A" + std::string(i < 9 ? "00" : i < 99 ? "0" : "") + std::to_string(i + 1);
    out.emplace_back(kDispatcher, RegisterRestaurant{r.id, std::move(details)});
    ReplaceMenu menu{r.id, {}};
    for (const Dish& d : kMenu)
      menu.items.push_back({std::string(d.sku), std::string(d.name), d.price, true, {}, {}});
    out.emplace_back(r.owner, std::move(menu));
  }
  for (const Driver& d : drivers_) {
    out.emplace_back(
        d.who,
        RegisterDriver{d.id, {"Driver " + d.who.subject.substr(9), "", d.who.subject, "moto"}});
    out.emplace_back(d.who, ReportLocation{d.id, ping(d.lat, d.lng)});
    out.emplace_back(d.who, SetAvailability{d.id, Availability::kAvailable});
  }
}

CommandBody City::place(const Order& o, int64_t at_us) {
  PlaceOrder p;
  p.order_id = o.id;
  p.restaurant_id = restaurants_[o.restaurant].id;
  p.customer = {o.customer.subject, "Cliente " + o.customer.subject.substr(7), "+51 999 000 000",
                "", ""};
  const int lines = 1 + static_cast<int>(uniform(0, 3));
  for (int l = 0; l < lines; ++l) {
    const Dish& d = kMenu[(static_cast<size_t>(at_us / kSecond) + 3 * static_cast<size_t>(l)) %
                          std::size(kMenu)];
    p.items.add({std::string(d.sku),
                 std::string(d.name),
                 1 + static_cast<uint32_t>(uniform(0, 2)),
                 0,
                 {},
                 "",
                 0,
                 PriceSource::kMenu},
                {false, 0});
  }
  p.fulfillment.type = o.type;
  if (o.type == FulfillmentType::kDelivery) {
    p.fulfillment.address = "Calle " + std::to_string(static_cast<int>(uniform(1, 400))) + ", Lima";
    p.fulfillment.location = GeoPoint{o.lat, o.lng};
  }
  p.payment = {uniform(0, 1) < 0.6 ? "card" : "wallet", std::nullopt, {}};
  return p;
}

bool City::advance(Order& o) {
  Driver& d = drivers_[o.driver];
  const Restaurant& r = restaurants_[o.restaurant];
  const double to_lat = o.picked_up ? o.lat : r.lat, to_lng = o.picked_up ? o.lng : r.lng;
  const double left = metres(d.lat, d.lng, to_lat, to_lng), step = kSpeed * 4;
  if (left <= step) {
    d.lat = to_lat, d.lng = to_lng;
    return true;
  }
  d.lat += (to_lat - d.lat) * step / left;
  d.lng += (to_lng - d.lng) * step / left;
  return false;
}

std::optional<City::Step> City::command(const Action& a) {
  Order& o = orders_[a.order];
  const Principal& owner = restaurants_[o.restaurant].owner;
  auto step = [&](const Principal& who, const char* status) -> std::optional<Step> {
    return Step{who, ChangeOrderStatus{o.id, status, ""}};
  };
  const bool failed = o.outcome == Outcome::kFailed;
  switch (a.kind) {
    case Kind::kPlace:
      return Step{o.customer, place(o, a.at_us)};
    case Kind::kAccept:
      return step(owner, o.outcome == Outcome::kRejected ? "rejected" : "accepted");
    case Kind::kCancel:
      return step(o.customer, "cancelled");
    case Kind::kPrepare:
      return step(owner, "preparing");
    case Kind::kReady:
      return step(owner, "ready");
    case Kind::kAwaitDriver:
      return step(owner, "awaiting_driver");
    case Kind::kAssign: {
      size_t best = drivers_.size();
      double nearest = 1e18;
      const Restaurant& r = restaurants_[o.restaurant];
      for (size_t i = 0; i < drivers_.size(); ++i)
        if (!drivers_[i].busy)
          if (double m = metres(drivers_[i].lat, drivers_[i].lng, r.lat, r.lng); m < nearest)
            nearest = m, best = i;
      if (best == drivers_.size()) return std::nullopt;  // none free: later
      o.driver = best;
      drivers_[best].busy = true;
      return Step{kDispatcher, AcceptDelivery{o.id, drivers_[best].id}};
    }
    case Kind::kDrive: {
      (void)advance(o);
      const Driver& d = drivers_[o.driver];
      return Step{d.who, ReportLocation{d.id, ping(d.lat, d.lng)}};
    }
    case Kind::kPickUp:
      return step(drivers_[o.driver].who, "picked_up");
    case Kind::kDeliver:
      return step(drivers_[o.driver].who, failed ? "delivery_failed" : "delivered");
    case Kind::kArrive:
      return step(o.customer, "customer_arrived");
    case Kind::kHandOver:
      return step(owner, failed ? "not_picked_up" : "picked_up_by_customer");
    case Kind::kComplete:
      return step(owner, failed ? "cancelled" : "completed");
  }
  return std::nullopt;
}

void City::follow(const Action& a, bool accepted) {
  Order& o = orders_[a.order];
  const int64_t t = a.at_us;
  const bool delivery = o.type == FulfillmentType::kDelivery;
  if (a.kind == Kind::kAssign && !accepted) {
    drivers_[o.driver].busy = false;
    return schedule(t + seconds(60, 90), Kind::kAssign, a.order);
  }
  if (!accepted && a.kind != Kind::kDrive) return;  // the order goes no further
  switch (a.kind) {
    case Kind::kPlace:
      return o.outcome == Outcome::kCancelled
                 ? schedule(t + seconds(20, 90), Kind::kCancel, a.order)
                 : schedule(t + seconds(30, 150), Kind::kAccept, a.order);
    case Kind::kAccept:
      if (o.outcome != Outcome::kRejected) schedule(t + seconds(30, 180), Kind::kPrepare, a.order);
      return;
    case Kind::kPrepare:
      return schedule(t + seconds(480, 1200), Kind::kReady, a.order);
    case Kind::kReady:
      if (delivery) return schedule(t + seconds(5, 30), Kind::kAwaitDriver, a.order);
      if (o.type == FulfillmentType::kEatIn)
        return schedule(t + seconds(1200, 3000), Kind::kComplete, a.order);
      return o.outcome == Outcome::kFailed  // the customer never comes
                 ? schedule(t + seconds(2400, 3000), Kind::kHandOver, a.order)
                 : schedule(t + seconds(300, 900), Kind::kArrive, a.order);
    case Kind::kAwaitDriver:
      return schedule(t + seconds(10, 60), Kind::kAssign, a.order);
    case Kind::kAssign:
    case Kind::kPickUp:
      return schedule(t + seconds(3, 5), Kind::kDrive, a.order);
    case Kind::kDrive: {
      Driver& d = drivers_[o.driver];
      const Restaurant& r = restaurants_[o.restaurant];
      const bool there =
          o.picked_up ? d.lat == o.lat && d.lng == o.lng : d.lat == r.lat && d.lng == r.lng;
      if (!there) return schedule(t + seconds(3, 5), Kind::kDrive, a.order);
      if (o.picked_up) return schedule(t + seconds(30, 120), Kind::kDeliver, a.order);
      o.picked_up = true;
      return schedule(t + seconds(30, 240), Kind::kPickUp, a.order);
    }
    case Kind::kDeliver:
      drivers_[o.driver].busy = false;
      return;
    case Kind::kArrive:
      return schedule(t + seconds(30, 180), Kind::kHandOver, a.order);
    default:
      return;
  }
}

bool City::next(int64_t& at_us, std::vector<Step>& out) {
  out.clear();
  last_.clear();
  if (!founded_) {
    founded_ = true;
    at_us = kStartUs;
    found(out);
    return true;
  }
  while (!actions_.empty()) {
    at_us = actions_.top().at_us;
    while (!actions_.empty() && actions_.top().at_us == at_us) {
      const Action a = actions_.top();
      actions_.pop();
      if (auto step = command(a)) {
        out.push_back(std::move(*step));
        last_.push_back(a);
      } else {
        schedule(a.at_us + seconds(20, 40), a.kind, a.order);  // no driver free yet
      }
    }
    if (!out.empty()) return true;
  }
  return false;
}

void City::outcomes(const std::vector<bool>& accepted) {
  for (size_t i = 0; i < last_.size() && i < accepted.size(); ++i) follow(last_[i], accepted[i]);
  last_.clear();
}

}  // namespace comanda::tools
