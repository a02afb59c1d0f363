#include "api/ws/feed.h"

#include <algorithm>

#include "api/ws/protocol.h"

namespace comanda::api {

void EventFeed::add(std::weak_ptr<Subscriber> subscriber) {
  std::lock_guard lock(mu_);
  subscribers_.push_back(std::move(subscriber));
}

void EventFeed::publish(std::span<const engine::Event> events) {
  {
    std::lock_guard lock(mu_);
    if (subscribers_.empty()) return;  // nobody listens: no copy, no work
  }
  auto batch = std::make_shared<const std::vector<engine::Event>>(events.begin(), events.end());
  post_([this, batch] { deliver(*batch); });
}

void EventFeed::deliver(const std::vector<engine::Event>& events) {
  std::vector<std::shared_ptr<Subscriber>> live;
  {
    std::lock_guard lock(mu_);
    std::erase_if(subscribers_, [](const auto& s) { return s.expired(); });
    for (const auto& weak : subscribers_)
      if (auto s = weak.lock()) live.push_back(std::move(s));
  }
  if (live.empty()) return;
  for (const engine::Event& e : events) {
    const projections::Audience audience = audience_of_(e);
    std::shared_ptr<const std::string> message;  // encoded once, for the first who may see it
    for (const auto& s : live) {
      if (!audience.admits(s->principal())) continue;
      if (!message) message = event_message(e, currency_of_(e));
      s->deliver(message);
    }
  }
}

}  // namespace comanda::api
