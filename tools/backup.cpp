// `comanda backup DIR` and `comanda restore DIR` (docs/operations.md).
//
// A backup is a directory holding `log/`, an online RocksDB checkpoint of
// the data directory's log. With no server on the data directory, the tool
// opens the log itself and checkpoints it. When a comandad holds it, a
// read-only instance could not hold back the server's file deletions, so the
// tool asks the server (POST /v1/admin/backup, as an admin, a token minted
// from the server's secret), which writes into its --backup-dir under DIR's
// last name. Either way the backup is then checked (`verify --quick`).
#include "engine/log/backup.h"

#include <simdjson.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <ostream>
#include <system_error>

#include "api/auth/jwt.h"
#include "engine/base/clock.h"
#include "tools/new_log.h"
#include "tools/subcommand.h"
#include "tools/verify.h"

namespace comanda::tools {
namespace {

using namespace comanda::engine;
namespace fs = std::filesystem;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

// POST /v1/admin/backup {"name": name} on `server` ("http://host:port"); the
// path the server wrote, or the server's problem.
Result<std::string> ask_server(const std::string& server, const std::string& token,
                               const std::string& name) {
  std::string_view rest = server;
  if (rest.starts_with("http://")) rest.remove_prefix(7);
  while (rest.ends_with('/')) rest.remove_suffix(1);
  const size_t colon = rest.rfind(':');
  if (colon == std::string_view::npos)
    return Error::invalid("server", "--server must be http://HOST:PORT");
  try {
    boost::asio::io_context ioc;
    tcp::resolver resolver(ioc);
    boost::beast::tcp_stream stream(ioc);
    stream.expires_after(std::chrono::minutes(30));  // a large log takes a while
    stream.connect(
        resolver.resolve(std::string(rest.substr(0, colon)), std::string(rest.substr(colon + 1))));
    http::request<http::string_body> req{http::verb::post, "/v1/admin/backup", 11};
    req.set(http::field::host, std::string(rest));
    req.set(http::field::authorization, "Bearer " + token);
    req.set(http::field::content_type, "application/json");
    req.body() = "{\"name\":\"" + name + "\"}";  // checked by the server: no quotes
    req.prepare_payload();
    http::write(stream, req);
    boost::beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    simdjson::dom::parser parser;
    simdjson::dom::element body;
    std::string_view text;
    if (parser.parse(res.body()).get(body))
      return Error::io("the server answered " + std::to_string(res.result_int()));
    if (res.result_int() != 201) {
      std::string_view detail;
      if (body["detail"].get(detail)) detail = "no detail";
      return Error::io("the server refused the backup (" + std::to_string(res.result_int()) +
                       "): " + std::string(detail));
    }
    if (body["path"].get(text)) return Error::io("the server's answer names no path");
    return std::string(text);
  } catch (const std::exception& e) {
    return Error::unavailable("cannot reach the server at " + server + ": " + e.what());
  }
}

class Backup final : public Subcommand {
 public:
  std::string_view name() const override { return "backup"; }
  std::string_view summary() const override {
    return "an online backup of the log into DIR (through the server when one holds --data)";
  }
  void configure(CLI::App& app) override {
    app.add_option("DIR", target_, "the backup's directory (must not exist)")->required();
    add_data_flag(app, data_);
    app.add_option("--server", server_,
                   "the comandad holding --data, http://HOST:PORT: it writes the backup into its "
                   "--backup-dir, named as DIR's last part");
    app.add_option("--jwt-secret-file", secret_file_,
                   "the server's secret, to mint an admin's token (default $COMANDA_JWT_SECRET)");
  }
  int run(std::ostream& out, std::ostream& err) override {
    fs::path written;
    std::error_code ec;
    if (!fs::is_directory(data_ / "log", ec))
      return fail(err, "no log in " + data_.string() + " (is --data right?)");
    auto log = EventLog::open(data_ / "log", {Durability::kSync, false});
    if (log.ok()) {
      auto made = write_backup(**log, target_);
      if (!made.ok()) return fail(err, made.error().message);
      written = made->path;
    } else if (log.error().code == ErrorCode::kUnavailable) {  // a server holds it
      if (server_.empty())
        return fail(err, log.error().message + "; pass --server http://HOST:PORT to ask it");
      auto secret = jwt_secret(secret_file_);
      if (!secret.ok()) return fail(err, secret.error().message);
      api::JwtOptions options;
      options.secret = *secret;
      auto token =
          api::mint_jwt(options, {"comanda-backup", Role::kAdmin}, utc_now_us() / 1'000'000, 600);
      if (!token.ok()) return fail(err, token.error().message);
      auto path = ask_server(server_, *token, target_.filename().string());
      if (!path.ok()) return fail(err, path.error().message);
      written = *path;
    } else {
      return fail(err, log.error().message);
    }
    out << "backup written to " << written.string() << "\n";
    return verify(written, out, err, /*quick=*/true);
  }

 private:
  static int fail(std::ostream& err, const std::string& message) {
    err << "comanda backup: " << message << "\n";
    return 1;
  }

  fs::path target_, data_;
  std::string server_, secret_file_;
};

class Restore final : public Subcommand {
 public:
  std::string_view name() const override { return "restore"; }
  std::string_view summary() const override {
    return "a backup into an empty or absent data directory, checked";
  }
  void configure(CLI::App& app) override {
    app.add_option("DIR", backup_, "the backup's directory (it holds log/)")->required();
    add_data_flag(app, data_);
  }
  int run(std::ostream& out, std::ostream& err) override {
    std::error_code ec;
    if (!fs::is_directory(backup_ / "log", ec))
      return fail(err, backup_.string() + " holds no log/: not a backup");
    // Copied aside, moved into place whole, then checked.
    const int code = write_new_log(
        "restore", data_, err,
        [&](const fs::path& aside) {
          std::error_code copied;
          fs::copy(backup_ / "log", aside, fs::copy_options::recursive, copied);
          if (copied) err << "comanda restore: " << copied.message() << "\n";
          return copied ? 1 : 0;
        },
        [&] { return verify(data_, out, err, /*quick=*/true); });
    if (code != 0) return code;
    out << "restored into " << data_.string() << "\n";
    return 0;
  }

 private:
  static int fail(std::ostream& err, const std::string& message) {
    err << "comanda restore: " << message << "\n";
    return 1;
  }

  fs::path backup_, data_;
};

}  // namespace

std::unique_ptr<Subcommand> backup_command() { return std::make_unique<Backup>(); }
std::unique_ptr<Subcommand> restore_command() { return std::make_unique<Restore>(); }

}  // namespace comanda::tools
