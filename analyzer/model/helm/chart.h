#pragma once
// A Helm chart as loaded from disk: Chart.yaml (v1 or v2), values.yaml, templates/, the other
// files `.Files` can read, and its dependencies (folders or .tgz archives in charts/, `file://`
// repositories, or a sibling chart folder of the same name when the repository is remote, as in
// monorepos of charts). Nothing is read outside the scan root.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/model/located_tree.h"
#include "analyzer/parse/document.h"
#include "analyzer/source/source_file.h"

namespace shiftlint::helm {

struct ChartProblem {
  std::shared_ptr<const SourceFile> file;  // where (nullptr: the chart as a whole)
  Span span;
  std::string message;
  bool parse_error = false;  // SL001 (a file that does not parse) rather than SL002
  struct Related {
    std::shared_ptr<const SourceFile> file;
    Span span;
    std::string message;
  };
  std::vector<Related> related = {};  // other places the problem shows (where templates it stops fail)
};

struct ChartFile {
  std::string name;  // relative to the chart root, '/'-separated: "templates/deployment.yaml"
  std::shared_ptr<const SourceFile> file;  // templates: loaded; other files: null until read
  std::string disk_path;                   // other files: where to read them (empty in an archive)
  std::shared_ptr<const std::string> content;  // other files of an archive
  uint64_t size = 0;
};

struct Dependency {
  std::string name;
  std::string alias;
  std::string condition;
  std::string repository;
  std::string version;  // a version or a range ("0.55.0", "~1.2", ">=4.0.0 <5.0.0")
  std::vector<std::string> tags;
  const Node* import_values = nullptr;  // into `chart_document`
  const Node* declaration = nullptr;    // the dependencies[] entry, for messages
};

struct Chart {
  std::string name;  // Chart.yaml name (or the alias it is used under)
  std::string directory;  // on disk; empty for a chart read from an archive
  bool is_library = false;
  std::shared_ptr<const SourceFile> chart_file;  // Chart.yaml
  Document chart_document;
  std::shared_ptr<const SourceFile> values_file;  // values.yaml (null when absent)
  Document values_document;
  std::vector<ChartFile> templates;  // templates/**, sorted by name
  std::vector<ChartFile> files;      // everything else .Files can read, sorted by name
  std::shared_ptr<const SourceFile> requirements_file;  // requirements.yaml of a v1 chart
  Document requirements_document;
  std::vector<Dependency> dependencies;  // as declared (Chart.yaml or requirements.yaml)
  // Subcharts that were found, each with the dependency entry that named it (null when it sits
  // in charts/ without one).
  struct Subchart {
    std::unique_ptr<Chart> chart;
    const Dependency* dependency = nullptr;
    // A sibling folder taken at a version the dependency does not allow: the start of the SL002
    // problem the renderer reports if templates of it cannot be rendered.
    std::optional<ChartProblem> other_version = std::nullopt;
  };
  std::vector<Subchart> subcharts;
  // Declared dependencies that were found nowhere, with the SL002 problem saying so. Whether it
  // is reported depends on the values: a dependency its `condition` or `tags` turn off is not
  // rendered by Helm either (render.h reports the others).
  struct MissingDependency {
    const Dependency* dependency = nullptr;
    ChartProblem problem;
    // Where in the message "its templates are not rendered" ends: the renderer adds there the
    // parent's own templates that cannot render without the dependency (render.cpp).
    size_t consequence_end = 0;
  };
  std::vector<MissingDependency> missing_dependencies;

  const Node* metadata() const { return chart_document.roots.empty() ? nullptr : &chart_document.roots.front(); }
  const Node* default_values() const {
    return values_document.roots.empty() ? nullptr : &values_document.roots.front();
  }
};

struct ChartLoadOptions {
  std::string scan_root;  // files outside it (or outside its git repository, source/read_bound.h) are never read
  uint64_t max_file_bytes = 8ull << 20;
  uint64_t max_chart_bytes = 64ull << 20;
  int max_depth = 10;  // subcharts of subcharts
};

struct LoadedChart {
  std::unique_ptr<Chart> chart;  // null when Chart.yaml cannot be read
  std::vector<ChartProblem> problems;
};

// Loads the chart whose Chart.yaml is in `directory`. `display_directory` is how reports name
// that folder (relative to the scan root). Missing dependencies are not among the problems: they
// stay with the chart that declares them (Chart::missing_dependencies).
LoadedChart load_chart(const std::string& directory, const std::string& display_directory,
                       const ChartLoadOptions& options);

// The missing dependencies of `chart` and of its subcharts, whatever the values: for a chart that
// is not rendered (a library chart).
std::vector<ChartProblem> all_missing_dependency_problems(const Chart& chart);

}  // namespace shiftlint::helm
