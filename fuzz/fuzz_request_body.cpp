// libFuzzer target: one request body, given to the parser of every route
// that reads one (api/json/*_json.h), each as its route calls it; a body a
// parser takes then goes on as the command path takes it: the domain's
// stateless rules (engine::validate_command), then a decision by each role
// against a small state (a restaurant with a menu, a driver, a customer's
// account with credit, a pending order and one whose driver waits at the
// restaurant: an order route's command is decided on each), whose events
// must survive the log's codec.
// Every body goes to every parser, so that the corpus
// (fuzz/corpus/fuzz_request_body/) holds bodies exactly as clients send them.
//
// Invariants besides the sanitizers' (fuzz_check.h):
// - a parser's or validate's refusal is a 400 or a 422 whose problem+json is
//   a valid UTF-8 JSON object, whatever bytes the body held;
// - any JSON object the body reader accepts, written back with the
//   production JsonWriter, is valid UTF-8 that reads back to the same values
//   (escaping, numbers);
// - a refused decision emits nothing, an accepted one emits or says the
//   stream is unchanged, and each event it emits decodes to itself.
#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/json/account_json.h"
#include "api/json/body_reader.h"
#include "api/json/dispatch_json.h"
#include "api/json/driver_json.h"
#include "api/json/json_writer.h"
#include "api/json/menu_json.h"
#include "api/json/order_json.h"
#include "api/json/restaurant_json.h"
#include "engine/domain/decision.h"
#include "engine/domain/handlers.h"
#include "engine/log/event_codec.h"
#include "fuzz/fuzz_check.h"

