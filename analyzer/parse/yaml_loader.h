#pragma once
#include <cstdint>
#include <memory>
#include <optional>

#include "analyzer/parse/document.h"

namespace shiftlint {

// YAML 1.2 (multi-document) into the located tree. Anchors and aliases are expanded within
// `limits.max_nodes` (an alias bomb is an error, not an OOM); `<<` merge keys are applied;
// duplicate keys are errors; tags are kept on nodes. CloudFormation's short-form intrinsics
// (`!Ref`, `!Sub`, `!GetAtt`, ...) become Unknown nodes whose text is the intrinsic as written,
// with their arguments kept as children.
//
// Two front ends give the same tree: the hand-written reader (parse/yaml_reader.h) reads what
// real files use; yaml-cpp's event API reads what it declines, and reports every syntax error.
Document load_yaml(std::shared_ptr<const SourceFile> file, const LoadLimits& limits = {});

// Whether the document's only errors are duplicate keys (its tree is otherwise whole).
bool only_duplicate_keys(const Document& document);
// Drops the earlier entry of each key written twice in a map, anywhere under `node`: the value that
// Helm, kubectl and most YAML readers keep is the last one.
void keep_last_of_duplicate_keys(Node& node);

enum class YamlFrontEnd : uint8_t {
  Automatic,        // the reader, yaml-cpp for what it declines
  YamlCpp,          // yaml-cpp only
  HandWrittenOnly,  // the reader only: nullopt when it declines the file
};
// For the differential check and benchmarks.
std::optional<Document> load_yaml_with(std::shared_ptr<const SourceFile> file, const LoadLimits& limits,
                                       YamlFrontEnd front_end);

// How many files each front end read on this thread.
struct YamlLoadStatistics {
  uint64_t hand_written_files = 0;
  uint64_t yaml_cpp_files = 0;
};
YamlLoadStatistics& yaml_thread_statistics();

}  // namespace shiftlint
