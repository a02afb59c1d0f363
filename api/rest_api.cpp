#include "api/rest_api.h"

#include <charconv>

#include "api/json_writer.h"
#include "api/problem.h"
#include "api/query.h"
#include "api/request_parsing.h"
#include "api/views_json.h"
#include "engine/base/clock.h"
#include "engine/base/time_text.h"
#include "engine/pipeline/sequencer.h"
#include "projections/read_models.h"

namespace comanda::api {
namespace {

using engine::Error;
using engine::ErrorCode;
using engine::Uuid;

Response json_response(int status, std::string body, uint64_t position) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.headers.emplace_back("Comanda-Position", std::to_string(position));
  return r;
}

// An accepted command's stream is applied to the read models before its
// caller completes, so this does not happen; if it ever did, the client must
// not be told a success it cannot see.
Response not_in_read_models() {
  return problem(
      Error::unavailable("the result is not readable yet; retry with the same Idempotency-Key"));
}

std::string etag(uint64_t version) { return "\"" + std::to_string(version) + "\""; }

// If-Match: "3", W/"3" or 3. Absent or "*": nullopt. Malformed: an error.
engine::Result<std::optional<uint64_t>> parse_if_match(std::string_view value) {
  if (value.empty() || value == "*") return std::optional<uint64_t>{};  // "*": any version
  if (value.starts_with("W/")) value.remove_prefix(2);
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
    value = value.substr(1, value.size() - 2);
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
  if (ec != std::errc() || end != value.data() + value.size() || value.empty())
    return Error::invalid("If-Match", "If-Match must be an order version, such as \"3\"");
  return std::optional<uint64_t>{v};
}

Response order_response(int status, const projections::OrderView& order, uint64_t position) {
  Response r = json_response(status, order_json(order), position);
  r.headers.emplace_back("ETag", etag(order.version));
  return r;
}

Response no_such_order() { return problem(Error::not_found("no such order")); }

Response no_such_driver() { return problem(Error::not_found("no such driver")); }

Response position_response(const projections::DriverView& driver, uint64_t position) {
  if (!driver.position)
    return problem(Error::not_found("the driver has not reported a position yet"));
  JsonWriter w;
  write_driver_position(w, driver.id, *driver.position);
  Response r = json_response(200, w.take(), position);
  r.headers.emplace_back("ETag", etag(driver.version));
  return r;
}

}  // namespace

RestApi::RestApi(engine::Sequencer& sequencer, const projections::ReadModels& models,
                 const Authenticator& auth, Post post, RestApiOptions options)
    : sequencer_(sequencer),
      models_(models),
      auth_(auth),
      post_(std::move(post)),
      options_(std::move(options)) {
  auto open = [this](auto method) {
    return [this, method](const Request& rq, const PathParams& p, Reply r) {
      (this->*method)(rq, p, std::move(r));
    };
  };
  // Every route but the health check is born authenticated: the handler
  // runs only with a verified principal.
  auto authenticated = [this](auto method) {
    return [this, method](const Request& rq, const PathParams& p, Reply r) {
      auto who = auth_.from_header(rq.header("authorization"));
      if (!who.ok()) return r(problem(who.error()));
      (this->*method)(*who, rq, p, std::move(r));
    };
  };
  router_.add("GET", "/healthz", open(&RestApi::healthz));
  router_.add("POST", "/v1/restaurants", authenticated(&RestApi::register_restaurant));
  router_.add("POST", "/v1/orders", authenticated(&RestApi::place_order));
  router_.add("GET", "/v1/orders", authenticated(&RestApi::list_orders));
  router_.add("GET", "/v1/orders/{id}", authenticated(&RestApi::get_order));
  router_.add("POST", "/v1/orders/{id}/status", authenticated(&RestApi::change_status));
  router_.add("POST", "/v1/drivers", authenticated(&RestApi::register_driver));
  router_.add("GET", "/v1/drivers/{id}", authenticated(&RestApi::get_driver));
  router_.add("POST", "/v1/drivers/{id}/location", authenticated(&RestApi::report_location));
  router_.add("GET", "/v1/drivers/{id}/position", authenticated(&RestApi::get_driver_position));
}

void RestApi::execute(const Request& request, std::string_view route, engine::Command command,
                      Reply reply, Respond respond) const {
  if (auto keyed = attach_idempotency(request, route, command); !keyed.ok())
    return reply(problem(keyed.error()));
  submit(std::move(command), std::move(reply), std::move(respond));
}

