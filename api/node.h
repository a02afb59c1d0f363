// A running comandad, composed: the event log and views/ opened, the
// sequencer's state and the read models loaded from them, then the network
// server bound, the pipeline, the live feed and the routes wired together;
// served until SIGINT or SIGTERM; on the way out the pipeline drained and the
// read models' snapshot saved.
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
  // Opens and loads the data directory, then binds the listening address.
  // Fails with a message naming what failed: a directory another process
  // holds, a log that does not read, an address in use.
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
  struct Data;
  struct Serving;
  Node(std::unique_ptr<Data> data, std::unique_ptr<Serving> serving);
  std::unique_ptr<Data> data_;
  std::unique_ptr<Serving> serving_;  // destroyed first: it points into data_
};

}  // namespace comanda::api
