#include <iomanip>
#include <ostream>

#include "engine/domain/order_status.h"
#include "tools/subcommand.h"

namespace comanda::tools {
namespace {

using namespace comanda::engine;

// The order state machine's table (engine/domain/order_status.h).
int print_statuses(std::ostream& out) {
  out << std::left << std::setw(26) << "STATUS" << std::setw(8) << "CODE" << std::setw(26)
      << "ALIASES" << std::setw(10) << "TERMINAL"
      << "FULFILLMENT\n";
  for (const StatusInfo& s : status_table()) {
    std::string aliases, codes, types;
    for (auto a : s.aliases) aliases += (aliases.empty() ? "" : ",") + std::string(a);
    for (int c : s.input_codes) codes += (codes.empty() ? "" : ",") + std::to_string(c);
    if (codes.empty()) codes = "(" + std::to_string(s.code) + ")";
    for (int t = 0; t <= static_cast<int>(FulfillmentType::kEatIn); ++t)
      if (applies_to(s.status, static_cast<FulfillmentType>(t)))
        types += (types.empty() ? "" : ",") +
                 std::string(fulfillment_name(static_cast<FulfillmentType>(t)));
    out << std::left << std::setw(26) << s.name << std::setw(8) << codes << std::setw(26) << aliases
        << std::setw(10) << (s.terminal ? "yes" : "") << types << "\n";
  }
  out << "\nSteps go forward only (skips allowed), to a status of the order's fulfillment type;\n"
         "rejected only from scheduled or pending; cancelled from any non-terminal status.\n"
         "completed / COMPLETADO / 1 resolve by fulfillment type.\n";
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
