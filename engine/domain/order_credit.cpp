#include "engine/domain/order_credit.h"

#include "engine/domain/account.h"
#include "engine/domain/decision.h"
#include "engine/domain/money.h"

namespace comanda::engine {

Result<Uuid> paying_account(Decision& d, const std::string& customer_id,
                            const Uuid& restaurant_id) {
  const auto account =
      customer_id.empty() ? std::nullopt : d.book<Account>().of_user_at(customer_id, restaurant_id);
  if (!account)
    return Error::unprocessable(
        "payment.method",
        "payment by credit needs a customer account at the restaurant; " +
            (customer_id.empty() ? std::string("a guest has none") : customer_id + " has none"));
  const AccountState* a = d.find<Account>(*account);
  return a->parent_id ? *a->parent_id : *account;
}

Result<CreditPlan> plan_credit(Decision& d, const CreditHold& was, const CreditHold& now,
                               std::string_view currency) {
  CreditPlan plan;
  if (!was.account.is_nil() && was.account == now.account) {
    const int64_t diff = now.amount - was.amount;
    if (diff < 0) plan.refund = {was.account, -diff};
    if (diff > 0) plan.debit = {now.account, diff};
  } else {
    if (!was.account.is_nil() && was.amount > 0) plan.refund = was;
    if (!now.account.is_nil() && now.amount > 0) plan.debit = now;
  }
  if (plan.debit.amount > 0) {
    const AccountState* payer = d.find<Account>(plan.debit.account);
    int64_t balance = payer ? payer->balance(currency) : 0;
    if (plan.refund.account == plan.debit.account) balance += plan.refund.amount;
    if (balance < plan.debit.amount) {
      const auto info = find_currency(currency);
      auto show = [&](int64_t amount) {
        return std::to_string(amount) + (info ? " (" + format_money(amount, *info) + ")" : "");
      };
      return Error::unprocessable(
          "payment.method",
          "the credit of " + show(balance) + " does not cover " + show(plan.debit.amount));
    }
  }
  return plan;
}

void emit_credit(Decision& d, const CreditPlan& plan, const Uuid& order_id,
                 std::string_view currency) {
  auto target = [&](const Uuid& account) {
    const AccountState* a = d.find<Account>(account);
    return Target{account, account, a ? a->version : 0};
  };
  if (plan.refund.amount > 0)
    d.emit(target(plan.refund.account),
           CreditRefunded{plan.refund.amount, std::string(currency), order_id});
  if (plan.debit.amount > 0)
    d.emit(target(plan.debit.account),
           CreditDebited{plan.debit.amount, std::string(currency), order_id});
}

}  // namespace comanda::engine
