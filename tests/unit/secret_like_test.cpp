#include <catch2/catch.hpp>

#include "analyzer/detect/secret_like.h"

using namespace shiftlint::detect;

TEST_CASE("secret_like: names that hold a secret") {
  CHECK(secret_like_name("DB_PASSWORD") == "a password");
  CHECK(secret_like_name("MYSQL_ROOT_PASSWORD") == "a password");
  CHECK(secret_like_name("dbPassword") == "a password");
  CHECK(secret_like_name("REDIS_PASS") == "a password");
  CHECK(secret_like_name("SMTP_PASSWD") == "a password");
  CHECK(secret_like_name("DBPASSWORD") == "a password");
  CHECK(secret_like_name("SECRET_KEY_BASE") == "a secret key");
  CHECK(secret_like_name("DJANGO_SECRET_KEY") == "a secret key");
  CHECK(secret_like_name("AWS_SECRET_ACCESS_KEY") == "an access key");
  CHECK(secret_like_name("STRIPE_API_KEY") == "an API key");
  CHECK(secret_like_name("SENDGRID_APIKEY") == "an API key");
  // A secret key glued to its vendor's name: Mattermost's S3 settings.
  CHECK(secret_like_name("MM_FILESETTINGS_AMAZONS3SECRETACCESSKEY") == "a secret key");
  CHECK(secret_like_name("AWSSECRETKEY") == "a secret key");
  CHECK_FALSE(secret_like_name("MM_FILESETTINGS_AMAZONS3ACCESSKEYID"));
  CHECK(secret_like_name("APP_KEY") == "an application key");
  CHECK(secret_like_name("NEW_RELIC_LICENSE_KEY") == "a license key");
  CHECK(secret_like_name("JWT_PRIVATE_KEY") == "a private key");
  CHECK(secret_like_name("GITHUB_TOKEN") == "a token");
  CHECK(secret_like_name("AWS_SESSION_TOKEN") == "a token");
  CHECK(secret_like_name("slackBotToken") == "a token");
  CHECK(secret_like_name("OAUTH_CLIENT_SECRET") == "a secret");
  CHECK(secret_like_name("GOOGLE_APPLICATION_CREDENTIALS_JSON") == "credentials");
  CHECK(secret_like_name("AUTH_SALT") == "a secret salt");
  // Any case, any separator: every word a secret-like name needs is found where it is.
  CHECK(secret_like_name("db.pwd") == "a password");
  CHECK(secret_like_name("x-PassPhrase") == "a password");
  CHECK(secret_like_name("api-key") == "an API key");
  CHECK(secret_like_name("PrivateKey") == "a private key");
  CHECK(secret_like_name("registry_creds") == "credentials");
  CHECK(secret_like_name("hashSalt") == "a secret salt");
  CHECK(secret_like_name("ClientSecret") == "a secret");
  CHECK(secret_like_name("refresh.token") == "a token");
  // WordPress's eight keys and salts, as its images and Beanstalk samples set them.
  for (const char* name : {"AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY", "WORDPRESS_LOGGED_IN_KEY",
                           "AUTH_SALT", "SECURE_AUTH_SALT", "LOGGED_IN_SALT", "NONCE_SALT"}) {
    INFO(name);
    CHECK(secret_like_name(name));
  }
  // Rails' Active Record encryption keys (Mastodon 4.3 requires them), Fernet keys (Airflow, Superset).
  CHECK(secret_like_name("ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY") == "an encryption key");
  CHECK(secret_like_name("ACTIVE_RECORD_ENCRYPTION_DETERMINISTIC_KEY") == "an encryption key");
  CHECK(secret_like_name("ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT"));
  CHECK(secret_like_name("FERNET_KEY") == "an encryption key");
  CHECK(secret_like_name("AIRFLOW__CORE__FERNET_KEY") == "an encryption key");
  CHECK(secret_like_name("HMAC_KEY") == "a signing key");
}

