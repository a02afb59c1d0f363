// Customer accounts as JSON (DESIGN.md "Shapes", Canteen's customers): the
// bodies of POST /v1/customers and POST /v1/customers/{id}/credit to
// commands, an account (with its parent) to JSON, and the accounts' events.
// Safe on any thread.
#pragma once

#include <string>
#include <string_view>

#include "api/json/json_writer.h"
#include "engine/base/error.h"
#include "engine/domain/account.h"
#include "engine/domain/event.h"
#include "projections/accounts.h"

namespace comanda::api {

// {"user_id", "name", "class", "email", "phone", "document_id", "parent_id",
// "restaurant_ids": [...]}; the id is the caller's to mint.
engine::Result<engine::RegisterAccount> parse_register_account(std::string_view body);
// {"amount": 10000 (negative: an adjustment), "currency": "ARS", "reason": "top-up"}.
engine::Result<engine::ChangeCredit> parse_credit_change(std::string_view body);

// Credit as a list of money, one per currency.
void write_credit(JsonWriter& w, const projections::AccountView& account);
// The parent as an order's customer shows it (Canteen): {"id", "name",
// "email", "phone", "credit": [money...]}.
void write_parent(JsonWriter& w, const projections::AccountView& parent);
// {"id", "user_id", "name", "class", "email", "phone", "document_id",
//  "restaurant_ids", "parent": {...} | null, "credit": [...], "version", "registered_at"}.
void write_account(JsonWriter& w, const projections::AccountView& account,
                   const projections::AccountView* parent);
std::string account_json(const projections::AccountView& account,
                         const projections::AccountView* parent);

void write_event_data(JsonWriter& w, const engine::Event& e, const engine::AccountRegistered& p);
void write_event_data(JsonWriter& w, const engine::Event& e, const engine::CreditToppedUp& p);
void write_event_data(JsonWriter& w, const engine::Event& e, const engine::CreditAdjusted& p);
void write_event_data(JsonWriter& w, const engine::Event& e, const engine::CreditDebited& p);
void write_event_data(JsonWriter& w, const engine::Event& e, const engine::CreditRefunded& p);

}  // namespace comanda::api
