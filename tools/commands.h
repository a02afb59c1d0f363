// The `comanda` subcommands. Each takes its parsed arguments, writes to the
// given streams and returns the process exit code. They open the log
// read-only, so they run on a copy of a data directory or beside a live
// server without taking its lock.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>

namespace comanda::tools {

// Every event of one order: position, time, actor, type, status from -> to.
int history(const std::filesystem::path& data, const std::string& order_id, std::ostream& out,
            std::ostream& err);

// Positions dense from 1, every event decodes (checksum and envelope), the
// envelope's position matches its key, stream versions contiguous from 1,
// the hash chain links every batch, and the stream index agrees. Names the
// first bad position; 1 on any problem.
int verify(const std::filesystem::path& data, std::ostream& out, std::ostream& err);

// The order state machine's table.
int statuses(std::ostream& out);

struct TokenRequest {
  std::string role;
  std::string subject;
  std::string ttl = "1h";
  std::string secret_file;  // else COMANDA_JWT_SECRET
  std::string issuer;
  std::string audience;
};

// Mints an HS256 JWT with the configured secret, for local use and scripts.
int token(const TokenRequest& request, std::ostream& out, std::ostream& err);

}  // namespace comanda::tools
