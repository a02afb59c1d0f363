#include "api/ws/feed.h"

#include <algorithm>
#include <chrono>
#include <optional>

#include "api/ws/protocol.h"

namespace comanda::api {

EventFeed::EventFeed(Post post_in_order, AudienceLookup audience_of, CurrencyLookup currency_of,
                     NotificationLookup notifications_of, TopicRights rights,
                     const engine::EventLog& log, FeedLimits limits)
    : post_(std::move(post_in_order)),
      audience_of_(std::move(audience_of)),
      currency_of_(std::move(currency_of)),
      notifications_of_(std::move(notifications_of)),
      rights_(std::move(rights)),
      log_(log),
      limits_(limits),
      catch_up_thread_([this] {
        while (auto job = catch_ups_.pop()) catch_up(*job);
      }) {}

EventFeed::~EventFeed() {
  catch_ups_.close();
  catch_up_thread_.join();
}

void EventFeed::add(std::weak_ptr<Subscriber> subscriber) {
  post_([this, weak = std::move(subscriber)] {
    std::erase_if(entries_, [&](const Entry& e) {
      if (!e.subscriber.expired()) return false;
      following_.fetch_sub(e.topics.size(), std::memory_order_relaxed);
      return true;
    });
    auto subscriber = weak.lock();
    if (!subscriber) return;
    const engine::Principal& who = subscriber->principal();
    size_t open = 0;
    for (const Entry& e : entries_)
      if (auto other = e.subscriber.lock(); other && !other->gone() &&
                                            other->principal().subject == who.subject &&
                                            other->principal().role == who.role)
        ++open;
    if (open >= kMaxSocketsPerPrincipal)
      return subscriber->refused(429, "at most " + std::to_string(kMaxSocketsPerPrincipal) +
                                          " sockets per account at once");
    entries_.push_back({weak, {}, {}});
  });
}

EventFeed::Entry* EventFeed::entry_of(const Subscriber* subscriber) {
  for (Entry& e : entries_)
    if (auto s = e.subscriber.lock(); s && s.get() == subscriber) return &e;
  return nullptr;
}

void EventFeed::subscribe(std::shared_ptr<Subscriber> subscriber, Topic topic,
                          std::optional<uint64_t> from) {
  post_([this, subscriber = std::move(subscriber), topic = std::move(topic), from] {
    Entry* entry = entry_of(subscriber.get());
    if (!entry) return;
    auto it = std::find_if(entry->topics.begin(), entry->topics.end(),
                           [&](const Followed& f) { return f.topic == topic; });
    if (it != entry->topics.end() && (from || it->catching_up))
      return subscriber->deliver(
          error_message(409, "already following " + topic.name + ": unsubscribe first to replay",
                        topic.name, "topic"),
          0);
    if (it == entry->topics.end()) {
      if (entry->topics.size() == kMaxTopics)
        return subscriber->deliver(
            error_message(429, "at most " + std::to_string(kMaxTopics) + " topics per socket",
                          topic.name),
            0);
      // The answer first: the replay's messages come after it.
      subscriber->deliver(subscribed_message(topic.name, delivered_), 0);
      entry->topics.push_back({std::move(topic), false, {}, false});
      // From a position live delivery has not passed yet: that is live.
      if (from && *from <= delivered_) replay(subscriber, entry->topics.back(), *from);
      following_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    subscriber->deliver(subscribed_message(topic.name, delivered_), 0);
  });
}

void EventFeed::unsubscribe(std::shared_ptr<Subscriber> subscriber, std::string topic) {
  post_([this, subscriber = std::move(subscriber), topic = std::move(topic)] {
    if (Entry* entry = entry_of(subscriber.get()))
      following_.fetch_sub(
          std::erase_if(entry->topics, [&](const Followed& f) { return f.topic.name == topic; }),
          std::memory_order_relaxed);
    subscriber->deliver(unsubscribed_message(topic), 0);
  });
}

void EventFeed::publish(std::span<const engine::Event> events) {
  if (events.empty()) return;
  if (limits_.ring == 0 && following_.load(std::memory_order_relaxed) == 0) {
    // Nothing kept, nobody follows anything: no copy, only the position.
    post_([this, last = events.back().position] { delivered_ = last; });
    return;
  }
  auto batch = std::make_shared<const std::vector<engine::Event>>(events.begin(), events.end());
  post_([this, batch = std::move(batch)]() mutable {
    if (following_.load(std::memory_order_relaxed) != 0) deliver(batch);
    delivered_ = batch->back().position;
    remember(std::move(batch));
  });
}

void EventFeed::deliver(const Batch& batch) {
  std::erase_if(entries_, [&](const Entry& e) {
    if (!e.subscriber.expired()) return false;
    following_.fetch_sub(e.topics.size(), std::memory_order_relaxed);
    return true;
  });
  std::vector<std::string> names;
  for (const engine::Event& e : *batch) deliver_one(e, names);
  for (Entry& entry : entries_) {
    if (entry.outbox.empty()) continue;
    if (auto subscriber = entry.subscriber.lock()) subscriber->deliver_all(std::move(entry.outbox));
    entry.outbox.clear();
  }
}

void EventFeed::replay(const std::shared_ptr<Subscriber>& subscriber, Followed& followed,
                       uint64_t from) {
  const size_t half = limits_.max_queued / 2, backlog = subscriber->backlog();
  if (auto recent = from_memory(followed.topic, subscriber->principal(), from,
                                half - std::min(half, backlog))) {
    // Short: sent now, before any later event.
    counts_.catch_ups_from_memory.fetch_add(1, std::memory_order_relaxed);
    for (auto& [message, position] : *recent) subscriber->deliver(std::move(message), position);
    subscriber->deliver(caught_up_message(followed.topic.name, delivered_), 0);
    followed.catching_up = false;
    return;
  }
  counts_.catch_ups_from_log.fetch_add(1, std::memory_order_relaxed);
  followed.catching_up = true;
  catch_ups_.push({subscriber, followed.topic, from, delivered_});
}

void EventFeed::remember(Batch batch) {
  if (limits_.ring == 0) return;
  ring_events_ += batch->size();
  ring_.push_back(std::move(batch));
  while (ring_events_ - ring_.front()->size() >= limits_.ring) {
    ring_events_ -= ring_.front()->size();
    ring_.pop_front();
  }
}

std::optional<EventFeed::Held> EventFeed::from_memory(const Topic& topic,
                                                      const engine::Principal& who, uint64_t from,
                                                      size_t budget) const {
  if (ring_.empty() || ring_.front()->front().position > from) return std::nullopt;
  Held out;
  Currency currency;
  for (const Batch& batch : ring_) {
    if (batch->back().position < from) continue;
    for (const engine::Event& e : *batch) {
      if (e.position < from) continue;
      replayed(topic, who, e, currency, out);
      if (out.size() > budget) return std::nullopt;
    }
  }
  return out;
}

bool EventFeed::carries(const Topic& topic, const engine::Principal& who,
                        const projections::Audience& audience,
                        const std::vector<std::string>& names) const {
  return topic.kind == Topic::Kind::kEvents
             ? audience.admits(who)
             : std::find(names.begin(), names.end(), topic.name) != names.end();
}

EventFeed::Notes EventFeed::notes_of(const engine::Event& e) const {
  Notes notes;
  std::vector<std::string> to;
  for (const projections::Notification& n : notifications_of_(e)) {
    to.clear();
    topics_of(n, to);
    for (std::string& name : to) {
      auto message = notification_message(n, name);
      notes.emplace_back(std::move(name), std::move(message));
    }
  }
  return notes;
}

void EventFeed::deliver_one(const engine::Event& e, std::vector<std::string>& names) {
  const projections::Audience audience = audience_of_(e);
  names.clear();
  topics_of(e, audience, names);
  std::optional<Notes> notes;  // derived for the first topic that may carry them
  // Encoded once per topic, for the first who receives it.
  std::vector<std::pair<std::string, std::shared_ptr<const std::string>>> encoded;
  std::string currency;
  bool currency_known = false;
  auto message_for = [&](const std::string& topic) {
    for (const auto& [name, message] : encoded)
      if (name == topic) return message;
    if (!currency_known) currency = currency_of_(e), currency_known = true;
    encoded.emplace_back(topic, event_message(e, currency, topic));
    return encoded.back().second;
  };
  for (Entry& entry : entries_) {
    if (entry.topics.empty()) continue;
    auto subscriber = entry.subscriber.lock();
    if (!subscriber) continue;
    const engine::Principal& who = subscriber->principal();
    for (size_t i = 0; i < entry.topics.size();) {
      Followed& f = entry.topics[i];
      // The event, then the notifications it gives, on this topic.
      std::vector<std::shared_ptr<const std::string>> out;
      if (carries(f.topic, who, audience, names)) out.push_back(message_for(f.topic.name));
      if (f.topic.kind != Topic::Kind::kEvents) {
        if (!notes) notes = notes_of(e);
        for (const auto& [name, message] : *notes)
          if (name == f.topic.name) out.push_back(message);
      }
      bool ended = false;
      if (!out.empty() && !rights_.still_may(who, f.topic)) {  // lapsed: ended, and said so
        entry.outbox.emplace_back(unsubscribed_message(f.topic.name), 0);
        ended = true;
      }
      for (size_t m = 0; m < out.size() && !ended; ++m) {
        if (!f.catching_up) {
          entry.outbox.emplace_back(out[m], e.position);
        } else if (f.overflowed) {
          // Left to the replay's next stretch.
        } else if (f.held.size() < limits_.max_queued) {
          f.held.emplace_back(out[m], e.position);
        } else {
          // The replay is far behind: rather than hold more, it goes on
          // from the log once done with its stretch (caught_up()).
          Held().swap(f.held);
          f.overflowed = true;
        }
      }
      if (!ended) {
        ++i;
        continue;
      }
      entry.topics.erase(entry.topics.begin() + static_cast<ptrdiff_t>(i));
      following_.fetch_sub(1, std::memory_order_relaxed);
    }
  }
}

void EventFeed::replayed(const Topic& topic, const engine::Principal& who, const engine::Event& e,
                         Currency& currency, Held& out) const {
  std::vector<std::string> names;
  const projections::Audience audience = audience_of_(e);
  topics_of(e, audience, names);
  const bool event_hit = carries(topic, who, audience, names);
  // The notifications are derived again, with the event's position.
  Notes notes;
  if (topic.kind != Topic::Kind::kEvents) notes = notes_of(e);
  std::erase_if(notes, [&](const auto& note) { return note.first != topic.name; });
  if ((!event_hit && notes.empty()) || !rights_.still_may(who, topic)) return;
  if (event_hit) {
    if (e.partition != currency.partition || currency.code.empty()) {
      currency.partition = e.partition;
      currency.code = currency_of_(e);
    }
    out.emplace_back(event_message(e, currency.code, topic.name), e.position);
  }
  for (auto& [_, message] : notes) out.emplace_back(std::move(message), e.position);
}

void EventFeed::catch_up(const CatchUp& job) {
  Currency currency;
  Held out;
  (void)log_.scan(job.from, job.to, [&](const engine::Event& e) {
    auto subscriber = job.subscriber.lock();
    if (!subscriber) return false;  // gone: nothing more to send
    // Never faster than the client reads: its queue stays below half its bound.
    while (subscriber->backlog() > limits_.max_queued / 2 && !subscriber->gone())
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    out.clear();
    replayed(job.topic, subscriber->principal(), e, currency, out);
    for (auto& [message, position] : out) subscriber->deliver(std::move(message), position);
    return true;
  });
  // Back on the strand: the switch to live, after everything sent above.
  if (auto subscriber = job.subscriber.lock())
    post_([this, subscriber, name = job.topic.name, to = job.to] {
      caught_up(subscriber, name, to);
    });
}

void EventFeed::caught_up(const std::shared_ptr<Subscriber>& subscriber, const std::string& topic,
                          uint64_t to) {
  Entry* entry = entry_of(subscriber.get());
  if (!entry) return;
  auto it = std::find_if(entry->topics.begin(), entry->topics.end(),
                         [&](const Followed& f) { return f.topic.name == topic; });
  if (it == entry->topics.end() || !it->catching_up) return;  // ended meanwhile
  if (it->overflowed) {  // live delivery left it behind: the next stretch
    it->overflowed = false;
    return replay(subscriber, *it, to + 1);
  }
  subscriber->deliver(caught_up_message(topic, to), 0);
  for (auto& [message, position] : it->held) subscriber->deliver(std::move(message), position);
  it->held.clear();
  it->catching_up = false;
}

}  // namespace comanda::api
