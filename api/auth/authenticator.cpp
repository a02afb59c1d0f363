#include "api/auth/authenticator.h"

#include "engine/base/clock.h"
#include "engine/base/text.h"

namespace comanda::api {
namespace {

engine::Error unauthenticated(std::string why) {
  return engine::Error::unauthenticated("Authorization", std::move(why));
}

int64_t now_seconds() { return engine::utc_now_us() / 1'000'000; }

// No Origin (not a browser), or a page served from this machine.
bool local_origin(std::string_view origin) {
  if (origin.empty()) return true;
  for (std::string_view local : {"http://127.0.0.1", "http://localhost", "http://[::1]"})
    if (origin == local || (origin.starts_with(local) && origin[local.size()] == ':')) return true;
  return false;
}

}  // namespace

Authenticator::Authenticator(std::optional<JwtVerifier> verifier, bool dev, Clock clock)
    : verifier_(std::move(verifier)), dev_(dev), clock_(clock ? clock : &now_seconds) {}

engine::Result<engine::Principal> Authenticator::from_header(std::string_view authorization,
                                                             std::string_view origin) const {
  if (authorization.empty()) {
    // In dev mode a request without a token is an admin: never hand that
    // to a page from another site that the developer happens to open (a
    // plain form post needs no CORS preflight).
    if (dev_ && !local_origin(origin))
      return engine::Error::forbidden(
          "Origin", "dev mode: requests without a token are open to local pages only");
    if (dev_) return engine::Principal{"dev", engine::Role::kAdmin};
    return unauthenticated("an Authorization: Bearer token is required");
  }
  constexpr std::string_view kScheme = "Bearer ";
  if (authorization.size() <= kScheme.size() ||
      !engine::iequals(authorization.substr(0, kScheme.size()), kScheme))
    return unauthenticated("the Authorization header must be 'Bearer <token>'");
  return from_token(authorization.substr(kScheme.size()));
}

engine::Result<engine::Principal> Authenticator::from_token(std::string_view token) const {
  if (!verifier_)
    return unauthenticated("no JWT secret is configured, so no token can be verified");
  const int64_t now = clock_();
  if (auto known = verified_.find(token, now)) return *std::move(known);
  double valid_until = 0;
  auto principal = verifier_->verify(token, now, &valid_until);
  if (!principal.ok()) return unauthenticated(principal.error().message);
  verified_.insert(token, *principal, valid_until);
  return principal;
}

std::string principal_label(const engine::Principal& who) {
  std::string label(engine::role_name(who.role));
  return label.append(":").append(who.subject);
}

}  // namespace comanda::api
