#include "analyzer/detect/secret_like.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <mutex>
#include <vector>

#include <fmt/format.h>
#include <re2/re2.h>

#include "analyzer/detect/template_placeholder.h"
#include "analyzer/source/ascii_case.h"

namespace shiftlint::detect {

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

std::string upper(std::string_view text) {
  std::string result(text);
  for (char& c : result) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return result;
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

template <size_t N>
bool is_one_of(std::string_view word, const std::array<std::string_view, N>& words) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

// DB_PASSWORD, db.password, dbPassword, DbPassword → DB PASSWORD.
std::vector<std::string> name_words(std::string_view name) {
  std::vector<std::string> words;
  std::string current;
  auto flush = [&] {
    if (!current.empty()) words.push_back(upper(current));
    current.clear();
  };
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      flush();
      continue;
    }
    if (std::isupper(static_cast<unsigned char>(c)) && i > 0 && std::islower(static_cast<unsigned char>(name[i - 1])))
      flush();
    current += c;
  }
  flush();
  return words;
}

// The last word of a name that makes it about a secret rather than the secret itself.
// CMD/COMMAND: a command that prints the secret (Airflow's AIRFLOW__CORE__FERNET_KEY_CMD), not the secret.
// TIME/INTERVAL/PERIOD/DURATION/DELAY: how long or how often (WEB_AUTHENTICATION_TOKEN_VALIDITY_TIME=24).
constexpr std::array<std::string_view, 73> kNotSecretLastWords{
    "FILE",     "FILES",    "PATH",      "DIR",       "ARN",       "ID",         "IDS",       "NAME",
    "USER",     "USERNAME", "URL",       "URI",       "ENDPOINT",  "HOST",       "PORT",      "REGION",
    "TYPE",     "KIND",     "LENGTH",    "LEN",       "SIZE",      "MIN",        "MAX",       "TTL",
    "TIMEOUT",  "EXPIRY",   "EXPIRES",   "EXPIRATION", "LIFETIME", "SECONDS",    "MINUTES",   "HOURS",
    "DAYS",     "MS",       "ENABLED",   "DISABLED",  "ENABLE",    "DISABLE",    "REQUIRED",  "HEADER",
    "FIELD",    "PARAM",    "PARAMETER", "VERSION",   "ALGORITHM", "POLICY",     "ROTATION",  "PREFIX",
    "SCOPE",    "SCOPES",   "ISSUER",    "AUDIENCE",  "MODE",      "PROVIDER",   "STORE",     "BACKEND",
    "FORMAT",   "LOCATION", "ALG",       "IP",        "IPS",       "CIDR",       "CONFIG",    "CONFIGURATION",
    "CMD",      "COMMAND",  "HELPER",    "HELPERS",   "TIME",      "INTERVAL",   "PERIOD",    "DURATION",
    "DELAY"};

constexpr std::array<std::string_view, 6> kPasswordWords{"PASSWORD", "PASSWD", "PASS", "PWD", "PASSPHRASE",
                                                         "PASSCODE"};

// Qualifiers that make KEY a secret key (APP_KEY is Laravel's encryption key; PUBLIC_KEY is not one).
struct KeyQualifier {
  std::string_view word;
  std::string_view kind;
};
constexpr std::array<KeyQualifier, 16> kKeyQualifiers{{
    {"PRIVATE", "a private key"},
    {"SECRET", "a secret key"},
    {"ACCESS", "an access key"},
    {"API", "an API key"},
    {"ENCRYPTION", "an encryption key"},
    {"SIGNING", "a signing key"},
    {"MASTER", "a master key"},
    {"AUTH", "an authentication key"},
    {"APP", "an application key"},
    {"LICENSE", "a license key"},
    {"CLIENT", "a client key"},
    {"SERVICE", "a service key"},
    {"NONCE", "a secret key"},  // WordPress's NONCE_KEY, one of its eight keys and salts
    {"FERNET", "an encryption key"},  // Airflow's and Superset's FERNET_KEY
    {"HMAC", "a signing key"},
    {"CIPHER", "an encryption key"},
}};

