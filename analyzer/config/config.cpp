#include "analyzer/config/config.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string_view>

#include <fmt/core.h>

#include "analyzer/engine/rule.h"
#include "analyzer/parse/yaml_loader.h"
#include "analyzer/source/edit_distance.h"

namespace shiftlint {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kConfigNames[] = {".shiftlint.yaml", ".shiftlint.yml"};

constexpr std::string_view kTopLevelKeys[] = {"target",  "select",   "ignore", "severity",
                                              "rules",   "exclude",  "suppress", "today",
                                              "helm",    "terraform", "apps",     "limits",
                                              "respect_gitignore"};

// Families of the rule catalogue. Ids of rules this build does not have yet still load, so a
// config written for a newer shiftlint keeps working with an older one.
constexpr std::string_view kCatalogueFamilies[] = {"SL", "DKR", "EB", "ECS", "K8S", "AWS", "XF"};

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// "ECS", "ECS1", "ECS001" (max_digits 3), or only "ECS001" (exact_digits).
bool has_catalogue_shape(std::string_view token, bool full_id_only) {
  for (std::string_view family : kCatalogueFamilies) {
    if (token.size() < family.size() || !equal_ignoring_case(token.substr(0, family.size()), family))
      continue;
    std::string_view digits = token.substr(family.size());
    if (digits.size() > 3 || (full_id_only && digits.size() != 3)) continue;
    if (std::all_of(digits.begin(), digits.end(),
                    [](char c) { return c >= '0' && c <= '9'; }))
      return true;
  }
  return false;
}

// select/ignore accept what `--select` accepts: ALL, an id, a slug, a family or an id prefix.
bool is_known_selector(std::string_view token) {
  if (equal_ignoring_case(token, "ALL") || find_rule(token)) return true;
  for (const Rule* rule : registered_rules()) {
    if (equal_ignoring_case(rule->family(), token)) return true;
    if (token.size() <= rule->id.size() && equal_ignoring_case(rule->id.substr(0, token.size()), token))
      return true;
  }
  return has_catalogue_shape(token, false);
}

// severity/rules name one rule: its id or its slug.
bool is_known_rule(std::string_view token) {
  return find_rule(token) != nullptr || has_catalogue_shape(token, true);
}

bool is_valid_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (text[i] < '0' || text[i] > '9') return false;
  auto number = [&](size_t at, size_t length) {
    int value = 0;
    for (size_t i = at; i < at + length; ++i) value = value * 10 + (text[i] - '0');
    return value;
  };
  int year = number(0, 4), month = number(5, 2), day = number(8, 2);
  if (month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  int days = kDays[month - 1] + (month == 2 && leap ? 1 : 0);
  return day <= days;
}

// The child indices leading from `roots` to `target`; empty when it is not in the tree.
bool path_to(const std::vector<Node>& nodes, const Node* target, std::vector<size_t>& path) {
  for (size_t i = 0; i < nodes.size(); ++i) {
    path.push_back(i);
    if (&nodes[i] == target || path_to(nodes[i].children, target, path)) return true;
    path.pop_back();
  }
  return false;
}

const Node* follow(const std::vector<Node>& roots, const std::vector<size_t>& path) {
  const std::vector<Node>* nodes = &roots;
  const Node* node = nullptr;
  for (size_t index : path) {
    if (index >= nodes->size()) return nullptr;
    node = &(*nodes)[index];
    nodes = &node->children;
  }
  return node;
}

const Node* repoint(const Node* pointer, const Config& from, const Config& to) {
  if (!pointer) return nullptr;
  std::vector<size_t> path;
  if (!path_to(from.roots, pointer, path)) return nullptr;
  return follow(to.roots, path);
}

struct Invalid {
  ConfigError error;
};

class ConfigReader {
 public:
  ConfigReader(Config& config) : config_(config) {}

  void read(const Node& root) {
    if (root.is_null()) return;  // an empty config: every default
    if (!root.is_map()) fail(root.span, "the config must be a mapping of settings (key: value)");
    for (const Node& entry : root.children) read_setting(entry);
  }

