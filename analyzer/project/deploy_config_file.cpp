#include "analyzer/project/deploy_config_file.h"

#include <memory>
#include <string>
#include <utility>

#include "analyzer/parse/yaml_loader.h"
#include "analyzer/source/file_read.h"

namespace shiftlint {

std::optional<Document> load_deploy_config_file(const DiscoveredFile& file, uint64_t max_bytes, LoadLimits limits) {
  std::string path = file.path();
  std::string text;
  if (read_whole_file(path, max_bytes, text) != 0 || text.size() > max_bytes) return std::nullopt;
  auto source = std::make_shared<const SourceFile>(path, std::string(file.display_path()), std::move(text));
  Document document = load_yaml(source, limits);
  if (!document.ok()) return std::nullopt;
  return document;
}

std::optional<std::string_view> scalar_text(const Node* node) {
  if (!node || !node->is_scalar() || node->is_null() || node->is_unknown()) return std::nullopt;
  if (node->kind == NodeKind::Boolean) return node->boolean ? "true" : "false";
  return std::string_view(node->text);
}

}  // namespace shiftlint
