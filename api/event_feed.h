// Fans committed events out to WebSocket subscribers. The sequencer hands
// over each batch; encoding to JSON and delivery happen on the feed's own
// strand, in log order, so the sequencer never waits for a subscriber.
//
// Threads: publish() on the sequencer thread; add() on any thread.
#pragma once

#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "api/http_types.h"
#include "engine/events.h"

namespace comanda::api {

// A live connection that receives messages. deliver() is called from the
// feed's strand and must not block; a subscriber that cannot keep up drops
// itself rather than slow anyone else.
class Subscriber {
 public:
  virtual ~Subscriber() = default;
  virtual void deliver(std::shared_ptr<const std::string> message) = 0;
};

class EventFeed {
 public:
  // `post_in_order` must run tasks one at a time, in the order posted.
  explicit EventFeed(Post post_in_order) : post_(std::move(post_in_order)) {}

  void add(std::weak_ptr<Subscriber> subscriber);
  void publish(std::span<const engine::Event> events);

 private:
  void deliver(const std::vector<engine::Event>& events);

  Post post_;
  std::mutex mu_;
  std::vector<std::weak_ptr<Subscriber>> subscribers_;
};

}  // namespace comanda::api
