#include "projections/notifications.h"

namespace comanda::projections {

using namespace comanda::engine;

namespace {

struct Text {
  std::string_view es;
  std::string_view en;
};

// GastroMóvil's five texts (aceptado, preparando, enviado, entregado,
// cancelado) as its customers see them; the rest in the same voice.
Text customer_text(OrderStatus status) {
  switch (status) {
    case OrderStatus::kScheduled:
      return {"🗓️ Tu pedido quedó programado.", "🗓️ Your order is scheduled."};
    case OrderStatus::kPending:
      return {"🕒 Recibimos tu pedido. El restaurante lo confirmará pronto.",
              "🕒 We got your order. The restaurant will confirm it soon."};
    case OrderStatus::kRejected:
      return {"❌ El restaurante no pudo aceptar tu pedido.",
              "❌ The restaurant could not take your order."};
    case OrderStatus::kAccepted:
      return {"✅ ¡Tu pedido fue aceptado! El restaurante lo está preparando.",
              "✅ Your order was accepted! The restaurant is preparing it."};
    case OrderStatus::kPreparing:
      return {"👨‍🍳 Tu pedido está siendo preparado.",
              "👨‍🍳 Your order is being prepared."};
    case OrderStatus::kReady:
      return {"🍽️ ¡Tu pedido está listo!", "🍽️ Your order is ready!"};
    case OrderStatus::kAwaitingDriver:
      return {"🛵 ¡Tu pedido está en camino!", "🛵 Your order is on its way!"};
    case OrderStatus::kFleetAssigned:
      return {"🚚 Una flota llevará tu pedido.", "🚚 A fleet will deliver your order."};
    case OrderStatus::kDriverAssigned:
      return {"🛵 Un repartidor tomó tu pedido.", "🛵 A driver took your order."};
    case OrderStatus::kDriverNearRestaurant:
      return {"📍 Tu repartidor está llegando al restaurante.",
              "📍 Your driver is arriving at the restaurant."};
    case OrderStatus::kDriverAtRestaurant:
      return {"🏪 Tu repartidor está en el restaurante.", "🏪 Your driver is at the restaurant."};
    case OrderStatus::kPickedUp:
      return {"🛍️ Tu repartidor recogió tu pedido.",
              "🛍️ Your driver picked up your order."};
    case OrderStatus::kPickupFailed:
      return {"⚠️ Tu repartidor no pudo recoger tu pedido.",
              "⚠️ Your driver could not pick up your order."};
    case OrderStatus::kOnTheWay:
      return {"🛵 Tu pedido va hacia ti.", "🛵 Your order is heading your way."};
    case OrderStatus::kDriverNearCustomer:
      return {"📍 ¡Tu repartidor está cerca!", "📍 Your driver is nearby!"};
    case OrderStatus::kDelivered:
      return {"🎉 ¡Tu pedido fue entregado!", "🎉 Your order was delivered!"};
    case OrderStatus::kDeliveryFailed:
      return {"⚠️ No pudimos entregar tu pedido.", "⚠️ We could not deliver your order."};
    case OrderStatus::kCustomerNearRestaurant:
      return {"📍 El restaurante sabe que estás cerca.", "📍 The restaurant knows you are nearby."};
    case OrderStatus::kCustomerArrived:
      return {"👋 El restaurante sabe que llegaste.", "👋 The restaurant knows you are here."};
    case OrderStatus::kPickedUpByCustomer:
      return {"🎉 ¡Recogiste tu pedido!", "🎉 You picked up your order!"};
    case OrderStatus::kNotPickedUp:
      return {"⚠️ Tu pedido no fue recogido.", "⚠️ Your order was not picked up."};
    case OrderStatus::kCompleted:
      return {"🎉 ¡Tu pedido está completo!", "🎉 Your order is complete!"};
    case OrderStatus::kCancelled:
      return {"❌ Tu pedido fue cancelado.", "❌ Your order was cancelled."};
  }
  return {"", ""};
}

}  // namespace

std::string_view customer_message(OrderStatus status, std::string_view locale) {
  const Text text = customer_text(status);
  return locale == "en" ? text.en : text.es;
}

std::vector<Notification> NotificationsOf::operator()(const Event& e) const {
  std::vector<Notification> out;
  const bool status_change = std::holds_alternative<OrderStatusChanged>(e.payload);
  const bool offer = std::holds_alternative<DriverOffered>(e.payload);
  const bool placed = std::holds_alternative<OrderPlaced>(e.payload);
  if (!status_change && !offer && !placed) return out;
  auto order = orders_.order(e.stream);
  if (!order) return out;  // deleted since: nobody to tell
  const OrderPlaced& o = order->placed;
  Notification base;
  base.order_id = e.stream;
  base.position = e.position;
  base.reference = o.reference;

  if (const auto* changed = std::get_if<OrderStatusChanged>(&e.payload)) {
    if (o.customer.id.empty()) return out;  // a guest: no account to reach
    Notification n = base;
    n.to = Notification::To::kCustomer;
    n.recipient = o.customer.id;
    n.message = customer_message(changed->to, o.customer.locale);
    out.push_back(std::move(n));
  } else if (const auto* offered = std::get_if<DriverOffered>(&e.payload)) {
    auto restaurant = restaurants_.restaurant(o.restaurant_id);
    for (const Uuid& driver : offered->drivers) {
      Notification n = base;
      n.to = Notification::To::kDriver;
      n.recipient = driver.to_string();
      if (restaurant) {
        n.restaurant_name = restaurant->details.name;
        n.restaurant_address = restaurant->details.address;
      }
      n.delivery_address = o.fulfillment.address;
      n.message = "Nuevo pedido " + o.reference + " en " + n.restaurant_name + " (" +
                  n.restaurant_address + ") para " + n.delivery_address;
      out.push_back(std::move(n));
    }
  } else {
    Notification n = base;
    n.to = Notification::To::kRestaurant;
    n.recipient = o.restaurant_id.to_string();
    n.message = "Nuevo pedido " + o.reference + " (" + std::to_string(o.items.size()) +
                (o.items.size() == 1 ? " producto)" : " productos)");
    out.push_back(std::move(n));
  }
  return out;
}

}  // namespace comanda::projections
