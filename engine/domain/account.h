// The customer account aggregate (Canteen's customers): an account of a
// person who orders (their `user_id`), belonging to restaurants, with an
// optional class ("3B"), an optional parent (guardian) account, and a credit
// balance per currency, spendable only at its restaurants. Credit moves by
// top-ups and adjustments of the restaurant, and by the orders it pays
// (debited when placed, refunded when cancelled, settled when edited:
// engine/domain/order_credit.h). Accounts stay in the sequencer's memory.
#pragma once

#include <array>
#include <boost/container/small_vector.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/base/error.h"
#include "engine/domain/aggregate.h"

namespace comanda::engine {

struct Event;
class Decision;

// ---- events ----

struct AccountRegistered {
  static constexpr std::string_view kType = "customer_registered";
  std::string user_id;  // the `sub` the customer signs in with
  std::string name;
  std::string class_name;  // "class" in the API: a school class, a team; may be empty
  std::string email;
  std::string phone;
  std::string document_id;
  std::optional<Uuid> parent_id;  // the guardian's account, who pays
  std::vector<Uuid> restaurant_ids;
  friend bool operator==(const AccountRegistered&, const AccountRegistered&) = default;
};

// Credit added by the restaurant.
struct CreditToppedUp {
  static constexpr std::string_view kType = "credit_topped_up";
  int64_t amount = 0;  // > 0, minor units
  std::string currency;
  std::string reason;
  friend bool operator==(const CreditToppedUp&, const CreditToppedUp&) = default;
};

// Credit taken off by the restaurant (a correction); never below zero.
struct CreditAdjusted {
  static constexpr std::string_view kType = "credit_adjusted";
  int64_t amount = 0;  // < 0
  std::string currency;
  std::string reason;
  friend bool operator==(const CreditAdjusted&, const CreditAdjusted&) = default;
};

// An order paid with credit (or the rise of its total on an edit).
struct CreditDebited {
  static constexpr std::string_view kType = "credit_debited";
  int64_t amount = 0;  // > 0
  std::string currency;
  Uuid order_id;
  friend bool operator==(const CreditDebited&, const CreditDebited&) = default;
};

// Credit given back: an order cancelled, rejected or deleted, or made cheaper.
struct CreditRefunded {
  static constexpr std::string_view kType = "credit_refunded";
  int64_t amount = 0;  // > 0
  std::string currency;
  Uuid order_id;
  friend bool operator==(const CreditRefunded&, const CreditRefunded&) = default;
};

// ---- commands ----

struct RegisterAccount {
  Uuid account_id;  // minted by the caller
  AccountRegistered details;
};

// A top-up (amount > 0) or an adjustment (amount < 0).
struct ChangeCredit {
  Uuid account_id;
  int64_t amount = 0;
  std::string currency;
  std::string reason;
};

// ---- state ----

using CurrencyCode = std::array<char, 3>;

CurrencyCode currency_code(std::string_view currency);

struct AccountState {
  uint64_t version = 0;
  std::string user_id;
  std::optional<Uuid> parent_id;
  boost::container::small_vector<Uuid, 2> restaurant_ids;
  boost::container::small_vector<std::pair<CurrencyCode, int64_t>, 1> balances;

  int64_t balance(std::string_view currency) const;
  bool serves(const Uuid& restaurant_id) const;
};

// Every account, and each person's accounts.
class AccountBook : public Book<AccountState> {
 public:
  const AccountState& apply(const Event& event, const AccountRegistered& registered);
  const AccountState& apply(const Event& event, const CreditToppedUp& topped_up);
  const AccountState& apply(const Event& event, const CreditAdjusted& adjusted);
  const AccountState& apply(const Event& event, const CreditDebited& debited);
  const AccountState& apply(const Event& event, const CreditRefunded& refunded);

  // An account as a snapshot holds it, indexed.
  void restore(const Uuid& id, AccountState state);

  // The account of `user_id` at `restaurant_id`, if any (one per person and restaurant).
  std::optional<Uuid> of_user_at(const std::string& user_id, const Uuid& restaurant_id) const;

 private:
  AccountState& moved(const Event& event, std::string_view currency, int64_t delta);

  std::unordered_map<std::string, boost::container::small_vector<Uuid, 1>> by_user_;
};

struct Account {
  using State = AccountState;
  using Book = AccountBook;
  using Commands = TypeList<RegisterAccount, ChangeCredit>;
  using Events =
      TypeList<AccountRegistered, CreditToppedUp, CreditAdjusted, CreditDebited, CreditRefunded>;
};

// A user id (1 to 128 bytes, no control characters), a name, at least one
// restaurant and at most 50, none twice.
Status validate(RegisterAccount& command);

// Admins, and owners of every restaurant it names (another's is answered as
// absent: 404); the restaurants exist; a parent serves all of them and has
// no parent itself; one account per person and restaurant (409).
Status decide(RegisterAccount& command, Decision& decision);

// A supported currency, an amount other than 0 within 10^12, a reason of up
// to 200 bytes.
Status validate(ChangeCredit& command);

// Admins and the owners of one of its restaurants (others: 404); an
// adjustment never takes the balance below zero (422).
Status decide(ChangeCredit& command, Decision& decision);

}  // namespace comanda::engine