 private:
  [[noreturn]] void fail(Span span, std::string message) const {
    throw Invalid{ConfigError{config_.path, span.begin, std::move(message)}};
  }

  void read_setting(const Node& value) {
    const std::string& key = value.key;
    if (key == "target") {
      std::optional<Target> target;
      if (value.is_string()) target = parse_target(value.text);
      if (!target)
        fail(value.span, fmt::format("target must be one of fargate, ec2, eks, auto, not {}",
                                     value.describe()));
      config_.target = *target;
    } else if (key == "select" || key == "ignore") {
      std::vector<std::string>& tokens = key == "select" ? config_.select : config_.ignore;
      if (value.is_null()) return;  // `select:` with every line commented out: the default
      tokens = read_selectors(value, key);
    } else if (key == "severity") {
      read_severities(value);
    } else if (key == "rules") {
      read_rule_options(value);
    } else if (key == "exclude") {
      config_.exclude = read_strings(value, "exclude must be a list of paths or globs");
    } else if (key == "respect_gitignore") {
      std::optional<bool> respect = value.as_boolean();
      if (!respect) fail(value.span, fmt::format("respect_gitignore must be true or false, not {}", value.describe()));
      config_.respect_gitignore = *respect;
    } else if (key == "suppress") {
      read_suppressions(value);
    } else if (key == "today") {
      if (!value.is_string() || !is_valid_date(value.text))
        fail(value.span, fmt::format("today must be a date written YYYY-MM-DD, not {}",
                                     value.describe()));
      config_.today = value.text;
    } else if (key == "helm" || key == "terraform") {
      if (!value.is_map() && !value.is_null())
        fail(value.span, fmt::format("{} must be a mapping of settings", key));
      if (key == "helm" && value.is_map()) check_helm_settings(value);
      (key == "helm" ? config_.helm : config_.terraform) = value.is_map() ? &value : nullptr;
    } else if (key == "limits") {
      read_limits(value);
    } else if (key == "apps") {
      if (!value.is_list() && !value.is_null())
        fail(value.span, "apps must be a list of apps ({name: ..., dockerfile: ..., ...})");
      config_.apps = value.is_list() ? &value : nullptr;
      if (value.is_list()) read_apps(value);
    } else {
      fail(value.key_or_value_span(), unknown_key_message(key));
    }
  }

  // apps: [{name: web, dockerfile: docker/web/Dockerfile, task_definition: ecs/web.json, ebextensions: .ebextensions}]
  void read_apps(const Node& value) {
    for (const Node& item : value.children) {
      if (!item.is_map())
        fail(item.span, fmt::format("an apps entry must be a mapping {{name: ..., dockerfile: ..., task_definition: ..., "
                                    "kubernetes: ..., ebextensions: ..., image: ...}}, not {}", item.describe()));
      AppMapping app;
      app.span = item.span;
      bool named = false;
      for (const Node& field : item.children) {
        const std::string& key = field.key;
        if (key == "name") {
          if (!field.is_string() || field.text.empty())
            fail(field.span, fmt::format("the name of an app must be a string, not {}", field.describe()));
          app.name = field.text;
          named = true;
          continue;
        }
        std::vector<std::string>* paths = key == "dockerfile"        ? &app.dockerfiles
                                          : key == "task_definition" ? &app.task_definitions
                                          : key == "kubernetes"      ? &app.kubernetes
                                          : key == "ebextensions"    ? &app.bundles
                                          : key == "image"           ? &app.images
                                                                     : nullptr;
        if (!paths)
          fail(field.key_or_value_span(),
               fmt::format("unknown key \"{}\" in an apps entry (known: name, dockerfile, task_definition, kubernetes, "
                           "ebextensions, image)",
                           key));
        *paths = read_strings(field, fmt::format("{} of an app must be a path or a list of paths", key));
      }
      if (!named) fail(item.span, "an apps entry needs a name");
      for (const AppMapping& other : config_.app_mappings)
        if (other.name == app.name) fail(item.span, fmt::format("two apps entries are named \"{}\"", app.name));
      config_.app_mappings.push_back(std::move(app));
    }
  }

