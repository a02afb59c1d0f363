#include "api/http/response_bytes.h"

#include <charconv>
#include <string_view>

namespace comanda::api {
namespace {

// RFC 9110's reason phrases of the statuses Comanda answers with; others get
// none (RFC 9112 allows an empty one: clients read the code).
std::string_view reason(unsigned status) {
  switch (status) {
    case 101:
      return "Switching Protocols";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 411:
      return "Length Required";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 428:
      return "Precondition Required";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "";
  }
}

bool one_line(std::string_view s) { return s.find_first_of("\r\n") == std::string_view::npos; }

void field(std::string& out, std::string_view name, std::string_view value) {
  if (!one_line(name) || !one_line(value)) return;
  out.append(name).append(": ").append(value).append("\r\n");
}

}  // namespace

void response_bytes(const Response& response, bool keep_alive, bool head, std::string& out) {
  const auto status = static_cast<unsigned>(response.status);
  char digits[24];
  out.assign("HTTP/1.1 ");
  out.append(digits, std::to_chars(digits, digits + sizeof digits, status).ptr);
  out += ' ';
  out.append(reason(status));
  out.append("\r\nServer: comandad\r\n");
  if (!response.content_type.empty()) field(out, "Content-Type", response.content_type);
  for (const auto& [name, value] : response.headers) field(out, name, value);
  const bool bodiless = status < 200 || status == 204 || status == 304;
  if (!bodiless) {
    out.append("Content-Length: ");
    out.append(digits, std::to_chars(digits, digits + sizeof digits, response.body.size()).ptr);
    out.append("\r\n");
  }
  if (!keep_alive) out.append("Connection: close\r\n");
  out.append("\r\n");
  if (!head && !bodiless) out.append(response.body);
}

}  // namespace comanda::api
