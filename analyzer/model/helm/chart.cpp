#include "analyzer/model/helm/chart.h"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <fstream>
#include <map>

#include <fmt/format.h>

#include "analyzer/model/helm/helm_ignore.h"
#include "analyzer/model/helm/semantic_version.h"
#include "analyzer/parse/yaml_loader.h"
#include "analyzer/source/read_bound.h"
#include "analyzer/source/tar_gz.h"

namespace shiftlint::helm {

namespace fs = std::filesystem;

namespace {

// Chart.yaml's `version` ("" when it has none).
std::string chart_version(const Chart& chart) {
  const Node* metadata = chart.metadata();
  const Node* version = metadata && metadata->is_map() ? metadata->find("version") : nullptr;
  return version && version->as_string() ? std::string(*version->as_string()) : std::string();
}

// The files of one chart, from a folder or an archive, by path relative to the chart root.
struct TreeFile {
  std::string relative;
  std::string disk_path;  // empty for archive content
  std::shared_ptr<const std::string> content;  // archive content (null for disk files)
  uint64_t size = 0;
};
using FileTree = std::vector<TreeFile>;

// A chart folder's files, less what its .helmignore leaves out.
struct FolderTree {
  FileTree files;
  std::optional<ChartProblem> ignore_problem;  // a .helmignore line Helm rejects
};

bool inside(const fs::path& path, const fs::path& root) {
  if (root.empty()) return true;
  auto [root_end, unused] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
  return root_end == root.end();
}

class Loader {
 public:
  Loader(const ChartLoadOptions& options, std::vector<ChartProblem>& problems) : options_(options), problems_(problems) {
    std::error_code error;
    // The read bound: the scan root, or the repository it is in (a library chart beside the chart
    // shiftlint runs in, `cd charts/web && shiftlint check .`).
    if (!options.scan_root.empty())
      root_ = read_bound_of(fs::weakly_canonical(options.scan_root, error).lexically_normal().generic_string());
  }

  // The files under `directory` (canonical, inside the root), skipping VCS folders and what the
  // chart's .helmignore leaves out, as `helm package`, `helm template` and `helm install` do for a
  // chart folder (`display` names the folder in reports).
  std::optional<FolderTree> tree_of_directory(const fs::path& directory, const std::string& display) {
    std::error_code error;
    fs::path canonical = fs::weakly_canonical(directory, error);
    if (error || !inside(canonical, root_)) return std::nullopt;
    FolderTree tree;
    HelmIgnore ignore = read_helmignore(canonical, display, tree.ignore_problem);
    uint64_t total = 0;
    fs::recursive_directory_iterator it(canonical, fs::directory_options::skip_permission_denied, error), end;
    for (; !error && it != end; it.increment(error)) {
      const fs::directory_entry& entry = *it;
      std::string name = entry.path().filename().string();
      if (entry.is_directory(error)) {
        if (name == ".git" || name == ".svn" || name == ".hg" || name == "node_modules" ||
            ignore.ignores(fs::relative(entry.path(), canonical).generic_string(), true))
          it.disable_recursion_pending();
        continue;
      }
      if (!entry.is_regular_file(error)) continue;
      std::string relative = fs::relative(entry.path(), canonical).generic_string();
      if (ignore.ignores(relative, false)) continue;
      fs::path real = fs::weakly_canonical(entry.path(), error);
      if (error || !inside(real, root_)) continue;  // a link out of the scan root
      uint64_t size = entry.file_size(error);
      total += size;
      if (total > options_.max_chart_bytes || tree.files.size() > 20000) break;
      tree.files.push_back({std::move(relative), real.string(), nullptr, size});
    }
    std::sort(tree.files.begin(), tree.files.end(),
              [](const TreeFile& a, const TreeFile& b) { return a.relative < b.relative; });
    return tree;
  }

