#include "tools/verify_views.h"

#include <cstdint>
#include <limits>
#include <system_error>
#include <vector>

#include "api/json/driver_json.h"
#include "api/json/json_writer.h"
#include "api/json/order_json.h"
#include "api/json/restaurant_json.h"
#include "projections/drivers.h"
#include "projections/orders.h"
#include "projections/read_models.h"
#include "projections/registry.h"
#include "projections/restaurants.h"
#include "projections/view_store.h"

namespace comanda::tools {
namespace {

using namespace comanda::engine;
using projections::ProjectionRegistry;

const Principal kAuditor{"comanda-verify", Role::kAdmin};

// What one registry answers about one thing, as the API writes it.
template <class Fn>
std::string json_of(Fn&& write) {
  api::JsonWriter w;
  write(w);
  return w.take();
}

class Compare {
 public:
  Compare(const ProjectionRegistry& snapshot, const ProjectionRegistry& fresh, uint64_t at)
      : a_(snapshot), b_(fresh), at_(at) {}

  std::string restaurants() {
    const auto& a = a_.get<projections::RestaurantsModel>();
    const auto& b = b_.get<projections::RestaurantsModel>();
    if (a.ids() != b.ids()) return differ("the list of restaurants");
    for (const Uuid& id : b.ids()) {
      if (api::restaurant_json(*a.restaurant(id)) != api::restaurant_json(*b.restaurant(id)))
        return differ("restaurant " + id.to_string());
      auto board = [&](const ProjectionRegistry& r) {
        return json_of([&](api::JsonWriter& w) {
          w.begin_array();
          for (const auto& o : r.get<projections::OrdersModel>().active_orders(id))
            api::write_board_order(w, o, kAuditor, 0);
          w.end_array();
        });
      };
      if (board(a_) != board(b_))
        return differ("the kitchen board of restaurant " + id.to_string());
    }
    return "";
  }

  std::string drivers() {
    const auto& a = a_.get<projections::DriversModel>();
    const auto& b = b_.get<projections::DriversModel>();
    if (a.ids() != b.ids()) return differ("the list of drivers");
    for (const Uuid& id : b.ids())
      if (api::driver_json(*a.driver_for(id, kAuditor)) !=
          api::driver_json(*b.driver_for(id, kAuditor)))
        return differ("driver " + id.to_string());
    return "";
  }

  std::string orders(const std::vector<Uuid>& ids) {
    const auto& a = a_.get<projections::OrdersModel>();
    const auto& b = b_.get<projections::OrdersModel>();
    for (const Uuid& id : ids) {
      auto x = a.order(id), y = b.order(id);
      if (x.has_value() != y.has_value() ||
          (x && json_of([&](api::JsonWriter& w) { api::write_order(w, *x); }) !=
                    json_of([&](api::JsonWriter& w) { api::write_order(w, *y); })))
        return differ("order " + id.to_string());
    }
    return "";
  }

 private:
  std::string differ(const std::string& what) const {
    return "read models' snapshot at position " + std::to_string(at_) + ": " + what +
           " differs from a fresh rebuild of the log";
  }

  const ProjectionRegistry& a_;
  const ProjectionRegistry& b_;
  uint64_t at_;
};

}  // namespace

std::string check_views(const std::filesystem::path& data, const EventLog& log, std::string& note) {
  std::error_code ec;
  if (!std::filesystem::is_directory(data / "views", ec)) {
    note = "no views/: no read-model snapshot to compare";
    return "";
  }
  auto views = projections::ViewStore::open(data / "views", /*read_only=*/true);
  if (!views.ok()) return "views: " + views.error().message;
  // The snapshot loaded as a start loads it, finished orders read from views/.
  ProjectionRegistry snapshot{projections::read_models()};
  snapshot.get<projections::OrdersModel>().use_cold_store(
      &(*views)->cold_orders(), std::numeric_limits<int64_t>::max() / 4, /*writer=*/false);
  std::string why;
  auto checkpoint = (*views)->load(snapshot, log, &why);
  if (!checkpoint.ok()) return "views: " + checkpoint.error().message;
  if (*checkpoint == 0) {
    note = "no read-model snapshot usable with this log (" + why + ")";
    return "";
  }
  ProjectionRegistry fresh{projections::read_models()};
  if (Status rebuilt = fresh.rebuild(log, *checkpoint); !rebuilt.ok())
    return "rebuilding the read models: " + rebuilt.error().message;
  std::vector<Uuid> orders;
  Status scanned = log.scan(1, *checkpoint, [&](Event& e) {
    if (std::holds_alternative<OrderPlaced>(e.payload)) orders.push_back(e.stream);
    return true;
  });
  if (!scanned.ok()) return scanned.error().message;
  Compare compare(snapshot, fresh, *checkpoint);
  std::string problem = compare.restaurants();
  if (problem.empty()) problem = compare.drivers();
  if (problem.empty()) problem = compare.orders(orders);
  note = "the read models' snapshot at position " + std::to_string(*checkpoint) +
         " answers as a fresh rebuild (" + std::to_string(orders.size()) + " orders compared)";
  return problem;
}

}  // namespace comanda::tools
