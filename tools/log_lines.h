// The log as JSON Lines, both ways, for `comanda export` and `comanda import`
// (docs/operations.md): one event a line, in position order,
//
//   {"position": 12, "stream": "<uuid>", "version": 3, "recorded_at": "...",
//    "type": "order_placed", "event": {<the envelope in Protobuf's JSON
//    mapping>}, "stored": "<the stored bytes, base64>", "link": "<hex>"}
//
// `link` only on the last event of each batch (the batch's link of the hash
// chain). Import writes `stored` verbatim, so that events of a newer build
// survive a round trip, and checks each batch's link as it goes. Output is
// deterministic: the same log exports to the same bytes.
//
// Not thread-safe: one per command.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>

#include "engine/base/error.h"
#include "engine/log/encoded_batch.h"
#include "engine/log/event_log.h"

namespace simdjson::dom {
class parser;
}

namespace comanda::tools {

// Writes the log's events from `from` to `until` (inclusive) to `out`;
// returns how many.
engine::Result<uint64_t> export_lines(const engine::EventLog& log, uint64_t from, uint64_t until,
                                      std::ostream& out);

// Reads export lines into batches: feed each line, and take a batch when
// one ends. Positions must run densely from 1.
class LineImporter {
 public:
  LineImporter();
  ~LineImporter();

  // One line (its number for messages). Error: kInvalidArgument naming the
  // line and what is wrong with it.
  engine::Status add(std::string_view line, uint64_t line_number);
  // The batch the last line ended, if it ended one; cleared by the next add().
  const engine::EncodedBatch* finished() const { return finished_ ? &batch_ : nullptr; }
  // Whether lines were fed after the last batch ended (an export cut short).
  bool inside_batch() const { return !batch_.empty() && !finished_; }
  uint64_t last_position() const { return last_position_; }

 private:
  engine::EncodedBatch batch_;
  bool finished_ = false;
  uint64_t last_position_ = 0;
  engine::ChainLink previous_{};
  engine::ChainHasher hasher_;
  std::string stored_;  // reused
  std::unique_ptr<simdjson::dom::parser> parser_;
};

}  // namespace comanda::tools
