#include "tools/subcommands.h"

namespace comanda::tools {

// Each defined in its own file.
std::unique_ptr<Subcommand> history_command();
std::unique_ptr<Subcommand> verify_command();
std::unique_ptr<Subcommand> statuses_command();
std::unique_ptr<Subcommand> token_command();
std::unique_ptr<Subcommand> replay_command();
std::unique_ptr<Subcommand> export_command();
std::unique_ptr<Subcommand> import_command();
std::unique_ptr<Subcommand> backup_command();
std::unique_ptr<Subcommand> restore_command();
std::unique_ptr<Subcommand> seed_command();

std::vector<std::unique_ptr<Subcommand>> subcommands() {
  // One line per subcommand, in the order --help lists them.
  using Factory = std::unique_ptr<Subcommand> (*)();
  // clang-format off
  constexpr Factory kTable[] = {
      &history_command,
      &verify_command,
      &replay_command,
      &export_command,
      &import_command,
      &backup_command,
      &restore_command,
      &seed_command,
      &statuses_command,
      &token_command,
  };
  // clang-format on
  std::vector<std::unique_ptr<Subcommand>> out;
  for (Factory make : kTable) out.push_back(make());
  return out;
}

}  // namespace comanda::tools