namespace {

using namespace comanda;
using engine::CommandBody;
using engine::ErrorCode;
using engine::Result;
using engine::Role;
using engine::Uuid;

// The state's ids: the path parameters of the routes under test.
const Uuid kRestaurant = *Uuid::parse("01933c4e-8a00-7000-8000-000000000001");
const Uuid kOrder = *Uuid::parse("01933c4e-8a00-7000-8000-000000000002");
const Uuid kOrderOut = *Uuid::parse("01933c4e-8a00-7000-8000-000000000005");
const Uuid kDriver = *Uuid::parse("01933c4e-8a00-7000-8000-000000000003");
const Uuid kAccount = *Uuid::parse("01933c4e-8a00-7000-8000-000000000004");
// What a route mints for what a command creates (Uuid::v7() there): fixed,
// so that a run is repeatable.
const Uuid kMinted = *Uuid::parse("01933c4e-8a00-7000-8000-0000000000ff");
const Uuid kCorrelation = *Uuid::parse("01933c4e-8a00-7000-8000-0000000000cc");
// 2026-11-17T08:53:20Z: the decisions' clock and the pings' server time.
constexpr int64_t kNowUs = 1'795'000'000'000'000;

// A parser's result as the command its route builds from it (`fill` sets
// the ids the route takes from the path or mints).
template <class T, class Fill>
Result<CommandBody> command(Result<T> parsed, Fill fill) {
  if (!parsed.ok()) return std::move(parsed).error();
  return CommandBody{fill(std::move(parsed).value())};
}

// A fill that sets the command's id `Member` to `id`.
template <auto Member>
auto with(const Uuid& id) {
  return [id](auto c) {
    c.*Member = id;
    return c;
  };
}

// A fill that makes the command `C` of the path's `id` and the parsed value.
template <class C>
auto into(const Uuid& id) {
  return [id](auto parsed) { return C{id, std::move(parsed)}; };
}

using BodyParser = Result<CommandBody> (*)(std::string_view body);

// Every route with a request body but POST /v1/admin/backup (its one
// field is read inside the route, not by a parser of its own).
constexpr BodyParser kParsers[] = {
    [](std::string_view b) {  // POST /v1/orders
      return command(api::parse_place_order(b), with<&engine::PlaceOrder::order_id>(kMinted));
    },
    [](std::string_view b) {  // PUT /v1/orders/{id}
      return command(api::parse_replace_order(b), into<engine::ReplaceOrder>(kOrder));
    },
    [](std::string_view b) {  // PATCH /v1/orders/{id}
      return command(api::parse_order_patch(b), into<engine::ChangeOrder>(kOrder));
    },
    [](std::string_view b) {  // POST /v1/orders/{id}/status
      return command(api::parse_status_change(b),
                     with<&engine::ChangeOrderStatus::order_id>(kOrder));
    },
    [](std::string_view b) {  // POST /v1/orders/{id}/lines/1/fulfilled
      return command(api::parse_line_fulfilled(b), [](uint32_t quantity) {
        return engine::FulfillLine{kOrder, 0, quantity};
      });
    },
    [](std::string_view b) {  // POST /v1/orders/{id}/not-ready
      return command(api::parse_not_ready(b), into<engine::SetNotReady>(kOrder));
    },
    [](std::string_view b) {  // POST /v1/orders/{id}/accept-delivery
      return command(api::parse_accept_delivery(b),
                     with<&engine::AcceptDelivery::order_id>(kOrder));
    },
    [](std::string_view b) {  // POST /v1/orders/{id}/drop-delivery
      return command(api::parse_drop_delivery(b), with<&engine::DropDelivery::order_id>(kOrder));
    },
    [](std::string_view b) {  // POST /v1/restaurants
      return command(api::parse_register_restaurant(b, "America/Lima"),
                     with<&engine::RegisterRestaurant::restaurant_id>(kMinted));
    },
    [](std::string_view b) {  // PATCH /v1/restaurants/{id}
      return command(api::parse_restaurant_patch(b), into<engine::UpdateRestaurant>(kRestaurant));
    },
    [](std::string_view b) {  // PUT /v1/restaurants/{id}/menu
      return command(api::parse_replace_menu(b),
                     with<&engine::ReplaceMenu::restaurant_id>(kRestaurant));
    },
    [](std::string_view b) {  // PUT /v1/restaurants/{id}/menu/items/BURGER
      return command(api::parse_put_menu_item(b, "BURGER"),
                     with<&engine::PutMenuItem::restaurant_id>(kRestaurant));
    },
    [](std::string_view b) {  // PATCH /v1/restaurants/{id}/menu/items/BURGER
      return command(api::parse_menu_item_patch(b), [](engine::MenuItemPatch p) {
        return engine::ChangeMenuItem{kRestaurant, "BURGER", std::move(p)};
      });
    },
    [](std::string_view b) {  // POST /v1/drivers
      return command(api::parse_register_driver(b),
                     with<&engine::RegisterDriver::driver_id>(kMinted));
    },
    [](std::string_view b) {  // POST /v1/drivers/{id}/location
      return command(api::parse_location(b, kNowUs), into<engine::ReportLocation>(kDriver));
    },
    [](std::string_view b) {  // PUT /v1/drivers/{id}/availability
      return command(api::parse_availability_body(b), into<engine::SetAvailability>(kDriver));
    },
    [](std::string_view b) {  // PUT /v1/drivers/{id}/active
      return command(api::parse_active_body(b), into<engine::SetDriverActive>(kDriver));
    },
    [](std::string_view b) {  // POST /v1/customers
      return command(api::parse_register_account(b),
                     with<&engine::RegisterAccount::account_id>(kMinted));
    },
    [](std::string_view b) {  // POST /v1/customers/{id}/credit
      return command(api::parse_credit_change(b),
                     with<&engine::ChangeCredit::account_id>(kAccount));
    },
};

// The callers each parsed command is decided for: an admin, the
// restaurant's owner, the customer of the order, the driver.
const engine::Principal kCallers[] = {
    {"u-admin", Role::kAdmin},
    {"u-owner-1", Role::kOwner},
    {"u-cust-1", Role::kCustomer},
    {"u-driver-1", Role::kDriver},
};

// ---- the state the commands are decided against ----

// Runs a command the state is built with, as an admin: it must be accepted.
void seed(engine::Books& books, uint64_t& position, Result<CommandBody> body) {
  FUZZ_CHECK(body.ok());
  FUZZ_CHECK(engine::validate_command(*body).ok());
  std::vector<engine::Event> events;
  engine::Decision decision(books, kCallers[0], std::nullopt, {}, {kNowUs, position, kCorrelation},
                            events);
  const engine::Status decided = engine::decide_command(*body, decision);
  if (!decided.ok()) std::fprintf(stderr, "seed refused: %s\n", decided.error().message.c_str());
  FUZZ_CHECK(decided.ok() && !decision.missing());
  position = decision.next_position();
  for (const engine::Event& e : events) engine::apply_event(books, e);
}

// An order of the restaurant's for u-cust-1, delivered near it.
std::string order_body() {
  return R"({"restaurant_id": ")" + kRestaurant.to_string() +
         R"(", "customer": {"id": "u-cust-1", "name": "Ana"},
             "items": [{"sku": "BURGER", "quantity": 2}, {"sku": "SODA", "quantity": 1}],
             "fulfillment": {"type": "delivery", "address": "Calle 1 234",
                             "location": {"lat": -12.1, "lng": -77.0}},
             "payment": {"method": "cash", "cash_tendered": 10000}})";
}

