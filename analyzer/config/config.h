#pragma once
// `.shiftlint.yaml`: which rules run, at which severity, with which options, on which files.
// A bad config is a usage error (exit 2) with the exact line:col, never silently ignored.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "analyzer/config/target.h"
#include "analyzer/engine/severity.h"
#include "analyzer/model/located_tree.h"
#include "analyzer/source/source_file.h"

namespace shiftlint {

struct SuppressEntry {
  std::string rule;       // id or slug, as written
  std::string path_glob;  // gitignore-style, relative to the config's directory
  std::string reason;
  Span span;  // where in the config
};

// An `apps:` entry: files that belong to one app, for the cross-file (XF) rules. Paths are
// relative to the config file's folder; a folder stands for every file under it.
struct AppMapping {
  std::string name;
  std::vector<std::string> dockerfiles;       // `dockerfile:` (a path or a list)
  std::vector<std::string> task_definitions;  // `task_definition:` (JSON, CloudFormation, Terraform)
  std::vector<std::string> kubernetes;        // `kubernetes:` manifests or their folders
  std::vector<std::string> bundles;           // `ebextensions:` the EB bundle (.ebextensions or its folder)
  std::vector<std::string> images;            // `image:` image repositories that run this app
  Span span;  // the entry in the config
};

struct Config {
  std::string path;                        // the config file ("" when none was found)
  std::shared_ptr<const SourceFile> file;  // kept alive: rule option nodes point into it
  std::vector<Node> roots;                 // the parsed document (keeps option nodes alive)
  Target target = Target::Auto;
  std::vector<std::string> select{"ALL"};  // ids, slugs or families, or ALL
  std::vector<std::string> ignore;
  std::map<std::string, Severity> severity;         // key as written (id or slug)
  std::map<std::string, const Node*> rule_options;  // key as written -> the options map node
  std::vector<std::string> exclude;  // gitignore-style globs relative to the config's directory
  // `respect_gitignore: false` (ruff's setting): folders are walked without reading .gitignore
  // files, so a tracked file that a pattern meant for build output matches is linted too.
  bool respect_gitignore = true;
  std::vector<SuppressEntry> suppress;
  std::optional<std::string> today;  // "YYYY-MM-DD": the date EOL tables are judged against
  // `limits:` — what a hostile or accidental input may cost before it is an SL001 instead of being
  // parsed. Unset: the engine's safe defaults (CheckRequest, LoadLimits).
  struct Limits {
    std::optional<uint64_t> max_file_bytes;     // `max_file_size`: larger files are not parsed
    std::optional<uint32_t> max_nesting_depth;  // lists/maps inside each other (JSON, YAML, HCL)
    std::optional<uint64_t> max_nodes;          // values in one document, YAML aliases expanded
  } limits;
  // Read by later features; each points into `roots` (nullptr when absent).
  const Node* helm = nullptr;
  const Node* terraform = nullptr;
  const Node* apps = nullptr;
  std::vector<AppMapping> app_mappings;  // `apps:`, validated

  std::string directory() const;  // folder of the config file ("" when none)

  // The node pointers above point into `roots`. Moving keeps them valid (the vector's buffer
  // moves with it); copying re-points them into the copy's own tree.
  Config() = default;
  Config(const Config& other);
  Config& operator=(const Config& other);
  Config(Config&&) noexcept = default;
  Config& operator=(Config&&) noexcept = default;
  ~Config() = default;
};

struct ConfigError {
  std::string path;
  Position position;  // 1-based; line 0 when the error is about the file as a whole
  std::string message;
  std::string to_string() const;  // "path:line:col: message" ("path: message" without a line)
};

// Loads and validates one config file. Unknown top-level keys, wrong types (select not a list of
// strings, severity value not error|warning|note, target not fargate|ec2|eks|auto, suppress entry
// without rule/path), unknown rule ids in select/ignore/severity/rules are ConfigErrors with the
// exact line:col. Rule ids are accepted when registered, when they are a registered rule's slug,
// family or "ALL", or when they have the shape of a catalogued id or family
// (SL|DKR|EB|ECS|K8S|AWS|XF followed by up to three digits), so a config naming a rule this
// build does not have yet still loads.
std::variant<Config, ConfigError> load_config_file(const std::string& path);

// Finds `.shiftlint.yaml` (or `.shiftlint.yml`) from `start` (a file or folder) upward to the
// filesystem root; "" when none.
std::string find_config_file(const std::string& start);

}  // namespace shiftlint
