#pragma once
// Secrets written in plain text: env var names that say they hold one (DB_PASSWORD, API_KEY) with a
// literal value, and values that are recognisably credentials whatever their name (AWS access key
// IDs, GitHub/Slack/Stripe tokens, PEM private keys, JWTs, URLs with a password). Shared by the
// plaintext-secret rules of every family (ECS009, DKR013, EB009, K8S010).
//
// Placeholders are not secrets: template markers (`${DB_PASSWORD}`, `{{ .Values.x }}`, `<password>`),
// values that say they must be replaced (REPLACE_ME, TODO, xxx, dummy, example, your-api-key),
// references to a secret store (Secrets Manager/SSM ARNs, `ssm:`/`vault:` references, SOPS `ENC[...]`),
// booleans and empty values. A weak default such as `changeme` or `password` IS reported: if it is
// deployed, the service runs with a guessable credential that everyone who can read the file knows.
#include <optional>
#include <string>
#include <string_view>

namespace shiftlint::detect {

// What a secret-like name says it holds ("a password", "an API key", "a token"), or nullopt.
// Names of things about a secret, not the secret itself, do not count: *_FILE, *_PATH, *_ARN, *_ID,
// *_NAME, *_URL, *_LENGTH, *_TTL, *_ENABLED... (AWS_ACCESS_KEY_ID is an ID; its value is checked
// by secret_like_value).
std::optional<std::string_view> secret_like_name(std::string_view name);

struct SecretValueMatch {
  std::string_view kind;    // "an AWS access key ID", "a GitHub token", "a URL with a password"...
  std::string_view secret;  // the credential inside the value (the password of a URL); empty when
                            // even its first characters would say nothing (a PEM header)
};

// What a value is when it is a credential by its shape alone, or nullopt.
std::optional<SecretValueMatch> match_secret_value(std::string_view value);
std::optional<std::string_view> secret_like_value(std::string_view value);  // just the kind

// Whether a value is a placeholder or a reference to a secret store rather than a literal secret.
bool is_secret_placeholder(std::string_view value);

struct PlaintextSecret {
  enum class Basis { Name, Value };
  Basis basis = Basis::Name;  // a secret-like name with a literal value, or a secret-like value
  std::string_view kind;      // "a password", "an AWS access key ID", ...
  std::string_view secret;    // the credential: a part of the value, for mask_secret; may be empty
};

// What is known of a value besides its name. Most often nothing: a values.yaml line or an env
// value. A chart value rendered into a Secret's data or stringData is that Secret's content, so a
// lowercase word under a name ending in Key (`secretKey: minioadmin`) is the key itself, not the
// name of an entry in another Secret.
enum class ValueUse { Unknown, SecretContent };

// An env var (or option setting, ARG, Helm value...) holding a plaintext secret: a secret-like value
// whatever the name, or a secret-like name with a literal (non-placeholder) value.
std::optional<PlaintextSecret> find_plaintext_secret(std::string_view name, std::string_view value,
                                                     ValueUse use = ValueUse::Unknown);

// A secret shown in a message without giving it away: its first few characters and "…" (4 for
// values of 16+ characters, 2 for 8+); for a shorter one only its length ("7 characters, not shown").
std::string mask_secret(std::string_view value);

}  // namespace shiftlint::detect
