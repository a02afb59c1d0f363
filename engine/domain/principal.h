// Who is acting: the subject and role a command runs as, recorded as the actor
// of every event it produces.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace comanda::engine {

enum class Role : uint8_t { kEngine, kAdmin, kOwner, kCustomer, kDriver };

std::string_view role_name(Role role);
// Parses "admin", "owner", "customer" or "driver". "engine" is never accepted
// from outside: only the engine acts as itself.
std::optional<Role> parse_role(std::string_view name);

struct Principal {
  std::string subject;
  Role role = Role::kEngine;

  friend bool operator==(const Principal&, const Principal&) = default;
};

// The engine acting as itself: the scheduler's commands, and what a
// decision emits in consequence (an offer, a geofence step).
inline const Principal kEnginePrincipal{"engine", Role::kEngine};

}  // namespace comanda::engine
