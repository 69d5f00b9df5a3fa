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

}  // namespace shiftlint
