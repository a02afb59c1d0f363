#include "tools/log_lines.h"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/type_resolver_util.h>
#include <openssl/evp.h>
#include <simdjson.h>

#include <cstring>
#include <ostream>
#include <vector>

#include "comanda/v1/events.pb.h"
#include "engine/base/crc32c.h"
#include "engine/base/ids.h"
#include "engine/base/time_text.h"
#include "tools/progress.h"

namespace comanda::tools {
namespace {

using engine::Error;
using engine::Status;

constexpr size_t kCrcBytes = 4;

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

// Strict: whole groups of 4, '=' only as padding at the end.
bool unbase64(std::string_view text, std::string& out) {
  if (text.size() % 4 != 0) return false;
  out.resize(text.size() / 4 * 3);
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return false;
  size_t padding = 0;
  while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') ++padding;
  out.resize(static_cast<size_t>(n) - padding);
  return true;
}

// The stored bytes' envelope, once their checksum holds.
bool parse_stored(std::string_view stored, comanda::v1::Envelope& envelope) {
  if (stored.size() < kCrcBytes) return false;
  uint32_t crc = 0;
  for (size_t i = 0; i < kCrcBytes; ++i)
    crc |= static_cast<uint32_t>(static_cast<uint8_t>(stored[i])) << (8 * i);
  const std::string_view body = stored.substr(kCrcBytes);
  return engine::crc32c(body) == crc &&
         envelope.ParseFromArray(body.data(), static_cast<int>(body.size()));
}

// The event's type, as its payload's field in the envelope's oneof is
// named ("order_placed"): the envelope is parsed once, not decoded again;
// "unknown" for a payload this build does not know.
std::string_view type_of(const comanda::v1::Envelope& envelope) {
  const auto* oneof = comanda::v1::Envelope::descriptor()->FindOneofByName("payload");
  const auto* field = envelope.GetReflection()->GetOneofFieldDescriptor(envelope, oneof);
  return field ? std::string_view(field->name()) : std::string_view("unknown");
}

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  out += text;  // ids, times, type names, base64 and hex: nothing to escape
  out += '"';
}

}  // namespace

engine::Result<uint64_t> export_lines(const engine::EventLog& log, uint64_t from, uint64_t until,
                                      std::ostream& out) {
  // The links of the batches the range ends, by their last position.
  std::vector<std::pair<uint64_t, std::string>> links;
  Status chain = log.scan_chain([&](uint64_t last, std::string_view link) {
    if (last >= from) links.emplace_back(last, std::string(link));
    return last < until;
  });
  if (!chain.ok()) return chain.error();
  size_t next_link = 0;
  uint64_t count = 0;
  std::optional<Error> failed;
  comanda::v1::Envelope envelope;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  // The envelope's bytes straight to JSON, through one resolver for the run
  // (MessageToJsonString builds one per call).
  const std::unique_ptr<google::protobuf::util::TypeResolver> resolver(
      google::protobuf::util::NewTypeResolverForDescriptorPool(
          "type.googleapis.com", google::protobuf::DescriptorPool::generated_pool()));
  const std::string type_url =
      "type.googleapis.com/" + comanda::v1::Envelope::descriptor()->full_name();
  std::string line, json;
  Progress progress("export", until);
  Status scanned = log.scan_raw(from, [&](uint64_t position, std::string_view stored) {
    if (position > until) return false;
    if (!parse_stored(stored, envelope)) {
      failed = Error::corruption("position " + std::to_string(position) +
                                 ": the stored event fails its checksum or does not parse");
      return false;
    }
    json.clear();
    const std::string_view body = stored.substr(kCrcBytes);
    (void)google::protobuf::util::BinaryToJsonString(resolver.get(), type_url, std::string(body),
                                                     &json, options);
    const auto stream = engine::Uuid::from_raw(envelope.stream_id());
    line.clear();
    line += "{\"position\":" + std::to_string(position) + ",\"stream\":";
    append_json_string(line, stream ? stream->to_string() : "");
    line += ",\"version\":" + std::to_string(envelope.stream_version()) + ",\"recorded_at\":";
    append_json_string(line, engine::format_utc(envelope.recorded_at_us()));
    line += ",\"type\":";
    append_json_string(line, type_of(envelope));
    line += ",\"event\":" + json + ",\"stored\":";
    append_json_string(line, base64(stored));
    while (next_link < links.size() && links[next_link].first < position) ++next_link;
    if (next_link < links.size() && links[next_link].first == position) {
      engine::ChainLink link{};
      std::memcpy(link.data(), links[next_link].second.data(),
                  std::min(link.size(), links[next_link].second.size()));
      line += ",\"link\":";
      append_json_string(line, engine::to_hex(link));
    }
    line += "}\n";
    out << line;
    progress.at(position, ++count);
    return true;
  });
  if (failed) return *failed;
  if (!scanned.ok()) return scanned.error();
  return count;
}

LineImporter::LineImporter() : parser_(std::make_unique<simdjson::dom::parser>()) {}
LineImporter::~LineImporter() = default;

Status LineImporter::add(std::string_view text, uint64_t line_number) {
  const std::string at = "line " + std::to_string(line_number) + ": ";
  simdjson::dom::element line;
  if (parser_->parse(text.data(), text.size()).get(line))
    return Error::invalid("", at + "not a JSON object");
  uint64_t position = 0;
  std::string_view stored_b64, link;
  if (line["position"].get(position)) return Error::invalid("position", at + "no position");
  if (line["stored"].get(stored_b64)) return Error::invalid("stored", at + "no stored bytes");
  const bool ends_batch = !line["link"].get(link);
  if (position != last_position_ + 1)
    return Error::invalid("position", at + "position " + std::to_string(position) + " where " +
                                          std::to_string(last_position_ + 1) +
                                          " was expected (an export from position 1, whole)");
  if (!unbase64(stored_b64, stored_))
    return Error::invalid("stored", at + "the stored bytes are not base64");
  comanda::v1::Envelope envelope;
  if (!parse_stored(stored_, envelope))
    return Error::invalid("stored", at + "the stored event fails its checksum or does not parse");
  const auto stream = engine::Uuid::from_raw(envelope.stream_id());
  if (envelope.position() != position || !stream)
    return Error::invalid("stored", at + "the stored event is not the one at this position");
  if (finished_) {
    batch_.clear();
    finished_ = false;
  }
  if (batch_.empty()) {
    batch_.first_position = position;
    hasher_.begin(previous_);
  }
  batch_.values += stored_;
  batch_.value_ends.push_back(static_cast<uint32_t>(batch_.values.size()));
  batch_.stream_versions.emplace_back(*stream, envelope.stream_version());
  batch_.last_position = position;
  hasher_.add(stored_);
  last_position_ = position;
  if (!ends_batch) return {};
  batch_.link = hasher_.finish();
  if (engine::to_hex(batch_.link) != link)
    return Error::invalid("link", at + "the batch's hash-chain link differs from the export's");
  previous_ = batch_.link;
  finished_ = true;
  return {};
}

}  // namespace comanda::tools
