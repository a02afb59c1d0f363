#include "projections/accounts.h"

#include <algorithm>

#include "projections/rows.h"

namespace comanda::projections {

namespace {

void move_credit(AccountView& a, const std::string& currency, int64_t delta) {
  auto it =
      std::lower_bound(a.credit.begin(), a.credit.end(), currency,
                       [](const auto& entry, const std::string& c) { return entry.first < c; });
  if (it == a.credit.end() || it->first != currency) it = a.credit.insert(it, {currency, 0});
  it->second += delta;
}

}  // namespace

int64_t AccountView::balance(std::string_view currency) const {
  for (const auto& [c, amount] : credit)
    if (c == currency) return amount;
  return 0;
}

std::optional<AccountView> AccountsModel::account(const Uuid& id, uint64_t* position) const {
  auto lock = read_lock(position);
  auto it = accounts_.find(id);
  if (it == accounts_.end()) return std::nullopt;
  return it->second;
}

std::optional<AccountView> AccountsModel::account_of(const std::string& user_id,
                                                     const Uuid& restaurant_id) const {
  auto lock = read_lock();
  auto it = by_user_.find(user_id);
  if (it == by_user_.end()) return std::nullopt;
  for (const Uuid& id : it->second) {
    const AccountView& a = accounts_.at(id);
    const auto& rs = a.details.restaurant_ids;
    if (std::find(rs.begin(), rs.end(), restaurant_id) != rs.end()) return a;
  }
  return std::nullopt;
}

void AccountsModel::add(AccountView account) {
  by_user_[account.details.user_id].push_back(account.id);
  accounts_[account.id] = std::move(account);
}

void AccountsModel::apply_one(const engine::Event& e) {
  using namespace engine;
  if (auto* registered = std::get_if<AccountRegistered>(&e.payload)) {
    add({e.stream, e.stream_version, e.recorded_at_us, *registered, {}});
    return;
  }
  if (!std::holds_alternative<CreditToppedUp>(e.payload) &&
      !std::holds_alternative<CreditAdjusted>(e.payload) &&
      !std::holds_alternative<CreditDebited>(e.payload) &&
      !std::holds_alternative<CreditRefunded>(e.payload))
    return;  // not a credit movement (told by type, before any lookup)
  auto it = accounts_.find(e.stream);
  if (it == accounts_.end()) return;  // not an account's event
  AccountView& a = it->second;
  if (auto* p = std::get_if<CreditToppedUp>(&e.payload))
    move_credit(a, p->currency, p->amount);
  else if (auto* p = std::get_if<CreditAdjusted>(&e.payload))
    move_credit(a, p->currency, p->amount);
  else if (auto* p = std::get_if<CreditDebited>(&e.payload))
    move_credit(a, p->currency, -p->amount);
  else if (auto* p = std::get_if<CreditRefunded>(&e.payload))
    move_credit(a, p->currency, p->amount);
  else
    return;
  a.version = e.stream_version;
}

void AccountsModel::clear() {
  accounts_.clear();
  by_user_.clear();
}

engine::Status AccountsModel::save(const RowSink& put) const {
  auto lock = read_lock();
  v1::ViewRow row;
  std::string value;
  for (const auto& [id, a] : accounts_) {
    row.Clear();
    row.set_origin(founding_event(id, id, 0, a.registered_at_us, a.details));
    row.set_version(a.version);
    for (const auto& [currency, amount] : a.credit) {
      v1::Balance* b = row.add_balances();
      b->set_currency(currency);
      b->set_amount(amount);
    }
    if (auto s = put_row(put, id.raw(), row, value); !s.ok()) return s;
  }
  return {};
}

engine::Status AccountsModel::load_row(std::string_view, std::string_view value) {
  auto parsed = parse_row(kName, value);
  if (!parsed.ok()) return parsed.error();
  const v1::ViewRow& row = *parsed;
  auto origin = stored_event(row.origin());
  if (!origin.ok()) return origin.error();
  auto* registered = std::get_if<engine::AccountRegistered>(&origin->payload);
  if (!registered) return bad_row(kName, "holds another event");
  AccountView a{origin->stream, row.version(), origin->recorded_at_us, std::move(*registered), {}};
  for (const auto& b : row.balances()) a.credit.emplace_back(b.currency(), b.amount());
  std::sort(a.credit.begin(), a.credit.end());
  auto lock = write_lock();
  add(std::move(a));
  return {};
}

}  // namespace comanda::projections
