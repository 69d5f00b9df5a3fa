#include "analyzer/model/aws/ecspresso.h"

#include <filesystem>

namespace shiftlint::aws {

namespace {

// A literal string value; a template (`{{ ... }}`) is what the environment holds at deploy time.
const Node* literal(const Node* value) {
  if (!value || !value->is_string() || value->text.empty()) return nullptr;
  if (value->text.find("{{") != std::string::npos) return nullptr;
  return value;
}

}  // namespace

EcspressoConfig read_ecspresso_config(const Node& root) {
  EcspressoConfig config;
  if (!root.is_map()) return config;
  config.cluster = literal(root.find("cluster"));
  config.service = literal(root.find("service"));
  config.service_definition = literal(root.find("service_definition"));
  config.task_definition = literal(root.find("task_definition"));
  return config;
}

std::string ecspresso_file(const std::string& config_display_path, const Node* path) {
  if (!path) return "";
  std::filesystem::path written(path->text);
  if (written.is_absolute()) return "";
  std::filesystem::path folder = std::filesystem::path(config_display_path).parent_path();
  std::string joined = (folder / written).lexically_normal().generic_string();
  if (joined.empty() || joined == ".") return "";
  return joined;
}

}  // namespace shiftlint::aws
