#include "api/web/pages.h"

#include <string>

#include "api/web/web_assets.h"

namespace comanda::api {
namespace {

std::string_view content_type_of(std::string_view path) {
  if (path.ends_with(".html")) return "text/html; charset=utf-8";
  if (path.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (path.ends_with(".css")) return "text/css; charset=utf-8";
  return "application/octet-stream";
}

Response page(const WebAsset& asset) {
  Response r;
  r.content_type = std::string(content_type_of(asset.path));
  r.body = std::string(asset.content);
  // Only this server's own scripts, styles and socket: no inline script, no
  // other site, no framing.
  r.headers = {{"Content-Security-Policy",
                "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"},
               {"X-Content-Type-Options", "nosniff"},
               {"Referrer-Policy", "no-referrer"},
               {"Cache-Control", "no-cache"}};
  return r;
}

const WebAsset& asset(std::string_view path) {
  for (const WebAsset& a : web_assets())
    if (a.path == path) return a;
  throw std::logic_error("web asset missing from the build: " + std::string(path));
}

}  // namespace

RouteTable page_routes(const ApiContext&) {
  struct Page {
    std::string_view pattern, absent, summary, file;
  };
  static constexpr Page kPages[] = {
      {"/board/{id}", "no such restaurant", "The kitchen board page (HTML)", "/web/board.html"},
      {"/track/{id}", "no such order", "The order tracking page (HTML)", "/web/track.html"},
  };
  RouteTable table;
  auto serve = [](const WebAsset& a) {
    return Query([&a](const RouteRequest&) { return page(a); });
  };
  for (const Page& p : kPages)
    table.push_back({.method = "GET",
                     .pattern = p.pattern,
                     .absent = p.absent,
                     .summary = p.summary,
                     .open = true,
                     .response_schema = "HtmlPage",
                     .media_type = content_type_of(p.file),
                     .problems = {404},
                     .action = serve(asset(p.file))});
  for (const WebAsset& a : web_assets()) {
    if (a.path.ends_with(".html")) continue;  // pages, above
    table.push_back({.method = "GET",
                     .pattern = a.path,
                     .summary = "A script or stylesheet of the built-in pages",
                     .open = true,
                     .response_schema = "WebAsset",
                     .media_type = content_type_of(a.path),
                     .action = serve(a)});
  }
  return table;
}

}  // namespace comanda::api
