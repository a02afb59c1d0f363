#include "api/routes/command_path.h"

#include <cassert>
#include <charconv>

#include "api/http/problem.h"
#include "engine/domain/handlers.h"

namespace comanda::api {

using engine::Error;

struct CommandPath::Pending {
  CommandSpec::Respond respond;
  engine::Principal caller;
  PathParams params;
  Reply reply;
  // A copy of the command to submit again after a stream is loaded
  // (CommandSpec::may_need_load).
  std::optional<engine::Command> retry;
  int loads = 0;
};

namespace {

// A command names at most a few streams; each load attaches one more.
constexpr int kMaxLoads = 8;

// Visible ASCII, 1 to 255 characters.
bool valid_idempotency_key(std::string_view key) {
  bool printable = !key.empty() && key.size() <= 255;
  for (char c : key) printable &= c > 0x20 && c < 0x7F;
  return printable;
}

}  // namespace

engine::Result<std::optional<uint64_t>> parse_if_match(std::string_view value) {
  if (value.empty() || value == "*") return std::optional<uint64_t>{};  // "*": any version
  if (value.starts_with("W/")) value.remove_prefix(2);
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
    value = value.substr(1, value.size() - 2);
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
  if (ec != std::errc() || end != value.data() + value.size() || value.empty())
    return Error::invalid(
        "If-Match", "If-Match must be a version (the ETag of what it changes), such as \"3\"");
  return std::optional<uint64_t>{v};
}

std::string idempotency_scope(const engine::Principal& who, const Route& route,
                              std::string_view key) {
  std::string scope(engine::role_name(who.role));
  scope.append(":").append(std::to_string(who.subject.size())).append(":").append(who.subject);
  scope.append("|").append(route.method).append(" ").append(route.pattern);
  scope.append("|").append(key);
  return scope;
}

void CommandPath::run(const Route& route, const CommandSpec& spec, const RouteRequest& rq,
                      Reply reply) const {
  const Request& http = rq.http;
  std::optional<uint64_t> expected;
  if (spec.if_match) {
    auto parsed = parse_if_match(http.header("if-match"));
    if (!parsed.ok()) return reply(problem(parsed.error()));
    expected = *parsed;
  }
  auto body = spec.parse(rq);
  if (!body.ok()) return reply(problem(body.error()));
  if (auto valid = engine::validate_command(*body); !valid.ok())
    return reply(problem(valid.error()));

  engine::Command command;
  command.principal = rq.who();
  command.correlation_id = engine::Uuid::v7();
  command.expected_version = expected;
  command.body = std::move(body).value();
  command.bytes = http.body.size();
  // A header sent empty is a mistake to report, not a request without a key.
  if (const auto key = http.find_header("idempotency-key")) {
    if (!valid_idempotency_key(*key))
      return reply(problem(Error::invalid(
          "Idempotency-Key", "Idempotency-Key must be 1 to 255 visible ASCII characters")));
    // The hash tells a repeat from a reuse of the key for another request.
    command.idempotency_scope = idempotency_scope(command.principal, route, *key);
    command.request_hash =
        engine::request_hash(http.body, engine::request_hash(http.method + " " + http.path));
  }
  auto pending = std::make_shared<Pending>();
  pending->respond = spec.respond;
  pending->caller = command.principal;
  pending->params = rq.params;
  pending->reply = std::move(reply);
  if (spec.may_need_load) pending->retry = command;
  submit(std::move(pending), std::move(command));
}

void CommandPath::submit(std::shared_ptr<Pending> pending, engine::Command command) const {
  command.done = [this, pending](const engine::CommandOutcome& outcome) {
    // On the publisher stage: hand the outcome to a network thread at once.
    post_([this, pending, outcome] { complete(pending, outcome); });
  };
  if (!submit_(std::move(command)))
    pending->reply(problem(Error::unavailable("too many commands are waiting; retry shortly")));
}

void CommandPath::complete(const std::shared_ptr<Pending>& pending,
                           const engine::CommandOutcome& outcome) const {
  if (auto stream = outcome.needs_load()) {
    // The sequencer never reads the disk: the stream is read here, and the
    // command submitted once more with it attached. A route whose commands
    // may name such streams says so (CommandSpec::may_need_load).
    assert(pending->retry && "a command that needs a load, from a route without may_need_load");
    if (!pending->retry || ++pending->loads > kMaxLoads)
      return pending->reply(
          problem(Error::unavailable("the command's state could not be loaded; retry shortly")));
    auto loaded = load_stream_(*stream);
    if (!loaded.ok()) return pending->reply(problem(loaded.error()));
    pending->retry->cold.push_back(std::move(loaded).value());
    return submit(pending, *pending->retry);
  }
  if (!outcome.ok()) return pending->reply(problem(outcome.error()));
  Response r = pending->respond(pending->caller, *outcome, pending->params);
  if (outcome->replayed) r.headers.emplace_back("Idempotent-Replayed", "true");
  pending->reply(std::move(r));
}

}  // namespace comanda::api