TEST_CASE("secret_like: names about a secret are not secrets") {
  for (const char* name : {"AWS_ACCESS_KEY_ID", "DB_PASSWORD_FILE", "AIRFLOW__CORE__FERNET_KEY_CMD",
                           "DB_PASSWORD_COMMAND", "SECRET_ARN", "TOKEN_URL", "PASSWORD_MIN_LENGTH",
                           "JWT_TOKEN_TTL", "SECRETS_MANAGER_ENDPOINT", "PUBLIC_KEY", "STRIPE_PUBLISHABLE_KEY",
                           "KEY_ID", "PWD", "OLDPWD", "SESSION_TIMEOUT", "DATABASE_URL", "TOKENIZERS_PARALLELISM",
                           "SECRET_NAME", "API_KEY_HEADER", "PATH", "HOME", "RAILS_ENV", "CACHE_KEY_PREFIX",
                           "PASSWORD_RESET_TOKEN_EXPIRY", "", "_", "NODE_VERSION", "KEYBOARD_LAYOUT", "P", "CRE",
                           "SAL_T", "PAS_S", "WEB_AUTHENTICATION_TOKEN_VALIDITY_TIME",
                           "SESSION_TOKEN_REFRESH_INTERVAL", "API_KEY_ROTATION_PERIOD", "TOKEN_DURATION",
                           "PASSWORD_RETRY_DELAY", "LOGGED_IN", "IN_KEY", "PRIMARY_KEY", "DB_PRIMARY_KEY",
                           "DETERMINISTIC_KEY"}) {
    INFO(name);
    CHECK_FALSE(secret_like_name(name));
  }
}

TEST_CASE("secret_like: values that are credentials by their shape") {
  CHECK(secret_like_value("AKIA2E0A8F3B244C9986") == "an AWS access key ID");
  CHECK(secret_like_value("ASIAY34FZKBOKMUTVV7A") == "an AWS access key ID");
  CHECK(secret_like_value("-----BEGIN RSA PRIVATE KEY-----\nMIIEow...") == "a PEM private key");
  CHECK(secret_like_value("-----BEGIN OPENSSH PRIVATE KEY-----") == "a PEM private key");
  CHECK(secret_like_value("-----BEGIN PRIVATE KEY-----") == "a PEM private key");
  CHECK(secret_like_value("ghp_R8mVq2Lx7KcT4nW9bZ3yH6jD1fP0sA5gE2uQ") == "a GitHub token");
  CHECK(secret_like_value("github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuv") == "a GitHub token");
  CHECK(secret_like_value("xoxb-2048573620-7719283746-Zq8rT3vWm2nL5kP9") == "a Slack token");
  // The shortest value any pattern matches (values shorter than it skip the patterns).
  CHECK(secret_like_value("xoxb-2048573620") == "a Slack token");
  CHECK_FALSE(secret_like_value("xoxb-204857362"));
  CHECK(secret_like_value("https://hooks.slack.com/services/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") ==
        "a Slack webhook URL");
  CHECK(secret_like_value("sk_live_51H7qYvKz3mXw9Lp2Rt8Nc4Bd") == "a Stripe live secret key");
  CHECK(secret_like_value("AIzaSyD4x9Q2mT7vL1pR8kN3wB6cF0hJ5gY2sE9") == "a Google API key");
  CHECK(secret_like_value("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ3b3JrZXIiLCJyb2xlIjoiYWRtaW4ifQ.dBjftJeZ4CVPmB92K27uhbUJU1p1rwW1gFWFOEjXk") ==
        "a JSON Web Token");
  CHECK(secret_like_value("postgres://shop:S3cure-pw@db.internal:5432/shop") == "a URL with a password");
  CHECK(secret_like_value("redis://:hunter22@cache:6379/0") == "a URL with a password");
  // On the local machine, but a real database: still a password.
  CHECK(secret_like_value("postgresql://app:S3cure-pw@localhost:5432/app") == "a URL with a password");
  CHECK(secret_like_value("Server=sql;Database=shop;User Id=app;Password=Tr0ub4dor;") ==
        "a connection string with a password");
}

