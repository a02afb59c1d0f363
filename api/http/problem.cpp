#include "api/http/problem.h"

#include "api/json/json_writer.h"

namespace comanda::api {
namespace {

using engine::ErrorCode;

struct ProblemKind {
  int status;
  std::string_view slug;
  std::string_view title;
};

ProblemKind kind_of(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return {400, "invalid-request", "The request is malformed"};
    case ErrorCode::kUnprocessable:
      return {422, "unprocessable", "The request cannot be processed"};
    case ErrorCode::kUnauthenticated:
      return {401, "unauthenticated", "Authentication is required"};
    case ErrorCode::kForbidden:
      return {403, "forbidden", "This role may not do this"};
    case ErrorCode::kNotFound:
      return {404, "not-found", "Not found"};
    case ErrorCode::kConflict:
      return {409, "conflict", "Not allowed in the current state"};
    case ErrorCode::kVersionMismatch:
      return {412, "version-mismatch", "The version does not match"};
    case ErrorCode::kUnavailable:
      return {503, "unavailable", "Service unavailable"};
    case ErrorCode::kIoError:
      return {503, "storage-error", "Storage error"};
    case ErrorCode::kCorruption:
      return {500, "corruption", "Stored data failed its checks"};
  }
  return {500, "internal", "Internal error"};
}

Response build(const ProblemKind& kind, const std::string& detail, const engine::Error* error) {
  JsonWriter w;
  w.begin_object();
  w.key("type").string("urn:comanda:problem:" + std::string(kind.slug));
  w.key("title").string(kind.title);
  w.key("status").number(kind.status);
  w.key("detail").string(detail);
  if (error && !error->field.empty()) w.key("field").string(error->field);
  if (error && error->allowed) {
    w.key("allowed").begin_array();
    for (const auto& a : *error->allowed) w.string(a);
    w.end_array();
  }
  w.end_object();
  Response r;
  r.status = kind.status;
  r.content_type = "application/problem+json";
  r.body = w.take();
  if (kind.status == 503) r.headers.emplace_back("Retry-After", "1");
  if (kind.status == 401) r.headers.emplace_back("WWW-Authenticate", "Bearer");
  return r;
}

}  // namespace

int http_status(ErrorCode code) { return kind_of(code).status; }

Response problem(const engine::Error& error) {
  std::string detail = error.message;
  if (!error.field.empty() && detail.find(error.field) == std::string::npos)
    detail = error.field + ": " + detail;
  return build(kind_of(error.code), detail, &error);
}

Response problem(int status, std::string_view slug, std::string_view title, std::string detail) {
  return build({status, slug, title}, detail, nullptr);
}

}  // namespace comanda::api
