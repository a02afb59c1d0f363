#include "engine/domain/account.h"

#include <algorithm>

#include "engine/base/text.h"
#include "engine/domain/access.h"
#include "engine/domain/decision.h"
#include "engine/domain/money.h"
#include "engine/domain/restaurant.h"

namespace comanda::engine {

CurrencyCode currency_code(std::string_view currency) {
  CurrencyCode code{' ', ' ', ' '};
  std::copy_n(currency.begin(), std::min<size_t>(currency.size(), 3), code.begin());
  return code;
}

int64_t AccountState::balance(std::string_view currency) const {
  const CurrencyCode code = currency_code(currency);
  for (const auto& [c, amount] : balances)
    if (c == code) return amount;
  return 0;
}

bool AccountState::serves(const Uuid& restaurant_id) const {
  return std::find(restaurant_ids.begin(), restaurant_ids.end(), restaurant_id) !=
         restaurant_ids.end();
}

// ---- state ----

const AccountState& AccountBook::apply(const Event& e, const AccountRegistered& p) {
  AccountState& a = at(e.stream);
  a.version = e.stream_version;
  a.user_id = p.user_id;
  a.parent_id = p.parent_id;
  a.restaurant_ids.assign(p.restaurant_ids.begin(), p.restaurant_ids.end());
  by_user_[p.user_id].push_back(e.stream);
  return a;
}

void AccountBook::restore(const Uuid& id, AccountState state) {
  by_user_[state.user_id].push_back(id);
  at(id) = std::move(state);
}

AccountState& AccountBook::moved(const Event& e, std::string_view currency, int64_t delta) {
  AccountState& a = at(e.stream);
  a.version = e.stream_version;
  const CurrencyCode code = currency_code(currency);
  for (auto& [c, amount] : a.balances)
    if (c == code) {
      amount += delta;
      return a;
    }
  a.balances.emplace_back(code, delta);
  return a;
}

const AccountState& AccountBook::apply(const Event& e, const CreditToppedUp& p) {
  return moved(e, p.currency, p.amount);
}
const AccountState& AccountBook::apply(const Event& e, const CreditAdjusted& p) {
  return moved(e, p.currency, p.amount);
}
const AccountState& AccountBook::apply(const Event& e, const CreditDebited& p) {
  return moved(e, p.currency, -p.amount);
}
const AccountState& AccountBook::apply(const Event& e, const CreditRefunded& p) {
  return moved(e, p.currency, p.amount);
}

std::optional<Uuid> AccountBook::of_user_at(const std::string& user_id,
                                            const Uuid& restaurant_id) const {
  auto it = by_user_.find(user_id);
  if (it == by_user_.end()) return std::nullopt;
  for (const Uuid& id : it->second)
    if (const AccountState* a = find(id); a && a->serves(restaurant_id)) return id;
  return std::nullopt;
}

// ---- rules ----

Status validate(RegisterAccount& cmd) {
  AccountRegistered& d = cmd.details;
  if (d.user_id.empty() || d.user_id.size() > 128 || has_control_character(d.user_id))
    return Error::invalid("user_id", "user_id must be 1 to 128 bytes without control characters");
  if (d.restaurant_ids.empty() || d.restaurant_ids.size() > 50)
    return Error::invalid("restaurant_ids", "restaurant_ids must name 1 to 50 restaurants");
  for (size_t i = 0; i < d.restaurant_ids.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (d.restaurant_ids[i] == d.restaurant_ids[j]) {
        const std::string field = "restaurant_ids[" + std::to_string(i) + "]";
        return Error::unprocessable(field, field + " is named twice");
      }
  return {};
}

namespace {

Status check_parent(Decision& d, const AccountRegistered& details) {
  if (!details.parent_id) return {};
  const AccountState* parent = d.find<Account>(*details.parent_id);
  if (!parent) return Error::unprocessable("parent_id", "parent_id names no account");
  if (parent->parent_id)
    return Error::unprocessable("parent_id", "a parent account cannot have a parent itself");
  for (const Uuid& r : details.restaurant_ids)
    if (!parent->serves(r))
      return Error::unprocessable("parent_id",
                                  "the parent account must belong to every restaurant of its "
                                  "child's (it has no " +
                                      r.to_string() + ")");
  return {};
}

// Whether `who` may manage the account: an admin, or an owner of one of its
// restaurants.
bool manages(Decision& d, const Principal& who, const AccountState& account) {
  if (who.role == Role::kAdmin) return true;
  if (who.role != Role::kOwner) return false;
  for (const Uuid& r : account.restaurant_ids)
    if (const RestaurantState* rs = d.find<Restaurant>(r); rs && is_owner(who, rs->details.owners))
      return true;
  return false;
}

}  // namespace

Status decide(RegisterAccount& cmd, Decision& d) {
  const Principal& who = d.caller();
  if (who.role != Role::kAdmin && who.role != Role::kOwner)
    return Error::forbidden("a caller with role " + std::string(role_name(who.role)) +
                            " cannot register customer accounts");
  AccountRegistered& details = cmd.details;
  for (size_t i = 0; i < details.restaurant_ids.size(); ++i) {
    const RestaurantState* r = d.find<Restaurant>(details.restaurant_ids[i]);
    if (!r || !may_view_restaurant(who, r->details.owners))
      return Error::not_found("restaurant_ids[" + std::to_string(i) + "]", "no such restaurant");
  }
  if (Status parent = check_parent(d, details); !parent.ok()) return parent;
  for (const Uuid& r : details.restaurant_ids)
    if (d.book<Account>().of_user_at(details.user_id, r))
      return Error::conflict(
          "user_id", details.user_id + " already has an account at restaurant " + r.to_string());
  if (d.find<Account>(cmd.account_id))
    return Error::conflict("id", "an account with this id already exists");
  d.emit({cmd.account_id, cmd.account_id, 0}, std::move(details));
  return {};
}

Status validate(ChangeCredit& cmd) {
  if (!find_currency(cmd.currency))
    return Error::unprocessable(
        "currency",
        "currency '" + cmd.currency + "' is not supported; supported: " + supported_currencies());
  constexpr int64_t kMax = 1'000'000'000'000;
  if (cmd.amount == 0 || cmd.amount > kMax || cmd.amount < -kMax)
    return Error::invalid("amount", "amount must be from -10^12 to 10^12, and not 0");
  if (cmd.reason.size() > 200 || has_control_character(cmd.reason))
    return Error::invalid("reason", "reason must be up to 200 bytes without control characters");
  return {};
}

Status decide(ChangeCredit& cmd, Decision& d) {
  const Principal& who = d.caller();
  if (who.role != Role::kAdmin && who.role != Role::kOwner)
    return Error::forbidden("a caller with role " + std::string(role_name(who.role)) +
                            " cannot change credit");
  const AccountState* a = d.find<Account>(cmd.account_id);
  if (!a || !manages(d, who, *a)) return Error::not_found("no such customer account");
  if (Status version = d.expect_version(a->version); !version.ok()) return version;
  const Target target{cmd.account_id, cmd.account_id, a->version};
  if (cmd.amount > 0) {
    d.emit(target, CreditToppedUp{cmd.amount, std::move(cmd.currency),
                                  cmd.reason.empty() ? "top-up" : std::move(cmd.reason)});
    return {};
  }
  const int64_t balance = a->balance(cmd.currency);
  if (balance + cmd.amount < 0)
    return Error::unprocessable("amount", "the balance is " + std::to_string(balance) + " " +
                                              cmd.currency + ": an adjustment of " +
                                              std::to_string(cmd.amount) +
                                              " would take it below zero");
  d.emit(target, CreditAdjusted{cmd.amount, std::move(cmd.currency),
                                cmd.reason.empty() ? "adjustment" : std::move(cmd.reason)});
  return {};
}

}  // namespace comanda::engine
