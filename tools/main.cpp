// comanda: the command-line tool for operators and auditors. The subcommands
// are in one table (tools/subcommands.cpp); each declares its own flags.
#include <CLI/CLI.hpp>
#include <iostream>

#include "tools/subcommands.h"

namespace {

constexpr int kUsageError = 2;

constexpr const char* kFooter =
    "The log is opened read-only: history and verify run beside a live server, or\n"
    "on a copy of its data directory. `comanda SUBCOMMAND --help` lists a\n"
    "subcommand's flags.";

}  // namespace

int main(int argc, char** argv) {
  // Exports and imports stream gigabytes through std::cout and std::cin:
  // not in lockstep with C stdio, which the tool does not use for them.
  std::ios::sync_with_stdio(false);
  CLI::App app("comanda: the command-line tool for Comanda's operators and auditors", "comanda");
  app.footer(kFooter);
  app.require_subcommand(1);
  auto commands = comanda::tools::subcommands();
  comanda::tools::Subcommand* chosen = nullptr;
  for (auto& command : commands) {
    CLI::App* sub =
        app.add_subcommand(std::string(command->name()), std::string(command->summary()));
    command->configure(*sub);
    sub->callback([&chosen, c = command.get()] { chosen = c; });
  }
  auto known = [&](std::string_view name) {
    for (const auto& command : commands)
      if (command->name() == name) return true;
    return false;
  };
  if (argc > 1 && argv[1][0] != '-' && !known(argv[1])) {
    std::cerr << "comanda: unknown subcommand '" << argv[1] << "'\n\n" << app.help();
    return kUsageError;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::ParseError& e) {
    // Every usage error exits 2, whatever CLI11's own code for it.
    std::cerr << "comanda: " << e.what() << "\n\n" << app.help();
    return kUsageError;
  }
  return chosen->run(std::cout, std::cerr);
}
