// Who may see and do what (DESIGN.md "API": authority lives in the
// aggregates, never in token claims). The one place that states the tenancy
// rules; the sequencer's decisions, the REST reads and the live feed all ask
// here. Pure functions; safe on any thread.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/error.h"
#include "engine/domain/order_status.h"
#include "engine/domain/principal.h"

namespace comanda::engine {

// Whether `principal` is one of a restaurant's `owners`.
bool is_owner(const Principal& principal, std::span<const std::string> owners);

// Admins see every restaurant; owners see theirs.
bool may_view_restaurant(const Principal& principal, std::span<const std::string> owners);

// Admins see every order; owners the orders of their restaurants; a customer
// the orders placed for them. A driver sees the orders offered or assigned to
// it, which this rule cannot tell: the callers that know (order_rules.cpp,
// the orders read model) check that themselves.
bool may_view_order(const Principal& principal, std::span<const std::string> restaurant_owners,
                    std::string_view customer_id);

// Admins act as any driver; a driver-role caller as the driver whose account
// (`driver_user`) is theirs.
bool may_act_as_driver(const Principal& principal, std::string_view driver_user);

// Whether the role of `principal` (who may view the order) ever sets `to`.
// kForbidden when the role never makes this step; kConflict when it makes it,
// but not from `from` (a customer cancels only while pending or scheduled),
// or when an owner makes a driver's step while a driver is assigned.
// `driver_assigned`: for a driver, whether they are the order's driver; for
// anyone else, whether the order has one.
Status may_set_status(const Principal& principal, OrderStatus from, OrderStatus to,
                      bool driver_assigned);

// The statuses `principal` may move an order of `type` to from `from`, in
// one step, in rank order: the buttons of a board, the `allowed` of a 409.
std::vector<OrderStatus> next_steps(const Principal& principal, OrderStatus from,
                                    FulfillmentType type, bool driver_assigned);

}  // namespace comanda::engine
