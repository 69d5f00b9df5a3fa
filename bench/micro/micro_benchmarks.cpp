// Google Benchmark micro-benchmarks: one per parser and loader, each over every file of its kind in
// a generated mixed repository (bench/mixed_corpus.py: the same Dockerfiles, scripts, manifests,
// task definitions, Terraform services, charts, nginx and EB configs the whole-run benchmark lints),
// so the figures are for files of realistic size and shape, not one synthetic blob. Throughput is
// bytes of input per second (SetBytesProcessed); files are read into memory before timing.
//
//   micro_benchmarks --corpus DIR [--benchmark_filter=...]     (bench/micro/run.sh makes DIR)
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "analyzer/model/eb/bundle_file.h"
#include "analyzer/model/helm/chart.h"
#include "analyzer/model/helm/render.h"
#include "analyzer/model/terraform/evaluator.h"
#include "analyzer/model/terraform/scan_root.h"
#include "analyzer/parse/dockerfile_parser.h"
#include "analyzer/parse/hcl/hcl_loader.h"
#include "analyzer/parse/nginx_config.h"
#include "analyzer/parse/shell/shell_parser.h"
#include "analyzer/parse/strict_json.h"
#include "analyzer/parse/yaml_loader.h"

namespace fs = std::filesystem;
using namespace shiftlint;

namespace {

std::string corpus_root;

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Every file under the corpus whose path satisfies `wanted`, sorted (the same set on every run).
std::vector<std::shared_ptr<const SourceFile>> corpus_files(const std::function<bool(const fs::path&)>& wanted) {
  std::vector<fs::path> paths;
  for (const auto& entry : fs::recursive_directory_iterator(corpus_root))
    if (entry.is_regular_file() && wanted(entry.path())) paths.push_back(entry.path());
  std::sort(paths.begin(), paths.end());
  std::vector<std::shared_ptr<const SourceFile>> files;
  for (const fs::path& path : paths)
    files.push_back(std::make_shared<const SourceFile>(path.string(), path.lexically_relative(corpus_root).string(),
                                                       read_text(path)));
  return files;
}

int64_t total_bytes(const std::vector<std::shared_ptr<const SourceFile>>& files) {
  int64_t bytes = 0;
  for (const auto& file : files) bytes += static_cast<int64_t>(file->text().size());
  return bytes;
}

bool name_starts(const fs::path& path, std::string_view prefix) {
  return path.filename().string().starts_with(prefix);
}
bool has_extension(const fs::path& path, std::string_view extension) { return path.extension() == extension; }
bool under(const fs::path& path, std::string_view folder) {
  return path.string().find(std::string("/") + std::string(folder) + "/") != std::string::npos;
}

// Runs `parse` over every file of the set per iteration; the set's size is in the counters.
template <typename Parse>
void over_files(benchmark::State& state, const std::vector<std::shared_ptr<const SourceFile>>& files, Parse parse) {
  if (files.empty()) {
    state.SkipWithError("no input files of this kind in the corpus");
    return;
  }
  for (auto _ : state)
    for (const auto& file : files) parse(file);
  state.SetBytesProcessed(state.iterations() * total_bytes(files));
  state.counters["files"] = static_cast<double>(files.size());
  state.counters["KB"] = static_cast<double>(total_bytes(files)) / 1024.0;
}

void dockerfile_parser(benchmark::State& state) {
  static const auto files = corpus_files([](const fs::path& path) { return name_starts(path, "Dockerfile"); });
  over_files(state, files, [](const auto& file) { benchmark::DoNotOptimize(docker::parse_dockerfile(*file)); });
}

void shell_reader(benchmark::State& state) {
  static const auto files = corpus_files([](const fs::path& path) { return has_extension(path, ".sh"); });
  over_files(state, files, [](const auto& file) { benchmark::DoNotOptimize(shell::parse_shell_file(*file)); });
}

void yaml_loader(benchmark::State& state) {
  static const auto files = corpus_files([](const fs::path& path) {
    return (has_extension(path, ".yaml") || has_extension(path, ".yml")) && !under(path, "templates");
  });
  over_files(state, files, [](const auto& file) { benchmark::DoNotOptimize(load_yaml(file)); });
}

void strict_json_parser(benchmark::State& state) {
  static const auto files = corpus_files([](const fs::path& path) { return has_extension(path, ".json"); });
  over_files(state, files, [](const auto& file) { benchmark::DoNotOptimize(parse_strict_json(*file, LoadLimits{})); });
}

void hcl_loader(benchmark::State& state) {
  static const auto files = corpus_files([](const fs::path& path) { return has_extension(path, ".tf"); });
  over_files(state, files, [](const auto& file) { benchmark::DoNotOptimize(hcl::load_hcl(file)); });
}

// The partial evaluator alone: each Terraform root module (a service folder, some calling the shared
// local module) is parsed once before timing, then evaluated with its terraform.tfvars per iteration.
void terraform_evaluator(benchmark::State& state) {
  struct Root {
    std::unique_ptr<terraform::ScanRoot> scan_root;
    const terraform::ModuleSource* module = nullptr;
    terraform::VariableValues values;
    int64_t bytes = 0;
  };
  static std::vector<Root> roots = [] {
    std::vector<Root> result;
    std::vector<fs::path> folders;
    for (const auto& entry : fs::recursive_directory_iterator(corpus_root))
      if (entry.is_directory() && entry.path().filename() == "terraform" && under(entry.path(), "services"))
        folders.push_back(entry.path());
    std::sort(folders.begin(), folders.end());
    for (const fs::path& folder : folders) {
      Root root;
      // The corpus root is the scan root: service modules call ../../terraform-modules/ecs-task.
      root.scan_root = std::make_unique<terraform::ScanRoot>(fs::canonical(corpus_root).string());
      std::string error;
      root.module = root.scan_root->module(fs::canonical(folder).string(), error);
      if (!root.module) continue;
      for (const hcl::File& file : root.module->files) root.bytes += static_cast<int64_t>(file.source->text().size());
      fs::path tfvars = folder / "terraform.tfvars";
      if (fs::exists(tfvars)) {
        hcl::File variables = terraform::load_hcl_file(fs::canonical(tfvars).string(), "terraform.tfvars", {});
        std::vector<terraform::EvaluationFailure> failures;
        terraform::read_variable_values(*root.scan_root, variables, root.values, failures);
      }
      result.push_back(std::move(root));
    }
    return result;
  }();
  if (roots.empty()) {
    state.SkipWithError("no Terraform root modules in the corpus");
    return;
  }
  int64_t bytes = 0;
  for (const Root& root : roots) bytes += root.bytes;
  for (auto _ : state)
    for (Root& root : roots)
      benchmark::DoNotOptimize(terraform::evaluate_root_module(*root.scan_root, *root.module, root.values));
  state.SetBytesProcessed(state.iterations() * bytes);
  state.counters["modules"] = static_cast<double>(roots.size());
}

// A chart rendered as `helm template` renders it: every template of the generated charts (helpers
// with define/include, toYaml, nindent, with/if/range), values coalesced; loading is not timed.
void helm_template_render(benchmark::State& state) {
  struct LoadedChart {
    std::unique_ptr<helm::Chart> chart;
    int64_t bytes = 0;
  };
  static std::vector<LoadedChart> charts = [] {
    std::vector<LoadedChart> result;
    std::vector<fs::path> folders;
    for (const auto& entry : fs::recursive_directory_iterator(corpus_root))
      if (entry.is_regular_file() && entry.path().filename() == "Chart.yaml") folders.push_back(entry.path().parent_path());
    std::sort(folders.begin(), folders.end());
    for (const fs::path& folder : folders) {
      helm::ChartLoadOptions options;
      options.scan_root = fs::canonical(corpus_root).string();
      helm::LoadedChart loaded = helm::load_chart(fs::canonical(folder).string(), "chart", options);
      if (!loaded.chart) continue;
      LoadedChart chart{std::move(loaded.chart)};
      for (const helm::ChartFile& file : chart.chart->templates)
        if (file.file) chart.bytes += static_cast<int64_t>(file.file->text().size());
      result.push_back(std::move(chart));
    }
    return result;
  }();
  if (charts.empty()) {
    state.SkipWithError("no charts in the corpus");
    return;
  }
  int64_t bytes = 0;
  for (const LoadedChart& chart : charts) bytes += chart.bytes;
  const helm::UserValues no_user_values;
  for (auto _ : state)
    for (const LoadedChart& chart : charts)
      benchmark::DoNotOptimize(helm::render_chart(*chart.chart, no_user_values, helm::RenderOptions{}));
  state.SetBytesProcessed(state.iterations() * bytes);
  state.counters["charts"] = static_cast<double>(charts.size());
}

void nginx_reader(benchmark::State& state) {
  static const auto files = corpus_files([](const fs::path& path) {
    return path.filename() == "nginx.conf" || (has_extension(path, ".conf") && under(path, "nginx"));
  });
  over_files(state, files, [](const auto& file) { benchmark::DoNotOptimize(nginx::parse_nginx_config(*file)); });
}

void eb_config_reader(benchmark::State& state) {
  static const auto files = corpus_files([](const fs::path& path) {
    return has_extension(path, ".config") && under(path, ".ebextensions");
  });
  over_files(state, files, [](const auto& file) {
    benchmark::DoNotOptimize(eb::read_bundle_file(file, eb::BundleFileKind::Extension, LoadLimits{}));
  });
}

}  // namespace

