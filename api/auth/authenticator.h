// Who is calling: the `Authorization: Bearer <JWT>` header (or a token sent
// in a WebSocket's first message) turned into a Principal. In --dev mode a
// request without the header acts as an administrator named "dev".
//
// Thread-safe. Tokens that verified are remembered until they expire
// (api/auth/token_cache.h): a client's every request after its first costs
// a lookup, not a verification.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "api/auth/jwt.h"
#include "api/auth/token_cache.h"
#include "engine/base/error.h"
#include "engine/domain/principal.h"

namespace comanda::api {

class Authenticator {
 public:
  using Clock = int64_t (*)();  // UTC seconds

  // `verifier` may be absent only in dev mode (then every token is refused).
  // `clock`: the time tokens are checked against (replaceable in tests).
  Authenticator(std::optional<JwtVerifier> verifier, bool dev, Clock clock = nullptr);

  // From the Authorization header's value ("" when the header is absent)
  // and the request's Origin ("" when absent). Error: kUnauthenticated,
  // saying why; in dev mode, kForbidden for a request without a token from
  // a page of another site (it would act as the dev admin).
  engine::Result<engine::Principal> from_header(std::string_view authorization,
                                                std::string_view origin = {}) const;
  // From a bare token.
  engine::Result<engine::Principal> from_token(std::string_view token) const;

  bool dev() const { return dev_; }

 private:
  std::optional<JwtVerifier> verifier_;
  bool dev_;
  Clock clock_;
  mutable TokenCache verified_;
};

// "role:subject": how the access log names a caller, and the key of its
// rate limit.
std::string principal_label(const engine::Principal& who);

}  // namespace comanda::api