  void read_limits(const Node& value) {
    if (value.is_null()) return;
    if (!value.is_map()) fail(value.span, "limits must be a mapping (max_file_size, max_nesting_depth, max_nodes)");
    for (const Node& entry : value.children) {
      // Assigned, not built from a conditional: gcc 12 then warns that the optional may be used
      // uninitialised (a known false positive of its -Wmaybe-uninitialized with std::optional).
      std::optional<int64_t> number;
      if (entry.is_number()) number = entry.as_integer();
      auto positive = [&](int64_t at_most) -> uint64_t {
        if (!number || *number < 1 || *number > at_most)
          fail(entry.span, fmt::format("limits.{} must be a whole number from 1 to {}, not {}", entry.key, at_most,
                                       entry.describe()));
        return static_cast<uint64_t>(*number);
      };
      if (entry.key == "max_file_size") config_.limits.max_file_bytes = positive(int64_t{1} << 40);
      else if (entry.key == "max_nesting_depth") config_.limits.max_nesting_depth = static_cast<uint32_t>(positive(100000));
      else if (entry.key == "max_nodes") config_.limits.max_nodes = positive(int64_t{1} << 40);
      else
        fail(entry.key_or_value_span(),
             fmt::format("unknown key limits.{} (known: max_file_size in bytes, max_nesting_depth, max_nodes)", entry.key));
    }
  }

  static std::string unknown_key_message(const std::string& key) {
    std::string_view closest;
    size_t best = 3;
    for (std::string_view known : kTopLevelKeys) {
      size_t distance = edit_distance(key, known);
      if (distance < best) {
        best = distance;
        closest = known;
      }
    }
    if (!closest.empty()) return fmt::format("unknown key \"{}\": did you mean \"{}\"?", key, closest);
    std::string expected;
    for (std::string_view known : kTopLevelKeys) {
      if (!expected.empty()) expected += ", ";
      expected += known;
    }
    return fmt::format("unknown key \"{}\" (expected one of: {})", key, expected);
  }

