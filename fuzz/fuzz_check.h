// What the fuzz targets check besides the sanitizers. A failed invariant
// prints itself and aborts, and libFuzzer saves the input that got there as
// a crash. Merely invalid input never fails one: refusing it is the
// parsers' job, and how they refuse is what these check.
#pragma once

#include <simdjson.h>

#include <cstdio>
#include <cstdlib>
#include <initializer_list>

#include "api/http/problem.h"
#include "api/json/body_reader.h"
#include "engine/base/error.h"

#define FUZZ_CHECK(condition)                                                                 \
  do {                                                                                        \
    if (!(condition)) {                                                                       \
      std::fprintf(stderr, "invariant failed: %s (%s:%d)\n", #condition, __FILE__, __LINE__); \
      std::abort();                                                                           \
    }                                                                                         \
  } while (0)

namespace comanda::fuzz {

// A refusal as a client gets it: one of the `expected` codes, a message
// that says why, and an application/problem+json body that is valid UTF-8
// and a JSON object (the message and field may echo the client's bytes).
// Parses with this thread's parser: call it after any object read earlier
// is done with.
inline void check_refusal(const engine::Error& error,
                          std::initializer_list<engine::ErrorCode> expected) {
  bool listed = false;
  for (engine::ErrorCode code : expected) listed |= error.code == code;
  if (!listed)
    std::fprintf(stderr, "unexpected code %d: %s\n", static_cast<int>(error.code),
                 error.message.c_str());
  FUZZ_CHECK(listed);
  FUZZ_CHECK(!error.message.empty());
  const api::Response response = api::problem(error);
  FUZZ_CHECK(simdjson::validate_utf8(response.body.data(), response.body.size()));
  FUZZ_CHECK(api::parse_object(response.body).ok());
}

}  // namespace comanda::fuzz
