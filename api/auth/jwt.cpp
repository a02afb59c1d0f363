#include "api/auth/jwt.h"

#include <jwt.h>
#include <simdjson.h>

#include <cctype>
#include <fstream>
#include <memory>
#include <sstream>

#include "engine/base/text.h"

namespace comanda::api {
namespace {

using engine::Error;
using engine::ErrorCode;

Error unauthenticated(std::string why) { return Error::unauthenticated(std::move(why)); }

struct JwtDeleter {
  void operator()(jwt_t* j) const { jwt_free(j); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtDeleter>;

// A claim's JSON text, as libjwt hands it over ("" when absent).
std::string claim_json(jwt_t* jwt, const char* name) {
  std::unique_ptr<char, decltype(&free)> json(jwt_get_grants_json(jwt, name), &free);
  return json ? std::string(json.get()) : std::string();
}

// A NumericDate claim (RFC 7519: seconds, fractions allowed): nullopt when
// absent; an error when present but not a JSON number. libjwt's own
// jwt_get_grant_int reads a fraction or a string as 0 without saying so,
// hence the parse here.
engine::Result<std::optional<double>> date_claim(jwt_t* jwt, const char* name) {
  thread_local simdjson::dom::parser parser;
  const std::string json = claim_json(jwt, name);
  if (json.empty()) return std::optional<double>{};
  simdjson::dom::element value;
  double seconds = 0;
  if (parser.parse(json).get(value) != simdjson::SUCCESS || !value.is_number() ||
      value.get_double().get(seconds) != simdjson::SUCCESS)
    return unauthenticated(std::string("the token's '") + name + "' claim is not a number");
  return std::optional<double>{seconds};
}

// `aud` is one string or an array of strings (RFC 7519 section 4.1.3).
bool audience_matches(jwt_t* jwt, const std::string& audience) {
  thread_local simdjson::dom::parser parser;
  const std::string json = claim_json(jwt, "aud");
  simdjson::dom::element value;
  if (json.empty() || parser.parse(json).get(value) != simdjson::SUCCESS) return false;
  std::string_view one;
  if (value.get(one) == simdjson::SUCCESS) return one == audience;
  simdjson::dom::array many;
  if (value.get(many) != simdjson::SUCCESS) return false;
  for (simdjson::dom::element e : many)
    if (e.get(one) == simdjson::SUCCESS && one == audience) return true;
  return false;
}

// The `alg` a token's header names, read before any verification so that
// every algorithm but HS256 is refused in the same words ("" when the
// header is not base64url JSON naming one).
std::string header_alg(std::string_view token) {
  const size_t dot = token.find('.');
  if (dot == std::string_view::npos || dot > 1024) return "";
  std::string json;
  uint32_t bits = 0;
  int have = 0;
  for (char c : token.substr(0, dot)) {
    int v = c >= 'A' && c <= 'Z'   ? c - 'A'
            : c >= 'a' && c <= 'z' ? c - 'a' + 26
            : c >= '0' && c <= '9' ? c - '0' + 52
            : c == '-'             ? 62
            : c == '_'             ? 63
                                   : -1;
    if (v < 0) return "";
    bits = (bits << 6) | static_cast<uint32_t>(v);
    if ((have += 6) >= 8) {
      have -= 8;
      json.push_back(static_cast<char>((bits >> have) & 0xFF));
    }
  }
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element header;
  std::string_view alg;
  if (parser.parse(json).get(header) != simdjson::SUCCESS || header["alg"].get(alg)) return "";
  std::string out;
  for (char c : alg.substr(0, 16))
    if (std::isalnum(static_cast<unsigned char>(c))) out.push_back(c);
  return out;
}

}  // namespace

engine::Result<engine::Principal> JwtVerifier::verify(std::string_view token, int64_t now_s,
                                                      double* valid_until_s) const {
  if (token.empty()) return unauthenticated("no bearer token");
  if (token.size() > 8192) return unauthenticated("the token is too long");
  if (const std::string alg = header_alg(token); !alg.empty() && alg != "HS256")
    return unauthenticated("the token's algorithm must be HS256 (it names " + alg + ")");
  const std::string text(token);
  jwt_t* raw = nullptr;
  const auto* key = reinterpret_cast<const unsigned char*>(options_.secret.data());
  if (jwt_decode(&raw, text.c_str(), key, static_cast<int>(options_.secret.size())) != 0 || !raw)
    return unauthenticated("the token is malformed or its signature does not verify");
  JwtPtr jwt(raw);
  // Pinned: a token that names any other algorithm is refused even when
  // libjwt could verify it.
  if (jwt_get_alg(jwt.get()) != JWT_ALG_HS256)
    return unauthenticated("the token's algorithm must be HS256");

  auto exp = date_claim(jwt.get(), "exp");
  if (!exp.ok()) return std::move(exp).error();
  if (!*exp) return unauthenticated("the token has no 'exp' claim");
  if (static_cast<double>(now_s - options_.leeway_s) >= **exp)
    return unauthenticated("the token has expired");
  auto nbf = date_claim(jwt.get(), "nbf");
  if (!nbf.ok()) return std::move(nbf).error();
  if (*nbf && static_cast<double>(now_s + options_.leeway_s) < **nbf)
    return unauthenticated("the token is not valid yet");

  if (!options_.issuer.empty()) {
    const char* iss = jwt_get_grant(jwt.get(), "iss");
    if (!iss || options_.issuer != iss)
      return unauthenticated("the token's issuer is not accepted");
  }
  if (!options_.audience.empty() && !audience_matches(jwt.get(), options_.audience))
    return unauthenticated("the token's audience is not accepted");

  const char* sub = jwt_get_grant(jwt.get(), "sub");
  if (!sub || !*sub) return unauthenticated("the token has no 'sub' claim");
  if (std::string_view(sub).size() > 128) return unauthenticated("the token's 'sub' is too long");
  if (engine::has_control_character(sub))
    return unauthenticated("the token's 'sub' holds control characters");
  const char* role_text = jwt_get_grant(jwt.get(), "role");
  auto role = role_text ? engine::parse_role(role_text) : std::nullopt;
  if (!role) return unauthenticated("the token's 'role' must be admin, owner, customer or driver");
  if (valid_until_s) *valid_until_s = **exp + static_cast<double>(options_.leeway_s);
  return engine::Principal{sub, *role};
}

engine::Result<std::string> mint_jwt(const JwtOptions& options, const engine::Principal& principal,
                                     int64_t now_s, int64_t ttl_s) {
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) return Error::io("cannot allocate a token");
  JwtPtr jwt(raw);
  const auto* key = reinterpret_cast<const unsigned char*>(options.secret.data());
  int rc = jwt_set_alg(jwt.get(), JWT_ALG_HS256, key, static_cast<int>(options.secret.size()));
  rc |= jwt_add_grant(jwt.get(), "sub", principal.subject.c_str());
  rc |= jwt_add_grant(jwt.get(), "role", std::string(engine::role_name(principal.role)).c_str());
  rc |= jwt_add_grant_int(jwt.get(), "iat", now_s);
  rc |= jwt_add_grant_int(jwt.get(), "exp", now_s + ttl_s);
  if (!options.issuer.empty()) rc |= jwt_add_grant(jwt.get(), "iss", options.issuer.c_str());
  if (!options.audience.empty()) rc |= jwt_add_grant(jwt.get(), "aud", options.audience.c_str());
  if (rc != 0) return Error::invalid("", "cannot build the token's claims");
  std::unique_ptr<char, decltype(&free)> text(jwt_encode_str(jwt.get()), &free);
  if (!text) return Error::io("cannot sign the token");
  return std::string(text.get());
}

engine::Status check_secret(const std::string& secret, const std::string& source) {
  if (secret.size() < kMinSecretBytes)
    return Error::invalid(source, "the JWT secret from " + source + " is " +
                                      std::to_string(secret.size()) + " bytes; at least " +
                                      std::to_string(kMinSecretBytes) + " are required");
  return {};
}

engine::Result<std::string> read_secret_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::invalid("--jwt-secret-file", "cannot read the JWT secret file " + path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string secret = buffer.str();
  while (!secret.empty() && std::isspace(static_cast<unsigned char>(secret.back())))
    secret.pop_back();
  if (auto status = check_secret(secret, path); !status.ok()) return status.error();
  return secret;
}

}  // namespace comanda::api