TEST_CASE("secret_like: values that only look like credentials") {
  for (const char* value : {"AKIAIOSFODNN7EXAMPLE", "postgres://shop:${DB_PASSWORD}@db:5432/shop",
                            "postgres://shop@db:5432/shop", "https://user:<password>@host/", "mysql://app:****@db/app",
                            "Server=sql;Password=;", "Server=sql;Password=%DB_PASSWORD%", "sk_test_51H7qYvKz3mXw9Lp2Rt8Nc4Bd",
                            "https://example.com:8443/path", "production", "1.25", "AKIA-not-a-key",
                            // umami's build stage: a URL only for the build to read
                            "postgresql://user:pass@localhost:5432/dummy", "mysql://root:secret@127.0.0.1/placeholder"}) {
    INFO(value);
    CHECK_FALSE(secret_like_value(value));
  }
}

TEST_CASE("secret_like: placeholders and references") {
  for (const char* value : {"", "  ", "${DB_PASSWORD}", "{{ .Values.db.password }}", "<your-password>", "REPLACE_ME",
                            "replace-me", "xxx", "XXXXXXXX", "***", "dummy", "example", "TODO", "your_api_key_here",
                            "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf",
                            "arn:aws:ssm:eu-west-1:123456789012:parameter/prod/db/password", "ssm:/prod/db/password",
                            "ENC[AES256_GCM,data:abc,type:str]", "true", "false", "DB_PASSWORD_PLACEHOLDER",
                            "fill_me_in", "Enter the Client Secret of your application", "your secret here",
                            "long-and-random-alpha-numeric-string", "some_random_secret_string", "nvapi-NVKEY",
                            "ghp_TOKEN", "sk-KEY", "**Random**", "**None**",
                            // camelCase (a Laravel app's .env.example)
                            "someRandomStringWith32Characters", "ChangeThisToASecurePassword!", "replaceMe"}) {
    INFO(value);
    CHECK(is_secret_placeholder(value));
  }
  for (const char* value : {"changeme", "password", "hunter2", "S3cure-pw", "Pa$$w0rd", "correct horse battery staple",
                            "enter-sandman-1991", "super-secret-password", "random-string",
                            "correct-horse-battery-staple", "nvapi-Xk29fLq8", "sk-proj-Ab12Cd34Ef56", "**pa55**",
                            "randomString", "myStrongPassword1", "kJ8sRandomQzX2"}) {
    INFO(value);
    CHECK_FALSE(is_secret_placeholder(value));
  }
}

