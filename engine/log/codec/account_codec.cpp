#include "engine/log/codec/account_codec.h"

namespace comanda::engine::codec {
namespace {

namespace pb = ::comanda::v1;

Result<Uuid> id_from_pb(const std::string& raw, std::string_view what) {
  auto id = Uuid::from_raw(raw);
  if (!id) return Error::corruption(std::string(what) + " is not a 16-byte id");
  return *id;
}

Result<EventPayload> registered_from_pb(const pb::AccountRegistered& p) {
  AccountRegistered e{p.user_id(), p.name(),        p.class_name(), p.email(),
                      p.phone(),   p.document_id(), std::nullopt,   {}};
  if (!p.parent_id().empty()) {
    auto parent = id_from_pb(p.parent_id(), "customer_registered's parent_id");
    if (!parent.ok()) return parent.error();
    e.parent_id = *parent;
  }
  for (const std::string& raw : p.restaurant_ids()) {
    auto r = id_from_pb(raw, "customer_registered's restaurant id");
    if (!r.ok()) return r.error();
    e.restaurant_ids.push_back(*r);
  }
  return EventPayload{std::move(e)};
}

// A debit or a refund: an amount, a currency, an order.
template <class E, class Message>
Result<EventPayload> movement_from_pb(const Message& p) {
  auto order = id_from_pb(p.order_id(), std::string(E::kType) + "'s order_id");
  if (!order.ok()) return order.error();
  return EventPayload{E{p.amount(), p.currency(), *order}};
}

template <class Message, class E>
void movement_to_pb(const E& e, Message* out) {
  out->set_amount(e.amount);
  out->set_currency(e.currency);
  out->set_order_id(e.order_id.raw().data(), 16);
}

}  // namespace

void to_pb(const AccountRegistered& e, v1::Envelope& envelope) {
  pb::AccountRegistered* out = envelope.mutable_customer_registered();
  out->set_user_id(e.user_id);
  out->set_name(e.name);
  out->set_class_name(e.class_name);
  out->set_email(e.email);
  out->set_phone(e.phone);
  out->set_document_id(e.document_id);
  if (e.parent_id) out->set_parent_id(e.parent_id->raw().data(), 16);
  for (const Uuid& r : e.restaurant_ids) out->add_restaurant_ids(r.raw().data(), 16);
}

void to_pb(const CreditToppedUp& e, v1::Envelope& envelope) {
  pb::CreditToppedUp* out = envelope.mutable_credit_topped_up();
  out->set_amount(e.amount);
  out->set_currency(e.currency);
  out->set_reason(e.reason);
}

void to_pb(const CreditAdjusted& e, v1::Envelope& envelope) {
  pb::CreditAdjusted* out = envelope.mutable_credit_adjusted();
  out->set_amount(e.amount);
  out->set_currency(e.currency);
  out->set_reason(e.reason);
}

void to_pb(const CreditDebited& e, v1::Envelope& envelope) {
  movement_to_pb(e, envelope.mutable_credit_debited());
}

void to_pb(const CreditRefunded& e, v1::Envelope& envelope) {
  movement_to_pb(e, envelope.mutable_credit_refunded());
}

std::optional<Result<EventPayload>> account_event_from_pb(const v1::Envelope& envelope) {
  switch (envelope.payload_case()) {
    case pb::Envelope::kCustomerRegistered:
      return registered_from_pb(envelope.customer_registered());
    case pb::Envelope::kCreditToppedUp: {
      const auto& p = envelope.credit_topped_up();
      return EventPayload{CreditToppedUp{p.amount(), p.currency(), p.reason()}};
    }
    case pb::Envelope::kCreditAdjusted: {
      const auto& p = envelope.credit_adjusted();
      return EventPayload{CreditAdjusted{p.amount(), p.currency(), p.reason()}};
    }
    case pb::Envelope::kCreditDebited:
      return movement_from_pb<CreditDebited>(envelope.credit_debited());
    case pb::Envelope::kCreditRefunded:
      return movement_from_pb<CreditRefunded>(envelope.credit_refunded());
    default:
      return std::nullopt;
  }
}

}  // namespace comanda::engine::codec
