// A running comandad, composed: the event log and views/ opened, the
// sequencer's state and the read models loaded from them, the pipeline, the
// live feed, the routes and the network server wired together; served until
// SIGINT or SIGTERM; on the way out the pipeline drained and the read models'
// snapshot saved.
//
// Threads: open(), run() and the destructor on the main thread.
#pragma once

#include <cstdint>
#include <memory>

#include "api/config.h"
#include "engine/base/error.h"

namespace comanda::api {

class Node {
 public:
  // Opens the data directory and binds the listening address. Fails with a
  // message naming what failed: a directory another process holds, a log
  // that does not read, an address in use.
  static engine::Result<std::unique_ptr<Node>> open(const ServerConfig& config);
  ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  // The port it listens on (the configured one, or the one picked for 0).
  uint16_t port() const;

  // Serves until SIGINT or SIGTERM, then stops the pipeline (completing
  // what is in flight) and saves the read models' snapshot.
  void run();

 private:
  struct Parts;
  explicit Node(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace comanda::api