TEST_CASE("secret_like: name and value together") {
  auto by_name = find_plaintext_secret("DB_PASSWORD", "S3cure-pw");
  REQUIRE(by_name);
  CHECK(by_name->basis == PlaintextSecret::Basis::Name);
  CHECK(by_name->kind == "a password");

  // A weak default is still a literal password that gets deployed.
  CHECK(find_plaintext_secret("ADMIN_PASSWORD", "changeme"));
  // Not the name of a Secret's key either (`secretKey: license` is): the default WordPress ships.
  CHECK(find_plaintext_secret("authKey", "changeme"));
  CHECK_FALSE(find_plaintext_secret("authKey", "auth-key"));
  // An environment variable's name holds the key itself, even a word (AWS's WordPress sample).
  CHECK(find_plaintext_secret("AUTH_KEY", "test"));
  CHECK(find_plaintext_secret("LOGGED_IN_KEY", "changeme"));

  auto by_value = find_plaintext_secret("AWS_ACCESS_KEY_ID", "AKIA2E0A8F3B244C9986");
  REQUIRE(by_value);
  CHECK(by_value->basis == PlaintextSecret::Basis::Value);
  CHECK(by_value->kind == "an AWS access key ID");

  CHECK(find_plaintext_secret("AWS_SECRET_ACCESS_KEY", "q8Xv2Lr5Tn9Wm3Kp7Bz4Hc1Jd6Fg0Ys2Ue8Ni5R/")->kind ==
        "an AWS secret access key");
  CHECK(find_plaintext_secret("DATABASE_URL", "mysql://app:Tr0ub4dor@db/app")->kind == "a URL with a password");

  CHECK_FALSE(find_plaintext_secret("DB_PASSWORD", "${DB_PASSWORD}"));
  CHECK_FALSE(find_plaintext_secret("DB_PASSWORD", "DB_PASSWORD"));
  CHECK_FALSE(find_plaintext_secret("PASSWORD", "PASSWORD"));
  // A lower-case one-word name repeated is a password people deploy (the Jenkins chart's keystore).
  CHECK(find_plaintext_secret("password", "password").has_value());
  CHECK(find_plaintext_secret("password", "harbor_registry_password").has_value());
  CHECK_FALSE(find_plaintext_secret("token", "token"));  // no service takes it: a placeholder
  CHECK_FALSE(find_plaintext_secret("GOOGLE_API_KEY", "GOOGLE_API_KEY_VAL"));
  CHECK_FALSE(find_plaintext_secret("htpasswd", "registry:$2y$10$9L4Tc0DJbFFMB6RdSCunrOpTHdwhid4ktBJmLD00bYgqkkGOvll3m"));
  CHECK_FALSE(find_plaintext_secret("tsigSecretAlg", "hmac-sha256"));
  CHECK_FALSE(find_plaintext_secret("masterKeyIps", "0.0.0.0/0"));
  CHECK_FALSE(find_plaintext_secret("api_key", "your-api_key-here"));
  CHECK(find_plaintext_secret("PASS", "PASS_2024"));  // names under 6 characters are not searched for
  CHECK_FALSE(find_plaintext_secret("DB_PASSWORD", ""));
  CHECK_FALSE(find_plaintext_secret("DB_PASSWORD_FILE", "/run/secrets/db"));
  // Airflow's _CMD settings hold the command that prints the secret.
  CHECK_FALSE(find_plaintext_secret("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_CMD", "cat /opt/secrets/connection"));
  CHECK_FALSE(find_plaintext_secret("DATABASE_URL", "mysql://app@db/app"));
  CHECK_FALSE(find_plaintext_secret("LOG_LEVEL", "info"));
  CHECK_FALSE(find_plaintext_secret("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"));

  // Chart values that name the key of a Kubernetes Secret (vault's enterpriseLicense.secretKey, the
  // EBS CSI driver's awsAccessSecret.accessKey) or a helper that fetches credentials (kyverno).
  CHECK_FALSE(find_plaintext_secret("secretKey", "license"));
  CHECK_FALSE(find_plaintext_secret("accessKey", "access_key"));
  CHECK_FALSE(find_plaintext_secret("SECRET_KEY", "tls.key"));
  CHECK_FALSE(find_plaintext_secret("credentialHelpers", "amazon"));
  CHECK(find_plaintext_secret("secretKey", "9f8a7c6e5d4b3a2f1e0d"));
  CHECK(find_plaintext_secret("SECRET_KEY", "django-insecure-K8x!2vq"));
  CHECK(find_plaintext_secret("apiKey", "Xq7hT2mLp9"));
  CHECK(find_plaintext_secret("password", "license"));  // only names ending in Key name a key
  // A placeholder that says what goes there; a bare `changeme` stays a weak default (above).
  CHECK_FALSE(find_plaintext_secret("privateKey", "CHANGE_ME_PRIVATE_KEY_FROM_CONFIG"));
  // A lowercase value under a Key name that says it is a secret is a weak credential (MinIO's
  // `secretKey: supersecret`), unless it spells the name (the key inside a Secret).
  CHECK(find_plaintext_secret("secretKey", "supersecret"));
  CHECK(find_plaintext_secret("accessKey", "my-password"));
  CHECK_FALSE(find_plaintext_secret("secretAccessKey", "secret_access_key"));
  CHECK_FALSE(find_plaintext_secret("secretKey", "secret-key"));
  // Known to be a Secret's content (a chart value rendered into its data), a lowercase word is the
  // credential itself: MinIO's `secretKey: minioadmin`.
  CHECK_FALSE(find_plaintext_secret("secretKey", "minioadmin"));
  CHECK(find_plaintext_secret("secretKey", "minioadmin", ValueUse::SecretContent));
  CHECK(find_plaintext_secret("accessKey", "access_key", ValueUse::SecretContent));
  // What is not about a secret by its name stays unreported, wherever it is rendered.
  CHECK_FALSE(find_plaintext_secret("username", "minioadmin", ValueUse::SecretContent));
  CHECK_FALSE(find_plaintext_secret("secretKey", "", ValueUse::SecretContent));
}

