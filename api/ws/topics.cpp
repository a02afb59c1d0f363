#include "api/ws/topics.h"

#include <algorithm>
#include <variant>

#include "engine/domain/access.h"
#include "engine/domain/handlers.h"

namespace comanda::api {

using engine::Error;
using engine::Role;
using engine::Status;
using engine::Uuid;
using Kind = Topic::Kind;

namespace {

constexpr std::string_view kOrders = "orders/", kRestaurants = "restaurants/",
                           kCustomers = "customers/", kDrivers = "drivers/";

Error bad_topic(std::string_view text) {
  return Error::invalid("topic", "unknown topic \"" + std::string(text.substr(0, 200)) +
                                     "\": one of events, orders/{id}, restaurants/{id}/orders, "
                                     "customers/{id}/orders, drivers/{id}/offers, "
                                     "drivers/{id}/position, drivers/positions");
}

Error not_found(const Topic& topic) {
  return Error::not_found("topic", "no such " + topic.name + " to follow");
}

Error forbidden(const Topic& topic, const engine::Principal& who) {
  return Error::forbidden("topic", "a caller with role " + std::string(role_name(who.role)) +
                                       " cannot follow " + topic.name);
}

std::string driver_topic(const Uuid& driver, std::string_view what) {
  return std::string(kDrivers) + driver.to_string() + "/" + std::string(what);
}

}  // namespace

engine::Result<Topic> parse_topic(std::string_view text) {
  Topic t;
  t.name = std::string(text);
  auto id_between = [&](std::string_view prefix, std::string_view suffix) -> bool {
    if (!text.starts_with(prefix) || !text.ends_with(suffix) ||
        text.size() <= prefix.size() + suffix.size())
      return false;
    auto id = Uuid::parse(text.substr(prefix.size(), text.size() - prefix.size() - suffix.size()));
    if (!id) return false;
    t.id = *id;
    return true;
  };
  if (text == "events") return t;
  if (text == "drivers/positions") {
    t.kind = Kind::kDriverPositions;
    return t;
  }
  if (id_between(kOrders, "")) {
    t.kind = Kind::kOrder;
  } else if (id_between(kRestaurants, "/orders")) {
    t.kind = Kind::kRestaurantOrders;
  } else if (id_between(kDrivers, "/offers")) {
    t.kind = Kind::kDriverOffers;
  } else if (id_between(kDrivers, "/position")) {
    t.kind = Kind::kDriverPosition;
  } else if (text.starts_with(kCustomers) && text.ends_with("/orders") &&
             text.size() > kCustomers.size() + 7 && text.size() <= kCustomers.size() + 7 + 128) {
    t.kind = Kind::kCustomerOrders;
    t.customer = std::string(text.substr(kCustomers.size(), text.size() - kCustomers.size() - 7));
  } else {
    return bad_topic(text);
  }
  // Canonical: ids in their lower-case text form.
  if (t.kind != Kind::kCustomerOrders) {
    const std::string id = t.id.to_string();
    const size_t at = t.kind == Kind::kOrder              ? kOrders.size()
                      : t.kind == Kind::kRestaurantOrders ? kRestaurants.size()
                                                          : kDrivers.size();
    t.name.replace(at, id.size(), id);
  }
  return t;
}

void topics_of(const engine::Event& e, const projections::Audience& audience,
               std::vector<std::string>& out) {
  if (!audience.driver_user.empty()) {  // a driver's own event
    out.push_back(driver_topic(e.stream, "position"));
    out.push_back("drivers/positions");
    return;
  }
  bool order_event = false;
  engine::visit_kind(e.payload, [&]<class K>() { order_event = std::is_same_v<K, engine::Order>; });
  if (!order_event) return;
  out.push_back(std::string(kOrders) + e.stream.to_string());
  out.push_back(std::string(kRestaurants) + e.partition.to_string() + "/orders");
  if (!audience.customer_id.empty())
    out.push_back(std::string(kCustomers) + audience.customer_id + "/orders");
  // The offers' drivers: made, ended, taken.
  std::visit(
      [&](const auto& p) {
        using P = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<P, engine::DriverOffered> ||
                      std::is_same_v<P, engine::OfferExpired>) {
          for (const Uuid& d : p.drivers) out.push_back(driver_topic(d, "offers"));
        } else if constexpr (std::is_same_v<P, engine::OfferWithdrawn> ||
                             std::is_same_v<P, engine::DriverAssigned> ||
                             std::is_same_v<P, engine::DriverUnassigned>) {
          out.push_back(driver_topic(p.driver, "offers"));
        }
      },
      e.payload);
}