// The state: each step a body read by the production parser, decided as an
// admin's request. kOrder stays pending (changes are allowed), kOrderOut
// goes as far as its driver waiting at the restaurant (the kitchen's and
// the driver's steps are).
void build_state(engine::Books& b) {
  uint64_t at = 1;
  seed(b, at,
       command(api::parse_register_restaurant(
                   R"({"name": "Sede 1", "currency": "PEN", "owners": ["u-owner-1"],
                       "tax": {"rate_bp": 1800, "included": true}, "delivery_fee": 500,
                       "location": {"lat": -12.12, "lng": -77.03}})",
                   "America/Lima"),
               with<&engine::RegisterRestaurant::restaurant_id>(kRestaurant)));
  seed(b, at,
       command(api::parse_replace_menu(R"({"items": [
                   {"sku": "BURGER", "name": "Hamburguesa", "price": 1550, "removals": ["onion"],
                    "modifiers": [{"name": "Extra cheese", "price": 300}]},
                   {"sku": "SODA", "name": "Inca Kola", "price": 500}]})"),
               with<&engine::ReplaceMenu::restaurant_id>(kRestaurant)));
  seed(b, at,
       command(api::parse_register_driver(R"({"name": "Luis", "user_id": "u-driver-1"})"),
               with<&engine::RegisterDriver::driver_id>(kDriver)));
  seed(b, at,
       command(api::parse_register_account(R"({"user_id": "u-cust-1", "name": "Ana",
                   "restaurant_ids": [")" + kRestaurant.to_string() +
                                           R"("]})"),
               with<&engine::RegisterAccount::account_id>(kAccount)));
  seed(b, at,
       command(api::parse_credit_change(R"({"amount": 100000, "currency": "PEN"})"),
               with<&engine::ChangeCredit::account_id>(kAccount)));
  for (const Uuid& order : {kOrder, kOrderOut})
    seed(b, at,
         command(api::parse_place_order(order_body()), with<&engine::PlaceOrder::order_id>(order)));

  seed(b, at,
       command(api::parse_availability_body(R"({"availability": "available"})"),
               into<engine::SetAvailability>(kDriver)));
  seed(b, at,
       command(api::parse_location(R"({"lat": -12.1201, "lng": -77.0301})", kNowUs),
               into<engine::ReportLocation>(kDriver)));
  seed(b, at,
       command(api::parse_status_change(R"({"status": "accepted"})"),
               with<&engine::ChangeOrderStatus::order_id>(kOrderOut)));
  seed(b, at,
       command(api::parse_accept_delivery(R"({"driver_id": ")" + kDriver.to_string() + R"("})"),
               with<&engine::AcceptDelivery::order_id>(kOrderOut)));
  seed(b, at,
       command(api::parse_status_change(R"({"status": "driver_at_restaurant"})"),
               with<&engine::ChangeOrderStatus::order_id>(kOrderOut)));
}

// Built once: the decisions only read it.
const engine::Books& seeded() {
  static engine::Books books;
  static const bool built = (build_state(books), true);
  (void)built;
  return books;
}

// ---- the checks ----

// `e` through the log's codec: it must come back as it went.
void check_round_trip(const engine::Event& e) {
  std::string stored;
  engine::encode_event(e, stored);
  auto decoded = engine::decode_event(stored);
  FUZZ_CHECK(decoded.ok());
  FUZZ_CHECK(*decoded == e);
}

// Decides `command` for `caller` against the seeded state (which stays as
// it is: an accepted decision's events are applied to a state built anew,
// as Books do not copy).
void decide_as(const CommandBody& command, const engine::Principal& caller) {
  CommandBody body = command;
  std::vector<engine::Event> events;
  engine::Decision decision(seeded(), caller, std::nullopt, {}, {kNowUs, 100, kCorrelation},
                            events);
  const engine::Status status = engine::decide_command(body, decision);
  if (decision.missing()) return;  // the pipeline would load a stream and decide again
  if (!status.ok()) {
    FUZZ_CHECK(events.empty());
    fuzz::check_refusal(status.error(), {ErrorCode::kInvalidArgument, ErrorCode::kUnprocessable,
                                         ErrorCode::kForbidden, ErrorCode::kNotFound,
                                         ErrorCode::kConflict, ErrorCode::kVersionMismatch});
    return;
  }
  FUZZ_CHECK(!events.empty() || decision.unchanged_target());
  engine::Books after;
  build_state(after);
  for (const engine::Event& e : events) {
    check_round_trip(e);
    engine::apply_event(after, e);
  }
}

// An order route's command on kOrderOut instead of kOrder (the one whose
// driver waits); nullopt for the other routes.
std::optional<CommandBody> on_order_out(CommandBody command) {
  bool on_order = false;
  std::visit(
      [&](auto& c) {
        if constexpr (requires { c.order_id = kOrderOut; }) {
          on_order = c.order_id == kOrder;
          c.order_id = kOrderOut;
        }
      },
      command);
  if (!on_order) return std::nullopt;
  return command;
}

void write_back(api::JsonWriter& w, simdjson::dom::element e);

