// Menus as JSON (DESIGN.md "Shapes"): the bodies of PUT /v1/restaurants/{id}/menu
// and of PUT and PATCH .../menu/items/{sku} to commands, a menu and its items
// to JSON (prices as money in the restaurant's currency), and the menu's
// events. Safe on any thread.
#pragma once

#include <string>
#include <string_view>

#include "api/json/json_writer.h"
#include "engine/base/error.h"
#include "engine/domain/event.h"
#include "engine/domain/menu.h"
#include "projections/menus.h"

namespace comanda::api {

// {"items": [{"sku", "name", "price", "available", "modifiers": [{"name",
// "price"}], "removals": ["onion"]}]}. The restaurant is the caller's to set.
engine::Result<engine::ReplaceMenu> parse_replace_menu(std::string_view body);
// One item; its sku is the path's (a different sku in the body is a 422).
engine::Result<engine::PutMenuItem> parse_put_menu_item(std::string_view body,
                                                        std::string_view sku);
// Any of name, price, available, modifiers, removals (lists are replaced).
engine::Result<engine::MenuItemPatch> parse_menu_item_patch(std::string_view body);

void write_menu_item(JsonWriter& w, const engine::MenuItem& item, std::string_view currency);
std::string menu_item_json(const engine::MenuItem& item, std::string_view currency);
// {"restaurant_id", "version", "updated_at", "items": [...by sku]}.
std::string menu_json(const projections::MenuView& menu);

void write_event_data(JsonWriter& w, const engine::Event& e, const engine::MenuReplaced& p,
                      std::string_view currency);
void write_event_data(JsonWriter& w, const engine::Event& e, const engine::MenuItemUpserted& p,
                      std::string_view currency);
void write_event_data(JsonWriter& w, const engine::Event& e,
                      const engine::MenuItemAvailabilityChanged& p);
void write_event_data(JsonWriter& w, const engine::Event& e, const engine::MenuItemRemoved& p);

}  // namespace comanda::api