  // The rules of `<folder>/.helmignore` (Helm's default rule alone when there is none). A line Helm
  // rejects is a problem on that line; the rules before it still apply, so that the rest of the
  // chart is analysed as closely as possible to what the author meant.
  HelmIgnore read_helmignore(const fs::path& folder, const std::string& display,
                                   std::optional<ChartProblem>& problem) {
    std::error_code error;
    fs::path path = folder / ".helmignore";
    if (!fs::is_regular_file(path, error)) return HelmIgnore::defaults();
    TreeFile file{".helmignore", path.string(), nullptr, fs::file_size(path, error)};
    if (error) return HelmIgnore::defaults();
    std::string unread;
    std::optional<std::string> text = read(file, unread);
    std::string shown = display.empty() ? file.relative : display + "/" + file.relative;
    if (!text) {
      problem = ChartProblem{nullptr, {}, shown + ": " + unread, false};
      return HelmIgnore::defaults();
    }
    auto source = std::make_shared<const SourceFile>(path.string(), shown, std::move(*text));
    std::optional<HelmIgnoreError> rejected;
    HelmIgnore ignore = HelmIgnore::parse(source->text(), rejected);
    if (rejected) {
      problem = ChartProblem{source, source->span_of(rejected->begin_offset, rejected->end_offset),
                             fmt::format("Helm refuses to load this chart: {} (helm template, lint, package and "
                                         "install all fail); fix or remove this .helmignore line",
                                         rejected->message),
                             true};
    }
    return ignore;
  }

  std::optional<std::string> read(const TreeFile& file, std::string& problem) {
    if (file.content) return *file.content;
    if (file.size > options_.max_file_bytes) {
      problem = fmt::format("{} is larger than the {} MiB limit", file.relative, options_.max_file_bytes >> 20);
      return std::nullopt;
    }
    std::ifstream in(file.disk_path, std::ios::binary);
    if (!in) {
      problem = "cannot read " + file.relative;
      return std::nullopt;
    }
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return text;
  }