// A word that holds a secret on its own, possibly glued to another (DBPASSWORD, CLIENTSECRET).
std::optional<std::string_view> secret_word_kind(std::string_view word) {
  if (word == "PWD" || word == "PASS") return "a password";
  for (std::string_view password : {"PASSWORD", "PASSWD", "PASSPHRASE", "PASSCODE"})
    if (ends_with(word, password)) return "a password";
  if (word == "PRIVATEKEY") return "a private key";
  if (word == "APIKEY") return "an API key";
  if (word == "ACCESSKEY") return "an access key";
  // Glued to a vendor's name: Mattermost's MM_FILESETTINGS_AMAZONS3SECRETACCESSKEY, AWSSECRETKEY.
  if (ends_with(word, "SECRETKEY") || ends_with(word, "SECRETACCESSKEY")) return "a secret key";
  if (ends_with(word, "TOKEN")) return "a token";
  if (ends_with(word, "SECRET") || word == "SECRETS") return "a secret";
  if (word == "CREDENTIALS" || word == "CREDENTIAL" || word == "CREDS") return "credentials";
  if (word == "SALT") return "a secret salt";
  return std::nullopt;
}

struct ValuePattern {
  const char* pattern;  // group 1 is the credential
  std::string_view kind;
  bool shows_prefix = true;  // whether the credential's first characters help find it
};

// A literal every match of the pattern at the same index contains. Checking for it first keeps
// RE2 (and its internal locking) off the vast majority of values, which match nothing.
constexpr std::array<std::array<std::string_view, 4>, 10> kRequiredLiterals{{
    {"AKIA", "ASIA", "ABIA", "ACCA"},
    {"PRIVATE KEY"},
    {"gh", "github_pat_"},
    {"xox"},
    {"hooks.slack.com"},
    {"k_live_"},
    {"AIza"},
    {"SG."},
    {"npm_"},
    {"eyJ"},
}};

bool might_match(size_t pattern, std::string_view value) {
  for (std::string_view literal : kRequiredLiterals[pattern])
    if (!literal.empty() && value.find(literal) != std::string_view::npos) return true;
  return false;
}

bool contains_ignoring_case(std::string_view text, std::string_view needle) {
  if (needle.size() > text.size()) return false;
  for (size_t i = 0; i + needle.size() <= text.size(); ++i) {
    size_t k = 0;
    while (k < needle.size() && std::tolower(static_cast<unsigned char>(text[i + k])) == needle[k]) ++k;
    if (k == needle.size()) return true;
  }
  return false;
}

constexpr std::array<ValuePattern, 10> kValuePatterns{{
    {R"((?:^|[^A-Z0-9])((?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})(?:$|[^A-Z0-9]))", "an AWS access key ID"},
    {R"((-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----))", "a PEM private key", false},
    {R"((?:^|[^A-Za-z0-9_])((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{22,}))",
     "a GitHub token"},
    {R"((?:^|[^A-Za-z0-9])(xox[abprs]-[A-Za-z0-9-]{10,}))", "a Slack token"},
    {R"(https://hooks\.slack\.com/services/[A-Za-z0-9]+/[A-Za-z0-9]+/([A-Za-z0-9]+))", "a Slack webhook URL"},
    {R"((?:^|[^A-Za-z0-9_])([sr]k_live_[A-Za-z0-9]{20,}))", "a Stripe live secret key"},
    {R"((?:^|[^A-Za-z0-9_-])(AIza[0-9A-Za-z_-]{35}))", "a Google API key"},
    {R"((SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}))", "a SendGrid API key"},
    {R"((?:^|[^A-Za-z0-9_])(npm_[A-Za-z0-9]{36}))", "an npm token"},
    {R"((?:^|[^A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}))", "a JSON Web Token"},
}};

constexpr size_t kPemPrivateKeyPattern = 1;  // kValuePatterns' index of the PEM private key

