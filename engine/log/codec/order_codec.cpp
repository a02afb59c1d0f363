#include "engine/log/codec/order_codec.h"

#include "engine/log/codec/common_codec.h"

namespace comanda::engine::codec {
namespace {

bool valid_status(int value) { return value >= 0 && value < static_cast<int>(kStatusCount); }

// ---- the parts of an order, each way ----

void to_pb(const Customer& c, pb::Customer* out) {
  out->set_id(c.id);
  out->set_name(c.name);
  out->set_phone(c.phone);
  // Fields most orders leave empty cost nothing to skip (proto3 writes no
  // empty string anyway).
  if (!c.email.empty()) out->set_email(c.email);
  if (!c.locale.empty()) out->set_locale(c.locale);
}

Customer from_pb(const pb::Customer& c) {
  return {c.id(), c.name(), c.phone(), c.email(), c.locale()};
}

void to_pb(const OrderLine& l, pb::OrderLine* out) {
  out->set_sku(l.sku);
  out->set_name(l.name);
  out->set_quantity(l.quantity);
  out->set_unit_price(l.unit_price);
  for (const Modifier& m : l.modifiers) {
    pb::Modifier* pm = out->add_modifiers();
    pm->set_name(m.name);
    pm->set_price(m.price);
    if (m.removal) pm->set_removal(true);
  }
  if (l.price_source != PriceSource::kGiven)
    out->set_price_source(static_cast<pb::PriceSource>(l.price_source));
  out->set_notes(l.notes);
  out->set_line_total(l.line_total);
}

template <class Lines>
Result<std::vector<OrderLine>> lines_from_pb(const Lines& lines) {
  std::vector<OrderLine> out;
  out.reserve(static_cast<size_t>(lines.size()));
  for (const auto& pl : lines) {
    if (pl.price_source() < 0 || pl.price_source() > pb::PRICE_SOURCE_MENU)
      return Error::corruption("an order line has an unknown price source");
    OrderLine l{pl.sku(), pl.name(),  pl.quantity(),   pl.unit_price(),
                {},       pl.notes(), pl.line_total(), static_cast<PriceSource>(pl.price_source())};
    for (const auto& pm : pl.modifiers())
      l.modifiers.push_back({pm.name(), pm.price(), pm.removal()});
    out.push_back(std::move(l));
  }
  return out;
}

void to_pb(const Fulfillment& f, pb::Fulfillment* out) {
  out->set_type(static_cast<pb::FulfillmentType>(f.type));
  out->set_address(f.address);
  if (f.location) codec::to_pb(*f.location, out->mutable_location());
  out->set_scheduled_for_us(f.scheduled_for_us);
}

Result<Fulfillment> from_pb(const pb::Fulfillment& f) {
  if (f.type() < 0 || f.type() > pb::FULFILLMENT_EAT_IN)
    return Error::corruption("an order has an unknown fulfillment type");
  Fulfillment out{static_cast<FulfillmentType>(f.type()), f.address(), std::nullopt,
                  f.scheduled_for_us()};
  if (f.has_location()) out.location = codec::from_pb(f.location());
  return out;
}

void to_pb(const Payment& p, pb::Payment* out) {
  out->set_method(p.method);
  if (p.cash_tendered) {
    out->set_has_cash_tendered(true);
    out->set_cash_tendered(*p.cash_tendered);
  }
  if (!p.account.is_nil()) out->set_account(p.account.raw().data(), 16);
}

Result<Payment> from_pb(const pb::Payment& p) {
  Payment out{p.method(), std::nullopt, {}};
  if (p.has_cash_tendered()) out.cash_tendered = p.cash_tendered();
  if (!p.account().empty()) {
    auto account = Uuid::from_raw(p.account());
    if (!account) return Error::corruption("a payment names a malformed account id");
    out.account = *account;
  }
  return out;
}

void to_pb(const Totals& t, pb::Totals* out) {
  out->set_subtotal(t.subtotal);
  out->set_discount(t.discount);
  out->set_delivery_fee(t.delivery_fee);
  out->set_taxable_base(t.taxable_base);
  out->set_tax(t.tax);
  out->set_tip(t.tip);
  out->set_total(t.total);
}

Totals from_pb(const pb::Totals& t) {
  return {t.subtotal(), t.discount(), t.delivery_fee(), t.taxable_base(),
          t.tax(),      t.tip(),      t.total()};
}

// ---- events from their messages ----

// The parts an order_placed and an order_replaced both hold whole.
template <class Message, class Payload>
Status read_details(const Message& p, Payload& e) {
  e.customer = from_pb(p.customer());
  auto items = lines_from_pb(p.items());
  if (!items.ok()) return items.error();
  e.items = std::move(*items);
  auto fulfillment = from_pb(p.fulfillment());
  if (!fulfillment.ok()) return fulfillment.error();
  e.fulfillment = std::move(*fulfillment);
  auto payment = from_pb(p.payment());
  if (!payment.ok()) return payment.error();
  e.payment = std::move(*payment);
  e.notes = p.notes();
  e.delivery_zone = p.delivery_zone();
  e.totals = from_pb(p.totals());
  return {};
}

Result<EventPayload> placed_from_pb(const pb::OrderPlaced& p) {
  OrderPlaced e;
  auto restaurant = Uuid::from_raw(p.restaurant_id());
  if (!restaurant || !valid_status(p.status()))
    return Error::corruption("order_placed has a bad restaurant id or status");
  e.restaurant_id = *restaurant;
  e.reference = p.reference();
  e.number = p.number();
  if (Status details = read_details(p, e); !details.ok()) return details.error();
  e.currency = p.currency();
  e.tax = codec::from_pb(p.tax());
  e.status = static_cast<OrderStatus>(p.status());
  e.app_id = p.app_id();
  return EventPayload{std::move(e)};
}

Result<EventPayload> changed_from_pb(const pb::OrderChanged& p) {
  OrderChanged e;
  if (p.has_customer()) e.customer = from_pb(p.customer());
  if (p.has_items()) {
    auto items = lines_from_pb(p.items().items());
    if (!items.ok()) return items.error();
    e.items = std::move(*items);
  }
  if (p.has_fulfillment()) {
    auto fulfillment = from_pb(p.fulfillment());
    if (!fulfillment.ok()) return fulfillment.error();
    e.fulfillment = std::move(*fulfillment);
  }
  if (p.has_payment()) {
    auto payment = from_pb(p.payment());
    if (!payment.ok()) return payment.error();
    e.payment = std::move(*payment);
  }
  if (p.has_notes()) e.notes = p.notes();
  if (p.has_delivery_zone()) e.delivery_zone = p.delivery_zone();
  e.totals = from_pb(p.totals());
  return EventPayload{std::move(e)};
}

Result<EventPayload> replaced_from_pb(const pb::OrderReplaced& p) {
  OrderReplaced e;
  if (Status details = read_details(p, e); !details.ok()) return details.error();
  return EventPayload{std::move(e)};
}

}  // namespace

void to_pb(const OrderPlaced& e, v1::Envelope& envelope) {
  pb::OrderPlaced* out = envelope.mutable_order_placed();
  out->set_restaurant_id(e.restaurant_id.raw().data(), 16);
  out->set_reference(e.reference);
  out->set_number(e.number);
  to_pb(e.customer, out->mutable_customer());
  for (const OrderLine& l : e.items) to_pb(l, out->add_items());
  to_pb(e.fulfillment, out->mutable_fulfillment());
  to_pb(e.payment, out->mutable_payment());
  out->set_notes(e.notes);
  out->set_currency(e.currency);
  to_pb(e.tax, out->mutable_tax());
  to_pb(e.totals, out->mutable_totals());
  out->set_status(static_cast<pb::OrderStatus>(e.status));
  if (!e.app_id.empty()) out->set_app_id(e.app_id);
  if (!e.delivery_zone.empty()) out->set_delivery_zone(e.delivery_zone);
}

void to_pb(const OrderStatusChanged& e, v1::Envelope& envelope) {
  pb::OrderStatusChanged* out = envelope.mutable_order_status_changed();
  out->set_from(static_cast<pb::OrderStatus>(e.from));
  out->set_to(static_cast<pb::OrderStatus>(e.to));
  out->set_reason(e.reason);
  out->set_caused_by(e.caused_by);
}

void to_pb(const OrderChanged& e, v1::Envelope& envelope) {
  pb::OrderChanged* out = envelope.mutable_order_changed();
  if (e.customer) to_pb(*e.customer, out->mutable_customer());
  if (e.items) {
    pb::OrderLines* lines = out->mutable_items();  // present even if empty
    for (const OrderLine& l : *e.items) to_pb(l, lines->add_items());
  }
  if (e.fulfillment) to_pb(*e.fulfillment, out->mutable_fulfillment());
  if (e.payment) to_pb(*e.payment, out->mutable_payment());
  if (e.notes) out->set_notes(*e.notes);
  if (e.delivery_zone) out->set_delivery_zone(*e.delivery_zone);
  to_pb(e.totals, out->mutable_totals());
}

void to_pb(const OrderReplaced& e, v1::Envelope& envelope) {
  pb::OrderReplaced* out = envelope.mutable_order_replaced();
  to_pb(e.customer, out->mutable_customer());
  for (const OrderLine& l : e.items) to_pb(l, out->add_items());
  to_pb(e.fulfillment, out->mutable_fulfillment());
  to_pb(e.payment, out->mutable_payment());
  out->set_notes(e.notes);
  out->set_delivery_zone(e.delivery_zone);
  to_pb(e.totals, out->mutable_totals());
}

void to_pb(const OrderLineFulfilled& e, v1::Envelope& envelope) {
  pb::OrderLineFulfilled* out = envelope.mutable_order_line_fulfilled();
  out->set_line(e.line);
  out->set_quantity(e.quantity);
}

void to_pb(const OrderArchived&, v1::Envelope& envelope) { envelope.mutable_order_archived(); }

void to_pb(const OrderDeleted&, v1::Envelope& envelope) { envelope.mutable_order_deleted(); }

void to_pb(const OrderNotReadyChanged& e, v1::Envelope& envelope) {
  envelope.mutable_order_not_ready_changed()->set_not_ready(e.not_ready);
}

std::optional<Result<EventPayload>> order_event_from_pb(const v1::Envelope& envelope) {
  switch (envelope.payload_case()) {
    case pb::Envelope::kOrderPlaced:
      return placed_from_pb(envelope.order_placed());
    case pb::Envelope::kOrderStatusChanged: {
      const auto& p = envelope.order_status_changed();
      if (!valid_status(p.from()) || !valid_status(p.to()))
        return Error::corruption("order_status_changed has an unknown status");
      return EventPayload{OrderStatusChanged{static_cast<OrderStatus>(p.from()),
                                             static_cast<OrderStatus>(p.to()), p.reason(),
                                             p.caused_by()}};
    }
    case pb::Envelope::kOrderChanged:
      return changed_from_pb(envelope.order_changed());
    case pb::Envelope::kOrderReplaced:
      return replaced_from_pb(envelope.order_replaced());
    case pb::Envelope::kOrderLineFulfilled: {
      const auto& p = envelope.order_line_fulfilled();
      return EventPayload{OrderLineFulfilled{p.line(), p.quantity()}};
    }
    case pb::Envelope::kOrderArchived:
      return EventPayload{OrderArchived{}};
    case pb::Envelope::kOrderDeleted:
      return EventPayload{OrderDeleted{}};
    case pb::Envelope::kOrderNotReadyChanged:
      return EventPayload{OrderNotReadyChanged{envelope.order_not_ready_changed().not_ready()}};
    default:
      return std::nullopt;
  }
}

}  // namespace comanda::engine::codec
