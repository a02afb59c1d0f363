// comandad: the Comanda server. Flags (api/config.h), then a node
// (api/node.h) that opens the data directory and serves until SIGINT or
// SIGTERM.
#include <iostream>
#include <string>
#include <vector>

#include "api/config.h"
#include "api/http/access_log.h"
#include "api/node.h"

int main(int argc, char** argv, char** envp) {
  using namespace comanda::api;
  std::vector<std::string> args(argv + 1, argv + argc);
  auto config = parse_server_config(args, envp);
  if (!config.ok()) {
    std::cerr << "comandad: " << config.error().message << "\n\n" << server_usage();
    return 2;
  }
  if (config->help) {
    std::cout << server_usage();
    return 0;
  }
  start_logging(config->log_level);
  int code = 0;
  try {
    auto node = Node::open(*config);
    if (!node.ok()) {
      std::cerr << "comandad: " << node.error().message << "\n";
      code = 1;
    } else {
      (*node)->run();
    }
  } catch (const std::exception& e) {
    std::cerr << "comandad: " << e.what() << "\n";
    code = 1;
  }
  stop_logging();
  return code;
}
