#include <algorithm>
#include <array>
#include <iomanip>
#include <ostream>
#include <string>
#include <vector>

#include "engine/domain/access.h"
#include "engine/domain/order_status.h"
#include "tools/subcommand.h"

namespace comanda::tools {
namespace {

using namespace comanda::engine;

std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : ",") + p;
  return out;
}

// Who takes a step to `s` (engine/domain/access.h's rules in words).
std::string setters(const StatusInfo& s) {
  if (s.status == OrderStatus::kDriverAssigned) return "accept-delivery,admin assigns";
  std::vector<std::string> who;
  if (s.setters & kSetByRestaurant) who.push_back("restaurant");
  if (s.setters & kSetByDriver) who.push_back("driver*");
  if (s.setters & kSetByCustomer)
    who.push_back(s.status == OrderStatus::kCancelled ? "customer(pending/scheduled)" : "customer");
  if (s.setters & kSetByEngine) who.push_back("engine");
  return joined(who);
}

// The order state machine's table (engine/domain/order_status.h), one row
// per status, columns as wide as their widest cell.
int print_statuses(std::ostream& out) {
  std::vector<std::array<std::string, 6>> rows = {
      {"STATUS", "CODE", "ALIASES", "TERMINAL", "SET BY", "FULFILLMENT"}};
  for (const StatusInfo& s : status_table()) {
    std::vector<std::string> aliases, codes, types;
    for (auto a : s.aliases) aliases.emplace_back(a);
    for (int c : s.input_codes) codes.push_back(std::to_string(c));
    if (codes.empty()) codes.push_back("(" + std::to_string(s.code) + ")");
    for (int t = 0; t <= static_cast<int>(FulfillmentType::kEatIn); ++t)
      if (applies_to(s.status, static_cast<FulfillmentType>(t)))
        types.emplace_back(fulfillment_name(static_cast<FulfillmentType>(t)));
    rows.push_back({std::string(s.name), joined(codes), joined(aliases), s.terminal ? "yes" : "",
                    setters(s), joined(types)});
  }
  std::array<size_t, 6> width{};
  for (const auto& row : rows)
    for (size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  for (const auto& row : rows) {
    for (size_t c = 0; c + 1 < row.size(); ++c)
      out << std::left << std::setw(static_cast<int>(width[c] + 2)) << row[c];
    out << row.back() << "\n";
  }
  out << "\nSteps go forward only (skips allowed), to a status of the order's fulfillment type;\n"
         "rejected only from scheduled or pending; cancelled from any non-terminal status.\n"
         "* the assigned driver, or the restaurant while no driver is assigned.\n"
         "completed / COMPLETADO / 1 resolve by fulfillment type; names and aliases match in\n"
         "any case. Admins take every step but scheduled. A role that never sets a\n"
         "status is answered 403; a step its role takes, but not from here, 409.\n";
  return 0;
}

class Statuses final : public Subcommand {
 public:
  std::string_view name() const override { return "statuses"; }
  std::string_view summary() const override { return "print the order state machine"; }
  void configure(CLI::App&) override {}
  int run(std::ostream& out, std::ostream&) override { return print_statuses(out); }
};

}  // namespace

std::unique_ptr<Subcommand> statuses_command() { return std::make_unique<Statuses>(); }

}  // namespace comanda::tools
