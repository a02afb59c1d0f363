// JSON Web Tokens, HS256 only, verified and minted with libjwt. The algorithm
// is pinned: `none`, HS384/HS512, RS/ES and anything else are refused.
//
// Thread-safe: a JwtVerifier is immutable after construction.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/base/error.h"
#include "engine/domain/principal.h"

namespace comanda::api {

// Secrets shorter than this are refused: an HS256 key should carry at least
// the hash's 256 bits.
inline constexpr size_t kMinSecretBytes = 32;

struct JwtOptions {
  std::string secret;
  std::string issuer = {};    // checked when not empty
  std::string audience = {};  // checked when not empty
  int64_t leeway_s = 30;      // allowed clock skew for exp and nbf
};

class JwtVerifier {
 public:
  explicit JwtVerifier(JwtOptions options) : options_(std::move(options)) {}

  // The principal a token names: `sub` (1..128 bytes) and `role` (admin,
  // owner, customer, driver). Requires a valid HS256 signature and `exp`;
  // checks `nbf` if present, and `iss`/`aud` when configured.
  // Error: kUnauthenticated, saying why. `valid_until_s`, if given, receives
  // the first second at which the token is refused as expired (its `exp`
  // plus the leeway).
  engine::Result<engine::Principal> verify(std::string_view token, int64_t now_s,
                                           double* valid_until_s = nullptr) const;

 private:
  JwtOptions options_;
};

// Mints an HS256 token for `principal`, valid from `now_s` for `ttl_s`.
engine::Result<std::string> mint_jwt(const JwtOptions& options, const engine::Principal& principal,
                                     int64_t now_s, int64_t ttl_s);

// Reads a secret from a file (trailing whitespace trimmed) and checks its
// length. Error names the file.
engine::Result<std::string> read_secret_file(const std::string& path);
engine::Status check_secret(const std::string& secret, const std::string& source);

}  // namespace comanda::api
