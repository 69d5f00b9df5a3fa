#pragma once
// Files that hold credentials by what they are: `.env`, SSH private keys (`id_rsa`), TLS private keys
// (`server.key`, `privkey.pem`), keystores (`.p12`), cloud and tool credentials (`.aws/credentials`,
// `.netrc`, `.pgpass`, `.git-credentials`, `.docker/config.json`), and the package-manager configs
// that hold a token only sometimes (`.npmrc`, `.pypirc`, `.gem/credentials`).
//
// Shared by DKR013 (COPY/ADD into an image), and the Elastic Beanstalk and Kubernetes rules that see
// files written onto a host or into a ConfigMap.
#include <optional>
#include <string_view>

namespace shiftlint::detect {

struct SecretFile {
  std::string_view what;  // "an SSH private key", "a .env file", "an npm config"
  // When the file's text can be read, it decides (secret_file_content): a .env without a secret, a
  // .pem holding only certificates, an .npmrc whose token is `${NPM_TOKEN}` are fine.
  bool content_decides = false;
  // Without the text, whether the name alone is reason enough (yes for `.env` and `server.key`,
  // no for `.npmrc`).
  bool name_is_enough = true;
};

// What a file at `path` (absolute, relative or a bare name; '/'-separated) holds when its name says
// it is a credential file; nullopt otherwise. Examples and templates (`.env.example`,
// `.env.sample`, `id_rsa.pub`, `ca.pem`, `fullchain.pem`) are not.
std::optional<SecretFile> secret_file(std::string_view path);

// For a file secret_file matched with content_decides: whether its text holds a literal credential
// (a PEM private key block, a .env entry find_plaintext_secret reports, an `_authToken=` that is
// not `${NPM_TOKEN}`, a .pypirc password).
bool secret_file_content(std::string_view path, std::string_view text);

}  // namespace shiftlint::detect
