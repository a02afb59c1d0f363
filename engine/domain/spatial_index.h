// A spatial index of ids by where they are (Boost.Geometry's R-tree, kept
// out of this header so that only spatial_index.cpp compiles it), asked for
// the nearest within a radius. Points are kept in Earth-centred 3-D
// coordinates: the straight-line (chord) distance between two of them
// orders them exactly as the great-circle distance does, so the R-tree's
// plain cartesian nearest search is exact for places on Earth, without the
// cost of geographic strategies.
//
// Not thread-safe for writes: the sequencer's hot state holds one (the
// available drivers and the orders waiting for one), the drivers read model
// another, behind its lock (const queries may run side by side).
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "engine/base/ids.h"
#include "engine/domain/geo.h"

namespace comanda::engine {

class SpatialIndex {
 public:
  SpatialIndex();
  ~SpatialIndex();
  SpatialIndex(SpatialIndex&&) noexcept;
  SpatialIndex& operator=(SpatialIndex&&) noexcept;

  // Puts `id` at `where`, moving it if it was elsewhere.
  void put(const Uuid& id, const GeoPoint& where);
  void remove(const Uuid& id);
  // Where `id` is, if indexed.
  std::optional<GeoPoint> where(const Uuid& id) const;
  size_t size() const;

  // Up to `limit` ids within `radius_m` of `from` that `accept` takes,
  // nearest first (equally near ones by id, whatever the order they were
  // put in), each with its distance in metres.
  std::vector<std::pair<Uuid, double>> nearest(
      const GeoPoint& from, size_t limit, double radius_m,
      const std::function<bool(const Uuid&)>& accept = {}) const;
  // Every id by increasing distance from `from` (in metres, to where it is
  // indexed) until `visit` returns false.
  void visit_nearest(const GeoPoint& from,
                     const std::function<bool(const Uuid&, double distance_m)>& visit) const;

 private:
  struct Tree;
  std::unique_ptr<Tree> tree_;
};

}  // namespace comanda::engine
