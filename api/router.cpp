#include "api/router.h"

#include "api/problem.h"

namespace comanda::api {

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

void Router::add(std::string_view method, std::string_view pattern, Handler handler) {
  Route route{std::string(method), {}, std::move(handler)};
  for (std::string_view s : split_path(pattern)) route.segments.emplace_back(s);
  routes_.push_back(std::move(route));
}

bool Router::match(const Route& route, const std::vector<std::string_view>& path,
                   PathParams& params) {
  if (route.segments.size() != path.size()) return false;
  params.clear();
  for (size_t i = 0; i < path.size(); ++i) {
    const std::string& seg = route.segments[i];
    if (seg.starts_with('{')) {
      if (path[i].empty()) return false;
      params.emplace_back(path[i]);
    } else if (seg != path[i]) {
      return false;
    }
  }
  return true;
}

void Router::dispatch(const Request& request, Reply reply) const {
  const auto path = split_path(request.path);
  PathParams params;
  std::string allowed;
  for (const Route& route : routes_) {
    if (!match(route, path, params)) continue;
    if (route.method == request.method) {
      route.handler(request, params, std::move(reply));
      return;
    }
    if (allowed.find(route.method) == std::string::npos)
      allowed += (allowed.empty() ? "" : ", ") + route.method;
  }
  if (!allowed.empty()) {
    Response r =
        problem(405, "method-not-allowed", "Method not allowed",
                request.method + " is not allowed on " + request.path + "; allowed: " + allowed);
    r.headers.emplace_back("Allow", allowed);
    reply(std::move(r));
    return;
  }
  reply(problem(404, "not-found", "Not found", "no route for " + request.path));
}

}  // namespace comanda::api
