// Helm's Go template engine: the template parser, the executor with the Sprig and Helm functions
// (include, tpl, toYaml, ...), the chart renderer's values coalescing and manifest splitting,
// the rendered YAML mapped back to template lines, and the Kubernetes rules on the result.
//
// The input is a small chart in one text: sections start with a line `#--- <name>`; a section
// called `values.yaml` is the chart's values (the values tree the templates read), any other
// name is a file under templates/ (`_helpers.tpl` holds defines, as in real charts). Text before
// the first marker is templates/main.yaml. So a seed reads like the chart it stands for, and the
// fuzzer mutates templates and values together.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/engine/kubernetes_rules.h"
#include "analyzer/model/helm/chart.h"
#include "analyzer/model/helm/located_manifest.h"
#include "analyzer/model/helm/render.h"
#include "analyzer/model/k8s/extract.h"
#include "analyzer/parse/go_template/template_parser.h"
#include "analyzer/parse/yaml_loader.h"
#include "fuzz/fuzz_support.h"

namespace {

using namespace shiftlint;

constexpr std::string_view kMarker = "#--- ";
constexpr std::string_view kChartYaml = "apiVersion: v2\nname: fuzzed\nversion: 1.2.3\nappVersion: \"4.5\"\n";

struct Section {
  std::string name;
  std::string text;
};

std::vector<Section> split_sections(std::string_view input) {
  std::vector<Section> sections{{"main.yaml", ""}};
  size_t position = 0;
  while (position <= input.size()) {
    size_t newline = input.find('\n', position);
    std::string_view line = input.substr(position, newline == std::string_view::npos ? std::string_view::npos
                                                                                    : newline - position + 1);
    if (line.starts_with(kMarker)) {
      std::string_view name = line.substr(kMarker.size());
      while (!name.empty() && (name.back() == '\n' || name.back() == '\r' || name.back() == ' ')) name.remove_suffix(1);
      // A name that would leave templates/ is kept inside it: the fuzzer must not steer paths.
      std::string safe;
      for (char c : name) safe += (c == '/' || c == '\0') ? '_' : c;
      sections.push_back({safe.empty() ? "unnamed.yaml" : safe, ""});
    } else {
      sections.back().text.append(line);
    }
    if (newline == std::string_view::npos) break;
    position = newline + 1;
  }
  return sections;
}

// Budgets small enough that a fuzzing run explores inputs instead of rendering huge outputs;
// an input that passes them must fail cleanly (RenderFailure → problem), never hang or crash.
helm::RenderOptions fuzz_render_options() {
  helm::RenderOptions options;
  options.limits.max_include_depth = 40;
  options.limits.max_steps = 200'000;
  options.limits.max_output_bytes = 1u << 20;
  options.limits.max_collection_size = 10'000;
  return options;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::string root = "/nonexistent-shiftlint-fuzz/chart";

  // The parser on the whole text first: it must never crash on any bytes, markers included.
  (void)go_template::parse_template(input);

  helm::Chart chart;
  chart.name = "fuzzed";
  chart.directory = root;  // does not exist: .Files reads nothing from the disk
  chart.chart_file = std::make_shared<const SourceFile>(root + "/Chart.yaml", "chart/Chart.yaml", std::string(kChartYaml));
  chart.chart_document = load_yaml(chart.chart_file, fuzz::fuzz_limits());
  for (Section& section : split_sections(input)) {
    if (section.name == "values.yaml") {
      chart.values_file = std::make_shared<const SourceFile>(root + "/values.yaml", "chart/values.yaml",
                                                             std::move(section.text));
      chart.values_document = load_yaml(chart.values_file, fuzz::fuzz_limits());
      continue;
    }
    helm::ChartFile file;
    file.name = "templates/" + section.name;
    file.file = std::make_shared<const SourceFile>(root + "/" + file.name, "chart/" + file.name, std::move(section.text));
    file.size = file.file->text().size();
    chart.templates.push_back(std::move(file));
  }
  // A file `.Files.Get`/`.Files.Glob`/`AsConfig` can read, held in memory as an archive's files are.
  helm::ChartFile config;
  config.name = "files/app.properties";
  config.content = std::make_shared<const std::string>("log.level=info\nworkers=4\n");
  config.size = config.content->size();
  chart.files.push_back(std::move(config));

  helm::UserValues user_values;
  helm::ChartRendering rendering = helm::render_chart(chart, user_values, fuzz_render_options());

  helm::ValueOrigins origins;
  std::vector<helm::LocatedManifest> located;
  located.reserve(rendering.manifests.size());
  for (const helm::RenderedManifest& manifest : rendering.manifests)
    located.push_back(helm::locate_manifest(manifest, fuzz::fuzz_limits(), origins));
  std::vector<const Node*> roots;
  for (const helm::LocatedManifest& manifest : located)
    for (const Node& node : manifest.document.roots) roots.push_back(&node);
  static const Config config_defaults;
  static const RuleSelection selection = select_rules(config_defaults, {"ALL"}, {});
  std::vector<Finding> findings;
  run_kubernetes_workload_rules(k8s::extract_manifests(roots), selection, Target::Auto, "2026-01-01", findings);
  (void)helm::format_manifests(rendering.manifests);
  return 0;
}
