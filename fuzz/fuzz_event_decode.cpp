// libFuzzer target: one stored event (engine/log/event_codec.h), decoded as
// the log's readers decode it: as it is, and with its checksum made right,
// so that mutations reach the envelope and each aggregate's decoder
// (engine/log/codec/) instead of stopping at the checksum. The corpus
// (fuzz/corpus/fuzz_event_decode/) holds an event of every type, written by
// the production encoder (fuzz/event_corpus.cpp).
//
// Invariants besides the sanitizers' (fuzz_check.h):
// - a refusal is kCorruption, or kUnprocessable for a type unknown to this
//   build (which readers skip);
// - a decoded event's enumerations are ones the domain has names for (a
//   value the decoder let through would index past its tables);
// - a decoded event encodes to bytes that decode to an event that encodes
//   to the same bytes (byte-wise: a double may be a NaN, unequal to itself).
#include <google/protobuf/stubs/logging.h>

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "engine/base/crc32c.h"
#include "engine/domain/driver.h"
#include "engine/domain/order_status.h"
#include "engine/log/event_codec.h"
#include "fuzz/fuzz_check.h"

namespace {

using namespace comanda;
using engine::ErrorCode;

// Looks up the name of each enumeration the payload holds that the domain
// names from a table.
template <class P>
void check_names(const P& p) {
  using engine::Availability;
  using engine::FulfillmentType;
  using engine::OrderStatus;
  if constexpr (requires {
                  { p.status } -> std::convertible_to<OrderStatus>;
                })
    FUZZ_CHECK(!engine::status_name(p.status).empty());
  if constexpr (requires {
                  { p.to } -> std::convertible_to<OrderStatus>;
                }) {
    FUZZ_CHECK(!engine::status_name(p.from).empty());
    FUZZ_CHECK(!engine::status_name(p.to).empty());
  }
  if constexpr (requires {
                  { p.fulfillment.type } -> std::convertible_to<FulfillmentType>;
                })
    FUZZ_CHECK(!engine::fulfillment_name(p.fulfillment.type).empty());
  if constexpr (requires {
                  { p.availability } -> std::convertible_to<Availability>;
                })
    FUZZ_CHECK(!engine::availability_name(p.availability).empty());
}

void check_decoded(const engine::Event& e) {
  FUZZ_CHECK(!engine::event_type_name(e.payload).empty());
  FUZZ_CHECK(!engine::role_name(e.actor.role).empty());
  std::visit([](const auto& p) { check_names(p); }, e.payload);

  std::string once;
  engine::encode_event(e, once);
  auto again = engine::decode_event(once);
  FUZZ_CHECK(again.ok());
  std::string twice;
  engine::encode_event(*again, twice);
  FUZZ_CHECK(twice == once);
}

void check(std::string_view stored) {
  auto decoded = engine::decode_event(stored);
  if (decoded.ok()) return check_decoded(*decoded);
  const ErrorCode code = decoded.error().code;
  FUZZ_CHECK(code == ErrorCode::kCorruption || code == ErrorCode::kUnprocessable);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // Protobuf logs each string field that is not UTF-8 before it refuses the
  // message: a line per input here, which only slows the run.
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view stored(reinterpret_cast<const char*>(data), size);
  check(stored);
  if (size < 4) return 0;
  // The same envelope under a checksum that matches it.
  std::string fixed(stored);
  const uint32_t crc = engine::crc32c(stored.substr(4));
  for (int i = 0; i < 4; ++i) fixed[static_cast<size_t>(i)] = static_cast<char>(crc >> (8 * i));
  if (fixed != stored) check(fixed);
  return 0;
}