  std::unique_ptr<Chart> load(const FileTree& tree, const std::string& directory, const std::string& display,
                              int depth) {
    auto find = [&](std::string_view relative) -> const TreeFile* {
      auto found = std::lower_bound(tree.begin(), tree.end(), relative,
                                    [](const TreeFile& file, std::string_view name) { return file.relative < name; });
      return found != tree.end() && found->relative == relative ? &*found : nullptr;
    };
    auto display_of = [&](const std::string& relative) { return display.empty() ? relative : display + "/" + relative; };
    auto source_of = [&](const TreeFile& file) -> std::shared_ptr<const SourceFile> {
      std::string problem;
      std::optional<std::string> text = read(file, problem);
      if (!text) {
        problems_.push_back({nullptr, {}, display_of(file.relative) + ": " + problem, false});
        return nullptr;
      }
      std::string path = file.disk_path.empty() ? display_of(file.relative) : file.disk_path;
      return std::make_shared<const SourceFile>(path, display_of(file.relative), std::move(*text));
    };
    auto parse_yaml = [&](const std::shared_ptr<const SourceFile>& file, Document& document) {
      document = load_yaml(file);
      for (const ParseDiagnostic& error : document.errors) problems_.push_back({file, error.span, error.message, true});
    };

    const TreeFile* chart_yaml = find("Chart.yaml");
    if (!chart_yaml) return nullptr;
    auto chart = std::make_unique<Chart>();
    chart->directory = directory;
    chart->chart_file = source_of(*chart_yaml);
    if (!chart->chart_file) return nullptr;
    parse_yaml(chart->chart_file, chart->chart_document);
    const Node* metadata = chart->metadata();
    if (!chart->chart_document.ok() || !metadata || !metadata->is_map()) {
      if (chart->chart_document.ok())
        problems_.push_back({chart->chart_file, {{1, 1}, {1, 1}}, "Chart.yaml is not a map of chart metadata", true});
      return nullptr;
    }
    if (const Node* name = metadata->find("name"); name && name->as_string()) chart->name = std::string(*name->as_string());
    if (chart->name.empty()) chart->name = fs::path(display.empty() ? directory : display).filename().string();
    if (const Node* type = metadata->find("type"); type && type->as_string() == "library") chart->is_library = true;

    if (const TreeFile* values = find("values.yaml")) {
      chart->values_file = source_of(*values);
      if (chart->values_file) parse_yaml(chart->values_file, chart->values_document);
    }

    // Dependencies: Chart.yaml (v2) or requirements.yaml (v1).
    const Node* dependencies = metadata->find("dependencies");
    if (!dependencies) {
      if (const TreeFile* file = find("requirements.yaml")) {
        if (auto source = source_of(*file)) {
          parse_yaml(source, chart->requirements_document);
          chart->requirements_file = source;
          dependencies = chart->requirements_document.roots.empty()
                             ? nullptr
                             : chart->requirements_document.roots.front().find("dependencies");
        }
      }
    }
    if (dependencies && dependencies->is_list()) {
      for (const Node& entry : dependencies->children) {
        if (!entry.is_map()) continue;
        Dependency dependency;
        dependency.declaration = &entry;
        auto text = [&](const char* key) {
          const Node* node = entry.find(key);
          return node && node->as_string() ? std::string(*node->as_string()) : std::string();
        };
        dependency.name = text("name");
        dependency.alias = text("alias");
        dependency.condition = text("condition");
        dependency.repository = text("repository");
        dependency.version = text("version");
        if (const Node* tags = entry.find("tags"); tags && tags->is_list())
          for (const Node& tag : tags->children)
            if (tag.as_string()) dependency.tags.emplace_back(*tag.as_string());
        dependency.import_values = entry.find("import-values");
        if (!dependency.name.empty()) chart->dependencies.push_back(std::move(dependency));
        // Conditions and tags are read from the values; a dependency without a name is skipped.
      }
    }

    // Templates, files, and the subcharts in charts/.
    std::map<std::string, FileTree> folder_subcharts;
    std::vector<const TreeFile*> archives;
    for (const TreeFile& file : tree) {
      const std::string& relative = file.relative;
      if (relative.starts_with("charts/")) {
        std::string rest = relative.substr(7);
        size_t slash = rest.find('/');
        if (slash == std::string::npos) {
          if (rest.ends_with(".tgz")) archives.push_back(&file);
        } else {
          TreeFile inner = file;
          inner.relative = rest.substr(slash + 1);
          folder_subcharts[rest.substr(0, slash)].push_back(std::move(inner));
        }
        continue;
      }
      if (relative.starts_with("templates/")) {
        if (auto source = source_of(file)) chart->templates.push_back({relative, source, file.disk_path, nullptr, file.size});
        continue;
      }
      if (relative == "Chart.yaml" || relative == "values.yaml" || relative == "requirements.yaml" ||
          relative == "requirements.lock" || relative == "Chart.lock")
        continue;
      chart->files.push_back({relative, nullptr, file.disk_path, file.content, file.size});
    }

    if (depth >= options_.max_depth) {
      problems_.push_back({chart->chart_file, {{1, 1}, {1, 1}},
                           fmt::format("subcharts nest deeper than {} levels: the deeper ones are not rendered", options_.max_depth),
                           false});
      return chart;
    }
    std::vector<std::unique_ptr<Chart>> found;
    // How to load each found subchart again: a chart that two dependencies use under two aliases
    // (two Redis instances from one charts/redis) is rendered once per alias, each with its values.
    std::vector<std::function<std::unique_ptr<Chart>()>> reload;
    for (auto& [folder, files] : folder_subcharts) {
      std::string sub_directory = directory.empty() ? "" : (fs::path(directory) / "charts" / folder).string();
      auto load_folder = [this, &files = files, sub_directory, sub_display = display_of("charts/" + folder), depth] {
        return load(files, sub_directory, sub_display, depth + 1);
      };
      if (auto sub = load_folder()) {
        found.push_back(std::move(sub));
        reload.push_back(load_folder);
      }
    }
    for (const TreeFile* archive : archives) {
      std::string problem;
      std::optional<std::string> compressed = read(*archive, problem);
      if (!compressed) {
        problems_.push_back({nullptr, {}, display_of(archive->relative) + ": " + problem, false});
        continue;
      }
      ArchiveContents contents = read_tar_gz(*compressed, options_.max_chart_bytes);
      if (!contents.error.empty()) {
        problems_.push_back({chart->chart_file, {{1, 1}, {1, 1}},
                             fmt::format("{}: {}: the subchart is not rendered", display_of(archive->relative), contents.error),
                             false});
        continue;
      }
      FileTree files;
      for (ArchiveEntry& entry : contents.entries) {
        size_t slash = entry.path.find('/');
        if (slash == std::string::npos) continue;
        std::string relative = entry.path.substr(slash + 1);
        if (relative.find("..") != std::string::npos) continue;
        uint64_t size = entry.content.size();
        files.push_back({relative, "", std::make_shared<const std::string>(std::move(entry.content)), size});
      }
      std::sort(files.begin(), files.end(), [](const TreeFile& a, const TreeFile& b) { return a.relative < b.relative; });
      auto archive_files = std::make_shared<const FileTree>(std::move(files));
      auto load_archive = [this, archive_files, sub_display = display_of(archive->relative), depth] {
        return load(*archive_files, "", sub_display, depth + 1);
      };
      if (auto sub = load_archive()) {
        found.push_back(std::move(sub));
        reload.push_back(load_archive);
      }
    }

    // Each declared dependency takes the subchart of its name (a copy per alias); one that is
    // not in charts/ comes from its file:// repository or a sibling folder of the same name.
    std::vector<bool> used(found.size(), false);
    std::vector<std::string> found_names;
    for (const std::unique_ptr<Chart>& sub : found) found_names.push_back(sub->name);
    for (const Dependency& dependency : chart->dependencies) {
      std::unique_ptr<Chart> subchart;
      for (size_t i = 0; i < found.size(); ++i) {
        if (found_names[i] != dependency.name) continue;
        if (!used[i]) {
          subchart = std::move(found[i]);
          used[i] = true;
        } else {
          subchart = reload[i]();  // a second alias of the same chart: a copy of its own
        }
        break;
      }
      std::string outside_root;
      std::string near_miss;
      std::string other_version;
      if (!subchart)
        subchart = load_elsewhere(dependency, directory, display, depth, outside_root, near_miss, other_version);
      if (!subchart) {
        const Node* where = dependency.declaration;
        // An alias is the name the parent's values and templates use for it.
        std::string named = dependency.alias.empty()
                                ? fmt::format("\"{}\"", dependency.name)
                                : fmt::format("\"{}\" (chart \"{}\")", dependency.alias, dependency.name);
        std::string message;
        if (!outside_root.empty())
          message = fmt::format("dependency {} is not in charts/, and the chart folder {} lies outside the scanned "
                                "folder and the git repository it is in, which shiftlint does not read: its templates "
                                "are not rendered (check a folder that holds both charts, or run `helm dependency build`)",
                                named, outside_root);
        else if (!near_miss.empty())
          message = fmt::format("dependency {} is not in charts/, and {}: its templates are not rendered (run `helm "
                                "dependency build`)",
                                named, near_miss);
        else
          message = fmt::format("dependency {} is not in charts/ and no folder of that name was found beside the "
                                "chart: its templates are not rendered (run `helm dependency build`)",
                                named);
        constexpr std::string_view consequence = "its templates are not rendered";
        size_t consequence_end = message.find(consequence) + consequence.size();
        chart->missing_dependencies.push_back(
            {&dependency,
             {where ? std::shared_ptr<const SourceFile>(chart->chart_file, where->file) : chart->chart_file,
              where ? where->span : Span{{1, 1}, {1, 1}}, std::move(message), false, {}},
             consequence_end});
        continue;
      }
      if (!dependency.alias.empty()) subchart->name = dependency.alias;
      std::optional<ChartProblem> version_problem;
      if (!other_version.empty()) {
        const Node* where = dependency.declaration;
        version_problem = ChartProblem{
            where ? std::shared_ptr<const SourceFile>(chart->chart_file, where->file) : chart->chart_file,
            where ? where->span : Span{{1, 1}, {1, 1}},
            fmt::format("dependency \"{}\" {}", dependency.alias.empty() ? dependency.name : dependency.alias,
                        other_version),
            false};
      }
      chart->subcharts.push_back({std::move(subchart), &dependency, std::move(version_problem)});
    }
    for (size_t i = 0; i < found.size(); ++i)
      if (found[i] && !used[i]) chart->subcharts.push_back({std::move(found[i]), nullptr});
    return chart;
  }

