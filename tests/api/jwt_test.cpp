// Token verification (api/auth/jwt.h, api/auth/authenticator.h): only HS256 with our secret,
// with the claims a principal needs, within its validity window.
#include "api/auth/jwt.h"

#include <gtest/gtest.h>
#include <jwt.h>

#include <memory>

#include "api/auth/authenticator.h"
#include "engine/base/clock.h"

namespace {

using namespace comanda;
using api::JwtOptions;
using api::JwtVerifier;
using engine::ErrorCode;
using engine::Principal;
using engine::Role;

const std::string kSecret = "0123456789abcdef0123456789abcdef-test";
constexpr int64_t kNow = 1'795'000'000;

// A token signed by libjwt directly, with any algorithm and claims.
std::string sign(jwt_alg_t alg, const std::string& secret, const std::string& claims_json) {
  jwt_t* raw = nullptr;
  jwt_new(&raw);
  std::unique_ptr<jwt_t, decltype(&jwt_free)> jwt(raw, &jwt_free);
  jwt_add_grants_json(jwt.get(), claims_json.c_str());
  jwt_set_alg(jwt.get(), alg, reinterpret_cast<const unsigned char*>(secret.data()),
              alg == JWT_ALG_NONE ? 0 : static_cast<int>(secret.size()));
  std::unique_ptr<char, decltype(&free)> text(jwt_encode_str(jwt.get()), &free);
  return text ? text.get() : "";
}

std::string claims(const std::string& extra = "", int64_t exp = kNow + 600) {
  std::string c = R"({"sub": "u-owner-1", "role": "owner", "exp": )" + std::to_string(exp);
  if (!extra.empty()) c += ", " + extra;
  return c + "}";
}

ErrorCode refusal(const JwtVerifier& v, const std::string& token) {
  auto p = v.verify(token, kNow);
  EXPECT_FALSE(p.ok()) << token;
  return p.ok() ? ErrorCode::kInvalidArgument : p.error().code;
}

TEST(Jwt, AcceptsAnHs256TokenAndReadsItsPrincipal) {
  JwtVerifier v({kSecret});
  auto p = v.verify(sign(JWT_ALG_HS256, kSecret, claims()), kNow);
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(*p, (Principal{"u-owner-1", Role::kOwner}));
}

TEST(Jwt, MintedTokensVerify) {
  JwtOptions options{kSecret, "comanda", "dashboard"};
  auto token = api::mint_jwt(options, {"u-cust-1", Role::kCustomer}, kNow, 3600);
  ASSERT_TRUE(token.ok());
  auto p = JwtVerifier(options).verify(*token, kNow + 10);
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->subject, "u-cust-1");
  EXPECT_EQ(p->role, Role::kCustomer);
}

TEST(Jwt, RefusesEveryOtherAlgorithm) {
  JwtVerifier v({kSecret});
  EXPECT_EQ(refusal(v, sign(JWT_ALG_HS384, kSecret, claims())), ErrorCode::kUnauthenticated);
  EXPECT_EQ(refusal(v, sign(JWT_ALG_HS512, kSecret, claims())), ErrorCode::kUnauthenticated);
  EXPECT_EQ(refusal(v, sign(JWT_ALG_NONE, "", claims())), ErrorCode::kUnauthenticated);
}

TEST(Jwt, EveryOtherAlgorithmIsRefusedInTheSameWords) {
  JwtVerifier v({kSecret});
  // {"alg":"RS256","typ":"JWT"}, a payload, and a signature nobody checks.
  const std::string rs256 = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4In0.c2ln";
  for (const auto& [token, alg] :
       {std::pair{sign(JWT_ALG_HS512, kSecret, claims()), "HS512"},
        std::pair{sign(JWT_ALG_NONE, "", claims()), "none"}, std::pair{rs256, "RS256"}}) {
    auto p = v.verify(token, kNow);
    ASSERT_FALSE(p.ok()) << alg;
    EXPECT_EQ(p.error().message,
              std::string("the token's algorithm must be HS256 (it names ") + alg + ")");
  }
}

TEST(Jwt, RefusesAnotherSecretAndATamperedToken) {
  JwtVerifier v({kSecret});
  EXPECT_EQ(refusal(v, sign(JWT_ALG_HS256, kSecret + "x", claims())), ErrorCode::kUnauthenticated);
  std::string token = sign(JWT_ALG_HS256, kSecret, claims());
  // Swap the payload for one that claims admin, keeping the signature.
  const std::string admin =
      sign(JWT_ALG_HS256, kSecret + "other",
           R"({"sub": "x", "role": "admin", "exp": )" + std::to_string(kNow + 600) + "}");
  const auto mid = [](const std::string& t) {
    return t.substr(t.find('.') + 1, t.rfind('.') - t.find('.') - 1);
  };
  std::string forged =
      token.substr(0, token.find('.') + 1) + mid(admin) + token.substr(token.rfind('.'));
  EXPECT_EQ(refusal(v, forged), ErrorCode::kUnauthenticated);
  EXPECT_EQ(refusal(v, "not.a.token"), ErrorCode::kUnauthenticated);
  EXPECT_EQ(refusal(v, ""), ErrorCode::kUnauthenticated);
}

