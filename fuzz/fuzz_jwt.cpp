// libFuzzer target: one bearer token, verified as comandad verifies tokens
// (api/auth/jwt.h) with a fixed secret and a fixed clock, by a verifier that
// also requires an issuer and an audience, and as the value of an
// Authorization header (api/auth/authenticator.h, on the real clock). The
// corpus (fuzz/corpus/fuzz_jwt/) holds a valid HS256 token, an expired one,
// one signed HS512 and one that names `none`, among others.
//
// Invariants besides the sanitizers' (fuzz_check.h):
// - a refusal is a 401 whose problem+json is a valid UTF-8 JSON object;
// - an accepted token names a subject of 1 to 128 bytes without control
//   characters and a role a person has;
// - no verifier with another secret accepts it (the signature is checked);
// - its principal, minted into a token again, verifies to itself.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/auth/authenticator.h"
#include "api/auth/jwt.h"
#include "engine/base/text.h"
#include "fuzz/fuzz_check.h"

namespace {

using namespace comanda;
using engine::ErrorCode;

// The secret the corpus's tokens are signed with (fuzz/jwt_corpus.py writes
// them).
constexpr std::string_view kSecret = "comanda-fuzz-secret-0123456789abcdef";
// 2026-11-17T08:53:20Z: the corpus's valid tokens expire long after it.
constexpr int64_t kNowS = 1'795'000'000;

api::JwtOptions options(std::string secret, std::string issuer = {}, std::string audience = {}) {
  return {
      .secret = std::move(secret), .issuer = std::move(issuer), .audience = std::move(audience)};
}

const api::JwtVerifier kVerifier(options(std::string(kSecret)));
const api::JwtVerifier kIssuerAndAudience(options(std::string(kSecret), "comanda", "comanda-api"));
const api::JwtVerifier kOtherSecret(options("another-secret-of-enough-length-0123456789"));
const api::Authenticator kAuthenticator(kVerifier, /*dev=*/false);

void check_principal(const engine::Principal& who) {
  FUZZ_CHECK(!who.subject.empty() && who.subject.size() <= 128);
  FUZZ_CHECK(!engine::has_control_character(who.subject));
  FUZZ_CHECK(who.role != engine::Role::kEngine);
}

void check_refused(const engine::Result<engine::Principal>& verified) {
  FUZZ_CHECK(!verified.ok());
  fuzz::check_refusal(verified.error(), {ErrorCode::kUnauthenticated});
}

// `verified` as the verifiers' invariants say; true when it was accepted.
bool check_verified(const engine::Result<engine::Principal>& verified, std::string_view token) {
  if (!verified.ok()) {
    fuzz::check_refusal(verified.error(), {ErrorCode::kUnauthenticated});
    return false;
  }
  check_principal(*verified);
  check_refused(kOtherSecret.verify(token, kNowS));
  return true;
}

void check_minted_again(const engine::Principal& who) {
  auto token = api::mint_jwt(options(std::string(kSecret)), who, kNowS, 600);
  FUZZ_CHECK(token.ok());
  auto again = kVerifier.verify(*token, kNowS);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(*again == who);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view token(reinterpret_cast<const char*>(data), size);
  auto verified = kVerifier.verify(token, kNowS);
  if (check_verified(verified, token)) check_minted_again(*verified);
  // One that checks iss and aud accepts a subset of what the plain one does.
  auto strict = kIssuerAndAudience.verify(token, kNowS);
  if (check_verified(strict, token)) FUZZ_CHECK(verified.ok() && *strict == *verified);

  const std::string header = "Bearer " + std::string(token);
  for (std::string_view value : {std::string_view(header), token}) {
    auto from_header = kAuthenticator.from_header(value);
    if (from_header.ok())
      check_principal(*from_header);
    else
      fuzz::check_refusal(from_header.error(), {ErrorCode::kUnauthenticated});
  }
  return 0;
}
