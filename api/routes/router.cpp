#include "api/routes/router.h"

#include <cassert>
#include <cstdio>

#include "api/http/problem.h"

namespace comanda::api {
namespace {

bool match(const std::vector<std::string_view>& pattern, const std::vector<std::string_view>& path,
           PathParams& params) {
  if (pattern.size() != path.size()) return false;
  params.clear();
  for (size_t i = 0; i < path.size(); ++i) {
    if (pattern[i].starts_with('{')) {
      if (path[i].empty()) return false;
      params.emplace_back(path[i]);
    } else if (pattern[i] != path[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  size_t start = path.starts_with('/') ? 1 : 0;
  while (start <= path.size()) {
    const size_t end = path.find('/', start);
    const size_t stop = end == std::string_view::npos ? path.size() : end;
    out.push_back(path.substr(start, stop - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

Router::Router(RouteTable routes, const Authenticator& auth, const CommandPath& commands,
               RateLimiter* limiter)
    : routes_(std::move(routes)), auth_(auth), commands_(commands), limiter_(limiter) {
  for (const Route& route : routes_) {
    // A command needs a caller: only queries may be open.
    assert(!route.open || std::holds_alternative<Query>(route.action));
    segments_.push_back(split_path(route.pattern));
    std::vector<size_t>& ids = ids_.emplace_back();
    size_t placeholder = 0;
    for (std::string_view segment : segments_.back()) {
      if (!segment.starts_with('{')) continue;
      if (segment == "{id}") ids.push_back(placeholder);
      ++placeholder;
    }
    assert(ids.empty() || !route.absent.empty());
  }
}

Dispatch Router::dispatch(const Request& request, Reply reply) const {
  return route(request, nullptr, std::move(reply));
}

Dispatch Router::dispatch_as(const engine::Principal& who, const Request& request,
                             Reply reply) const {
  return route(request, &who, std::move(reply));
}

Dispatch Router::route(const Request& request, const engine::Principal* as, Reply reply) const {
  const auto path = split_path(request.path);
  PathParams params;
  std::string allowed;
  for (size_t i = 0; i < routes_.size(); ++i) {
    const Route& route = routes_[i];
    if (!match(segments_[i], path, params)) continue;
    // HEAD is answered as GET (the session sends the head only).
    if (route.method == request.method || (request.method == "HEAD" && route.method == "GET"))
      return run(i, request, params, as, std::move(reply));
    if (allowed.find(route.method) == std::string::npos)
      allowed.append(allowed.empty() ? "" : ", ").append(route.method);
  }
  if (!allowed.empty()) {
    Response r =
        problem(405, "method-not-allowed", "Method not allowed",
                request.method + " is not allowed on " + request.path + "; allowed: " + allowed);
    r.headers.emplace_back("Allow", allowed);
    reply(std::move(r));
    return {};
  }
  reply(problem(404, "not-found", "Not found", "no route for " + request.path));
  return {};
}

bool Router::within_rate(std::string_view key, Dispatch& dispatch, Reply& reply) const {
  if (!limiter_ || !limiter_->enabled()) return true;
  const RateLimiter::Decision d = limiter_->take(key);
  dispatch.rate = {d.limit, d.remaining, d.reset_s};
  if (d.allowed) return true;
  char rate[32];
  std::snprintf(rate, sizeof rate, "%g", limiter_->options().per_second);
  Response r = problem(429, "rate-limited", "Too many requests",
                       "more than " + std::string(rate) + " requests per second (burst " +
                           std::to_string(d.limit) + ") from " + std::string(key) +
                           "; retry after " + std::to_string(d.retry_after_s) + " s");
  r.headers.emplace_back("Retry-After", std::to_string(d.retry_after_s));
  reply(std::move(r));
  return false;
}

Dispatch Router::run(size_t index, const Request& request, const PathParams& params,
                     const engine::Principal* as, Reply reply) const {
  const Route& route = routes_[index];
  Dispatch dispatch{.route = static_cast<int>(index), .principal = {}, .rate = {}};
  std::optional<engine::Principal> caller;
  if (!route.open) {
    if (as) {
      caller = *as;
    } else {
      auto who = auth_.from_header(request.header("authorization"), request.header("origin"));
      if (!who.ok()) {
        // Refusals count against the caller's address: guessing tokens is
        // as limited as using one.
        const std::string key = "address " + request.peer;
        if (within_rate(key, dispatch, reply)) reply(problem(who.error()));
        return dispatch;
      }
      caller = std::move(who).value();
    }
    dispatch.principal = principal_label(*caller);
    if (!as && !within_rate(dispatch.principal, dispatch, reply)) return dispatch;
    if (!(route.roles & role_bit(caller->role))) {
      reply(problem(engine::Error::forbidden("a caller with role " +
                                             std::string(engine::role_name(caller->role)) + " " +
                                             std::string(route.forbidden))));
      return dispatch;
    }
  }
  for (size_t i : ids_[index])
    if (!engine::Uuid::parse(params[i])) {
      reply(problem(engine::Error::not_found(std::string(route.absent))));
      return dispatch;
    }
  const RouteRequest rq{request, caller ? &*caller : nullptr, params};
  if (const auto* query = std::get_if<Query>(&route.action)) {
    reply((*query)(rq));
    return dispatch;
  }
  commands_.run(route, std::get<CommandSpec>(route.action), rq, std::move(reply));
  return dispatch;
}

}  // namespace comanda::api
