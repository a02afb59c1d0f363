// Writing a new log into a data directory, for `import`, `seed` and
// `restore`: the directory must be empty or absent; the log is built aside
// (`log.partial`) and moved into place whole; on any failure nothing stays
// (the directory itself goes if it was absent before).
#pragma once

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string_view>

namespace comanda::tools {

// `build` writes the log at the path it is given and returns an exit code
// (0: done), saying why on `err` otherwise; `check`, if given, runs once the
// log is in place (same contract). Returns the exit code; refusals and
// filesystem errors are written to `err` as "comanda <tool>: ...".
int write_new_log(std::string_view tool, const std::filesystem::path& data, std::ostream& err,
                  const std::function<int(const std::filesystem::path& aside)>& build,
                  const std::function<int()>& check = {});

}  // namespace comanda::tools