  // `outside_root`: a candidate folder that has a Chart.yaml but lies outside the scan root, as
  // the chart's Chart.yaml names it ("../child", "file://../common"), for the problem's message.
  // `near_miss`: why a candidate that is there was not taken ("the folder ../loki has no
  // Chart.yaml": a chart moved to another repository often leaves its README behind).
  std::unique_ptr<Chart> load_elsewhere(const Dependency& dependency, const std::string& directory,
                                        const std::string& display, int depth, std::string& outside_root,
                                        std::string& near_miss, std::string& other_version) {
    if (directory.empty()) return nullptr;  // an archive cannot point at folders
    struct Candidate {
      fs::path path;
      std::string display;
      std::string as_named;  // relative to the chart
    };
    std::vector<Candidate> candidates;
    if (dependency.repository.starts_with("file://")) {
      std::string relative = dependency.repository.substr(7);
      candidates.push_back({fs::path(directory) / relative,
                            (fs::path(display) / relative).lexically_normal().generic_string(), relative});
    }
    fs::path sibling = fs::path(directory).parent_path() / dependency.name;
    // From the display path's own folder, not its parent_path(): a chart at the scan root has the
    // display path "", whose sibling is "../name".
    candidates.push_back({sibling, (fs::path(display) / ".." / dependency.name).lexically_normal().generic_string(),
                          "../" + dependency.name});
    for (const auto& [path, candidate_display, as_named] : candidates) {
      std::error_code error;
      if (!fs::is_regular_file(path / "Chart.yaml", error)) {
        if (near_miss.empty() && fs::is_directory(path, error))
          near_miss = fmt::format("the folder {} has no Chart.yaml", as_named);
        continue;
      }
      std::optional<FolderTree> tree = tree_of_directory(path, candidate_display);
      if (!tree) {
        if (outside_root.empty()) outside_root = as_named;
        continue;
      }
      if (auto chart = load(tree->files, fs::weakly_canonical(path, error).string(), candidate_display, depth + 1)) {
        if (chart->name != dependency.name) {
          if (near_miss.empty())
            near_miss = fmt::format("the chart in {} is named \"{}\", not \"{}\"", as_named, chart->name, dependency.name);
          continue;
        }
        // `helm dependency build` takes a local chart only at a version the entry allows, and
        // fetches the one it asks for instead of a sibling folder at another. The folder is still
        // the best view of the dependency (a monorepo bumping a major first, as Bitnami's does),
        // but templates it cannot render may be the other version's, not the values' (render.cpp).
        if (std::string version = chart_version(*chart); !dependency.version.empty() && !version.empty()) {
          std::string error;
          std::optional<SemanticVersion> parsed = parse_semantic_version(version);
          std::optional<bool> allowed =
              parsed ? semantic_version_satisfies(*parsed, dependency.version, error) : std::optional<bool>();
          if (allowed && !*allowed)
            other_version = fmt::format("is rendered from {}, which is version {}, while the chart asks for {}",
                                        as_named, version, dependency.version);
        }
        if (tree->ignore_problem) problems_.push_back(std::move(*tree->ignore_problem));
        return chart;
      }
    }
    return nullptr;
  }

