// The menus read model: each restaurant's menu as it now is, with the
// restaurant's currency (its prices are in it).
//
// Threads: see projections/projection.h; the queries on any thread.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>

#include "engine/domain/menu.h"
#include "projections/read_model.h"

namespace comanda::projections {

using engine::Uuid;

struct MenuView {
  Uuid restaurant_id;
  uint64_t version = 0;       // 0: never set
  int64_t updated_at_us = 0;  // 0: never set
  std::string currency;
  engine::MenuItems items;
};

class MenusModel final : public ReadModel {
 public:
  static constexpr std::string_view kName = "menus";

  // The restaurant's menu (empty, at version 0, before its first change);
  // nullopt for an unknown restaurant. `position`, if given, receives the
  // position the answer reflects.
  std::optional<MenuView> menu(const Uuid& restaurant_id, uint64_t* position = nullptr) const;
  // One item with the menu's currency and version; nullopt when either is absent.
  struct Item {
    engine::MenuItem item;
    std::string currency;
    uint64_t version = 0;
  };
  std::optional<Item> item(const Uuid& restaurant_id, std::string_view sku,
                           uint64_t* position = nullptr) const;

  std::string_view name() const override { return kName; }
  engine::Status save(const RowSink& put) const override;
  engine::Status load_row(std::string_view key, std::string_view value) override;

 private:
  void apply_one(const engine::Event& e) override;
  void clear() override;

  std::unordered_map<Uuid, MenuView, engine::UuidHash> menus_;  // by restaurant
};

}  // namespace comanda::projections
