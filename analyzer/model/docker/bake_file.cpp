#include "analyzer/model/docker/bake_file.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "analyzer/parse/hcl/hcl_loader.h"
#include "analyzer/parse/json_loader.h"
#include "analyzer/source/real_path.h"

namespace shiftlint::docker {

namespace {

// A setting as the file writes it: absent, a plain string, or something only an evaluation knows.
struct Setting {
  bool present = false;
  std::optional<std::string> literal;
};

struct Target {
  Setting context;
  Setting dockerfile;
  std::vector<std::string> contexts;  // the names of its named contexts
  std::vector<std::string> inherits;
};

Setting hcl_setting(const hcl::Body& body, std::string_view name) {
  Setting setting;
  if (const hcl::Attribute* attribute = body.find_attribute(name)) {
    setting.present = true;
    if (attribute->value.kind == hcl::ExpressionKind::String) setting.literal = attribute->value.text;
  }
  return setting;
}

std::map<std::string, Target> hcl_targets(const std::shared_ptr<const SourceFile>& bake) {
  std::map<std::string, Target> targets;
  hcl::File file = hcl::load_hcl(bake);
  for (const hcl::Block& block : file.body.blocks) {
    if (block.type != "target" || block.labels.empty()) continue;
    Target& target = targets[block.labels[0]];
    target.context = hcl_setting(block.body, "context");
    target.dockerfile = hcl_setting(block.body, "dockerfile");
    if (const hcl::Attribute* contexts = block.body.find_attribute("contexts");
        contexts && contexts->value.kind == hcl::ExpressionKind::Object) {
      // Keys and values alternate; a key is a String (bare or quoted).
      for (size_t index = 0; index + 1 < contexts->value.operands.size(); index += 2) {
        const hcl::Expression& key = contexts->value.operands[index];
        if (key.kind == hcl::ExpressionKind::String) target.contexts.push_back(key.text);
      }
    }
    if (const hcl::Attribute* inherits = block.body.find_attribute("inherits");
        inherits && inherits->value.kind == hcl::ExpressionKind::Tuple) {
      for (const hcl::Expression& item : inherits->value.operands)
        if (item.kind == hcl::ExpressionKind::String) target.inherits.push_back(item.text);
    }
  }
  return targets;
}

Setting json_setting(const Node& target, std::string_view name) {
  Setting setting;
  if (const Node* value = target.find(name)) {
    setting.present = true;
    if (auto text = value->as_string()) setting.literal = std::string(*text);
  }
  return setting;
}

std::map<std::string, Target> json_targets(const std::shared_ptr<const SourceFile>& bake) {
  std::map<std::string, Target> targets;
  Document document = load_json(bake);
  if (document.roots.empty() || !document.roots[0].is_map()) return targets;
  const Node* all = document.roots[0].find("target");
  if (!all || !all->is_map()) return targets;
  for (const Node& entry : all->children) {
    if (!entry.is_map()) continue;
    Target& target = targets[entry.key];
    target.context = json_setting(entry, "context");
    target.dockerfile = json_setting(entry, "dockerfile");
    if (const Node* contexts = entry.find("contexts"); contexts && contexts->is_map())
      for (const Node& context : contexts->children) target.contexts.push_back(context.key);
    if (const Node* inherits = entry.find("inherits"); inherits && inherits->is_list())
      for (const Node& item : inherits->children)
        if (auto name = item.as_string()) target.inherits.push_back(std::string(*name));
  }
  return targets;
}

// The target with what it inherits: its own settings win; named contexts add up. Parents are
// applied in order, each after its own parents; a cycle or a chain deeper than eight stops.
Target resolved(const std::map<std::string, Target>& targets, const std::string& name, int depth = 0) {
  auto found = targets.find(name);
  if (found == targets.end()) return {};
  Target result;
  if (depth < 8) {
    for (const std::string& parent : found->second.inherits) {
      Target inherited = resolved(targets, parent, depth + 1);
      if (inherited.context.present) result.context = inherited.context;
      if (inherited.dockerfile.present) result.dockerfile = inherited.dockerfile;
      result.contexts.insert(result.contexts.end(), inherited.contexts.begin(), inherited.contexts.end());
    }
  }
  const Target& own = found->second;
  if (own.context.present) result.context = own.context;
  if (own.dockerfile.present) result.dockerfile = own.dockerfile;
  result.contexts.insert(result.contexts.end(), own.contexts.begin(), own.contexts.end());
  return result;
}

std::string under(std::string_view folder, std::string_view path) {
  if (!path.empty() && path.front() == '/') return lexically_normal_absolute(path);
  std::string joined(folder);
  joined += '/';
  joined += path;
  return lexically_normal_absolute(joined);
}

}  // namespace

bool may_be_bake_file(std::string_view name) {
  return name.ends_with(".hcl") || (name.starts_with("docker-bake") && name.ends_with(".json"));
}

std::vector<std::string> bake_context_names(const std::shared_ptr<const SourceFile>& bake,
                                            const std::vector<std::string>& run_folders, std::string_view dockerfile) {
  std::string_view name = bake->path();
  name = name.substr(name.rfind('/') + 1);
  // Most .hcl files are not bake files: without a target that names contexts, nothing to parse.
  std::string_view text = bake->text();
  if (text.find("target") == std::string_view::npos || text.find("contexts") == std::string_view::npos) return {};
  std::map<std::string, Target> targets = name.ends_with(".json") ? json_targets(bake) : hcl_targets(bake);
  std::set<std::string> names;
  for (const auto& [target_name, unused] : targets) {
    Target target = resolved(targets, target_name);
    if (target.contexts.empty()) continue;
    bool unknown = (target.context.present && !target.context.literal) ||
                   (target.dockerfile.present && !target.dockerfile.literal);
    if (!unknown) {
      bool builds = false;
      for (const std::string& folder : run_folders) {
        std::string context = under(folder, target.context.literal.value_or("."));
        builds = builds || under(context, target.dockerfile.literal.value_or("Dockerfile")) == dockerfile;
      }
      if (!builds) continue;
    }
    names.insert(target.contexts.begin(), target.contexts.end());
  }
  return {names.begin(), names.end()};
}

}  // namespace shiftlint::docker
