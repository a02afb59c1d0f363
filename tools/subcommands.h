// Every `comanda` subcommand, in one table (subcommands.cpp).
#pragma once

#include <memory>
#include <vector>

#include "tools/subcommand.h"

namespace comanda::tools {

std::vector<std::unique_ptr<Subcommand>> subcommands();

}  // namespace comanda::tools
