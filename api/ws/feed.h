// Fans committed events out to WebSocket subscribers by topic
// (api/ws/topics.h). The publisher hands over each batch; matching,
// encoding to JSON and delivery happen on the feed's own strand, in log
// order, so the write pipeline never waits for a subscriber. Subscribing
// and unsubscribing run on that strand too, between batches: a
// subscription's answer carries the position after which every event of
// its topic is delivered, with no gap and no duplicate.
//
// Rights are checked when subscribing (TopicRights::may_follow, by the
// caller) and, for those that lapse, again per event: a lapsed subscription
// is dropped and the client told (`unsubscribed`).
//
// Threads: publish() on the publisher thread; add(), subscribe() and
// unsubscribe() on any thread.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "api/http/http_types.h"
#include "api/ws/topics.h"
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
  // `position`: the event's, for event messages; 0 for others.
  virtual void deliver(std::shared_ptr<const std::string> message, uint64_t position) = 0;
  // Who is listening; fixed before the subscriber is added.
  virtual const engine::Principal& principal() const = 0;
};

class EventFeed {
 public:
  using AudienceLookup = std::function<projections::Audience(const engine::Event&)>;
  using CurrencyLookup = std::function<std::string(const engine::Event&)>;

  // The most topics one socket follows.
  static constexpr size_t kMaxTopics = 64;
  // The messages waiting for one socket, by default: a client that lets
  // more pile up is too slow, and closed.
  static constexpr size_t kDefaultMaxQueued = 8192;

  // `post_in_order` must run tasks one at a time, in the order posted.
  // `audience_of` says who may see an event; `currency_of`, the currency of
  // its restaurant, asked only for an event someone receives.
  EventFeed(Post post_in_order, AudienceLookup audience_of, CurrencyLookup currency_of,
            TopicRights rights, size_t max_queued = kDefaultMaxQueued)
      : post_(std::move(post_in_order)),
        audience_of_(std::move(audience_of)),
        currency_of_(std::move(currency_of)),
        rights_(std::move(rights)),
        max_queued_(max_queued) {}

  const TopicRights& rights() const { return rights_; }
  size_t max_queued() const { return max_queued_; }

  // A subscriber, following nothing yet.
  void add(std::weak_ptr<Subscriber> subscriber);
  // Starts delivering `topic` (its rights already checked) to `subscriber`,
  // which is answered `subscribed` with the position after which it gets
  // every event of the topic (or an error past kMaxTopics). Following a
  // topic twice is following it once.
  void subscribe(std::shared_ptr<Subscriber> subscriber, Topic topic);
  void unsubscribe(std::shared_ptr<Subscriber> subscriber, std::string topic);

  void publish(std::span<const engine::Event> events);

 private:
  struct Entry {
    std::weak_ptr<Subscriber> subscriber;
    std::vector<Topic> topics;
  };
  // On the strand.
  Entry* entry_of(const Subscriber* subscriber);
  void deliver(const std::vector<engine::Event>& events);
  void deliver_one(const engine::Event& e, std::vector<std::string>& names);

  Post post_;
  AudienceLookup audience_of_;
  CurrencyLookup currency_of_;
  TopicRights rights_;
  size_t max_queued_;
  std::atomic<size_t> following_{0};  // subscriptions in all: none, no copy of a batch
  // The strand's own.
  std::vector<Entry> entries_;
  uint64_t delivered_ = 0;  // the last position handed out (or passed, with no one following)
};

}  // namespace comanda::api