 private:
  const ChartLoadOptions& options_;
  std::vector<ChartProblem>& problems_;
  fs::path root_;
};

}  // namespace

LoadedChart load_chart(const std::string& directory, const std::string& display_directory,
                       const ChartLoadOptions& options) {
  LoadedChart result;
  Loader loader(options, result.problems);
  std::optional<FolderTree> tree = loader.tree_of_directory(directory, display_directory);
  if (!tree) {
    result.problems.push_back({nullptr, {}, display_directory + ": the chart folder is outside the scanned root", false});
    return result;
  }
  std::error_code error;
  if (tree->ignore_problem) result.problems.push_back(std::move(*tree->ignore_problem));
  result.chart = loader.load(tree->files, fs::weakly_canonical(directory, error).string(), display_directory, 0);
  return result;
}

std::vector<ChartProblem> all_missing_dependency_problems(const Chart& chart) {
  std::vector<ChartProblem> problems;
  for (const Chart::MissingDependency& missing : chart.missing_dependencies) problems.push_back(missing.problem);
  for (const Chart::Subchart& subchart : chart.subcharts) {
    std::vector<ChartProblem> below = all_missing_dependency_problems(*subchart.chart);
    problems.insert(problems.end(), std::make_move_iterator(below.begin()), std::make_move_iterator(below.end()));
  }
  return problems;
}

}  // namespace shiftlint::helm
