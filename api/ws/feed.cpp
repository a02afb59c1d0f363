#include "api/ws/feed.h"

#include <algorithm>

#include "api/ws/protocol.h"

namespace comanda::api {

void EventFeed::add(std::weak_ptr<Subscriber> subscriber) {
  post_([this, subscriber = std::move(subscriber)] {
    std::erase_if(entries_, [](const Entry& e) { return e.subscriber.expired(); });
    entries_.push_back({subscriber, {}});
  });
}

EventFeed::Entry* EventFeed::entry_of(const Subscriber* subscriber) {
  for (Entry& e : entries_)
    if (auto s = e.subscriber.lock(); s && s.get() == subscriber) return &e;
  return nullptr;
}

void EventFeed::subscribe(std::shared_ptr<Subscriber> subscriber, Topic topic) {
  post_([this, subscriber = std::move(subscriber), topic = std::move(topic)] {
    Entry* entry = entry_of(subscriber.get());
    if (!entry) return;
    if (std::find(entry->topics.begin(), entry->topics.end(), topic) == entry->topics.end()) {
      if (entry->topics.size() == kMaxTopics)
        return subscriber->deliver(
            error_message(429, "at most " + std::to_string(kMaxTopics) + " topics per socket",
                          topic.name),
            0);
      entry->topics.push_back(topic);
      following_.fetch_add(1, std::memory_order_relaxed);
    }
    subscriber->deliver(subscribed_message(topic.name, delivered_), 0);
  });
}

void EventFeed::unsubscribe(std::shared_ptr<Subscriber> subscriber, std::string topic) {
  post_([this, subscriber = std::move(subscriber), topic = std::move(topic)] {
    if (Entry* entry = entry_of(subscriber.get()))
      following_.fetch_sub(
          std::erase_if(entry->topics, [&](const Topic& t) { return t.name == topic; }),
          std::memory_order_relaxed);
    subscriber->deliver(unsubscribed_message(topic), 0);
  });
}

void EventFeed::publish(std::span<const engine::Event> events) {
  if (events.empty()) return;
  if (following_.load(std::memory_order_relaxed) == 0) {
    // Nobody follows anything: no copy, only the position, in order.
    post_([this, last = events.back().position] { delivered_ = last; });
    return;
  }
  auto batch = std::make_shared<const std::vector<engine::Event>>(events.begin(), events.end());
  post_([this, batch] { deliver(*batch); });
}

void EventFeed::deliver(const std::vector<engine::Event>& events) {
  std::erase_if(entries_, [&](const Entry& e) {
    if (!e.subscriber.expired()) return false;
    following_.fetch_sub(e.topics.size(), std::memory_order_relaxed);
    return true;
  });
  std::vector<std::string> names;
  for (const engine::Event& e : events) deliver_one(e, names);
  delivered_ = events.back().position;
}

void EventFeed::deliver_one(const engine::Event& e, std::vector<std::string>& names) {
  const projections::Audience audience = audience_of_(e);
  names.clear();
  topics_of(e, audience, names);
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
      const Topic& topic = entry.topics[i];
      const bool hit = topic.kind == Topic::Kind::kEvents
                           ? audience.admits(who)
                           : std::find(names.begin(), names.end(), topic.name) != names.end();
      if (hit && !rights_.still_may(who, topic)) {  // lapsed: ended, and said so
        subscriber->deliver(unsubscribed_message(topic.name), 0);
        entry.topics.erase(entry.topics.begin() + static_cast<ptrdiff_t>(i));
        following_.fetch_sub(1, std::memory_order_relaxed);
        continue;
      }
      if (hit) subscriber->deliver(message_for(topic.name), e.position);
      ++i;
    }
  }
}

}  // namespace comanda::api
