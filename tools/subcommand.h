// One `comanda` subcommand, in the manner of RocksDB's ldb commands: its
// name, one line of help, its own arguments and flags (CLI11, declared on
// its own sub-app, so a flag of another subcommand is refused), and what it
// does. tools/subcommands.cpp lists them.
//
// Not thread-safe: the CLI's main thread.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <filesystem>
#include <iosfwd>
#include <string>
#include <string_view>

#include "engine/base/error.h"

namespace comanda::tools {

class Subcommand {
 public:
  virtual ~Subcommand() = default;
  virtual std::string_view name() const = 0;
  virtual std::string_view summary() const = 0;
  // Declares its arguments and flags on `app`, binding them to its members.
  virtual void configure(CLI::App& app) = 0;
  // Runs once the command line is parsed; returns the process's exit code
  // (0 ok, 1 failure, 2 usage).
  virtual int run(std::ostream& out, std::ostream& err) = 0;
};

// The JWT secret from `secret_file`, else from $COMANDA_JWT_SECRET (as
// comandad reads it); an error says which is missing or too short.
engine::Result<std::string> jwt_secret(const std::string& secret_file);

// --data DIR, from $COMANDA_DATA when not given, else ./data: for the
// subcommands that read a data directory.
inline void add_data_flag(CLI::App& app, std::filesystem::path& data) {
  const char* env = std::getenv("COMANDA_DATA");
  data = env && *env ? env : "./data";
  app.add_option("--data", data, "the data directory (default $COMANDA_DATA, else ./data)")
      ->type_name("DIR");
}

}  // namespace comanda::tools
