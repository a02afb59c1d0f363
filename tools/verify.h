// `comanda verify`: the log's integrity. Positions dense from 1, every event
// decodes (checksum and envelope), the envelope's position matches its key,
// stream versions contiguous from 1, the hash chain links every batch, the
// stream index agrees, and every idempotency key points at its command's
// last event. `quick`: positions, checksums and the chain only. Reads the
// log read-only.
#pragma once

#include <filesystem>
#include <iosfwd>

namespace comanda::tools {

// Checks the log in `data`; names the first bad position on `err`. The exit
// code: 0 when everything holds, 1 on any problem.
int verify(const std::filesystem::path& data, std::ostream& out, std::ostream& err,
           bool quick = false);

}  // namespace comanda::tools