// Each pattern compiled the first time a value holds its literal: most runs meet a few of them
// (a compile costs as much as matching a thousand values).
const RE2& compiled_value_pattern(size_t index) {
  static std::array<std::once_flag, kValuePatterns.size()> once;
  static std::array<const RE2*, kValuePatterns.size()> patterns{};
  std::call_once(once[index], [index] { patterns[index] = new RE2(kValuePatterns[index].pattern); });
  return *patterns[index];
}

// Whether the PEM block whose BEGIN line is `begin` (a view into `value`) holds a key: a chart's
// values often carry the BEGIN and END lines alone, or with a comment between them, as the shape
// of what to paste there. A key's body is base64, at least one line of it (64 characters); a
// block cut short (no END line) counts as holding one.
bool pem_block_has_body(std::string_view value, std::string_view begin) {
  size_t body_start = static_cast<size_t>(begin.data() - value.data()) + begin.size();
  size_t end = value.find("-----END", body_start);
  if (end == std::string_view::npos) return true;
  size_t base64 = 0;
  for (char c : value.substr(body_start, end - body_start))
    base64 += std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/';
  return base64 >= 32;
}

bool is_masked(std::string_view value) {
  // ***, xxxx, ..., ••• : a value someone already redacted.
  if (value.empty()) return true;
  char first = static_cast<char>(std::tolower(static_cast<unsigned char>(value.front())));
  if (first != '*' && first != 'x' && first != '.' && first != '#' && first != '-') return false;
  return std::all_of(value.begin(), value.end(), [first](char c) {
    return std::tolower(static_cast<unsigned char>(c)) == first;
  });
}

// A URL whose host is the local machine and whose database says it is none
// (`postgresql://user:pass@localhost:5432/dummy`, what umami's build stage sets so that Prisma has a
// URL to read): a value written to be set, not used.
bool is_dummy_local_url(std::string_view value, size_t at_sign) {
  std::string_view rest = value.substr(at_sign + 1);
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return false;
  std::string_view host = rest.substr(0, std::min(rest.find(':'), slash));
  if (host != "localhost" && host != "127.0.0.1" && host != "0.0.0.0") return false;
  std::string_view database = rest.substr(slash + 1);
  database = database.substr(0, database.find_first_of("?#/"));
  for (std::string_view dummy : {"dummy", "placeholder", "fake", "notreal", "not_real", "unused", "build", "dummy_db", "dummydb"})
    if (database.size() == dummy.size() && contains_ignoring_case(database, dummy)) return true;
  return false;
}

// The password in `scheme://user:password@host` or `...;Password=secret;...`, when it is literal.
std::optional<SecretValueMatch> embedded_password(std::string_view value) {
  // Each expression is compiled where it is first needed (most runs never need them).
  re2::StringPiece input(value.data(), value.size());
  re2::StringPiece password;
  bool has_url_credentials = value.find("://") != std::string_view::npos && value.find('@') != std::string_view::npos;
  if (has_url_credentials) {
    static const RE2 url_credentials(R"([A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]*:([^/\s@]+)@)");
    if (RE2::PartialMatch(input, url_credentials, &password)) {
      std::string_view found(password.data(), password.size());
      size_t at_sign = static_cast<size_t>(found.data() - value.data()) + found.size();
      if (!is_secret_placeholder(found) && !is_dummy_local_url(value, at_sign))
        return SecretValueMatch{"a URL with a password", found};
    }
  }
  bool has_password_setting = value.find('=') != std::string_view::npos &&
                              (contains_ignoring_case(value, "password") || contains_ignoring_case(value, "pwd"));
  if (has_password_setting) {
    static const RE2 connection_string(R"((?i)(?:^|;)\s*(?:password|pwd)\s*=\s*([^;]*))");
    if (RE2::PartialMatch(input, connection_string, &password)) {
      std::string_view found = trim(std::string_view(password.data(), password.size()));
      if (!is_secret_placeholder(found)) return SecretValueMatch{"a connection string with a password", found};
    }
  }
  return std::nullopt;
}

