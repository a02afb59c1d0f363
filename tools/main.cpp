// comanda: the command-line tool for operators and auditors.
#include <cstdlib>
#include <functional>
#include <iostream>
#include <string>
#include <utility>
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
    "  token --role ROLE --sub ID [--ttl 1h] [--jwt-secret-file FILE] [--iss ISS] [--aud AUD]\n"
    "                     mint a JWT (secret from FILE or $COMANDA_JWT_SECRET)\n"
    "\n"
    "--data DIR defaults to $COMANDA_DATA, else ./data. The log is opened read-only:\n"
    "history and verify run beside a live server.\n";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> positional;
  std::filesystem::path data = std::getenv("COMANDA_DATA") ? std::getenv("COMANDA_DATA") : "./data";
  comanda::tools::TokenRequest token;
  if (const char* file = std::getenv("COMANDA_JWT_SECRET_FILE")) token.secret_file = file;
  // Flags that take a value, and where each goes.
  const std::vector<std::pair<std::string, std::function<void(std::string)>>> valued = {
      {"--data", [&](std::string v) { data = v; }},
      {"--role", [&](std::string v) { token.role = v; }},
      {"--sub", [&](std::string v) { token.subject = v; }},
      {"--ttl", [&](std::string v) { token.ttl = v; }},
      {"--jwt-secret-file", [&](std::string v) { token.secret_file = v; }},
      {"--iss", [&](std::string v) { token.issuer = v; }},
      {"--aud", [&](std::string v) { token.audience = v; }},
  };
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    }
    bool matched = false;
    for (const auto& [name, set] : valued) {
      if (arg == name && i + 1 < argc) {
        set(argv[++i]);
        matched = true;
      } else if (arg.starts_with(name + "=")) {
        set(arg.substr(name.size() + 1));
        matched = true;
      }
    }
    if (matched) continue;
    if (arg.starts_with("-")) {
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
  if (command == "verify" && positional.size() == 1)
    return comanda::tools::verify(data, std::cout, std::cerr);
  if (command == "statuses" && positional.size() == 1) return comanda::tools::statuses(std::cout);
  if (command == "token" && positional.size() == 1)
    return comanda::tools::token(token, std::cout, std::cerr);
  std::cerr << "comanda: unknown command or wrong arguments: " << command << "\n\n" << kUsage;
  return 2;
}