BENCHMARK(dockerfile_parser)->Unit(benchmark::kMicrosecond);
BENCHMARK(shell_reader)->Unit(benchmark::kMicrosecond);
BENCHMARK(yaml_loader)->Unit(benchmark::kMicrosecond);
BENCHMARK(strict_json_parser)->Unit(benchmark::kMicrosecond);
BENCHMARK(hcl_loader)->Unit(benchmark::kMicrosecond);
BENCHMARK(terraform_evaluator)->Unit(benchmark::kMicrosecond);
BENCHMARK(helm_template_render)->Unit(benchmark::kMicrosecond);
BENCHMARK(nginx_reader)->Unit(benchmark::kMicrosecond);
BENCHMARK(eb_config_reader)->Unit(benchmark::kMicrosecond);

int main(int argc, char** argv) {
  // --corpus DIR is ours; everything else goes to Google Benchmark.
  std::vector<char*> arguments;
  for (int index = 0; index < argc; ++index) {
    if (std::strcmp(argv[index], "--corpus") == 0 && index + 1 < argc) {
      corpus_root = argv[++index];
      continue;
    }
    arguments.push_back(argv[index]);
  }
  if (corpus_root.empty() || !fs::is_directory(corpus_root)) {
    std::fprintf(stderr, "usage: micro_benchmarks --corpus DIR [benchmark options]\n"
                         "  DIR: python3 bench/generate_corpus.py DIR --mixed 0.01 (bench/micro/run.sh does it)\n");
    return 2;
  }
  int count = static_cast<int>(arguments.size());
  benchmark::Initialize(&count, arguments.data());
  if (benchmark::ReportUnrecognizedArguments(count, arguments.data())) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
