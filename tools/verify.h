// `comanda verify`: the log's integrity. Positions dense from 1, every event
// decodes (checksum and envelope), the envelope's position matches its key,
// stream versions contiguous from 1, the hash chain links every batch, and
// the stream index agrees. Reads the log read-only.
#pragma once

#include <filesystem>
#include <iosfwd>

namespace comanda::tools {

// Checks the log in `data`; names the first bad position on `err`. The exit
// code: 0 when everything holds, 1 on any problem.
int verify(const std::filesystem::path& data, std::ostream& out, std::ostream& err);

}  // namespace comanda::tools
