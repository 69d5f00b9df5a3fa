#include <catch2/catch.hpp>

#include <string>

#include "analyzer/detect/secret_file.h"

using namespace shiftlint::detect;

namespace {
// "what" when the name alone is enough, "content" when only the text can tell, "none" otherwise.
std::string by_name(std::string_view path) {
  auto file = secret_file(path);
  if (!file) return "none";
  return file->name_is_enough ? std::string(file->what) : "content";
}
}  // namespace

TEST_CASE("secret_file: credential files by name") {
  CHECK(by_name(".env") == "a .env file");
  CHECK(by_name("config/.env.production") == "a .env file");
  CHECK(by_name(".env.example") == "none");
  CHECK(by_name(".env.sample") == "none");
  CHECK(by_name(".env.production.example") == "none");
  CHECK(by_name("/root/.ssh/id_rsa") == "an SSH private key");
  CHECK(by_name("deploy/id_ed25519") == "an SSH private key");
  CHECK(by_name("deploy/id_rsa.pub") == "none");
  CHECK(by_name("config/master.key") == "the Rails master key");
  CHECK(by_name("tls/server.key") == "a private key");
  CHECK(by_name("certs/privkey.pem") == "a private key");
  CHECK(by_name("certs/fullchain.pem") == "content");
  CHECK(by_name("certs/ca.pem") == "content");
  CHECK(by_name("keys/nodesource.gpg.key") == "content");
  CHECK(by_name("keystore.p12") == "a keystore with a private key");
  CHECK(by_name(".aws/credentials") == "AWS credentials");
  CHECK(by_name("/root/.aws/credentials") == "AWS credentials");
  CHECK(by_name("credentials.json") == "a credentials file");
  CHECK(by_name(".netrc") == "a .netrc with passwords");
  CHECK(by_name(".pgpass") == "a PostgreSQL password file");
  CHECK(by_name(".npmrc") == "content");
  CHECK(by_name(".pypirc") == "content");
  CHECK(by_name("/root/.docker/config.json") == "content");
  CHECK(by_name("config.json") == "none");
  CHECK(by_name("README.md") == "none");
  CHECK(by_name("environment.rb") == "none");
}

TEST_CASE("secret_file: the text decides where it can") {
  CHECK(secret_file_content(".npmrc", "registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=npm_abcdef0123456789\n"));
  CHECK_FALSE(secret_file_content(".npmrc", "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n"));
  CHECK_FALSE(secret_file_content(".npmrc", "registry=https://npm.example.com/\nsave-exact=true\n"));
  CHECK(secret_file_content(".pypirc", "[pypi]\nusername = __token__\npassword = pypi-AgEIcHlwaS5vcmc\n"));
  CHECK(secret_file_content("server.pem", "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n"));
  CHECK(secret_file_content("key.pem", "-----BEGIN PRIVATE KEY-----\nMIIE\n"));
  CHECK_FALSE(secret_file_content("fullchain.pem", "-----BEGIN CERTIFICATE-----\nMIIF\n-----END CERTIFICATE-----\n"));
  CHECK(secret_file_content(".env", "RAILS_ENV=production\nDATABASE_PASSWORD=Wint3r-Harbor-42\n"));
  CHECK(secret_file_content(".env", "export STRIPE_SECRET_KEY=\"sk_live_51HbQeXKp0Zr7uYc2vT9mW4sLnD8aF3gJ6hQ1eR5tY\"\n"));
  CHECK_FALSE(secret_file_content(".env", "# defaults\nRAILS_ENV=production\nPORT=3000\nDATABASE_PASSWORD=\n"));
  CHECK(secret_file_content("/root/.docker/config.json", R"({"auths":{"https://index.docker.io/v1/":{"auth":"dXNlcjpwYXNzd29yZA=="}}})"));
  CHECK_FALSE(secret_file_content("/root/.docker/config.json", R"({"credsStore":"ecr-login"})"));
}
