#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "analyzer/config/config.h"
#include "analyzer/engine/rule.h"

using namespace shiftlint;
namespace fs = std::filesystem;

namespace {

// A fresh folder under the system temp folder, removed with the object.
class TempFolder {
 public:
  TempFolder() {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() /
            ("shiftlint-config-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempFolder() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }
  fs::path write(const std::string& relative, const std::string& text) const {
    fs::path file = path_ / relative;
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
    return file;
  }

 private:
  fs::path path_;
};

std::variant<Config, ConfigError> load_text(const TempFolder& folder, const std::string& text) {
  return load_config_file(folder.write(".shiftlint.yaml", text).string());
}

// "line:col: message" of the error loading `text`, or "loaded" when it loads.
std::string error_of(const std::string& text) {
  TempFolder folder;
  auto loaded = load_text(folder, text);
  const auto* error = std::get_if<ConfigError>(&loaded);
  if (!error) return "loaded";
  return std::to_string(error->position.line) + ":" + std::to_string(error->position.column) +
         ": " + error->message;
}

}  // namespace

TEST_CASE("config: a full valid config loads") {
  TempFolder folder;
  auto loaded = load_text(folder,
                          "# comment\n"
                          "target: fargate\n"
                          "select: [ALL]\n"
                          "ignore: [ECS107]\n"
                          "severity: {DKR003: warning, nofile-ulimit-missing: error}\n"
                          "rules:\n"
                          "  ECS001: {min_nofile: 65535}\n"
                          "exclude: [\"vendor/**\", \"**/testdata/**\"]\n"
                          "helm: {values: [values-prod.yaml], set: {image.tag: \"1.2.3\"}}\n"
                          "terraform: {var_files: [prod.tfvars]}\n"
                          "apps:\n"
                          "  - {name: web, dockerfile: docker/web/Dockerfile}\n"
                          "suppress:\n"
                          "  - {rule: ECS001, path: \"ecs/legacy-*.json\", reason: \"EC2 launch type\"}\n"
                          "today: \"2025-06-30\"\n");
  const auto* error = std::get_if<ConfigError>(&loaded);
  INFO((error ? error->to_string() : std::string()));
  REQUIRE(error == nullptr);
  Config config = std::move(std::get<Config>(loaded));
  CHECK(config.path == (folder.path() / ".shiftlint.yaml").string());
  CHECK(config.directory() == folder.path().string());
  CHECK(config.target == Target::Fargate);
  CHECK(config.select == std::vector<std::string>{"ALL"});
  CHECK(config.ignore == std::vector<std::string>{"ECS107"});
  REQUIRE(config.severity.size() == 2);
  CHECK(config.severity.at("DKR003") == Severity::Warning);
  CHECK(config.severity.at("nofile-ulimit-missing") == Severity::Error);
  REQUIRE(config.rule_options.count("ECS001") == 1);
  CHECK(RuleOptions(config.rule_options.at("ECS001")).integer("min_nofile", 0) == 65535);
  CHECK(config.exclude == std::vector<std::string>{"vendor/**", "**/testdata/**"});
  REQUIRE(config.helm != nullptr);
  CHECK(config.helm->find("values") != nullptr);
  REQUIRE(config.terraform != nullptr);
  REQUIRE(config.apps != nullptr);
  CHECK(config.apps->children.size() == 1);
  REQUIRE(config.app_mappings.size() == 1);
  CHECK(config.app_mappings[0].name == "web");
  CHECK(config.app_mappings[0].dockerfiles == std::vector<std::string>{"docker/web/Dockerfile"});
  CHECK(config.app_mappings[0].span.begin.line == 12);
  REQUIRE(config.suppress.size() == 1);
  CHECK(config.suppress[0].rule == "ECS001");
  CHECK(config.suppress[0].path_glob == "ecs/legacy-*.json");
  CHECK(config.suppress[0].reason == "EC2 launch type");
  CHECK(config.suppress[0].span.begin == Position{14, 5});
  CHECK(config.today == "2025-06-30");

  // A copy's option nodes point into the copy's own tree, so it outlives the original.
  Config copy;
  {
    Config original = config;
    copy = original;
  }
  REQUIRE(copy.rule_options.at("ECS001") != config.rule_options.at("ECS001"));
  CHECK(RuleOptions(copy.rule_options.at("ECS001")).integer("min_nofile", 0) == 65535);
  CHECK(copy.helm->find("values") != nullptr);
}

TEST_CASE("config: an empty or comment-only config gives the defaults") {
  CHECK(error_of("") == "loaded");
  TempFolder folder;
  auto loaded = load_text(folder, "# nothing configured yet\n");
  REQUIRE(std::holds_alternative<Config>(loaded));
  const Config& config = std::get<Config>(loaded);
  CHECK(config.target == Target::Auto);
  CHECK(config.select == std::vector<std::string>{"ALL"});
  CHECK(config.ignore.empty());
  CHECK_FALSE(config.today.has_value());
  CHECK(config.helm == nullptr);
}

TEST_CASE("config: select and ignore accept ids, slugs, families, prefixes and comma strings") {
  TempFolder folder;
  auto loaded = load_text(folder,
                          "select: \"ECS, DKR001,K8S , nofile-ulimit-missing\"\n"
                          "ignore: [ECS1, SL, XF003]\n");
  const auto* error = std::get_if<ConfigError>(&loaded);
  INFO((error ? error->to_string() : std::string()));
  REQUIRE(error == nullptr);
  const Config& config = std::get<Config>(loaded);
  CHECK(config.select == std::vector<std::string>{"ECS", "DKR001", "K8S", "nofile-ulimit-missing"});
  CHECK(config.ignore == std::vector<std::string>{"ECS1", "SL", "XF003"});
  CHECK(error_of("select: [all]\n") == "loaded");
  CHECK(error_of("select:\n") == "loaded");
}

TEST_CASE("config: every error names its line and column") {
  CHECK(error_of("selct: [ALL]\n") == "1:1: unknown key \"selct\": did you mean \"select\"?");
  CHECK(error_of("target: fargate\nfrobnicate: 1\n") ==
        "2:1: unknown key \"frobnicate\" (expected one of: target, select, ignore, severity, "
        "rules, exclude, suppress, today, helm, terraform, apps, limits, respect_gitignore)");
  CHECK(error_of("respect_gitignore: 0\n") == "1:20: respect_gitignore must be true or false, not 0");
  CHECK(error_of("target: lambda\n") ==
        "1:9: target must be one of fargate, ec2, eks, auto, not \"lambda\"");
  CHECK(error_of("target: [fargate]\n") ==
        "1:9: target must be one of fargate, ec2, eks, auto, not a list");
  CHECK(error_of("select: {ECS001: true}\n") ==
        "1:9: select must be a list of rule ids, slugs, families or ALL");
  CHECK(error_of("select: [ECS001, 12]\n") ==
        "1:18: select entries must be rule ids, slugs, families or ALL, not 12");
  CHECK(error_of("select:\n  - ECS001\n  - NOPE001\n") ==
        "3:5: unknown rule \"NOPE001\" in select (see `shiftlint rules`)");
  CHECK(error_of("ignore: \"ECS001, BOGUS\"\n") ==
        "1:18: unknown rule \"BOGUS\" in ignore (see `shiftlint rules`)");
  CHECK(error_of("ignore: [ECS0001]\n") ==
        "1:10: unknown rule \"ECS0001\" in ignore (see `shiftlint rules`)");
  CHECK(error_of("severity: {ECS001: critical}\n") ==
        "1:20: severity of ECS001 must be error, warning or note, not \"critical\"");
  CHECK(error_of("severity:\n  ECS: error\n") ==
        "2:3: unknown rule \"ECS\" in severity (use a rule id such as ECS001, or its slug)");
  CHECK(error_of("severity: [ECS001]\n") ==
        "1:11: severity must be a mapping of rule id to error, warning or note");
  CHECK(error_of("rules:\n  ECS001: 5\n") ==
        "2:11: options of ECS001 must be a mapping (e.g. {min_nofile: 65535})");
  CHECK(error_of("rules:\n  no-such-rule: {x: 1}\n") ==
        "2:3: unknown rule \"no-such-rule\" in rules (use a rule id such as ECS001, or its slug)");
  CHECK(error_of("exclude: [vendor, 3]\n") == "1:19: exclude must be a list of paths or globs");
  CHECK(error_of("suppress:\n  - {rule: ECS001}\n") == "2:5: a suppress entry needs a path");
  CHECK(error_of("suppress:\n  - path: x\n    reason: old\n") == "2:5: a suppress entry needs a rule");
  CHECK(error_of("suppress:\n  - {rule: ECS001, path: x, why: y}\n") ==
        "2:29: unknown key \"why\" in a suppress entry (expected rule, path, reason)");
  CHECK(error_of("suppress:\n  - {rule: NOPE, path: x}\n") ==
        "2:12: unknown rule \"NOPE\" in suppress");
  CHECK(error_of("suppress: {rule: ECS001}\n") ==
        "1:11: suppress must be a list of {rule: ID, path: GLOB, reason: TEXT} entries");
  CHECK(error_of("today: 2025-02-30\n") ==
        "1:8: today must be a date written YYYY-MM-DD, not \"2025-02-30\"");
  CHECK(error_of("helm: [values.yaml]\n") == "1:7: helm must be a mapping of settings");
  CHECK(error_of("apps: {name: web}\n") ==
        "1:7: apps must be a list of apps ({name: ..., dockerfile: ..., ...})");
  CHECK(error_of("apps:\n  - web\n") ==
        "2:5: an apps entry must be a mapping {name: ..., dockerfile: ..., task_definition: ..., kubernetes: ..., "
        "ebextensions: ..., image: ...}, not \"web\"");
  CHECK(error_of("apps:\n  - {dockerfile: Dockerfile}\n") == "2:5: an apps entry needs a name");
  CHECK(error_of("apps:\n  - {name: web, dockerfiles: Dockerfile}\n") ==
        "2:17: unknown key \"dockerfiles\" in an apps entry (known: name, dockerfile, task_definition, kubernetes, "
        "ebextensions, image)");
  CHECK(error_of("apps:\n  - {name: web, task_definition: {a: 1}}\n") ==
        "2:34: task_definition of an app must be a path or a list of paths");
  CHECK(error_of("apps:\n  - {name: web}\n  - {name: web}\n") == "3:5: two apps entries are named \"web\"");
  CHECK(error_of("apps:\n  - {name: 3}\n") == "2:12: the name of an app must be a string, not 3");
  CHECK(error_of("- target\n") == "1:1: the config must be a mapping of settings (key: value)");
  CHECK(error_of("target: ec2\n---\ntarget: eks\n") ==
        "3:1: the config file must hold one YAML document (found a second `---`)");
}

TEST_CASE("config: YAML errors keep their line") {
  CHECK(error_of("target: fargate\nselect: [ALL\n") == "3:1: expected ',' or ']' in a flow sequence");
  CHECK(error_of("target: ec2\ntarget: eks\n") ==
        "2:1: duplicate key \"target\" (first defined at line 1): YAML requires unique keys and readers differ on which value wins (most keep the last, so the first is lost); keep one");
}

TEST_CASE("config: errors print as path:line:col: message") {
  ConfigError error{"ci/.shiftlint.yaml", {3, 7}, "unknown key \"x\""};
  CHECK(error.to_string() == "ci/.shiftlint.yaml:3:7: unknown key \"x\"");
  auto missing = load_config_file("/nonexistent/folder/.shiftlint.yaml");
  REQUIRE(std::holds_alternative<ConfigError>(missing));
  CHECK(std::get<ConfigError>(missing).to_string().rfind(
            "/nonexistent/folder/.shiftlint.yaml: cannot read the config file", 0) == 0);
}

TEST_CASE("config: registered rule slugs are accepted everywhere") {
  for (const Rule* rule : registered_rules()) {
    INFO(rule->id << " " << rule->slug);
    std::string slug(rule->slug);
    CHECK(error_of("select: [" + slug + "]\nseverity: {" + slug + ": note}\nrules: {" + slug +
                   ": {}}\n") == "loaded");
  }
}

TEST_CASE("config: find_config_file walks upward from a file or a folder") {
  TempFolder folder;
  fs::path config = folder.write("repo/.shiftlint.yaml", "target: ec2\n");
  folder.write("repo/services/web/ecs/task.json", "{}");
  const fs::path web = folder.path() / "repo/services/web";

  CHECK(find_config_file(web.string()) == config.string());
  CHECK(find_config_file((web / "ecs/task.json").string()) == config.string());
  CHECK(find_config_file((web / "ecs/").string()) == config.string());
  CHECK(find_config_file((folder.path() / "repo").string()) == config.string());

  // The nearest one wins; `.yml` is found too; `.yaml` wins over `.yml` in one folder.
  fs::path nearer = folder.write("repo/services/.shiftlint.yml", "target: eks\n");
  CHECK(find_config_file(web.string()) == nearer.string());
  fs::path both = folder.write("repo/services/.shiftlint.yaml", "target: eks\n");
  CHECK(find_config_file(web.string()) == both.string());

  // Nothing at or above the temp folder belongs to this test.
  std::string outside = find_config_file(folder.path().string());
  CHECK(outside.find(folder.path().string()) == std::string::npos);
}

TEST_CASE("config: limits replace the safe defaults, and bad ones name their line") {
  TempFolder folder;
  auto loaded = load_text(folder, "limits:\n  max_file_size: 1048576\n  max_nesting_depth: 64\n  max_nodes: 1000\n");
  REQUIRE(std::holds_alternative<Config>(loaded));
  const Config& config = std::get<Config>(loaded);
  CHECK(config.limits.max_file_bytes == 1048576u);
  CHECK(config.limits.max_nesting_depth == 64u);
  CHECK(config.limits.max_nodes == 1000u);
  CHECK(error_of("limits:\n  max_file_size: 0\n") ==
        "2:18: limits.max_file_size must be a whole number from 1 to 1099511627776, not 0");
  CHECK(error_of("limits:\n  max_file_size: big\n") ==
        "2:18: limits.max_file_size must be a whole number from 1 to 1099511627776, not \"big\"");
  CHECK(error_of("limits:\n  max_depth: 3\n") ==
        "2:3: unknown key limits.max_depth (known: max_file_size in bytes, max_nesting_depth, max_nodes)");
  CHECK(error_of("limits: 12\n") == "1:9: limits must be a mapping (max_file_size, max_nesting_depth, max_nodes)");
}
