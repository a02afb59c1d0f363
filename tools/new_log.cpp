#include "tools/new_log.h"

#include <ostream>
#include <string>
#include <system_error>

namespace comanda::tools {

namespace fs = std::filesystem;

int write_new_log(std::string_view tool, const fs::path& data, std::ostream& err,
                  const std::function<int(const fs::path& aside)>& build,
                  const std::function<int()>& check) {
  std::error_code ec;
  const bool existed = fs::exists(data, ec);
  if (existed && !fs::is_empty(data, ec)) {
    err << "comanda " << tool << ": " << data.string() << " is not empty: " << tool
        << " writes only into an empty or absent directory\n";
    return 1;
  }
  fs::create_directories(data, ec);
  const fs::path aside = data / "log.partial";
  int code = build(aside);
  if (code == 0) {
    fs::rename(aside, data / "log", ec);
    if (ec) err << "comanda " << tool << ": " << ec.message() << "\n";
    code = ec ? 1 : check ? check() : 0;
  }
  if (code != 0) {
    fs::remove_all(aside, ec);
    fs::remove_all(existed ? data / "log" : data, ec);
  }
  return code;
}

}  // namespace comanda::tools
