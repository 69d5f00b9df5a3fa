#pragma once
// Renders a loaded chart the way `helm template` does: values merged (chart defaults, value files,
// --set, subchart scoping, globals, conditions, tags, import-values), every template executed with
// .Values .Release .Chart .Capabilities .Template .Files, the output split into manifests and put
// in Helm's install order. Each manifest keeps its source map, so what is linted points at the
// template line (and the values.yaml line behind a value).
//
// A template that fails is a problem (SL002 at its template line); the others still render.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/model/helm/chart.h"
#include "analyzer/model/helm/executor.h"
#include "analyzer/model/helm/rendered_text.h"
#include "analyzer/model/helm/value.h"

namespace shiftlint::helm {

struct RenderOptions {
  std::string release_name = "release-name";  // what `helm template` uses without a name
  std::string namespace_name = "default";
  std::string kube_version = "v1.31.0";
  std::vector<std::string> api_versions;  // added to the built-in group/versions
  RenderLimits limits;
};

// Values a user supplies: value files (kept alive here, their nodes are origins) and --set pairs.
class UserValues {
 public:
  // Merges a values file over what is there (later files win). Parse errors become problems.
  void add_file(std::shared_ptr<const SourceFile> file, std::vector<ChartProblem>& problems);
  // `a.b=c`, `list[0]=x`, `a=1,b=2` as --set reads them; false with `error` when malformed.
  bool add_set(std::string_view assignment, std::string& error);
  // `key: value` pairs from the config's helm.set (values as written there).
  void add_set_node(std::string_view key, const Node& value);
  // One `--set key=value` (typed as --set types it), or `--set-string` when `as_string`; `origin`,
  // when given, is where the value is written (it must outlive the rendering). False with `error`
  // when the key is malformed.
  bool add_set_value(std::string_view key, std::string_view value, bool as_string, const Node* origin,
                     std::string& error);
  const Value& values() const { return values_; }
  // The values files' trees, in the order given (a value read from one is a node in it).
  std::vector<const Node*> file_roots() const;

 private:
  Value values_ = Value::new_map();
  std::vector<Document> documents_;
};

struct RenderedManifest {
  std::string source_name;  // "# Source:" name: "chart/templates/deployment.yaml"
  const SourceFile* template_file = nullptr;  // the template file the document came from
  RenderedText text;  // the document (trimmed, without its `---`), with its source map
  std::string kind;
  bool is_hook = false;
};

struct ChartRendering {
  std::vector<RenderedManifest> manifests;  // manifests in install order, then hooks
  std::vector<ChartProblem> problems;
  // Chart.yaml metadata values, Files objects and the like stay alive with the rendering.
  std::shared_ptr<void> keep_alive;
};

ChartRendering render_chart(const Chart& chart, const UserValues& user_values, const RenderOptions& options);

// `helm template`'s output: "---\n# Source: name\n<document>\n" per manifest.
std::string format_manifests(const std::vector<RenderedManifest>& manifests);

}  // namespace shiftlint::helm
