// `comanda token`: mints an HS256 JWT with the server's own code
// (api/auth/jwt.h), for local use and scripts.
#include <cctype>
#include <cstdlib>
#include <ostream>

#include "api/auth/jwt.h"
#include "engine/base/clock.h"
#include "tools/subcommand.h"

namespace comanda::tools {

engine::Result<std::string> jwt_secret(const std::string& secret_file) {
  if (!secret_file.empty()) return api::read_secret_file(secret_file);
  const char* env = std::getenv("COMANDA_JWT_SECRET");
  if (!env)
    return engine::Error::invalid(
        "", "no secret: set COMANDA_JWT_SECRET or pass --jwt-secret-file FILE");
  if (auto status = api::check_secret(env, "COMANDA_JWT_SECRET"); !status.ok())
    return status.error();
  return std::string(env);
}

namespace {

struct TokenRequest {
  std::string role;
  std::string subject;
  std::string ttl = "1h";
  std::string secret_file;  // else COMANDA_JWT_SECRET
  std::string issuer;
  std::string audience;
};

// "90s", "15m", "1h", "7d" or plain seconds; nullopt when malformed.
std::optional<int64_t> parse_duration(const std::string& text) {
  if (text.empty()) return std::nullopt;
  size_t used = 0;
  long long n = 0;
  try {
    n = std::stoll(text, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (n <= 0 || std::isspace(static_cast<unsigned char>(text[0]))) return std::nullopt;
  const std::string unit = text.substr(used);
  int64_t seconds_per_unit = 0;
  if (unit.empty() || unit == "s") seconds_per_unit = 1;
  if (unit == "m") seconds_per_unit = 60;
  if (unit == "h") seconds_per_unit = 3600;
  if (unit == "d") seconds_per_unit = 86400;
  // At most ten years: a token's expiry must stay a representable time.
  constexpr int64_t kMaxSeconds = int64_t{3650} * 86400;
  if (seconds_per_unit == 0 || n > kMaxSeconds / seconds_per_unit) return std::nullopt;
  return n * seconds_per_unit;
}

int mint(const TokenRequest& request, std::ostream& out, std::ostream& err) {
  auto role = engine::parse_role(request.role);
  if (!role) {
    err << "comanda token: --role must be admin, owner, customer or driver\n";
    return 2;
  }
  if (request.subject.empty()) {
    err << "comanda token: --sub is required\n";
    return 2;
  }
  auto ttl = parse_duration(request.ttl);
  if (!ttl) {
    err << "comanda token: --ttl must be a duration such as 90s, 15m, 1h or 7d\n";
    return 2;
  }
  api::JwtOptions options;
  auto secret = jwt_secret(request.secret_file);
  if (!secret.ok()) {
    err << "comanda token: " << secret.error().message << "\n";
    return 1;
  }
  options.secret = *secret;
  options.issuer = request.issuer;
  options.audience = request.audience;
  const int64_t now = engine::utc_now_us() / 1'000'000;
  auto token = api::mint_jwt(options, {request.subject, *role}, now, *ttl);
  if (!token.ok()) {
    err << "comanda token: " << token.error().message << "\n";
    return 1;
  }
  out << *token << "\n";
  return 0;
}

class Token final : public Subcommand {
 public:
  std::string_view name() const override { return "token"; }
  std::string_view summary() const override {
    return "mint a JWT (secret from --jwt-secret-file or $COMANDA_JWT_SECRET)";
  }
  void configure(CLI::App& app) override {
    if (const char* file = std::getenv("COMANDA_JWT_SECRET_FILE")) request_.secret_file = file;
    app.add_option("--role", request_.role, "admin, owner, customer or driver (required)");
    app.add_option("--sub", request_.subject, "the token's subject, the account (required)");
    app.add_option("--ttl", request_.ttl, "how long it is valid: 90s, 15m, 1h, 7d (default 1h)");
    app.add_option("--jwt-secret-file", request_.secret_file,
                   "the file holding the secret (default $COMANDA_JWT_SECRET_FILE)")
        ->type_name("FILE");
    app.add_option("--iss", request_.issuer, "the token's issuer (iss)");
    app.add_option("--aud", request_.audience, "the token's audience (aud)");
  }
  int run(std::ostream& out, std::ostream& err) override { return mint(request_, out, err); }

 private:
  TokenRequest request_;
};

}  // namespace

std::unique_ptr<Subcommand> token_command() { return std::make_unique<Token>(); }

}  // namespace comanda::tools
