#include "api/routes/responses.h"

#include "api/http/problem.h"

namespace comanda::api {

Response json_response(int status, std::string body, uint64_t position) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.headers.emplace_back("Comanda-Position", std::to_string(position));
  return r;
}

Response no_content(uint64_t position) {
  Response r;
  r.status = 204;
  r.content_type.clear();
  r.headers.emplace_back("Comanda-Position", std::to_string(position));
  return r;
}

std::string etag(uint64_t version) { return "\"" + std::to_string(version) + "\""; }

Response not_in_read_models() {
  return problem(engine::Error::unavailable(
      "the result is not readable yet; retry with the same Idempotency-Key"));
}

}  // namespace comanda::api
