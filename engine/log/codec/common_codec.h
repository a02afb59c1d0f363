// Protobuf forms of the values several aggregates' events share. For the
// log's codec files only (they include the generated headers).
#pragma once

#include "comanda/v1/common.pb.h"
#include "engine/domain/geo.h"
#include "engine/domain/pricing.h"

namespace comanda::engine::codec {

namespace pb = ::comanda::v1;

inline void to_pb(const GeoPoint& g, pb::GeoPoint* out) {
  out->set_lat(g.lat);
  out->set_lng(g.lng);
}

inline void to_pb(const TaxPolicy& t, pb::TaxPolicy* out) {
  out->set_rate_bp(t.rate_bp);
  out->set_included(t.included);
}

inline GeoPoint from_pb(const pb::GeoPoint& g) { return {g.lat(), g.lng()}; }
inline TaxPolicy from_pb(const pb::TaxPolicy& t) { return {t.rate_bp(), t.included()}; }

}  // namespace comanda::engine::codec
