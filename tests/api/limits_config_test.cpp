// The operational flags: rate limit, connection cap, timeouts, shutdown
// grace and log level (api/config.h).
#include <gtest/gtest.h>

#include "api/config.h"

namespace {

using comanda::api::parse_server_config;

char** no_env() {
  static char* none[] = {nullptr};
  return none;
}

TEST(OperationalFlags, DefaultsAreTheDocumentedOnes) {
  auto c = parse_server_config({"--dev"}, no_env());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->rate_limit, 100);
  EXPECT_EQ(c->rate_burst, 0);  // twice the rate
  EXPECT_EQ(c->max_connections, 10'000u);
  EXPECT_EQ(c->shutdown_grace_s, 10);
  EXPECT_EQ(c->idle_timeout_s, 60);
  EXPECT_EQ(c->read_timeout_s, 10);
  EXPECT_EQ(c->log_level, "info");
}

TEST(OperationalFlags, AreReadFromFlagsAndTheEnvironment) {
  std::string a = "COMANDA_RATE_LIMIT=7", b = "COMANDA_LOG_LEVEL=warn";
  char* env[] = {a.data(), b.data(), nullptr};
  auto c =
      parse_server_config({"--dev", "--rate-burst", "9", "--max-connections=50", "--shutdown-grace",
                           "0", "--idle-timeout", "5", "--read-timeout", "2"},
                          env);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->rate_limit, 7);
  EXPECT_EQ(c->rate_burst, 9);
  EXPECT_EQ(c->max_connections, 50u);
  EXPECT_EQ(c->shutdown_grace_s, 0);
  EXPECT_EQ(c->idle_timeout_s, 5);
  EXPECT_EQ(c->read_timeout_s, 2);
  EXPECT_EQ(c->log_level, "warn");
  auto off = parse_server_config({"--dev", "--rate-limit", "0"}, no_env());
  ASSERT_TRUE(off.ok());
  EXPECT_EQ(off->rate_limit, 0);
}

TEST(OperationalFlags, BadValuesNameTheFlag) {
  for (std::vector<std::string> args :
       std::vector<std::vector<std::string>>{{"--rate-limit", "-1"},
                                             {"--rate-limit", "fast"},
                                             {"--rate-burst", "0"},
                                             {"--max-connections", "0"},
                                             {"--shutdown-grace", "1h"},
                                             {"--idle-timeout", "0"},
                                             {"--read-timeout", "99999"},
                                             {"--log-level", "verbose"}}) {
    args.insert(args.begin(), "--dev");
    auto c = parse_server_config(args, no_env());
    ASSERT_FALSE(c.ok()) << args[1];
    EXPECT_EQ(c.error().field, args[1]);
    EXPECT_NE(c.error().message.find(args[1]), std::string::npos) << c.error().message;
  }
}

}  // namespace
