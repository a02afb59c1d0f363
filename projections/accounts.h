// The customer accounts read model: every account by id with its credit per
// currency, and each person's accounts (to show an order's customer as
// Canteen does: their class and their parent).
//
// Threads: see projections/projection.h; the queries on any thread.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/domain/account.h"
#include "projections/read_model.h"

namespace comanda::projections {

using engine::Uuid;

struct AccountView {
  Uuid id;
  uint64_t version = 0;
  int64_t registered_at_us = 0;
  engine::AccountRegistered details;
  std::vector<std::pair<std::string, int64_t>> credit;  // by currency, in code order

  int64_t balance(std::string_view currency) const;
};

class AccountsModel final : public ReadModel {
 public:
  static constexpr std::string_view kName = "accounts";

  std::optional<AccountView> account(const Uuid& id, uint64_t* position = nullptr) const;
  // The account of `user_id` at `restaurant_id`, if any.
  std::optional<AccountView> account_of(const std::string& user_id,
                                        const Uuid& restaurant_id) const;

  std::string_view name() const override { return kName; }
  engine::Status save(const RowSink& put) const override;
  engine::Status load_row(std::string_view key, std::string_view value) override;

 private:
  void apply_one(const engine::Event& e) override;
  void clear() override;
  void add(AccountView account);  // mu_ held

  std::unordered_map<Uuid, AccountView, engine::UuidHash> accounts_;
  std::unordered_map<std::string, std::vector<Uuid>> by_user_;
};

}  // namespace comanda::projections
