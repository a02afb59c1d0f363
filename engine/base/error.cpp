#include "engine/base/error.h"

namespace comanda::engine {
namespace {

Error make(ErrorCode code, std::string field, std::string message) {
  return Error{code, std::move(message), std::move(field), {}};
}

}  // namespace

Error Error::invalid(std::string field, std::string message) {
  return make(ErrorCode::kInvalidArgument, std::move(field), std::move(message));
}
Error Error::unprocessable(std::string field, std::string message) {
  return make(ErrorCode::kUnprocessable, std::move(field), std::move(message));
}
Error Error::unauthenticated(std::string message) {
  return make(ErrorCode::kUnauthenticated, "", std::move(message));
}
Error Error::unauthenticated(std::string field, std::string message) {
  return make(ErrorCode::kUnauthenticated, std::move(field), std::move(message));
}
Error Error::forbidden(std::string message) {
  return make(ErrorCode::kForbidden, "", std::move(message));
}
Error Error::forbidden(std::string field, std::string message) {
  return make(ErrorCode::kForbidden, std::move(field), std::move(message));
}
Error Error::not_found(std::string message) {
  return make(ErrorCode::kNotFound, "", std::move(message));
}
Error Error::not_found(std::string field, std::string message) {
  return make(ErrorCode::kNotFound, std::move(field), std::move(message));
}
Error Error::conflict(std::string message) {
  return make(ErrorCode::kConflict, "", std::move(message));
}
Error Error::conflict(std::string field, std::string message) {
  return make(ErrorCode::kConflict, std::move(field), std::move(message));
}
Error Error::version_mismatch(uint64_t expected, uint64_t current) {
  return make(ErrorCode::kVersionMismatch, "If-Match",
              "expected version " + std::to_string(expected) + ", the current version is " +
                  std::to_string(current));
}
Error Error::unavailable(std::string message) {
  return make(ErrorCode::kUnavailable, "", std::move(message));
}
Error Error::io(std::string message) { return make(ErrorCode::kIoError, "", std::move(message)); }
Error Error::corruption(std::string message) {
  return make(ErrorCode::kCorruption, "", std::move(message));
}

}  // namespace comanda::engine
