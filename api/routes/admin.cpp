#include "api/routes/admin.h"

#include <cstdio>

#include "api/http/problem.h"
#include "api/json/body_reader.h"
#include "api/json/json_writer.h"
#include "api/routes/responses.h"
#include "engine/base/clock.h"
#include "engine/base/time_text.h"

namespace comanda::api {
namespace {

using engine::Error;
using engine::Role;

// A file name of its own: letters, digits, '.', '_' and '-', not starting
// with a dot, at most 64 bytes.
bool good_name(std::string_view name) {
  if (name.empty() || name.size() > 64 || name.front() == '.') return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-')
      return false;
  return true;
}

// "backup-20261130T122051Z" for the moment `now_us`.
std::string default_name(int64_t now_us) {
  std::string t = engine::format_utc(now_us);  // 2026-11-30T12:20:51.123Z
  std::string compact;
  for (char c : t.substr(0, 19))
    if (c != '-' && c != ':') compact += c;
  return "backup-" + compact + "Z";
}

Response backup(const ApiContext& ctx, const RouteRequest& rq) {
  if (!ctx.backup)
    return problem(Error::conflict("comandad was started without --backup-dir: no backups here"));
  std::string name;
  if (!rq.http.body.empty()) {
    auto object = parse_object(rq.http.body);
    if (!object.ok()) return problem(object.error());
    ObjectReader r(*object, "");
    r.only({"name"}, "a backup request");
    name = r.string("name", false, 64);
    if (r.failed()) return problem(r.error());
  }
  if (name.empty()) name = default_name(engine::utc_now_us());
  if (!good_name(name))
    return problem(Error::invalid(
        "name", "name may hold letters, digits, '.', '_' and '-' (not first), up to 64"));
  auto made = ctx.backup(name);
  if (!made.ok()) return problem(made.error());
  JsonWriter w;
  w.begin_object().key("name").string(name).key("path").string(made->path.string());
  w.key("position").number(made->position).key("bytes").number(made->bytes);
  w.key("seconds").number(made->seconds).end_object();
  return json_response(201, w.take(), made->position);
}

}  // namespace

RouteTable admin_routes(const ApiContext& ctx) {
  RouteTable table;
  table.push_back({.method = "POST",
                   .pattern = "/v1/admin/backup",
                   .summary = "An online backup of the log into --backup-dir",
                   .roles = roles({Role::kAdmin}),
                   .forbidden = "cannot make backups",
                   .request_schema = "BackupRequest",
                   .body_optional = true,
                   .response_schema = "Backup",
                   .statuses = {201},
                   .problems = {400, 401, 403, 409, 503},
                   .action = Query([&ctx](const RouteRequest& rq) { return backup(ctx, rq); })});
  return table;
}

}  // namespace comanda::api