  // A list of strings, or one string (select/ignore also split it at commas, as --select does).
  std::vector<std::string> read_selectors(const Node& value, const std::string& key) {
    std::vector<std::string> tokens;
    auto add = [&](const Node& item) {
      if (!item.is_string())
        fail(item.span, fmt::format("{} entries must be rule ids, slugs, families or ALL, not {}",
                                    key, item.describe()));
      size_t start = 0;
      const std::string& text = item.text;
      while (start <= text.size()) {
        size_t comma = text.find(',', start);
        if (comma == std::string::npos) comma = text.size();
        std::string_view token(text.data() + start, comma - start);
        while (!token.empty() && std::isspace(static_cast<unsigned char>(token.front())))
          token.remove_prefix(1);
        while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back())))
          token.remove_suffix(1);
        if (!token.empty()) {
          if (!is_known_selector(token))
            fail(token_span(item, token),
                 fmt::format("unknown rule \"{}\" in {} (see `shiftlint rules`)", token, key));
          tokens.emplace_back(token);
        }
        start = comma + 1;
      }
    };
    if (value.is_list()) {
      for (const Node& item : value.children) add(item);
    } else if (value.is_string()) {
      add(value);
    } else {
      fail(value.span, fmt::format("{} must be a list of rule ids, slugs, families or ALL", key));
    }
    return tokens;
  }

  // Where `token` (a piece of `item`'s text) is written, when it can be found in the source.
  Span token_span(const Node& item, std::string_view token) const {
    const SourceFile& file = *config_.file;
    size_t begin = file.offset_of(item.span.begin);
    size_t end = file.offset_of(item.span.end);
    std::string_view written = file.text().substr(begin, end - begin);
    size_t at = written.find(token);
    if (at == std::string_view::npos) return item.span;
    return file.span_of(begin + at, begin + at + token.size());
  }

  // helm: {values: [files], set: {key: value}, release_name, namespace, kube_version, api_versions: [G/V]}
  void check_helm_settings(const Node& helm) {
    for (const Node& setting : helm.children) {
      const std::string& name = setting.key;
      if (name == "values" || name == "api_versions") {
        read_strings(setting, fmt::format("helm.{} must be a list of strings", name));
      } else if (name == "set") {
        if (!setting.is_map()) fail(setting.span, "helm.set must be a mapping of value paths to values (image.tag: \"1.2.3\")");
      } else if (name == "release_name" || name == "namespace" || name == "kube_version") {
        if (!setting.is_string() && !setting.is_number()) fail(setting.span, fmt::format("helm.{} must be a string", name));
      } else {
        fail(setting.key_or_value_span(),
             fmt::format("unknown helm setting '{}' (known: values, set, release_name, namespace, kube_version, "
                         "api_versions)", name));
      }
    }
  }

  std::vector<std::string> read_strings(const Node& value, std::string_view message) {
    std::vector<std::string> strings;
    if (value.is_null()) return strings;
    if (value.is_string()) {
      strings.push_back(value.text);
      return strings;
    }
    if (!value.is_list()) fail(value.span, std::string(message));
    for (const Node& item : value.children) {
      if (!item.is_string()) fail(item.span, std::string(message));
      strings.push_back(item.text);
    }
    return strings;
  }

  void check_rule_key(const Node& entry, std::string_view setting) {
    if (!is_known_rule(entry.key))
      fail(entry.key_or_value_span(),
           fmt::format("unknown rule \"{}\" in {} (use a rule id such as ECS001, or its slug)",
                       entry.key, setting));
  }

  void read_severities(const Node& value) {
    if (value.is_null()) return;
    if (!value.is_map())
      fail(value.span, "severity must be a mapping of rule id to error, warning or note");
    for (const Node& entry : value.children) {
      check_rule_key(entry, "severity");
      std::optional<Severity> severity;
      if (entry.is_string()) severity = parse_severity(entry.text);
      if (!severity)
        fail(entry.span, fmt::format("severity of {} must be error, warning or note, not {}",
                                     entry.key, entry.describe()));
      config_.severity[entry.key] = *severity;
    }
  }

  void read_rule_options(const Node& value) {
    if (value.is_null()) return;
    if (!value.is_map()) fail(value.span, "rules must be a mapping of rule id to its options");
    for (const Node& entry : value.children) {
      check_rule_key(entry, "rules");
      if (entry.is_null()) continue;  // `ECS001:` with no options
      if (!entry.is_map())
        fail(entry.span, fmt::format("options of {} must be a mapping (e.g. {{min_nofile: 65535}})",
                                     entry.key));
      config_.rule_options[entry.key] = &entry;
    }
  }

  void read_suppressions(const Node& value) {
    if (value.is_null()) return;
    if (!value.is_list())
      fail(value.span, "suppress must be a list of {rule: ID, path: GLOB, reason: TEXT} entries");
    for (const Node& item : value.children) {
      if (!item.is_map())
        fail(item.span, "a suppress entry must be a mapping {rule: ID, path: GLOB, reason: TEXT}");
      SuppressEntry entry;
      entry.span = item.span;
      bool has_rule = false, has_path = false;
      for (const Node& field : item.children) {
        if (field.key != "rule" && field.key != "path" && field.key != "reason")
          fail(field.key_or_value_span(),
               fmt::format("unknown key \"{}\" in a suppress entry (expected rule, path, reason)",
                           field.key));
        if (!field.is_string())
          fail(field.span, fmt::format("{} of a suppress entry must be a string, not {}",
                                       field.key, field.describe()));
        if (field.key == "rule") {
          if (!is_known_rule(field.text))
            fail(field.span, fmt::format("unknown rule \"{}\" in suppress", field.text));
          entry.rule = field.text;
          has_rule = true;
        } else if (field.key == "path") {
          entry.path_glob = field.text;
          has_path = true;
        } else {
          entry.reason = field.text;
        }
      }
      if (!has_rule || !has_path)
        fail(item.span, fmt::format("a suppress entry needs {}", !has_rule && !has_path ? "a rule and a path"
                                                                  : !has_rule ? "a rule"
                                                                              : "a path"));
      config_.suppress.push_back(std::move(entry));
    }
  }

  Config& config_;
};

}  // namespace

