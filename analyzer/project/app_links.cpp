#include "analyzer/project/app_links.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <unordered_map>

#include <fmt/format.h>

#include "analyzer/config/config.h"
#include "analyzer/detect/image_reference.h"
#include "analyzer/project/deployment_table.h"

namespace shiftlint::project {

namespace fs = std::filesystem;

namespace {

std::string_view last_part(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string folder_of(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? "" : std::string(path.substr(0, slash));
}

// `path` is `folder` or below it ("" is the scan root, which holds everything).
bool is_within(std::string_view path, std::string_view folder) {
  if (folder.empty()) return true;
  return path == folder || (path.size() > folder.size() && path.starts_with(folder) && path[folder.size()] == '/');
}

// Vendored code (a dependency's own Dockerfile or manifests) is not the app's, whatever tree it is in.
bool is_vendored(std::string_view path) {
  for (std::string_view segment : {"vendor/", "node_modules/", "contrib/", "third_party/", "third-party/", ".venv/",
                                   "site-packages/", "bower_components/", "external/"})
    for (size_t at = path.find(segment); at != std::string_view::npos; at = path.find(segment, at + 1))
      if (at == 0 || path[at - 1] == '/') return true;
  return false;
}

std::string describe_folder(std::string_view folder) { return folder.empty() ? "the scan root" : std::string(folder); }

// A configured path (relative to the config's folder) as a display path relative to the scan
// root; nullopt when it lies outside the scan.
std::optional<std::string> display_path_of(const std::string& configured, const Config& config, const std::string& root) {
  std::error_code error;
  fs::path base = config.path.empty() ? fs::current_path(error) : fs::absolute(config.directory(), error);
  fs::path target = (base / configured).lexically_normal();
  fs::path relative = target.lexically_relative(fs::path(root).lexically_normal());
  std::string text = relative.generic_string();
  while (!text.empty() && text.back() == '/') text.pop_back();
  if (text.empty() || text.starts_with("..")) return text.empty() ? std::nullopt : std::nullopt;
  if (text == ".") return std::string();
  return text;
}

struct Configured {
  const AppMapping* mapping = nullptr;
  std::vector<std::string> dockerfiles, task_definitions, kubernetes, bundles;
  std::string reason;
};

bool matches_any(std::string_view path, const std::vector<std::string>& folders) {
  return std::any_of(folders.begin(), folders.end(), [&](const std::string& folder) { return is_within(path, folder); });
}

// What a container image must be called to run an app, and why that name belongs to it.
struct ImageKey {
  std::string name;
  std::string why;  // completes "image X matches ..."
};

// A run's deployments as linking reads them: from ProjectFacts, or from the check run's
// DeploymentTable (the same questions, asked of either).
struct DeploymentList {
  const std::vector<DeploymentFacts>& list;
  size_t size() const { return list.size(); }
  DeploymentFacts::Kind kind(size_t index) const { return list[index].kind; }
  std::string_view path(size_t index) const { return list[index].path; }
  std::string_view name(size_t index) const { return list[index].name; }
  size_t container_count(size_t index) const { return list[index].container_count(); }
  std::string_view container_image(size_t index, size_t container) const { return list[index].container_image(container); }
  bool container_is_sidecar(size_t index, size_t container) const { return list[index].container_is_sidecar(container); }
};

template <typename Deployments>
struct Linker {
  const ProjectFacts& facts;  // host files, images, scheduled runs
  const Deployments& deployments;
  const Config& config;
  std::string root;
  std::vector<App> apps;
  std::vector<Configured> configured;  // parallel to the apps it made, by index in `apps`
  std::map<size_t, size_t> configured_app;  // configured index -> app index
  // Each app's image keys, and the apps (ascending) that have a key of each name: computed once
  // the Dockerfiles are linked, so that linking a deployment is not a walk over every app's keys.
  std::vector<std::vector<ImageKey>> keys_of_app;
  std::unordered_map<std::string, std::vector<size_t>> apps_with_key;
  std::unordered_map<std::string, LinkReason> reasons;  // each text once (LinkReason)

  LinkReason reason(std::string text) {
    auto found = reasons.find(text);
    if (found == reasons.end()) {
      LinkReason shared(text);
      found = reasons.emplace(std::move(text), std::move(shared)).first;
    }
    return found->second;
  }

  std::string root_name() const {
    std::string name(last_part(fs::path(root).lexically_normal().generic_string()));
    return name.empty() ? "app" : name;
  }

  void group_bundles() {
    std::map<std::string, size_t> by_root;
    for (size_t index = 0; index < facts.host_files.size(); ++index) {
      const HostFileFacts& file = facts.host_files[index];
      auto [at, inserted] = by_root.emplace(file.bundle_root, apps.size());
      if (inserted) {
        App app;
        app.bundle_root = file.bundle_root;
        app.has_bundle = true;
        app.name = file.bundle_root.empty() ? root_name() : std::string(last_part(file.bundle_root));
        apps.push_back(std::move(app));
      }
      apps[at->second].host_files.push_back(index);
    }
  }

  void apply_config() {
    for (const AppMapping& mapping : config.app_mappings) {
      Configured entry;
      entry.mapping = &mapping;
      std::string config_name = config.path.empty() ? "config" : std::string(last_part(config.path));
      entry.reason = fmt::format("config apps: {} ({}:{})", mapping.name, config_name, mapping.span.begin.line);
      auto resolve = [&](const std::vector<std::string>& paths, std::vector<std::string>& into) {
        for (const std::string& path : paths)
          if (auto display = display_path_of(path, config, root)) into.push_back(*display);
      };
      resolve(mapping.dockerfiles, entry.dockerfiles);
      resolve(mapping.task_definitions, entry.task_definitions);
      resolve(mapping.kubernetes, entry.kubernetes);
      resolve(mapping.bundles, entry.bundles);
      for (std::string& bundle : entry.bundles)
        if (last_part(bundle) == ".ebextensions" || last_part(bundle) == ".platform") bundle = folder_of(bundle);
      // The bundle's app takes the configured name; an app without EB files is the config's alone.
      std::optional<size_t> app_index;
      for (size_t index = 0; index < apps.size(); ++index)
        if (apps[index].has_bundle && std::find(entry.bundles.begin(), entry.bundles.end(), apps[index].bundle_root) != entry.bundles.end())
          app_index = index;
      if (!app_index) {
        App app;
        app.name = mapping.name;
        if (!entry.bundles.empty()) app.bundle_root = entry.bundles.front();
        apps.push_back(std::move(app));
        app_index = apps.size() - 1;
      }
      App& app = apps[*app_index];
      app.name = mapping.name;
      app.configured_by = entry.reason;
      configured_app[configured.size()] = *app_index;
      configured.push_back(std::move(entry));
    }
  }

  // --- Dockerfiles: config, then a folder named like the app, then the deepest bundle tree ---

  std::optional<std::pair<size_t, std::string>> tree_owner(std::string_view path, std::string_view what) const {
    if (is_vendored(path)) return std::nullopt;
    std::optional<size_t> best;
    for (size_t index = 0; index < apps.size(); ++index) {
      const App& app = apps[index];
      if (!app.has_bundle || !is_within(path, app.bundle_root)) continue;
      if (!best || app.bundle_root.size() > apps[*best].bundle_root.size()) best = index;
    }
    if (!best) return std::nullopt;
    const App& app = apps[*best];
    std::string reason;
    if (folder_of(path) == app.bundle_root) {
      std::string role = bundle_role(app);
      reason = fmt::format("{} in the same folder as {}", what, role);
    } else {
      reason = fmt::format("{} in the tree of the Elastic Beanstalk bundle at {}", what, describe_folder(app.bundle_root));
    }
    return std::pair{*best, reason};
  }

  std::string bundle_role(const App& app) const {
    // The most telling file of the bundle: .ebextensions first, then Dockerrun.aws.json, Procfile.
    std::string best;
    for (size_t index : app.host_files) {
      const std::string& role = facts.host_files[index].role;
      if (role == ".ebextensions") return ".ebextensions";
      if (best.empty() || role == "Dockerrun.aws.json") best = role;
    }
    return best.empty() ? "the Elastic Beanstalk bundle" : best;
  }

  void link_images() {
    for (size_t index = 0; index < facts.images.size(); ++index) {
      const ImageFacts& image = facts.images[index];
      bool linked = false;
      for (size_t entry = 0; entry < configured.size(); ++entry) {
        if (!matches_any(image.path, configured[entry].dockerfiles)) continue;
        apps[configured_app[entry]].images.push_back({index, reason(configured[entry].reason), {}});
        linked = true;
      }
      if (linked) continue;
      auto tree = tree_owner(image.path, "Dockerfile");
      // A Dockerfile folder named like exactly one app, outside that app's tree (docker/web/ for web).
      std::string_view folder_name = image.folder.empty() ? std::string_view() : last_part(image.folder);
      std::vector<size_t> named;
      for (size_t app = 0; app < apps.size(); ++app)
        if (!folder_name.empty() && apps[app].name == folder_name) named.push_back(app);
      if (named.size() == 1 && (!tree || (tree->first != named.front() && apps[tree->first].bundle_root.empty()))) {
        apps[named.front()].images.push_back(
            {index, reason(fmt::format("Dockerfile folder {} is named like the app {}", image.folder, apps[named.front()].name)),
             {}});
        continue;
      }
      if (tree) apps[tree->first].images.push_back({index, reason(tree->second), {}});
    }
  }

  // --- task definitions and workloads: config, then image names, then the deepest bundle tree ---

  // Most telling first: the names an image is built or pushed under, then the app's own names.
  std::vector<ImageKey> image_keys(const App& app) const {
    std::vector<ImageKey> keys;
    for (size_t index : app.host_files) {
      const HostFileFacts& file = facts.host_files[index];
      if (file.dockerrun_image.empty()) continue;
      detect::ImageReference reference = detect::parse_image_reference(file.dockerrun_image);
      if (!reference.known) continue;
      keys.push_back({reference.repository, fmt::format("the image of {} ({})", file.path, file.dockerrun_image)});
    }
    if (const AppMapping* mapping = configured_mapping(app))
      for (const std::string& name : mapping->images) keys.push_back({name, fmt::format("the image of config apps: {}", app.name)});
    for (const LinkedFile& link : app.images) {
      const ImageFacts& image = facts.images[link.index];
      std::string folder(image.folder.empty() ? root_name() : std::string(last_part(image.folder)));
      keys.push_back({folder, fmt::format("the folder of {}", image.path)});
    }
    if (app.has_bundle) {
      std::string folder(app.bundle_root.empty() ? root_name() : std::string(last_part(app.bundle_root)));
      keys.push_back({folder, fmt::format("the folder of the Elastic Beanstalk bundle ({})", describe_folder(app.bundle_root))});
    }
    keys.push_back({app.name, fmt::format("the app's name {}", app.name)});
    return keys;
  }

  const AppMapping* configured_mapping(const App& app) const {
    for (const auto& [entry, index] : configured_app)
      if (&apps[index] == &app) return configured[entry].mapping;
    return nullptr;
  }

  // The linked Dockerfile whose folder names the image, for XF006.
  std::optional<size_t> image_of(const App& app, std::string_view repository) const {
    for (const LinkedFile& link : app.images) {
      const ImageFacts& image = facts.images[link.index];
      std::string folder(image.folder.empty() ? root_name() : std::string(last_part(image.folder)));
      if (folder == repository || folder == last_part(repository)) return link.index;
    }
    // One Dockerfile and an image named for the app: that Dockerfile builds it.
    if (app.images.size() == 1) return app.images.front().index;
    return std::nullopt;
  }

  void index_image_keys() {
    keys_of_app.clear();
    apps_with_key.clear();
    for (size_t app = 0; app < apps.size(); ++app) {
      keys_of_app.push_back(image_keys(apps[app]));
      for (const ImageKey& key : keys_of_app.back()) {
        std::vector<size_t>& owners = apps_with_key[key.name];
        if (owners.empty() || owners.back() != app) owners.push_back(app);
      }
    }
  }

  // The apps with a key named `repository` or `last` (its last part), ascending.
  std::vector<size_t> apps_named(const std::string& repository, std::string_view last) const {
    std::vector<size_t> found;
    for (const std::string& name : {repository, std::string(last)})
      if (auto owners = apps_with_key.find(name); owners != apps_with_key.end())
        found.insert(found.end(), owners->second.begin(), owners->second.end());
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end());
    return found;
  }

  void link_deployments() {
    index_image_keys();
    for (size_t index = 0; index < deployments.size(); ++index) {
      DeploymentFacts::Kind kind = deployments.kind(index);
      std::string_view path = deployments.path(index);
      bool linked = false;
      for (size_t entry = 0; entry < configured.size(); ++entry) {
        const std::vector<std::string>& paths =
            kind == DeploymentFacts::Kind::TaskDefinition ? configured[entry].task_definitions : configured[entry].kubernetes;
        if (!matches_any(path, paths)) continue;
        App& app = apps[configured_app[entry]];
        LinkedFile link{index, reason(configured[entry].reason), {}};
        add_matching_containers(app, index, link);
        app.deployments.push_back(std::move(link));
        linked = true;
      }
      if (linked) continue;
      // Image names: each container's repository against every app's names.
      std::optional<size_t> owner;
      LinkedFile link{index, "", {}};
      bool ambiguous = false;
      for (size_t container = 0; container < deployments.container_count(index); ++container) {
        std::string_view image = deployments.container_image(index, container);
        if (deployments.container_is_sidecar(index, container) || image.empty()) continue;
        detect::ImageReference reference = detect::parse_image_reference(image);
        if (!reference.known) continue;
        std::string_view last = last_part(reference.repository);
        for (size_t app : apps_named(reference.repository, last)) {
          for (const ImageKey& key : keys_of_app[app]) {
            if (key.name != reference.repository && key.name != last) continue;
            if (owner && *owner != app) ambiguous = true;
            if (!owner) {
              owner = app;
              link.reason = reason(fmt::format("image {} matches {}", reference.repository, key.why));
            }
            if (*owner == app) link.containers.push_back({container, image_of(apps[app], reference.repository)});
            break;
          }
        }
      }
      if (owner && !ambiguous) {
        std::sort(link.containers.begin(), link.containers.end(),
                  [](const LinkedFile::Container& a, const LinkedFile::Container& b) { return a.container < b.container; });
        link.containers.erase(std::unique(link.containers.begin(), link.containers.end(),
                                          [](const LinkedFile::Container& a, const LinkedFile::Container& b) {
                                            return a.container == b.container;
                                          }),
                              link.containers.end());
        apps[*owner].deployments.push_back(std::move(link));
        continue;
      }
      std::string what = kind == DeploymentFacts::Kind::TaskDefinition ? "task definition" : "manifest";
      if (auto tree = tree_owner(path, what)) {
        LinkedFile by_tree{index, reason(tree->second), {}};
        add_matching_containers(apps[tree->first], index, by_tree);
        apps[tree->first].deployments.push_back(std::move(by_tree));
      }
    }
  }

  // For a deployment linked by config or tree: which containers run an image of this app.
  void add_matching_containers(const App& app, size_t deployment, LinkedFile& link) const {
    const std::vector<ImageKey>& keys = keys_of_app[static_cast<size_t>(&app - apps.data())];
    for (size_t container = 0; container < deployments.container_count(deployment); ++container) {
      if (deployments.container_is_sidecar(deployment, container)) continue;
      detect::ImageReference reference = detect::parse_image_reference(deployments.container_image(deployment, container));
      if (!reference.known) continue;
      std::string_view last = last_part(reference.repository);
      for (const ImageKey& key : keys)
        if (key.name == reference.repository || key.name == last) {
          link.containers.push_back({container, image_of(app, reference.repository)});
          break;
        }
    }
  }

  void link_scheduled_runs() {
    for (size_t index = 0; index < facts.scheduled_runs.size(); ++index) {
      const ScheduledRunFacts& run = facts.scheduled_runs[index];
      std::optional<size_t> owner;
      std::string why;
      for (size_t app = 0; app < apps.size() && !owner; ++app)
        for (const LinkedFile& link : apps[app].deployments)
          if (!run.task_family.empty() && deployments.name(link.index) == run.task_family) {
            owner = app;
            why = fmt::format("runs the task definition {} of this app", run.task_family);
            break;
          }
      if (!owner)
        if (auto tree = tree_owner(run.path, "scheduled task")) {
          owner = tree->first;
          why = tree->second;
        }
      if (owner) apps[*owner].scheduled_runs.push_back({index, reason(std::move(why)), {}});
    }
  }
};

}  // namespace

const std::string& LinkReason::text() const {
  static const std::string none;
  return text_ ? *text_ : none;
}

std::vector<size_t> app_containers(const LinkedFile& link, const DeploymentFacts& deployment) {
  std::vector<size_t> result;
  for (const LinkedFile::Container& container : link.containers) result.push_back(container.container);
  if (!result.empty()) return result;
  for (size_t index = 0; index < deployment.container_count(); ++index)
    if (!deployment.container_is_sidecar(index)) result.push_back(index);
  return result;
}

std::string describe_links(const App& app, const ProjectFacts& facts) {
  std::string text;
  auto add = [&](const std::string& path, const std::string& reason) {
    if (!text.empty()) text += "; ";
    text += reason.empty() ? path : fmt::format("{} ({})", path, reason);
  };
  if (app.has_bundle) add(app.bundle_root.empty() ? "the Elastic Beanstalk bundle at the scan root"
                                                  : fmt::format("the Elastic Beanstalk bundle at {}", app.bundle_root),
                          app.configured_by);
  for (const LinkedFile& link : app.images) add(facts.images[link.index].path, link.reason);
  for (const LinkedFile& link : app.deployments) add(facts.deployments[link.index].path, link.reason);
  for (const LinkedFile& link : app.scheduled_runs) add(facts.scheduled_runs[link.index].path, link.reason);
  return fmt::format("app {}: {}", app.name, text);
}

namespace {

template <typename Deployments>
std::vector<App> link(const ProjectFacts& facts, const Deployments& deployments, const Config& config,
                      const std::string& root_directory) {
  Linker<Deployments> linker{facts, deployments, config, root_directory, {}, {}, {}, {}, {}, {}};
  linker.group_bundles();
  linker.apply_config();
  linker.link_images();
  linker.link_deployments();
  linker.link_scheduled_runs();
  return std::move(linker.apps);
}

}  // namespace

std::vector<App> link_apps(const ProjectFacts& facts, const Config& config, const std::string& root_directory) {
  return link(facts, DeploymentList{facts.deployments}, config, root_directory);
}

std::vector<App> link_apps(const ProjectFacts& facts, const DeploymentTable& deployments, const Config& config,
                           const std::string& root_directory) {
  return link(facts, deployments, config, root_directory);
}

}  // namespace shiftlint::project
