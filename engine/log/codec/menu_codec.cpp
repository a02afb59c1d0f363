#include "engine/log/codec/menu_codec.h"

namespace comanda::engine::codec {
namespace {

namespace pb = ::comanda::v1;

void to_pb(const MenuItem& item, pb::MenuItem* out) {
  out->set_sku(item.sku);
  out->set_name(item.name);
  out->set_price(item.price);
  out->set_unavailable(!item.available);
  for (const MenuModifier& m : item.modifiers) {
    pb::MenuModifier* pm = out->add_modifiers();
    pm->set_name(m.name);
    pm->set_price(m.price);
  }
  for (const std::string& r : item.removals) out->add_removals(r);
}

MenuItem from_pb(const pb::MenuItem& p) {
  MenuItem item{p.sku(), p.name(), p.price(), !p.unavailable(), {}, {}};
  item.modifiers.reserve(static_cast<size_t>(p.modifiers_size()));
  for (const auto& m : p.modifiers()) item.modifiers.push_back({m.name(), m.price()});
  item.removals.assign(p.removals().begin(), p.removals().end());
  return item;
}

}  // namespace

void to_pb(const MenuReplaced& e, v1::Envelope& envelope) {
  pb::MenuReplaced* out = envelope.mutable_menu_replaced();
  for (const MenuItem& item : e.items) to_pb(item, out->add_items());
}

void to_pb(const MenuItemUpserted& e, v1::Envelope& envelope) {
  to_pb(e.item, envelope.mutable_menu_item_upserted()->mutable_item());
}

void to_pb(const MenuItemAvailabilityChanged& e, v1::Envelope& envelope) {
  pb::MenuItemAvailabilityChanged* out = envelope.mutable_menu_item_availability_changed();
  out->set_sku(e.sku);
  out->set_available(e.available);
}

void to_pb(const MenuItemRemoved& e, v1::Envelope& envelope) {
  envelope.mutable_menu_item_removed()->set_sku(e.sku);
}

std::optional<Result<EventPayload>> menu_event_from_pb(const v1::Envelope& envelope) {
  switch (envelope.payload_case()) {
    case pb::Envelope::kMenuReplaced: {
      MenuReplaced e;
      for (const auto& item : envelope.menu_replaced().items()) e.items.push_back(from_pb(item));
      return EventPayload{std::move(e)};
    }
    case pb::Envelope::kMenuItemUpserted:
      return EventPayload{MenuItemUpserted{from_pb(envelope.menu_item_upserted().item())}};
    case pb::Envelope::kMenuItemAvailabilityChanged: {
      const auto& p = envelope.menu_item_availability_changed();
      return EventPayload{MenuItemAvailabilityChanged{p.sku(), p.available()}};
    }
    case pb::Envelope::kMenuItemRemoved:
      return EventPayload{MenuItemRemoved{envelope.menu_item_removed().sku()}};
    default:
      return std::nullopt;
  }
}

}  // namespace comanda::engine::codec
