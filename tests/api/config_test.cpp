// comandad's flags and environment (api/config.h).
#include "api/config.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/test_support.h"

namespace {

using comanda::api::parse_server_config;
using comanda::engine::Durability;

const std::string kSecret = "0123456789abcdef0123456789abcdef";

struct Env {
  std::vector<std::string> vars;
  std::vector<char*> ptrs;
  explicit Env(std::vector<std::string> v) : vars(std::move(v)) {
    for (auto& s : vars) ptrs.push_back(s.data());
    ptrs.push_back(nullptr);
  }
  char** get() { return ptrs.data(); }
};

TEST(ServerConfig, RefusesToStartWithoutASecretUnlessInDevMode) {
  Env none({});
  auto refused = parse_server_config({}, none.get());
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("COMANDA_JWT_SECRET"), std::string::npos);
  auto dev = parse_server_config({"--dev"}, none.get());
  ASSERT_TRUE(dev.ok());
  EXPECT_TRUE(dev->dev);
}

TEST(ServerConfig, ReadsTheSecretFromTheEnvironmentOrAFile) {
  Env env({"COMANDA_JWT_SECRET=" + kSecret});
  auto from_env = parse_server_config({}, env.get());
  ASSERT_TRUE(from_env.ok());
  EXPECT_EQ(from_env->jwt_secret, kSecret);

  comanda::test_support::TempDir dir;
  const auto file = dir.path() / "secret";
  std::ofstream(file) << "file-secret-file-secret-file-secret\n";
  Env none({});
  auto from_file = parse_server_config({"--jwt-secret-file", file.string()}, none.get());
  ASSERT_TRUE(from_file.ok()) << from_file.error().message;
  EXPECT_EQ(from_file->jwt_secret, "file-secret-file-secret-file-secret");
}

TEST(ServerConfig, WithASecretAndASecretFileTheFileWinsAsInTheTokenTool) {
  comanda::test_support::TempDir dir;
  const auto file = dir.path() / "secret";
  std::ofstream(file) << "file-secret-file-secret-file-secret\n";
  Env env({"COMANDA_JWT_SECRET_FILE=" + file.string(), "COMANDA_JWT_SECRET=" + kSecret});
  auto c = parse_server_config({}, env.get());
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->jwt_secret, "file-secret-file-secret-file-secret");
}

TEST(ServerConfig, AnEmptyComandaDevIsRefusedNotReadAsOn) {
  Env empty({"COMANDA_DEV="});
  auto c = parse_server_config({}, empty.get());
  ASSERT_FALSE(c.ok()) << "an empty COMANDA_DEV opened authentication";
  Env on({"COMANDA_DEV=1"});
  auto dev = parse_server_config({}, on.get());
  ASSERT_TRUE(dev.ok());
  EXPECT_TRUE(dev->dev);
  Env off({"COMANDA_DEV=0", "COMANDA_JWT_SECRET=" + kSecret});
  auto not_dev = parse_server_config({}, off.get());
  ASSERT_TRUE(not_dev.ok());
  EXPECT_FALSE(not_dev->dev);
}

TEST(ServerConfig, RefusesAShortSecret) {
  Env env({"COMANDA_JWT_SECRET=short"});
  EXPECT_FALSE(parse_server_config({}, env.get()).ok());
}

TEST(ServerConfig, FlagsWinOverTheEnvironment) {
  Env env({"COMANDA_JWT_SECRET=" + kSecret, "COMANDA_LISTEN=0.0.0.0:9000",
           "COMANDA_DURABILITY=async", "COMANDA_UNKNOWN_THING=ignored"});
  auto c = parse_server_config({"--listen", "127.0.0.1:0", "--data=/tmp/x"}, env.get());
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->host, "127.0.0.1");
  EXPECT_EQ(c->port, 0);
  EXPECT_EQ(c->durability, Durability::kAsync);
  EXPECT_EQ(c->data, "/tmp/x");
}

TEST(ServerConfig, RefusesUnknownFlagsAndBadValues) {
  Env env({"COMANDA_JWT_SECRET=" + kSecret});
  EXPECT_FALSE(parse_server_config({"--bogus"}, env.get()).ok());
  EXPECT_FALSE(parse_server_config({"--listen", "nowhere"}, env.get()).ok());
  EXPECT_FALSE(parse_server_config({"--listen", "127.0.0.1:70000"}, env.get()).ok());
  EXPECT_FALSE(parse_server_config({"--threads", "0"}, env.get()).ok());
  EXPECT_FALSE(parse_server_config({"--durability", "maybe"}, env.get()).ok());
  EXPECT_FALSE(parse_server_config({"--time-zone", "Mars/Olympus"}, env.get()).ok());
  EXPECT_FALSE(parse_server_config({"--dev=yes"}, env.get()).ok());
  EXPECT_FALSE(parse_server_config({"--data"}, env.get()).ok());
}

}  // namespace