// Whether the name holds, in any case, one of the letters every secret-like word has: PASS and
// PWD (passwords), KEY, TOKEN, SECRET, CRED (credentials), SALT. Words are runs of the name's own
// letters, so a name without any of them has no secret-like word: most names (PATH, NODE_VERSION)
// are told so in one pass, without splitting them into words.
bool may_name_secret(std::string_view name) {
  auto upper_at = [&](size_t at) {
    char c = name[at];
    return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
  };
  auto holds = [&](size_t at, std::string_view word) {
    if (name.size() - at < word.size()) return false;
    for (size_t i = 1; i < word.size(); ++i)
      if (upper_at(at + i) != word[i]) return false;
    return true;
  };
  for (size_t at = 0; at < name.size(); ++at) {
    switch (upper_at(at)) {
      case 'P': if (holds(at, "PASS") || holds(at, "PWD")) return true; break;
      case 'K': if (holds(at, "KEY")) return true; break;
      case 'T': if (holds(at, "TOKEN")) return true; break;
      case 'S': if (holds(at, "SECRET") || holds(at, "SALT")) return true; break;
      case 'C': if (holds(at, "CRED")) return true; break;
      default: break;
    }
  }
  return false;
}

}  // namespace

std::optional<std::string_view> secret_like_name(std::string_view name) {
  if (!may_name_secret(name)) return std::nullopt;
  std::vector<std::string> words = name_words(name);
  if (words.empty()) return std::nullopt;
  if (is_one_of(words.back(), kNotSecretLastWords)) return std::nullopt;
  // The shell's PWD/OLDPWD are the working directory, not a password.
  if (words.size() == 1 && (words[0] == "PWD" || words[0] == "OLDPWD")) return std::nullopt;
  // etcd's initial cluster token (ETCD_INITIAL_CLUSTER_TOKEN, a chart's initialClusterToken) names
  // the cluster being bootstrapped, so that members of two clusters never join each other; etcd's
  // documentation calls it an identifier, not a credential. (A join token, k3s's, is one.)
  if (words.size() >= 3 && words[words.size() - 1] == "TOKEN" && words[words.size() - 2] == "CLUSTER" &&
      words[words.size() - 3] == "INITIAL")
    return std::nullopt;

  for (size_t i = 0; i < words.size(); ++i) {
    if ((words[i] == "KEY" || words[i] == "KEYS") && i > 0) {
      for (const KeyQualifier& qualifier : kKeyQualifiers)
        if (words[i - 1] == qualifier.word) return qualifier.kind;
      // WordPress's LOGGED_IN_KEY (wp-config.php's keys, as its images and Beanstalk samples set them).
      if (i > 1 && words[i - 1] == "IN" && words[i - 2] == "LOGGED") return "an authentication key";
      // Rails' ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY and _DETERMINISTIC_KEY (Mastodon requires both):
      // the key's role comes between ENCRYPTION and KEY.
      if (i > 1 && (words[i - 1] == "PRIMARY" || words[i - 1] == "DETERMINISTIC") &&
          std::find(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(i - 1), "ENCRYPTION") !=
              words.begin() + static_cast<std::ptrdiff_t>(i - 1))
        return "an encryption key";
    }
  }
  for (const std::string& word : words)
    if (is_one_of(word, kPasswordWords)) return "a password";
  for (const std::string& word : words)
    if (auto kind = secret_word_kind(word)) return kind;
  return std::nullopt;
}

std::optional<std::string_view> secret_like_value(std::string_view value) {
  if (auto match = match_secret_value(value)) return match->kind;
  return std::nullopt;
}

std::optional<SecretValueMatch> match_secret_value(std::string_view value) {
  re2::StringPiece input(value.data(), value.size());
  // The shortest match of any pattern is a Slack token (`xoxb-` and ten more): most values (a
  // version, a path, a flag) are shorter, and need none of the literal searches.
  constexpr size_t kShortestMatch = 15;
  for (size_t i = 0; i < kValuePatterns.size() && value.size() >= kShortestMatch; ++i) {
    re2::StringPiece found;
    if (!might_match(i, value) || !RE2::PartialMatch(input, compiled_value_pattern(i), &found)) continue;
    // AWS's documentation keys (AKIAIOSFODNN7EXAMPLE) and the like are examples, not leaks.
    std::string_view secret(found.data(), found.size());
    if (upper(secret).find("EXAMPLE") != std::string::npos) continue;
    if (i == kPemPrivateKeyPattern && !pem_block_has_body(value, secret)) continue;
    return SecretValueMatch{kValuePatterns[i].kind, kValuePatterns[i].shows_prefix ? secret : std::string_view()};
  }
  // URLs and connection strings are checked last: their password part may be a placeholder.
  return embedded_password(value);
}