void topics_of(const projections::Notification& n, std::vector<std::string>& out) {
  using To = projections::Notification::To;
  switch (n.to) {
    case To::kCustomer:
      out.push_back(std::string(kCustomers) + n.recipient + "/orders");
      out.push_back(std::string(kOrders) + n.order_id.to_string());
      return;
    case To::kDriver:
      out.push_back(std::string(kDrivers) + n.recipient + "/offers");
      return;
    case To::kRestaurant:
      out.push_back(std::string(kRestaurants) + n.recipient + "/orders");
      return;
  }
}

engine::Status TopicRights::may_follow(const engine::Principal& who, const Topic& t) const {
  const bool admin = who.role == Role::kAdmin;
  switch (t.kind) {
    case Kind::kEvents:
      return {};
    case Kind::kOrder: {
      auto order = orders_.order(t.id);
      if (!order || order->deleted) return not_found(t);
      if (admin) return {};
      if (who.role == Role::kDriver) {
        if (drivers_.user_of(order->driver) == who.subject && !order->driver.is_nil()) return {};
        return not_found(t);
      }
      const auto owners = restaurants_.owners(order->placed.restaurant_id);
      if (engine::may_view_order(who, owners, order->placed.customer.id)) return {};
      return not_found(t);
    }
    case Kind::kRestaurantOrders: {
      if (who.role == Role::kCustomer || who.role == Role::kDriver) return forbidden(t, who);
      if (!restaurants_.restaurant(t.id)) return not_found(t);
      if (admin || engine::is_owner(who, restaurants_.owners(t.id))) return {};
      return not_found(t);
    }
    case Kind::kCustomerOrders:
      if (who.role == Role::kOwner || who.role == Role::kDriver) return forbidden(t, who);
      if (admin || t.customer == who.subject) return {};
      return not_found(t);
    case Kind::kDriverOffers: {
      if (who.role == Role::kOwner || who.role == Role::kCustomer) return forbidden(t, who);
      const std::string user = drivers_.user_of(t.id);
      if (user.empty()) return not_found(t);
      if (engine::may_act_as_driver(who, user)) return {};
      return not_found(t);
    }
    case Kind::kDriverPosition: {
      const std::string user = drivers_.user_of(t.id);
      if (user.empty()) return not_found(t);
      if (admin || who.role == Role::kOwner) return {};  // owners see the fleet
      if (who.role == Role::kDriver) return user == who.subject ? Status{} : Status(not_found(t));
      return customer_follows_driver(who, t.id) ? Status{} : Status(not_found(t));
    }
    case Kind::kDriverPositions:
      if (admin || who.role == Role::kOwner) return {};
      return forbidden(t, who);
  }
  return forbidden(t, who);
}

bool TopicRights::still_may(const engine::Principal& who, const Topic& t) const {
  if (t.kind == Kind::kDriverPosition && who.role == Role::kCustomer)
    return customer_follows_driver(who, t.id);
  if (t.kind == Kind::kOrder && who.role == Role::kDriver) {
    const Uuid driver = orders_.driver_of(t.id);
    return !driver.is_nil() && drivers_.user_of(driver) == who.subject;
  }
  return true;
}

bool TopicRights::customer_follows_driver(const engine::Principal& who, const Uuid& driver) const {
  const Uuid order = drivers_.delivery_of(driver);
  return !order.is_nil() && orders_.customer_of(order) == who.subject;
}

}  // namespace comanda::api