engine::Status RestApi::attach_idempotency(const Request& request, std::string_view route,
                                           engine::Command& command) const {
  const std::string_view key = request.header("idempotency-key");
  if (key.empty()) return {};
  bool printable = key.size() <= 255;
  for (char c : key) printable &= c > 0x20 && c < 0x7F;
  if (!printable)
    return Error::invalid("Idempotency-Key",
                          "Idempotency-Key must be 1 to 255 visible ASCII characters");
  // Scoped to the principal and the route: two users, or two routes, never
  // share a key. The hash tells a repeat from a reuse for another request.
  const engine::Principal& who = command.principal;
  // Length-prefixed subject: no `sub` can make its scope look like another's.
  command.idempotency_scope = std::string(engine::role_name(who.role)) + ":" +
                              std::to_string(who.subject.size()) + ":" + who.subject + "|" +
                              std::string(route) + "|" + std::string(key);
  command.request_hash =
      engine::request_hash(request.body, engine::request_hash(request.method + " " + request.path));
  return {};
}

void RestApi::submit(engine::Command command, Reply reply, Respond respond) const {
  // Kept for the rare retry after a cold load: the command is moved into the queue.
  auto retry = std::make_shared<engine::Command>();
  retry->principal = command.principal;
  retry->correlation_id = command.correlation_id;
  retry->expected_version = command.expected_version;
  retry->body = command.body;
  retry->bytes = command.bytes;
  retry->idempotency_scope = command.idempotency_scope;
  retry->request_hash = command.request_hash;
  retry->cold = command.cold;
  command.done = [this, reply, respond = std::move(respond),
                  retry](const engine::CommandOutcome& outcome) {
    // On the publisher thread: hand the outcome to a network thread at once.
    post_([this, reply, respond, retry, outcome] {
      if (auto stream = outcome.needs_load()) {
        // The sequencer never reads disk: the stream is read here and the
        // command submitted once more with it attached.
        if (!options_.load_stream) return reply(no_such_order());
        auto loaded = options_.load_stream(*stream);
        if (!loaded.ok()) return reply(problem(loaded.error()));
        retry->cold.push_back(std::move(loaded).value());
        return submit(std::move(*retry), reply, respond);
      }
      if (!outcome.ok()) return reply(problem(outcome.error()));
      Response r = respond(*outcome);
      if (outcome->replayed) r.headers.emplace_back("Idempotent-Replayed", "true");
      reply(std::move(r));
    });
  };
  if (!sequencer_.submit(std::move(command)))
    reply(problem(engine::Error::unavailable("too many commands are waiting; retry shortly")));
}

void RestApi::healthz(const Request&, const PathParams&, Reply reply) const {
  JsonWriter w;
  w.begin_object()
      .key("status")
      .string("ok")
      .key("position")
      .number(sequencer_.committed_position())
      .end_object();
  reply(json_response(200, w.take(), models_.position()));
}

void RestApi::register_restaurant(const engine::Principal& who, const Request& request,
                                  const PathParams&, Reply reply) const {
  auto parsed = parse_register_restaurant(request.body, options_.default_time_zone);
  if (!parsed.ok()) return reply(problem(parsed.error()));
  parsed->restaurant_id = Uuid::v7();

  execute(request, "POST /v1/restaurants",
          {who, Uuid::v7(), std::nullopt, std::move(parsed).value(), {}, request.body.size()},
          std::move(reply), [this](const engine::CommandResult& result) {
            // result.stream, not the id minted above: a replay names the first one.
            auto restaurant = models_.restaurant(result.stream);
            if (!restaurant) return not_in_read_models();
            Response r = json_response(201, restaurant_json(*restaurant), result.position);
            r.headers.emplace_back("Location", "/v1/restaurants/" + result.stream.to_string());
            r.headers.emplace_back("ETag", etag(restaurant->version));
            return r;
          });
}

void RestApi::place_order(const engine::Principal& who, const Request& request, const PathParams&,
                          Reply reply) const {
  auto parsed = parse_place_order(request.body);
  if (!parsed.ok()) return reply(problem(parsed.error()));
  parsed->order_id = Uuid::v7();

  execute(request, "POST /v1/orders",
          {who, Uuid::v7(), std::nullopt, std::move(parsed).value(), {}, request.body.size()},
          std::move(reply), [this](const engine::CommandResult& result) {
            auto order = models_.order(result.stream);
            if (!order) return not_in_read_models();
            Response r = order_response(201, *order, result.position);
            r.headers.emplace_back("Location", "/v1/orders/" + result.stream.to_string());
            return r;
          });
}