// A value that describes what belongs there in lower-case words: `long-and-random-alpha-numeric-string`
// (docker-gitlab's manifests), `some_random_secret_string`. At least three words, two of them
// about the shape of a value; a weak real password (`super-secret-password`) has none of those.
bool describes_a_value(std::string_view value) {
  static constexpr std::array<std::string_view, 19> kShapeWords{
      "random", "string", "characters", "chars", "alphanumeric", "alpha", "numeric", "generated", "generate",
      "long", "strong", "secure", "some", "something", "here", "value", "hex", "base64", "put"};
  size_t words = 0, shape_words = 0;
  for (size_t start = 0; start <= value.size();) {
    size_t end = value.find_first_of("-_.", start);
    if (end == std::string_view::npos) end = value.size();
    std::string_view word = value.substr(start, end - start);
    if (word.empty() || !std::all_of(word.begin(), word.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
      break;
    ++words;
    shape_words += is_one_of(word, kShapeWords);
    start = end + 1;
    if (start > value.size()) return words >= 3 && shape_words >= 2;
  }
  // Written in camelCase (`someRandomStringWith32Characters`, Laravel apps' .env.example): words
  // start at each capital; a word with digits in it counts as a word but not as a shape word.
  if (value.empty() || !std::all_of(value.begin(), value.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); }) ||
      !std::islower(static_cast<unsigned char>(value.front())))
    return false;
  words = shape_words = 0;
  for (size_t start = 0; start < value.size();) {
    size_t end = start + 1;
    while (end < value.size() && !std::isupper(static_cast<unsigned char>(value[end]))) ++end;
    std::string word = to_lower_ascii(value.substr(start, end - start));
    ++words;
    shape_words += is_one_of(word, kShapeWords);
    start = end;
  }
  return words >= 3 && shape_words >= 2;
}

// A vendor's token prefix followed by a capitalised word instead of the token: `nvapi-NVKEY`,
// `sk-KEY`, `ghp_TOKEN`. Real tokens after such a prefix are long and mixed.
bool prefix_and_capital_word(std::string_view value) {
  static const RE2 shape(R"([a-z]{2,6}[-_][A-Z]{2,12})");
  return RE2::FullMatch(re2::StringPiece(value.data(), value.size()), shape);
}