void write_back(api::JsonWriter& w, simdjson::dom::object o) {
  w.begin_object();
  for (auto [key, value] : o) {
    w.key(key);
    write_back(w, value);
  }
  w.end_object();
}

// `e` written with the production writer, member by member.
void write_back(api::JsonWriter& w, simdjson::dom::element e) {
  using simdjson::dom::element_type;
  switch (e.type()) {
    case element_type::OBJECT:
      write_back(w, simdjson::dom::object(e));
      break;
    case element_type::ARRAY:
      w.begin_array();
      for (simdjson::dom::element item : simdjson::dom::array(e)) write_back(w, item);
      w.end_array();
      break;
    case element_type::INT64:
      w.number(int64_t(e));
      break;
    case element_type::UINT64:
      w.number(uint64_t(e));
      break;
    case element_type::DOUBLE:
      w.number(double(e));
      break;
    case element_type::STRING:
      w.string(std::string_view(e));
      break;
    case element_type::BOOL:
      w.boolean(bool(e));
      break;
    case element_type::NULL_VALUE:
      w.null();
      break;
  }
}

double as_double(simdjson::dom::element e) {
  if (e.is_int64()) return static_cast<double>(int64_t(e));
  if (e.is_uint64()) return static_cast<double>(uint64_t(e));
  return double(e);
}

bool same_values(simdjson::dom::element a, simdjson::dom::element b);

bool same_members(simdjson::dom::object x, simdjson::dom::object y) {
  if (x.size() != y.size()) return false;
  for (auto i = x.begin(), j = y.begin(); i != x.end(); ++i, ++j)
    if (i.key() != j.key() || !same_values(i.value(), j.value())) return false;
  return true;
}

// The same values: numbers by value (the writer writes -0.0 as -0, which
// reads back as the integer 0; an integral double as its digits).
bool same_values(simdjson::dom::element a, simdjson::dom::element b) {
  using simdjson::dom::element_type;
  if (a.is_number() && b.is_number()) {
    if (a.type() == b.type() && a.type() != element_type::DOUBLE)
      return a.type() == element_type::INT64 ? int64_t(a) == int64_t(b)
                                             : uint64_t(a) == uint64_t(b);
    return as_double(a) == as_double(b);
  }
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case element_type::OBJECT:
      return same_members(simdjson::dom::object(a), simdjson::dom::object(b));
    case element_type::ARRAY: {
      const simdjson::dom::array x(a), y(b);
      if (x.size() != y.size()) return false;
      for (auto i = x.begin(), j = y.begin(); i != x.end(); ++i, ++j)
        if (!same_values(*i, *j)) return false;
      return true;
    }
    case element_type::STRING:
      return std::string_view(a) == std::string_view(b);
    case element_type::BOOL:
      return bool(a) == bool(b);
    default:  // null
      return true;
  }
}

// Any object the body reader accepts, written back with the production
// writer, is UTF-8 JSON holding the same values. Read back with a parser of
// its own, so that both documents live at once (parse_object's lives until
// the next parse on the thread).
void check_write_back(std::string_view body) {
  auto object = api::parse_object(body);
  if (!object.ok()) return;
  api::JsonWriter w;
  write_back(w, *object);
  const std::string written = w.take();
  FUZZ_CHECK(simdjson::validate_utf8(written.data(), written.size()));
  static simdjson::dom::parser parser;
  simdjson::dom::element reread;
  const simdjson::error_code error = parser.parse(written).get(reread);
  // The one refusal allowed: a double of 20 or 21 integral digits, which
  // the writer writes as an integer (std::to_chars' shortest form) and the
  // reader refuses beyond 64 bits. No double the server writes is that large
  // (coordinates, speeds, distances are bounded).
  if (error == simdjson::NUMBER_ERROR) return;
  FUZZ_CHECK(error == simdjson::SUCCESS);
  simdjson::dom::object reread_object;
  FUZZ_CHECK(reread.get(reread_object) == simdjson::SUCCESS);
  FUZZ_CHECK(same_members(*object, reread_object));
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  seeded();  // a seed the parsers or the domain refuse fails at once, not at the first input
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  check_write_back(body);
  for (BodyParser parse : kParsers) {
    auto parsed = parse(body);
    if (!parsed.ok()) {
      fuzz::check_refusal(parsed.error(), {ErrorCode::kInvalidArgument, ErrorCode::kUnprocessable});
      continue;
    }
    CommandBody command = std::move(parsed).value();
    if (engine::Status valid = engine::validate_command(command); !valid.ok()) {
      fuzz::check_refusal(valid.error(), {ErrorCode::kInvalidArgument, ErrorCode::kUnprocessable});
      continue;
    }
    for (const engine::Principal& caller : kCallers) decide_as(command, caller);
    if (auto out = on_order_out(command))
      for (const engine::Principal& caller : kCallers) decide_as(*out, caller);
  }
  return 0;
}
