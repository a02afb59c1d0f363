// Fans committed events out to WebSocket subscribers by topic
// (api/ws/topics.h). The publisher hands over each batch; matching,
// encoding to JSON and delivery happen on the feed's own strand, in log
// order, so the write pipeline never waits for a subscriber. Subscribing
// and unsubscribing run on that strand too, between batches: a
// subscription's answer carries the position after which every event of
// its topic is delivered, with no gap and no duplicate.
//
// A subscription `from` a position is caught up first. The feed keeps the
// most recent events in memory (a bounded ring, on the strand): a short
// catch-up, one whose messages fit in half the socket's queue, is answered
// from it at once, on the strand. A longer one goes to a thread of the
// feed's own, which reads the log from there to where live delivery stood
// when it was made (never past the committed position, never on the
// pipeline's threads), as fast as the client reads. Either way: what
// matches, then `caught_up`, then what arrived live meanwhile (held for it),
// then live. When more arrives meanwhile than a socket's queue holds, the
// held messages are dropped and the replay goes on past where it meant to
// stop, in stretches, until it is close enough to switch.
//
// Rights are checked when subscribing (TopicRights::may_follow, by the
// caller) and, for those that lapse, again per event: a lapsed subscription
// is dropped and the client told (`unsubscribed`).
//
// Threads: publish() on the publisher thread; add(), subscribe() and
// unsubscribe() on any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "api/http/http_types.h"
#include "api/ws/topics.h"
#include "engine/base/blocking_queue.h"
#include "engine/domain/event.h"
#include "engine/domain/principal.h"
#include "engine/log/event_log.h"
#include "projections/audience.h"
#include "projections/notifications.h"

namespace comanda::api {

// Messages for one subscriber, in order, each with its event's position (0
// for other messages).
using Outgoing = std::vector<std::pair<std::shared_ptr<const std::string>, uint64_t>>;

// A live connection that receives messages. deliver() is called from the
// feed's strand and must not block; a subscriber that cannot keep up drops
// itself rather than slow anyone else.
class Subscriber {
 public:
  virtual ~Subscriber() = default;
  // `position`: the event's, for event messages; 0 for others.
  virtual void deliver(std::shared_ptr<const std::string> message, uint64_t position) = 0;
  // What one batch of events gives it, in one hand-off (so that they may
  // leave in one write).
  virtual void deliver_all(Outgoing messages) = 0;
  // Who is listening; fixed before the subscriber is added.
  virtual const engine::Principal& principal() const = 0;
  // About how many messages wait to be sent (a catch-up waits while many do).
  virtual size_t backlog() const = 0;
  // Whether it will never send again (closed, or closing).
  virtual bool gone() const = 0;
  // Refused by the feed (too many sockets of its principal): it sends the
  // error and closes.
  virtual void refused(int status, std::string detail) = 0;
};

// How much the feed holds, for each socket and in all, and how long a
// silent socket lives.
struct FeedLimits {
  // Messages and bytes waiting for one socket: a client that lets more
  // pile up is too slow, and closed.
  size_t max_queued = 8192;
  size_t max_queued_bytes = size_t{16} << 20;
  // Recent events kept in memory for short catch-ups (0: none).
  size_t ring = 16384;
  // A socket the client has sent nothing on (not even a pong) for half this
  // is pinged, and closed at the end of it.
  std::chrono::seconds idle{60};
};

// What the feed has done, for /metrics; counted on any thread.
struct FeedCounts {
  std::atomic<uint64_t> catch_ups_from_memory{0};
  std::atomic<uint64_t> catch_ups_from_log{0};
  std::atomic<uint64_t> closed_too_slow{0};
  std::atomic<uint64_t> dropped{0};     // messages dropped as their socket closed too slow
  std::atomic<int64_t> subscribers{0};  // sockets open and authenticated
};

class EventFeed {
 public:
  using AudienceLookup = std::function<projections::Audience(const engine::Event&)>;
  using CurrencyLookup = std::function<std::string(const engine::Event&)>;
  using NotificationLookup =
      std::function<std::vector<projections::Notification>(const engine::Event&)>;

  // The most topics one socket follows, and the most sockets one principal
  // (a user id in a role) has open at once.
  static constexpr size_t kMaxTopics = 64;
  static constexpr size_t kMaxSocketsPerPrincipal = 16;