bool is_secret_placeholder(std::string_view raw) {
  std::string_view value = trim(raw);
  if (value.empty() || is_masked(value)) return true;
  // A PEM block's BEGIN and END lines with no key between them: the shape of what to paste there.
  if (value.starts_with("-----BEGIN ")) {
    size_t first_line = value.find('\n');
    if (first_line != std::string_view::npos && !pem_block_has_body(value, value.substr(0, first_line))) return true;
  }
  if (contains_template_placeholder(value)) return true;
  // The tutum-style sentinel `**Random**` (also `**None**`, `**False**`): the image's start script
  // tests for it and generates the password then (ampache's MYSQL_PASS).
  if (value.size() > 4 && value.starts_with("**") && value.ends_with("**") &&
      std::all_of(value.begin() + 2, value.end() - 2, [](char c) { return std::isalpha(static_cast<unsigned char>(c)); }))
    return true;
  std::string word = upper(value);
  // Secret-store references: the secret lives elsewhere and is resolved at run time.
  for (std::string_view prefix : {"ARN:AWS", "SSM:", "SECRETSMANAGER:", "VAULT:", "ENC[", "/AWS/REFERENCE/SECRETSMANAGER/"})
    if (word.rfind(prefix, 0) == 0) return true;
  static constexpr std::array<std::string_view, 20> kNotValues{
      "TRUE", "FALSE", "YES",     "NO",     "ON",      "OFF",     "NONE",    "NULL",        "NIL",     "0",
      "1",    "TODO", "TBD",      "FIXME",  "DUMMY",   "EXAMPLE", "SAMPLE",  "PLACEHOLDER", "REDACTED", "UNSET"};
  if (is_one_of(word, kNotValues)) return true;
  // CHANGE_ME_ with more after it (CHANGE_ME_PRIVATE_KEY_FROM_CONFIG) says what to put there; a bare
  // `changeme` is a weak default that does get deployed, and stays reported.
  for (std::string_view marker : {"REPLACE", "PLACEHOLDER", "CHANGE_THIS", "CHANGE_ME_", "CHANGE-ME-", "INSERT_",
                                  "FILL_IN", "FILL_ME", "FILL-ME", "YOUR_", "YOUR-"})
    if (word.find(marker) != std::string::npos) return true;
  // The same markers in camelCase or run together: `ChangeThisToASecurePassword!`, `replaceMe`.
  std::string letters;
  for (char c : word)
    if (std::isalnum(static_cast<unsigned char>(c))) letters += c;
  for (std::string_view marker : {"CHANGETHIS", "REPLACEME", "REPLACEWITH", "PUTYOUR", "ENTERYOUR", "INSERTYOUR"})
    if (letters.find(marker) != std::string::npos) return true;
  // An instruction to the reader in words: "Enter the Client Secret of your application" (AWS's
  // own EB samples), "your secret here".
  if (word.find(' ') != std::string::npos &&
      (word.rfind("ENTER ", 0) == 0 || word.rfind("YOUR ", 0) == 0 || word.find(" YOUR ") != std::string::npos))
    return true;
  return describes_a_value(value) || prefix_and_capital_word(value);
}

