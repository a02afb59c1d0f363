// Fans committed events out to WebSocket subscribers. The publisher hands
// over each batch; encoding to JSON and delivery happen on the feed's own
// strand, in log order, so the write pipeline never waits for a subscriber.
//
// Each subscriber receives only the events its principal may see
// (engine/domain/access.h): admins everything, owners their restaurants' events,
// customers their orders' events.
//
// Threads: publish() on the publisher thread; add() on any thread.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "api/http/http_types.h"
#include "engine/domain/event.h"
#include "engine/domain/principal.h"
#include "projections/audience.h"

namespace comanda::api {

// A live connection that receives messages. deliver() is called from the
// feed's strand and must not block; a subscriber that cannot keep up drops
// itself rather than slow anyone else.
class Subscriber {
 public:
  virtual ~Subscriber() = default;
  virtual void deliver(std::shared_ptr<const std::string> message) = 0;
  // Who is listening; fixed before the subscriber is added.
  virtual const engine::Principal& principal() const = 0;
};

class EventFeed {
 public:
  using AudienceLookup = std::function<projections::Audience(const engine::Event&)>;
  using CurrencyLookup = std::function<std::string(const engine::Event&)>;

  // `post_in_order` must run tasks one at a time, in the order posted.
  // `audience_of` says who may see an event; `currency_of`, the currency of
  // its restaurant, asked only for an event someone receives.
  EventFeed(Post post_in_order, AudienceLookup audience_of, CurrencyLookup currency_of)
      : post_(std::move(post_in_order)),
        audience_of_(std::move(audience_of)),
        currency_of_(std::move(currency_of)) {}

  void add(std::weak_ptr<Subscriber> subscriber);
  void publish(std::span<const engine::Event> events);

 private:
  void deliver(const std::vector<engine::Event>& events);

  Post post_;
  AudienceLookup audience_of_;
  CurrencyLookup currency_of_;
  std::mutex mu_;
  std::vector<std::weak_ptr<Subscriber>> subscribers_;
};

}  // namespace comanda::api
