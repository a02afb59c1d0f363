// The route table: method + path pattern ("/v1/orders/{id}/status") to a
// handler. Unknown paths answer 404 and known paths with another method 405,
// both as problems. Built once at start; dispatch() is safe on any thread.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "api/http_types.h"

namespace comanda::api {

// The values of a route's {placeholders}, in pattern order.
using PathParams = std::vector<std::string>;
using Handler = std::function<void(const Request&, const PathParams&, Reply)>;

class Router {
 public:
  // Routes match in the order added: add literal paths before patterns that
  // would also match them ("/v1/orders/active" before "/v1/orders/{id}").
  void add(std::string_view method, std::string_view pattern, Handler handler);
  void dispatch(const Request& request, Reply reply) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;  // "{x}" matches any one segment
    Handler handler;
  };
  static bool match(const Route& route, const std::vector<std::string_view>& path,
                    PathParams& params);
  std::vector<Route> routes_;
};

// Splits a path on '/', dropping the empty first segment.
std::vector<std::string_view> split_path(std::string_view path);

}  // namespace comanda::api