std::optional<PlaintextSecret> find_plaintext_secret(std::string_view name, std::string_view raw_value, ValueUse use) {
  std::string_view value = trim(raw_value);
  if (value.empty()) return std::nullopt;
  if (auto match = match_secret_value(value))
    return PlaintextSecret{PlaintextSecret::Basis::Value, match->kind, match->secret};
  // From here on only a secret-like name makes a finding: asked first, since most names are not.
  auto kind = secret_like_name(name);
  if (!kind) return std::nullopt;
  if (is_secret_placeholder(value)) return std::nullopt;
  re2::StringPiece input(value.data(), value.size());
  // `access_token: '1 hour'`, `refresh_token: 90d`, `token: 30m`: how long a token lives (Authelia's
  // OIDC lifespans), not a token.
  // `1 hour and 30 minutes`, `1h30m`, `2 days, 4 hours`.
  static const RE2 duration = [] {
    const std::string part =
        R"(\d+(?:\.\d+)?\s*(?:ns|us|µs|ms|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?|months?|y|yrs?|years?))";
    return RE2("(?i)" + part + R"((?:\s*(?:,\s*|and\s+)?)" + part + ")*");
  }();
  if (RE2::FullMatch(input, duration)) return std::nullopt;
  // `jwt,priv-key=/certs/jwt.pem,sign-method=RS256,ttl=10m` (etcd's --auth-token): a token
  // provider's type and options, the key named by its file.
  static const RE2 option_list(R"([a-z][a-z0-9_-]*(?:=[^,\s]*)?(?:,[a-z][a-z0-9_-]*(?:=[^,\s]*)?)+)");
  if (value.find('=') != std::string_view::npos && value.find(',') != std::string_view::npos &&
      RE2::FullMatch(input, option_list))
    return std::nullopt;
  // `secretKey: license`, `accessKey: access_key`: a name ending in Key often says which key of a
  // Kubernetes Secret holds the credential (Helm values, operators' settings). A lowercase
  // identifier is such a key's name; a credential has digits, capitals or other symbols. One that
  // says it is a secret or a password (MinIO's `secretKey: supersecret`) is a weak credential,
  // unless it spells the name itself (`secretAccessKey: secret_access_key`).
  // Under an environment variable's name (AUTH_KEY, all capitals) one lowercase word is the key
  // itself, not a key's name: `AUTH_KEY: test` is WordPress's key, set to a word. A dotted or
  // joined name (`SECRET_KEY: tls.key`) still names a Secret's key.
  bool environment_name = std::none_of(name.begin(), name.end(), [](char c) { return std::islower(static_cast<unsigned char>(c)); });
  bool one_word = value.find_first_of("._-") == std::string_view::npos;
  if (std::vector<std::string> words = name_words(name);
      use != ValueUse::SecretContent && !(environment_name && one_word) && !words.empty() && words.back() == "KEY") {
    static const RE2 key_name(R"([a-z]+(?:[._-][a-z]+)*)");
    auto letters = [](std::string_view text) {
      std::string kept;
      for (char c : text)
        if (std::isalnum(static_cast<unsigned char>(c))) kept += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return kept;
    };
    std::string spelled = letters(value);
    // `changeme` is no key's name: it is the weak default that does get deployed.
    bool says_secret = spelled != letters(name) && (spelled.find("secret") != std::string::npos ||
                                                    spelled.find("passw") != std::string::npos ||
                                                    spelled == "changeme");
    if (value.size() <= 64 && !says_secret && RE2::FullMatch(input, key_name)) return std::nullopt;
  }
  // A value that spells its own name (DB_PASSWORD=DB_PASSWORD, GOOGLE_API_KEY=GOOGLE_API_KEY_VAL,
  // YOUR_API_KEY) is a token a deploy script or a reader replaces. Not a lower-case password under
  // a one-word `password` name (`password: password`, the Jenkins chart's keystore;
  // `password: harbor_registry_password`): a service accepts it as it is, and it is the first one
  // anyone tries. (`token: token` is no usable token: still a placeholder.)
  std::vector<std::string> name_parts = name_words(name);
  bool lower_case_password =
      name_parts.size() == 1 &&
      std::find(kPasswordWords.begin(), kPasswordWords.end(), name_parts.front()) != kPasswordWords.end() &&
      std::none_of(value.begin(), value.end(), [](char c) { return std::isupper(static_cast<unsigned char>(c)); });
  if (!lower_case_password &&
      (upper(value) == upper(name) || (name.size() >= 6 && upper(value).find(upper(name)) != std::string::npos)))
    return std::nullopt;
  // A password hash (htpasswd's bcrypt `user:$2y$10$...`, `$apr1$`, crypt's `$6$`) is what a server
  // checks passwords against, not a password: storing it is how it is meant to be used.
  static const RE2 password_hash(R"((?:^|:)\$(?:2[abxy]|apr1|1|5|6)\$)");
  if (RE2::PartialMatch(re2::StringPiece(value.data(), value.size()), password_hash)) return std::nullopt;
  // DB_PASSWORD=/run/secrets/db, GOOGLE_APPLICATION_CREDENTIALS=/etc/gcp/key.json: where the secret is.
  static const RE2 file_path(R"((?:/|\./|~/)[A-Za-z0-9_.@-]+(?:/[A-Za-z0-9_.@-]+)*/?)");
  if (RE2::FullMatch(re2::StringPiece(value.data(), value.size()), file_path)) return std::nullopt;
  // AWS_SECRET_ACCESS_KEY-shaped: 40 characters of base64 next to a secret-key name.
  static const RE2 aws_secret_key(R"([A-Za-z0-9/+]{40})");
  std::string words = upper(name);
  if (words.find("SECRET") != std::string::npos && words.find("ACCESS") != std::string::npos &&
      RE2::FullMatch(re2::StringPiece(value.data(), value.size()), aws_secret_key))
    return PlaintextSecret{PlaintextSecret::Basis::Name, "an AWS secret access key", value};
  return PlaintextSecret{PlaintextSecret::Basis::Name, *kind, value};
}

std::string mask_secret(std::string_view value) {
  // None of it: the finding's place already says which value it is, and a prefix of a short
  // password is a good part of it. A bare "…" reads like a message cut short: say what is hidden.
  return value.empty() ? "not shown" : fmt::format("{} characters, not shown", value.size());
}

}  // namespace shiftlint::detect