TEST(Jwt, ChecksExpiryAndNotBeforeWithALeeway) {
  JwtVerifier v({kSecret});
  EXPECT_EQ(refusal(v, sign(JWT_ALG_HS256, kSecret, claims("", kNow - 31))),
            ErrorCode::kUnauthenticated);
  EXPECT_TRUE(v.verify(sign(JWT_ALG_HS256, kSecret, claims("", kNow - 10)), kNow).ok());
  EXPECT_EQ(
      refusal(v, sign(JWT_ALG_HS256, kSecret, claims("\"nbf\": " + std::to_string(kNow + 31)))),
      ErrorCode::kUnauthenticated);
  EXPECT_TRUE(
      v.verify(sign(JWT_ALG_HS256, kSecret, claims("\"nbf\": " + std::to_string(kNow + 10))), kNow)
          .ok());
  EXPECT_EQ(refusal(v, sign(JWT_ALG_HS256, kSecret, R"({"sub": "a", "role": "admin"})")),
            ErrorCode::kUnauthenticated);
}

TEST(Jwt, RequiresASubjectAndAKnownRole) {
  JwtVerifier v({kSecret});
  const std::string exp = std::to_string(kNow + 600);
  EXPECT_EQ(refusal(v, sign(JWT_ALG_HS256, kSecret, R"({"role": "admin", "exp": )" + exp + "}")),
            ErrorCode::kUnauthenticated);
  EXPECT_EQ(refusal(v, sign(JWT_ALG_HS256, kSecret, R"({"sub": "a", "exp": )" + exp + "}")),
            ErrorCode::kUnauthenticated);
  EXPECT_EQ(refusal(v, sign(JWT_ALG_HS256, kSecret,
                            R"({"sub": "a", "role": "engine", "exp": )" + exp + "}")),
            ErrorCode::kUnauthenticated);
  EXPECT_EQ(refusal(v, sign(JWT_ALG_HS256, kSecret,
                            R"({"sub": "a", "role": "superuser", "exp": )" + exp + "}")),
            ErrorCode::kUnauthenticated);
}

TEST(Jwt, RefusesASubjectWithControlCharacters) {
  JwtVerifier v({kSecret});
  const std::string exp = std::to_string(kNow + 600);
  EXPECT_EQ(refusal(v, sign(JWT_ALG_HS256, kSecret,
                            R"({"sub": "u-a\u0000evil", "role": "owner", "exp": )" + exp + "}")),
            ErrorCode::kUnauthenticated);
  EXPECT_EQ(refusal(v, sign(JWT_ALG_HS256, kSecret,
                            R"({"sub": "u-a\nb", "role": "owner", "exp": )" + exp + "}")),
            ErrorCode::kUnauthenticated);
}

TEST(Jwt, ChecksIssuerAndAudienceWhenConfigured) {
  JwtVerifier v({kSecret, "comanda", "dashboard"});
  EXPECT_TRUE(
      v.verify(sign(JWT_ALG_HS256, kSecret, claims(R"("iss": "comanda", "aud": "dashboard")")),
               kNow)
          .ok());
  EXPECT_TRUE(v.verify(sign(JWT_ALG_HS256, kSecret,
                            claims(R"("iss": "comanda", "aud": ["x", "dashboard"])")),
                       kNow)
                  .ok());
  EXPECT_EQ(
      refusal(v, sign(JWT_ALG_HS256, kSecret, claims(R"("iss": "other", "aud": "dashboard")"))),
      ErrorCode::kUnauthenticated);
  EXPECT_EQ(refusal(v, sign(JWT_ALG_HS256, kSecret, claims(R"("iss": "comanda", "aud": "kiosk")"))),
            ErrorCode::kUnauthenticated);
  EXPECT_EQ(refusal(v, sign(JWT_ALG_HS256, kSecret, claims())), ErrorCode::kUnauthenticated);
}

TEST(Jwt, RefusesShortSecrets) {
  EXPECT_FALSE(api::check_secret("short", "test").ok());
  EXPECT_TRUE(api::check_secret(kSecret, "test").ok());
}