TEST_CASE("secret_like: settings about a token are not tokens") {
  // How long a token lives (Authelia's OIDC lifespans).
  for (const char* lifespan : {"1 hour", "90d", "1h30m", "30 minutes", "2.5h", "1 week", "1 hour and 30 minutes", "2 days, 4 hours"}) {
    INFO(lifespan);
    CHECK_FALSE(find_plaintext_secret("access_token", lifespan));
  }
  CHECK(find_plaintext_secret("access_token", "1hour2day3x"));
  // etcd's --auth-token: the provider and its options, the key named by its file.
  CHECK_FALSE(find_plaintext_secret("ETCD_AUTH_TOKEN",
                                    "jwt,priv-key=/opt/bitnami/etcd/certs/token/jwt-token.pem,sign-method=RS256,ttl=10m"));
  CHECK(find_plaintext_secret("ETCD_AUTH_TOKEN", "Xk29,fLq8=zz"));
  // etcd's initial cluster token names the cluster; k3s's join token is a credential.
  CHECK_FALSE(find_plaintext_secret("initialClusterToken", "etcd-cluster-k8s"));
  CHECK_FALSE(find_plaintext_secret("ETCD_INITIAL_CLUSTER_TOKEN", "etcd-cluster-k8s"));
  CHECK(find_plaintext_secret("K3S_CLUSTER_TOKEN", "etcd-cluster-k8s"));
}

TEST_CASE("secret_like: a PEM block without a key between its lines is a placeholder") {
  const std::string empty = "-----BEGIN RSA PRIVATE KEY-----\n-----END RSA PRIVATE KEY-----\n";
  CHECK_FALSE(find_plaintext_secret("privateKey", empty));
  CHECK_FALSE(find_plaintext_secret("config", "key: |\n" + empty));
  CHECK_FALSE(find_plaintext_secret("privateKey", "-----BEGIN PRIVATE KEY-----\n# paste the key here\n-----END PRIVATE KEY-----"));
  const std::string key = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\n"
                          "-----END PRIVATE KEY-----\n";
  REQUIRE(find_plaintext_secret("config", key));
  CHECK(find_plaintext_secret("config", key)->kind == "a PEM private key");
  CHECK(find_plaintext_secret("privateKey", key));
  // Cut short (no END line): still a key.
  CHECK(find_plaintext_secret("config", "-----BEGIN PRIVATE KEY-----\nMIIEvQ"));
}

TEST_CASE("secret_like: masking shows none of a secret, only its length") {
  CHECK(mask_secret("AKIA2E0A8F3B244C9986") == "20 characters, not shown");
  CHECK(mask_secret("S3cure-pw") == "9 characters, not shown");  // a prefix was a quarter of a short password
  CHECK(mask_secret("hunter2") == "7 characters, not shown");
  CHECK(mask_secret("") == "not shown");
}

TEST_CASE("secret_like: a file path names where the secret is") {
  CHECK_FALSE(find_plaintext_secret("GOOGLE_APPLICATION_CREDENTIALS", "/etc/gcp/service-account.json"));
  CHECK_FALSE(find_plaintext_secret("DB_PASSWORD", "/run/secrets/db_password"));
  CHECK(find_plaintext_secret("DB_PASSWORD", "/not a path"));
}

TEST_CASE("secret_like: the credential inside a value is what gets masked") {
  auto url = find_plaintext_secret("DATABASE_URL", "postgres://shop:S3cure-pw@db.internal:5432/shop");
  REQUIRE(url);
  CHECK(url->secret == "S3cure-pw");
  auto webhook = match_secret_value("https://hooks.slack.com/services/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");
  REQUIRE(webhook);
  CHECK(webhook->secret == "q9W8e7R6t5Y4u3I2o1P0a9S8");
  auto pem = match_secret_value("-----BEGIN RSA PRIVATE KEY-----");
  REQUIRE(pem);
  CHECK(pem->secret.empty());
  CHECK(find_plaintext_secret("DB_PASSWORD", "  hunter22  ")->secret == "hunter22");
  CHECK(find_plaintext_secret("CONN", "Server=sql;Password= Tr0ub4dor ;")->secret == "Tr0ub4dor");
}
