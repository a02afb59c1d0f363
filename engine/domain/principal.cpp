#include "engine/domain/principal.h"

namespace comanda::engine {

std::string_view role_name(Role role) {
  switch (role) {
    case Role::kEngine:
      return "engine";
    case Role::kAdmin:
      return "admin";
    case Role::kOwner:
      return "owner";
    case Role::kCustomer:
      return "customer";
    case Role::kDriver:
      return "driver";
  }
  return "unknown";
}

std::optional<Role> parse_role(std::string_view name) {
  if (name == "admin") return Role::kAdmin;
  if (name == "owner") return Role::kOwner;
  if (name == "customer") return Role::kCustomer;
  if (name == "driver") return Role::kDriver;
  return std::nullopt;
}

}  // namespace comanda::engine
