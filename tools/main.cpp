// comanda: the command-line tool for operators and auditors.
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "tools/commands.h"

namespace {

constexpr const char* kUsage =
    "usage: comanda COMMAND [--data DIR]\n"
    "\n"
    "commands:\n"
    "  history ORDER_ID   every event of an order\n"
    "  verify             check the log: dense positions, checksums, stream versions, index\n"
    "  statuses           print the order state machine\n"
    "\n"
    "--data DIR defaults to $COMANDA_DATA, else ./data. The log is opened read-only:\n"
    "these commands run beside a live server.\n";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> positional;
  std::filesystem::path data = std::getenv("COMANDA_DATA") ? std::getenv("COMANDA_DATA") : "./data";
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (arg == "--data" && i + 1 < argc) {
      data = argv[++i];
    } else if (arg.starts_with("--data=")) {
      data = arg.substr(7);
    } else if (arg.starts_with("-")) {
      std::cerr << "comanda: unknown flag '" << arg << "'\n\n" << kUsage;
      return 2;
    } else {
      positional.push_back(arg);
    }
  }
  if (positional.empty()) {
    std::cerr << kUsage;
    return 2;
  }
  const std::string& command = positional[0];
  if (command == "history" && positional.size() == 2)
    return comanda::tools::history(data, positional[1], std::cout, std::cerr);
  if (command == "verify" && positional.size() == 1) return comanda::tools::verify(data, std::cout, std::cerr);
  if (command == "statuses" && positional.size() == 1) return comanda::tools::statuses(std::cout);
  std::cerr << "comanda: unknown command or wrong arguments: " << command << "\n\n" << kUsage;
  return 2;
}
