// The read models a node runs, in one list: a new read model is one line in
// read_models.cpp.
#pragma once

#include <memory>
#include <vector>

#include "projections/projection.h"

namespace comanda::projections {

// Every read model, empty, in the order they apply batches: a registry's
// models (ProjectionRegistry registry{read_models()}).
std::vector<std::unique_ptr<Projection>> read_models();

}  // namespace comanda::projections
