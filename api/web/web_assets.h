// The built-in pages (web/): their files, embedded in comandad at build time
// by cmake/embed_files.cmake, each under its path ("/web/board.js").
#pragma once

#include <span>
#include <string_view>

namespace comanda::api {

struct WebAsset {
  std::string_view path;     // "/web/board.js"
  std::string_view content;  // the file's bytes
};

std::span<const WebAsset> web_assets();

}  // namespace comanda::api