  // `post_in_order` must run tasks one at a time, in the order posted.
  // `audience_of` says who may see an event; `currency_of`, the currency of
  // its restaurant, asked only for an event someone receives.
  // `notifications_of`, the domain's messages an event gives (delivered
  // after it on their topics); `log` (which must outlive the feed) serves
  // catch-ups.
  EventFeed(Post post_in_order, AudienceLookup audience_of, CurrencyLookup currency_of,
            NotificationLookup notifications_of, TopicRights rights, const engine::EventLog& log,
            FeedLimits limits = {});
  ~EventFeed();
  EventFeed(const EventFeed&) = delete;
  EventFeed& operator=(const EventFeed&) = delete;

  const TopicRights& rights() const { return rights_; }
  const FeedLimits& limits() const { return limits_; }
  FeedCounts& counts() { return counts_; }

  // A subscriber, following nothing yet; refused (Subscriber::refused)
  // when its principal has kMaxSocketsPerPrincipal open already.
  void add(std::weak_ptr<Subscriber> subscriber);
  // Starts delivering `topic` (its rights already checked) to `subscriber`,
  // which is answered `subscribed` with the position after which it gets
  // every event of the topic live (or an error past kMaxTopics); with
  // `from`, the events of the topic from there up to that position come
  // first, then `caught_up`. Following a topic twice is following it once.
  void subscribe(std::shared_ptr<Subscriber> subscriber, Topic topic,
                 std::optional<uint64_t> from = std::nullopt);
  void unsubscribe(std::shared_ptr<Subscriber> subscriber, std::string topic);

  void publish(std::span<const engine::Event> events);

 private:
  using Batch = std::shared_ptr<const std::vector<engine::Event>>;
  using Held = Outgoing;
  struct Followed {
    Topic topic;
    bool catching_up = false;
    Held held;  // live messages waiting for the catch-up to end
    // Held more than a socket's queue: dropped, the replay reads them too.
    bool overflowed = false;
  };
  struct Entry {
    std::weak_ptr<Subscriber> subscriber;
    std::vector<Followed> topics;
    Outgoing outbox;  // what the batch being delivered gives it
  };
  struct CatchUp {
    std::weak_ptr<Subscriber> subscriber;
    Topic topic;
    uint64_t from = 0, to = 0;
  };
  // On the strand.
  Entry* entry_of(const Subscriber* subscriber);
  void deliver(const Batch& batch);
  void deliver_one(const engine::Event& e, std::vector<std::string>& names);
  // Sends `followed`'s messages from `from` up to delivered_, then
  // caught_up: at once from the ring when they are few, else by the
  // catch-up thread (the topic held meanwhile).
  void replay(const std::shared_ptr<Subscriber>& subscriber, Followed& followed, uint64_t from);
  // Keeps `batch` in the ring, forgetting the oldest past its bound.
  void remember(Batch batch);
  // The messages of `topic` for `who` from `from` on, from the ring: none
  // when the ring does not reach back to `from` or when they are more
  // than `budget`.
  std::optional<Held> from_memory(const Topic& topic, const engine::Principal& who, uint64_t from,
                                  size_t budget) const;
  void caught_up(const std::shared_ptr<Subscriber>& subscriber, const std::string& topic,
                 uint64_t to);
  // On the catch-up thread.
  void catch_up(const CatchUp& job);
  // A replayed event's messages on `topic` for `who` (the event's, then its
  // notifications'), appended to `out`; `currency` caches the currency of
  // the partition last asked (any thread).
  struct Currency {
    engine::Uuid partition;
    std::string code;
  };
  void replayed(const Topic& topic, const engine::Principal& who, const engine::Event& e,
                Currency& currency, Held& out) const;
  // The notifications `e` gives, each encoded for each of its topics.
  using Notes = std::vector<std::pair<std::string, std::shared_ptr<const std::string>>>;
  Notes notes_of(const engine::Event& e) const;
  // Whether `e` (with its `audience` and topic `names`) goes to `who` on `topic`.
  bool carries(const Topic& topic, const engine::Principal& who,
               const projections::Audience& audience, const std::vector<std::string>& names) const;

  Post post_;
  AudienceLookup audience_of_;
  CurrencyLookup currency_of_;
  NotificationLookup notifications_of_;
  TopicRights rights_;
  const engine::EventLog& log_;
  FeedLimits limits_;
  FeedCounts counts_;
  std::atomic<size_t> following_{0};  // subscriptions in all: none, no copy of a batch
  // The strand's own.
  std::vector<Entry> entries_;
  uint64_t delivered_ = 0;  // the last position handed out (or passed, with no one following)
  std::deque<Batch> ring_;  // the newest batches, up to limits_.ring events
  size_t ring_events_ = 0;
  engine::BlockingQueue<CatchUp> catch_ups_;
  std::thread catch_up_thread_;
};

}  // namespace comanda::api