TEST(Authenticator, NeedsABearerTokenUnlessInDevMode) {
  api::Authenticator strict(JwtVerifier({kSecret}), false);
  EXPECT_EQ(strict.from_header("").error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(strict.from_header("Basic dXNlcjpwYXNz").error().code, ErrorCode::kUnauthenticated);
  // Against the wall clock: a token valid for ten more minutes passes, one
  // that expired an hour ago does not.
  const int64_t now_s = comanda::engine::utc_now_us() / 1'000'000;
  auto valid =
      strict.from_header("Bearer " + sign(JWT_ALG_HS256, kSecret, claims("", now_s + 600)));
  ASSERT_TRUE(valid.ok()) << valid.error().message;
  EXPECT_EQ(valid->role, Role::kOwner);
  EXPECT_FALSE(
      strict.from_header("Bearer " + sign(JWT_ALG_HS256, kSecret, claims("", now_s - 3600))).ok());

  api::Authenticator dev(std::nullopt, true);
  auto anonymous = dev.from_header("");
  ASSERT_TRUE(anonymous.ok());
  EXPECT_EQ(*anonymous, (Principal{"dev", Role::kAdmin}));
  // A token sent in dev mode is still verified: with no secret, none passes.
  EXPECT_FALSE(dev.from_header("Bearer abc.def.ghi").ok());
}

}  // namespace

namespace {

TEST(Jwt, ReadsDatesWithFractionsAndRefusesDatesThatAreNotNumbers) {
  JwtVerifier v({kSecret});
  const std::string exp = std::to_string(kNow + 600);
  EXPECT_TRUE(v.verify(sign(JWT_ALG_HS256, kSecret,
                            R"({"sub": "a", "role": "admin", "exp": )" + exp + ".5}"),
                       kNow)
                  .ok());
  EXPECT_EQ(refusal(v, sign(JWT_ALG_HS256, kSecret,
                            claims("\"nbf\": " + std::to_string(kNow + 120) + ".5"))),
            ErrorCode::kUnauthenticated);
  EXPECT_EQ(refusal(v, sign(JWT_ALG_HS256, kSecret, claims(R"("nbf": "tomorrow")"))),
            ErrorCode::kUnauthenticated);
  EXPECT_EQ(refusal(v, sign(JWT_ALG_HS256, kSecret, claims(R"("nbf": true)"))),
            ErrorCode::kUnauthenticated);
  EXPECT_EQ(
      refusal(v, sign(JWT_ALG_HS256, kSecret, R"({"sub": "a", "role": "admin", "exp": "never"})")),
      ErrorCode::kUnauthenticated);
}

TEST(Jwt, MatchesTheAudienceExactlyNotAsText) {
  JwtVerifier v({kSecret, "", "dashboard"});
  EXPECT_EQ(refusal(v, sign(JWT_ALG_HS256, kSecret, claims(R"("aud": {"name": "dashboard"})"))),
            ErrorCode::kUnauthenticated);
  EXPECT_EQ(refusal(v, sign(JWT_ALG_HS256, kSecret, claims(R"("aud": [["dashboard"]])"))),
            ErrorCode::kUnauthenticated);
  EXPECT_EQ(refusal(v, sign(JWT_ALG_HS256, kSecret, claims(R"("aud": "dashboard2")"))),
            ErrorCode::kUnauthenticated);
}

int64_t g_now = kNow;
int64_t fake_clock() { return g_now; }

TEST(Authenticator, ARememberedTokenIsRefusedOnceItExpires) {
  g_now = kNow;
  api::Authenticator auth(JwtVerifier({kSecret}), false, &fake_clock);
  const std::string token = sign(JWT_ALG_HS256, kSecret, claims("", kNow + 100));  // leeway 30 s
  ASSERT_TRUE(auth.from_token(token).ok());
  g_now = kNow + 129;  // remembered, and still valid
  auto still = auth.from_token(token);
  ASSERT_TRUE(still.ok());
  EXPECT_EQ(still->subject, "u-owner-1");
  g_now = kNow + 130;
  auto expired = auth.from_token(token);
  ASSERT_FALSE(expired.ok());
  EXPECT_NE(expired.error().message.find("expired"), std::string::npos);
}

TEST(Authenticator, ARefusalIsNeverRemembered) {
  g_now = kNow;
  api::Authenticator auth(JwtVerifier({kSecret}), false, &fake_clock);
  // Valid from kNow + 100, with the leeway from kNow + 70.
  const std::string early =
      sign(JWT_ALG_HS256, kSecret, claims("\"nbf\": " + std::to_string(kNow + 100)));
  auto refused = auth.from_token(early);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("not valid yet"), std::string::npos);
  g_now = kNow + 80;
  EXPECT_TRUE(auth.from_token(early).ok());
  // Another secret's token is refused however often it comes.
  const std::string forged = sign(JWT_ALG_HS256, kSecret + "-other", claims());
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(auth.from_token(forged).ok());
}

}  // namespace