Config::Config(const Config& other)
    : path(other.path),
      file(other.file),
      roots(other.roots),
      target(other.target),
      select(other.select),
      ignore(other.ignore),
      severity(other.severity),
      exclude(other.exclude),
      respect_gitignore(other.respect_gitignore),
      suppress(other.suppress),
      today(other.today),
      limits(other.limits),
      app_mappings(other.app_mappings) {
  for (const auto& [key, node] : other.rule_options) rule_options[key] = repoint(node, other, *this);
  helm = repoint(other.helm, other, *this);
  terraform = repoint(other.terraform, other, *this);
  apps = repoint(other.apps, other, *this);
}

Config& Config::operator=(const Config& other) {
  if (this != &other) *this = Config(other);
  return *this;
}

std::string Config::directory() const {
  if (path.empty()) return "";
  std::string folder = fs::path(path).parent_path().string();
  return folder.empty() ? "." : folder;
}

std::string ConfigError::to_string() const {
  if (position.line == 0) return fmt::format("{}: {}", path, message);
  return fmt::format("{}:{}:{}: {}", path, position.line, position.column, message);
}

std::variant<Config, ConfigError> load_config_file(const std::string& path) {
  std::ifstream input(path, std::ios::binary);
  if (!input) return ConfigError{path, {}, fmt::format("cannot read the config file: {}", std::strerror(errno))};
  std::string text((std::istreambuf_iterator<char>(input)), std::istreambuf_iterator<char>());
  if (input.bad()) return ConfigError{path, {}, "cannot read the config file"};

  Config config;
  config.path = path;
  config.file = std::make_shared<const SourceFile>(path, path, std::move(text));
  Document document = load_yaml(config.file);
  if (!document.errors.empty()) {
    const ParseDiagnostic& first = document.errors.front();
    return ConfigError{path, first.span.begin, first.message};
  }
  if (document.roots.size() > 1)
    return ConfigError{path, document.roots[1].span.begin,
                       "the config file must hold one YAML document (found a second `---`)"};
  config.roots = std::move(document.roots);
  if (config.roots.empty()) return config;  // empty or comments only

  try {
    ConfigReader(config).read(config.roots.front());
  } catch (const Invalid& invalid) {
    return invalid.error;
  }
  return config;
}

std::string find_config_file(const std::string& start) {
  std::error_code error;
  fs::path given = start.empty() ? fs::path(".") : fs::path(start);
  fs::path folder = fs::absolute(given, error);
  if (error) return "";
  folder = folder.lexically_normal();
  if (!fs::is_directory(folder, error)) folder = folder.parent_path();
  if (folder.has_filename() == false && folder != folder.root_path())
    folder = folder.parent_path();  // "a/b/" normalises to "a/b/": drop the empty last part
  const fs::path current = fs::current_path(error);
  while (true) {
    for (std::string_view name : kConfigNames) {
      fs::path candidate = folder / name;
      std::error_code status_error;
      if (fs::is_regular_file(candidate, status_error)) {
        // Named the way the user named the start: relative in, relative out.
        if (given.is_relative() && !current.empty()) {
          fs::path relative = candidate.lexically_relative(current);
          if (!relative.empty()) return relative.string();
        }
        return candidate.string();
      }
    }
    fs::path parent = folder.parent_path();
    if (parent.empty() || parent == folder) return "";
    folder = parent;
  }
}

}  // namespace shiftlint