void RestApi::get_order(const engine::Principal& who, const Request&, const PathParams& params,
                        Reply reply) const {
  uint64_t position = 0;
  auto id = Uuid::parse(params[0]);
  auto order = id ? models_.order_for(*id, who, &position) : std::nullopt;
  if (!order) return reply(no_such_order());
  reply(order_response(200, *order, position));
}

void RestApi::list_orders(const engine::Principal& who, const Request& request, const PathParams&,
                          Reply reply) const {
  auto query = parse_order_query(request.query);
  if (!query.ok()) return reply(problem(query.error()));
  query->viewer = who;
  const projections::OrderPage page = models_.list_orders(*query);
  JsonWriter w;
  w.begin_object().key("orders").begin_array();
  for (const auto& o : page.orders) write_order(w, o);
  w.end_array().key("next_cursor");
  if (page.next_cursor)
    w.string(encode_cursor(page.next_cursor));
  else
    w.null();
  w.end_object();
  reply(json_response(200, w.take(), page.position));
}

void RestApi::change_status(const engine::Principal& who, const Request& request,
                            const PathParams& params, Reply reply) const {
  auto id = Uuid::parse(params[0]);
  if (!id) return reply(no_such_order());
  auto expected = parse_if_match(request.header("if-match"));
  if (!expected.ok()) return reply(problem(expected.error()));
  auto parsed = parse_status_change(request.body);
  if (!parsed.ok()) return reply(problem(parsed.error()));
  parsed->order_id = *id;

  engine::Command command{who, Uuid::v7(),         *expected, std::move(parsed).value(),
                          {},  request.body.size()};
  if (auto keyed = attach_idempotency(request, "POST /v1/orders/{id}/status", command); !keyed.ok())
    return reply(problem(keyed.error()));
  submit(std::move(command), std::move(reply), [this](const engine::CommandResult& result) {
    auto order = models_.order(result.stream);
    return order ? order_response(200, *order, result.position) : not_in_read_models();
  });
}

void RestApi::register_driver(const engine::Principal& who, const Request& request,
                              const PathParams&, Reply reply) const {
  auto parsed = parse_register_driver(request.body);
  if (!parsed.ok()) return reply(problem(parsed.error()));
  parsed->driver_id = Uuid::v7();

  execute(request, "POST /v1/drivers",
          {who, Uuid::v7(), std::nullopt, std::move(parsed).value(), {}, request.body.size()},
          std::move(reply), [this, who](const engine::CommandResult& result) {
            auto driver = models_.driver_for(result.stream, who);
            if (!driver) return not_in_read_models();
            Response r = json_response(201, driver_json(*driver), result.position);
            r.headers.emplace_back("Location", "/v1/drivers/" + result.stream.to_string());
            r.headers.emplace_back("ETag", etag(driver->version));
            return r;
          });
}

std::optional<projections::DriverView> RestApi::driver_at(const engine::Principal& who,
                                                          const PathParams& params,
                                                          uint64_t& position) const {
  auto id = Uuid::parse(params[0]);
  return id ? models_.driver_for(*id, who, &position) : std::nullopt;
}

void RestApi::get_driver(const engine::Principal& who, const Request&, const PathParams& params,
                         Reply reply) const {
  uint64_t position = 0;
  auto driver = driver_at(who, params, position);
  if (!driver) return reply(no_such_driver());
  Response r = json_response(200, driver_json(*driver), position);
  r.headers.emplace_back("ETag", etag(driver->version));
  reply(std::move(r));
}

void RestApi::report_location(const engine::Principal& who, const Request& request,
                              const PathParams& params, Reply reply) const {
  auto id = Uuid::parse(params[0]);
  if (!id) return reply(no_such_driver());
  auto expected = parse_if_match(request.header("if-match"));
  if (!expected.ok()) return reply(problem(expected.error()));
  auto ping = parse_location(request.body, engine::utc_now_us());
  if (!ping.ok()) return reply(problem(ping.error()));

  execute(request, "POST /v1/drivers/{id}/location",
          {who,
           Uuid::v7(),
           *expected,
           engine::ReportLocation{*id, std::move(ping).value()},
           {},
           request.body.size()},
          std::move(reply), [this, who](const engine::CommandResult& result) {
            // The driver's position now: the newest by device time, which a
            // late ping does not move.
            auto driver = models_.driver_for(result.stream, who);
            if (!driver) return not_in_read_models();
            return position_response(*driver, result.position);
          });
}

void RestApi::get_driver_position(const engine::Principal& who, const Request&,
                                  const PathParams& params, Reply reply) const {
  uint64_t position = 0;
  auto driver = driver_at(who, params, position);
  if (!driver) return reply(no_such_driver());
  reply(position_response(*driver, position));
}

}  // namespace comanda::api
