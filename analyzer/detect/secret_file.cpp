#include "analyzer/detect/secret_file.h"

#include <array>
#include <string>

#include <re2/re2.h>

#include "analyzer/detect/secret_like.h"
#include "analyzer/source/ascii_case.h"

namespace shiftlint::detect {

namespace {

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

// `.env`, `.env.production`, `.env.local`; not `.env.example` and friends, which are committed on
// purpose as templates.
bool is_env_file(std::string_view name) {
  if (name == ".env") return true;
  if (name.substr(0, 5) != ".env.") return false;
  std::string_view suffix = name.substr(5);
  static constexpr std::array<std::string_view, 9> kTemplates = {"example", "sample", "dist", "template", "tpl",
                                                                 "defaults", "default", "schema", "in"};
  for (std::string_view word : kTemplates)
    if (suffix == word || ends_with(suffix, "." + std::string(word)) || suffix.substr(0, word.size() + 1) == std::string(word) + ".")
      return false;
  return true;
}

// PEM and key files whose names say they are certificates or public keys.
bool names_public_material(std::string_view name) {
  static constexpr std::array<std::string_view, 10> kPublic = {"cert", "crt", "chain", "bundle", "ca.", "ca-",
                                                               "pub", "public", "root", "gpg"};
  for (std::string_view word : kPublic)
    if (contains(name, word)) return true;
  return name == "ca.pem" || name.substr(0, 3) == "ca_";
}

constexpr SecretFile kEnvFile{"a .env file", true, true};
constexpr SecretFile kSshKey{"an SSH private key", false, true};
constexpr SecretFile kPrivateKey{"a private key", true, true};
constexpr SecretFile kMaybePrivateKey{"a private key", true, false};
constexpr SecretFile kKeystore{"a keystore with a private key", false, true};
constexpr SecretFile kAwsCredentials{"AWS credentials", false, true};
constexpr SecretFile kCredentials{"a credentials file", false, true};
constexpr SecretFile kNetrc{"a .netrc with passwords", false, true};
constexpr SecretFile kPgpass{"a PostgreSQL password file", false, true};
constexpr SecretFile kGitCredentials{"Git credentials", false, true};
constexpr SecretFile kDockerConfig{"Docker registry credentials", true, false};
constexpr SecretFile kNpmrc{"an npm config with a token", true, false};
constexpr SecretFile kPypirc{"a PyPI config with a password", true, false};
constexpr SecretFile kGemCredentials{"RubyGems credentials", false, true};
constexpr SecretFile kRailsMasterKey{"the Rails master key", false, true};

}  // namespace

std::optional<SecretFile> secret_file(std::string_view path) {
  if (path.size() > 4096) return std::nullopt;
  std::string lower = to_lower_ascii(path);
  while (ends_with(lower, "/")) lower.pop_back();
  std::string_view full = lower;
  std::string_view name = full.substr(full.rfind('/') == std::string_view::npos ? 0 : full.rfind('/') + 1);
  std::string_view folder = full.substr(0, full.size() - name.size());
  if (name.empty()) return std::nullopt;

  if (is_env_file(name)) return kEnvFile;
  if (name == "id_rsa" || name == "id_dsa" || name == "id_ecdsa" || name == "id_ed25519" ||
      name == "id_ecdsa_sk" || name == "id_ed25519_sk")
    return kSshKey;
  if (name == "master.key" || name == "credentials.yml.enc.key") return kRailsMasterKey;
  if (ends_with(name, ".p12") || ends_with(name, ".pfx") || ends_with(name, ".jks") || ends_with(name, ".keystore"))
    return kKeystore;
  if (ends_with(name, ".pem") || ends_with(name, ".key")) {
    if (ends_with(name, ".pub.pem") || ends_with(name, ".pub.key")) return std::nullopt;
    if (contains(name, "private") || contains(name, "privkey")) return kPrivateKey;
    return names_public_material(name) ? kMaybePrivateKey : kPrivateKey;
  }
  if (name == "credentials") {
    if (ends_with(folder, ".aws/")) return kAwsCredentials;
    if (ends_with(folder, ".gem/")) return kGemCredentials;
    return kCredentials;
  }
  if (name == "credentials.json" || name == "service-account.json" || name == "service_account.json")
    return kCredentials;
  if (name == ".netrc" || name == "_netrc") return kNetrc;
  if (name == ".pgpass") return kPgpass;
  if (name == ".git-credentials") return kGitCredentials;
  if (name == ".dockercfg" || (name == "config.json" && ends_with(folder, ".docker/"))) return kDockerConfig;
  if (name == ".npmrc") return kNpmrc;
  if (name == ".pypirc") return kPypirc;
  return std::nullopt;
}

bool secret_file_content(std::string_view path, std::string_view text) {
  std::string lower = to_lower_ascii(path);
  std::string_view name = lower;
  if (size_t slash = name.rfind('/'); slash != std::string_view::npos) name.remove_prefix(slash + 1);

  if (is_env_file(name)) {
    // NAME=value lines, `export NAME=value` too; quotes around the value are the file's syntax.
    std::string_view rest = text;
    while (!rest.empty()) {
      size_t end = rest.find('\n');
      std::string_view line = rest.substr(0, end);
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
      while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
      if (line.substr(0, 7) == "export ") line.remove_prefix(7);
      size_t equals = line.find('=');
      if (line.empty() || line.front() == '#' || equals == std::string_view::npos) continue;
      std::string_view value = line.substr(equals + 1);
      while (!value.empty() && (value.back() == '\r' || value.back() == ' ')) value.remove_suffix(1);
      if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front())
        value = value.substr(1, value.size() - 2);
      if (find_plaintext_secret(line.substr(0, equals), value)) return true;
    }
    return false;
  }
  static const RE2 private_key(R"(-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----)");
  if (ends_with(name, ".pem") || ends_with(name, ".key")) return RE2::PartialMatch(text, private_key);
  // `//registry.npmjs.org/:_authToken=npm_...`; `${NPM_TOKEN}` is read from the environment.
  static const RE2 npm_token(R"((?m)(?:_authToken|_auth|_password)\s*=\s*([^\s$][^\s]*)\s*$)");
  if (name == ".npmrc") return RE2::PartialMatch(text, npm_token);
  static const RE2 pypi_password(R"((?m)^\s*password\s*[=:]\s*([^\s$][^\s]*)\s*$)");
  if (name == ".pypirc") return RE2::PartialMatch(text, pypi_password);
  static const RE2 docker_auth(R"("auth"\s*:\s*"[A-Za-z0-9+/=]{8,}")");
  if (name == ".dockercfg" || name == "config.json") return RE2::PartialMatch(text, docker_auth);
  return true;
}

}  // namespace shiftlint::detect
