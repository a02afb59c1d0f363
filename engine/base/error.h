// Errors that callers handle, as values. An Error carries a machine code, a
// message for humans, and (when one input is at fault) the field it names.
// Build them with the named factories below; api/http/problem.cpp is the one map
// from codes to HTTP statuses and RFC 9457 problem types.
#pragma once

#include <cassert>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace comanda::engine {

enum class ErrorCode : uint8_t {
  kInvalidArgument,  // malformed input (HTTP 400)
  kUnprocessable,    // well-formed but semantically invalid (422)
  kUnauthenticated,  // no or bad credentials (401)
  kForbidden,        // the role never makes this step (403)
  kNotFound,         // absent, or not visible to the caller (404)
  kConflict,         // not allowed from the current state (409)
  kVersionMismatch,  // optimistic concurrency check failed (412)
  kUnavailable,      // overloaded or the log refused a write (503)
  kIoError,          // storage failure
  kCorruption,       // stored data fails its checks
};

struct Error {
  ErrorCode code;
  std::string message;
  std::string field;  // the offending input field, if any
  // For a refused step (kConflict): the steps the caller could take from
  // here, perhaps none; absent for every other error.
  std::optional<std::vector<std::string>> allowed;

  // Where a factory takes a field, it comes first: invalid("items[0].sku", "...").
  static Error invalid(std::string field, std::string message);
  static Error unprocessable(std::string field, std::string message);
  static Error unauthenticated(std::string message);
  static Error unauthenticated(std::string field, std::string message);
  static Error forbidden(std::string message);
  static Error forbidden(std::string field, std::string message);
  static Error not_found(std::string message);
  static Error not_found(std::string field, std::string message);
  static Error conflict(std::string message);
  static Error conflict(std::string field, std::string message);
  // "expected version 3, the current version is 4", naming If-Match.
  static Error version_mismatch(uint64_t expected, uint64_t current);
  static Error unavailable(std::string message);
  static Error io(std::string message);
  static Error corruption(std::string message);
};

// A value or an Error. A small stand-in for C++23 std::expected.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const& {
    assert(!ok());
    return std::get<1>(v_);
  }
  Error&& error() && {
    assert(!ok());
    return std::get<1>(std::move(v_));
  }

 private:
  std::variant<T, Error> v_;
};

// Success or an Error, for operations that return nothing.
class Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit by design
  static Status ok_status() { return {}; }

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const {
    assert(!ok_);
    return error_;
  }

 private:
  Error error_{};
  bool ok_ = true;
};

}  // namespace comanda::engine
