#include "engine/domain/spatial_index.h"

#include <algorithm>
#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <cmath>
#include <numbers>
#include <unordered_map>

namespace comanda::engine {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

struct SpatialIndex::Tree {
  using Point = bg::model::point<double, 3, bg::cs::cartesian>;
  using Value = std::pair<Point, Uuid>;

  static Point to_point(const GeoPoint& g) {
    constexpr double kRad = std::numbers::pi / 180.0;
    const double lat = g.lat * kRad, lng = g.lng * kRad;
    return Point(kEarthRadiusM * std::cos(lat) * std::cos(lng),
                 kEarthRadiusM * std::cos(lat) * std::sin(lng), kEarthRadiusM * std::sin(lat));
  }

  // Linear splits: the cheapest updates (every ping of an available driver
  // is one), for slightly slower queries (docs/decisions.md).
  bgi::rtree<Value, bgi::linear<16>> rtree;
  std::unordered_map<Uuid, std::pair<Point, GeoPoint>, UuidHash> at;
};

SpatialIndex::SpatialIndex() : tree_(std::make_unique<Tree>()) {}
SpatialIndex::~SpatialIndex() = default;
SpatialIndex::SpatialIndex(SpatialIndex&&) noexcept = default;
SpatialIndex& SpatialIndex::operator=(SpatialIndex&&) noexcept = default;

void SpatialIndex::put(const Uuid& id, const GeoPoint& where) {
  remove(id);
  const Tree::Point p = Tree::to_point(where);
  tree_->rtree.insert({p, id});
  tree_->at.emplace(id, std::make_pair(p, where));
}

void SpatialIndex::remove(const Uuid& id) {
  auto it = tree_->at.find(id);
  if (it == tree_->at.end()) return;
  tree_->rtree.remove(std::make_pair(it->second.first, id));
  tree_->at.erase(it);
}

std::optional<GeoPoint> SpatialIndex::where(const Uuid& id) const {
  auto it = tree_->at.find(id);
  if (it == tree_->at.end()) return std::nullopt;
  return it->second.second;
}

size_t SpatialIndex::size() const { return tree_->at.size(); }

std::vector<std::pair<Uuid, double>> SpatialIndex::nearest(
    const GeoPoint& from, size_t limit, double radius_m,
    const std::function<bool(const Uuid&)>& accept) const {
  std::vector<std::pair<Uuid, double>> out;
  if (limit == 0) return out;
  visit_nearest(from, [&](const Uuid& id, double d) {
    if (d > radius_m) return false;
    // Past the limit only for ties with the last taken: which of equally
    // near ids come first is decided by id, not by the tree's history (a
    // state restored from a snapshot inserts in another order than the
    // log did, and must decide the same).
    if (out.size() >= limit && d > out.back().second) return false;
    if (accept && !accept(id)) return true;
    out.emplace_back(id, d);
    return true;
  });
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second < b.second : a.first < b.first;
  });
  if (out.size() > limit) out.resize(limit);
  return out;
}

void SpatialIndex::visit_nearest(const GeoPoint& from,
                                 const std::function<bool(const Uuid&, double)>& visit) const {
  if (tree_->at.empty()) return;
  const Tree::Point p = Tree::to_point(from);
  // The query iterator yields values by increasing distance.
  for (auto it = tree_->rtree.qbegin(bgi::nearest(p, static_cast<unsigned>(tree_->at.size())));
       it != tree_->rtree.qend(); ++it)
    if (!visit(it->second, distance_m(from, tree_->at.at(it->second).second))) return;
}

}  // namespace comanda::engine
