#include "engine/log/codec/order_codec.h"

#include "engine/log/codec/common_codec.h"

namespace comanda::engine::codec {
namespace {

bool valid_status(int value) { return value >= 0 && value < static_cast<int>(kStatusCount); }

Result<EventPayload> placed_from_pb(const pb::OrderPlaced& p) {
  OrderPlaced e;
  auto restaurant = Uuid::from_raw(p.restaurant_id());
  if (!restaurant || !valid_status(p.status()))
    return Error::corruption("order_placed has a bad restaurant id or status");
  e.restaurant_id = *restaurant;
  e.reference = p.reference();
  e.number = p.number();
  e.customer = {p.customer().id(), p.customer().name(), p.customer().phone()};
  for (const auto& pl : p.items()) {
    if (pl.price_source() < 0 || pl.price_source() > pb::PRICE_SOURCE_MENU)
      return Error::corruption("order_placed has a line of an unknown price source");
    OrderLine l{pl.sku(), pl.name(),  pl.quantity(),   pl.unit_price(),
                {},       pl.notes(), pl.line_total(), static_cast<PriceSource>(pl.price_source())};
    for (const auto& pm : pl.modifiers())
      l.modifiers.push_back({pm.name(), pm.price(), pm.removal()});
    e.items.push_back(std::move(l));
  }
  const auto& f = p.fulfillment();
  e.fulfillment.type = static_cast<FulfillmentType>(f.type());
  e.fulfillment.address = f.address();
  if (f.has_location()) e.fulfillment.location = from_pb(f.location());
  e.payment.method = p.payment().method();
  if (p.payment().has_cash_tendered()) e.payment.cash_tendered = p.payment().cash_tendered();
  e.notes = p.notes();
  e.currency = p.currency();
  e.tax = from_pb(p.tax());
  const auto& t = p.totals();
  e.totals = {t.subtotal(), t.discount(), t.delivery_fee(), t.taxable_base(),
              t.tax(),      t.tip(),      t.total()};
  e.status = static_cast<OrderStatus>(p.status());
  return EventPayload{std::move(e)};
}

}  // namespace

void to_pb(const OrderPlaced& e, v1::Envelope& envelope) {
  pb::OrderPlaced* out = envelope.mutable_order_placed();
  out->set_restaurant_id(e.restaurant_id.raw().data(), 16);
  out->set_reference(e.reference);
  out->set_number(e.number);
  out->mutable_customer()->set_id(e.customer.id);
  out->mutable_customer()->set_name(e.customer.name);
  out->mutable_customer()->set_phone(e.customer.phone);
  for (const OrderLine& l : e.items) {
    pb::OrderLine* pl = out->add_items();
    pl->set_sku(l.sku);
    pl->set_name(l.name);
    pl->set_quantity(l.quantity);
    pl->set_unit_price(l.unit_price);
    for (const Modifier& m : l.modifiers) {
      pb::Modifier* pm = pl->add_modifiers();
      pm->set_name(m.name);
      pm->set_price(m.price);
      pm->set_removal(m.removal);
    }
    pl->set_price_source(static_cast<pb::PriceSource>(l.price_source));
    pl->set_notes(l.notes);
    pl->set_line_total(l.line_total);
  }
  pb::Fulfillment* f = out->mutable_fulfillment();
  f->set_type(static_cast<pb::FulfillmentType>(e.fulfillment.type));
  f->set_address(e.fulfillment.address);
  if (e.fulfillment.location) to_pb(*e.fulfillment.location, f->mutable_location());
  out->mutable_payment()->set_method(e.payment.method);
  if (e.payment.cash_tendered) {
    out->mutable_payment()->set_has_cash_tendered(true);
    out->mutable_payment()->set_cash_tendered(*e.payment.cash_tendered);
  }
  out->set_notes(e.notes);
  out->set_currency(e.currency);
  to_pb(e.tax, out->mutable_tax());
  pb::Totals* t = out->mutable_totals();
  t->set_subtotal(e.totals.subtotal);
  t->set_discount(e.totals.discount);
  t->set_delivery_fee(e.totals.delivery_fee);
  t->set_taxable_base(e.totals.taxable_base);
  t->set_tax(e.totals.tax);
  t->set_tip(e.totals.tip);
  t->set_total(e.totals.total);
  out->set_status(static_cast<pb::OrderStatus>(e.status));
}

void to_pb(const OrderStatusChanged& e, v1::Envelope& envelope) {
  pb::OrderStatusChanged* out = envelope.mutable_order_status_changed();
  out->set_from(static_cast<pb::OrderStatus>(e.from));
  out->set_to(static_cast<pb::OrderStatus>(e.to));
  out->set_reason(e.reason);
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
                                             static_cast<OrderStatus>(p.to()), p.reason()}};
    }
    default:
      return std::nullopt;
  }
}

}  // namespace comanda::engine::codec
