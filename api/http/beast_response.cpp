#include "api/http/beast_response.h"

namespace comanda::api {

std::shared_ptr<http::response<http::string_body>> to_beast(Response r, unsigned version,
                                                            bool keep_alive) {
  auto res = std::make_shared<http::response<http::string_body>>(
      static_cast<http::status>(r.status), version);
  res->set(http::field::server, "comandad");
  res->set(http::field::content_type, r.content_type);
  for (auto& [name, value] : r.headers) res->set(name, value);
  res->body() = std::move(r.body);
  res->keep_alive(keep_alive);
  res->prepare_payload();
  return res;
}

}  // namespace comanda::api
