#include <cctype>
#include <optional>
#include <string>
#include <utility>
#include <vector>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "analyzer/detect/startup_work.h"
#include "analyzer/engine/rule.h"
#include "analyzer/model/docker/build_context.h"
#include "analyzer/model/docker/final_image.h"
#include "analyzer/model/docker/image_evidence.h"
#include "analyzer/model/docker/image_startup.h"

namespace shiftlint {
namespace {

bool mentions_build_tool(std::string_view body) {
  for (std::string_view tool : {"build", "mix", "webpack", "vite", "rollup", "esbuild", "tsc", "parcel", "gulp", "grunt",
                                "encore", "compile", "babel", "tailwindcss", "sass"})
    if (body.find(tool) != std::string_view::npos) return true;
  return false;
}

// `npm run prod`: Laravel Mix's `prod` compiles assets (`npm run production` → `mix --production`),
// etherpad's starts the server (`node server.js`, or another workspace's `prod`). For the script
// names that say nothing of what they do, the package.json the image copies to the WORKDIR
// decides: a build only when the script, or one it runs by name in the same file, runs a build
// tool. Without that package.json the name is taken at its word.
bool package_script_builds(const docker::Dockerfile& dockerfile, const dkr::ImageStartup& startup,
                           const dkr::StartupCommand& command, const detect::StartupWork& work) {
  if (work.word >= command.words.size()) return true;
  std::string name(command.words[work.word]);
  if (name != "prod" && name != "production" && name != "dist" && name != "bundle") return true;
  const docker::BuildContext* context = dockerfile.build_context;
  if (!context || !startup.stage) return true;
  std::string folder = startup.stage->config.workdir.empty() ? std::string("/") : startup.stage->config.workdir;
  if (folder.back() != '/') folder += '/';
  std::vector<docker::ContextFile> files = context->files_copied_to(folder + "package.json", startup.stage);
  if (files.empty()) return true;
  std::optional<docker::ContextText> text = context->text(files.front());
  if (!text) return true;
  nlohmann::json package = nlohmann::json::parse(text->text.text(), nullptr, false);
  if (package.is_discarded() || !package.is_object() || !package.contains("scripts") || !package["scripts"].is_object())
    return true;
  const nlohmann::json& scripts = package["scripts"];
  for (int depth = 0; depth < 4; ++depth) {
    if (!scripts.contains(name) || !scripts[name].is_string()) return depth > 0 ? false : true;
    std::string body = scripts[name].get<std::string>();
    if (mentions_build_tool(body)) return true;
    // `npm run production`, `yarn production`: another script of the same file.
    size_t run = body.find("run ");
    std::string next = run != std::string::npos ? body.substr(run + 4) : std::string();
    if (next.empty() || body.find("--filter") != std::string::npos || body.find("--workspace") != std::string::npos ||
        body.find(" -w ") != std::string::npos)
      return false;
    name = next.substr(0, next.find_first_of(" &;|"));
  }
  return false;
}

// The distribution family a system package manager belongs to ("debian", "alpine", "rhel"), empty
// for other programs.
std::string_view manager_family(std::string_view program) {
  program = program.substr(program.rfind('/') == std::string_view::npos ? 0 : program.rfind('/') + 1);
  if (program == "apt-get" || program == "apt" || program == "dpkg") return "debian";
  if (program == "apk") return "alpine";
  if (program == "yum" || program == "dnf" || program == "microdnf" || program == "rpm") return "rhel";
  return {};
}

// The final image's distribution family, from the packages its RUNs install or its base image's
// name; empty when neither tells.
std::string_view image_family(const docker::Dockerfile& dockerfile) {
  using shell::PackageManager;
  for (const auto& entry : {std::pair{PackageManager::Apk, std::string_view("alpine")},
                             std::pair{PackageManager::Apt, std::string_view("debian")},
                             std::pair{PackageManager::Dnf, std::string_view("rhel")},
                             std::pair{PackageManager::Yum, std::string_view("rhel")}}) {
    PackageManager manager = entry.first;
    if (dkr::final_image_installs(dockerfile, [manager](const dkr::InstalledPackage& package) {
          return package.manager == manager;
        }))
      return entry.second;
  }
  for (const docker::Stage* stage : docker::final_image_stages(dockerfile)) {
    if (stage->parent) continue;  // FROM another stage: its own FROM tells
    std::string image = stage->image.text;
    for (char& c : image) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (image.find("alpine") != std::string::npos) return "alpine";
    for (std::string_view debian : {"debian", "ubuntu", "bookworm", "bullseye", "buster", "trixie", "jammy", "noble", "focal"})
      if (image.find(debian) != std::string::npos) return "debian";
  }
  return {};
}

// The command is in a branch of an if statement that asks whether a program or package is there
// (`if dpkg --get-selections plexmediaserver | grep -wq install; then ... else` reinstall, linuxserver's
// plex): a repair for an image that lacks it, not a step of every start.
bool installs_only_when_missing(const shell::Script& script, const shell::Command& command) {
  uint32_t branch = command.if_branch;
  for (size_t hops = 0; branch != shell::kNoParent && hops <= script.if_branches.size(); ++hops) {
    const shell::IfBranch& held = script.if_branches[branch];
    std::string_view condition = script.if_branches[held.first_of_statement].condition;
    for (std::string_view probe : {"dpkg --get-selections", "dpkg -s ", "dpkg -l ", "dpkg-query", "rpm -q", "apk info"})
      if (condition.find(probe) != std::string_view::npos) return true;
    // `which node`, but not `which apt-get`: that asks which distribution this is (image_family's concern).
    bool names_manager = false;
    for (std::string_view manager : {"apt-get", "apt ", "apk", "yum", "dnf", "zypper"})
      names_manager = names_manager || condition.find(manager) != std::string_view::npos;
    for (std::string_view probe : {"command -v ", "which ", "type -p ", "hash "})
      if (!names_manager && condition.find(probe) != std::string_view::npos) return true;
    branch = held.enclosing;
  }
  return false;
}

void check(const docker::Dockerfile& dockerfile, RuleContext& context) {
  const dkr::ImageStartup& startup = dkr::image_startup(dockerfile);
  std::optional<std::string_view> family;  // found on the first system package install
  for (const dkr::StartupCommand& command : dkr::startup_commands(startup)) {
    if (command.in_run_mode_branch) continue;  // `docker run image app:init`: a one-off mode
    // Past `[ -z "$VERSION" ] && exit 0`-style guards on a variable nothing sets: only when opted in.
    // (Asked only of the few commands that do such work.)
    if (dkr::startup_work(command).empty() || dkr::after_opt_in_guard(dockerfile, *command.part, command.index))
      continue;
    if (command.command->in_branch && installs_only_when_missing(*command.part->script, *command.command)) continue;
    for (const detect::StartupWork& work : dkr::startup_work(command)) {
      if (work.kind == detect::StartupWorkKind::Migration) continue;  // DKR008
      bool build = work.kind == detect::StartupWorkKind::Build;
      if (build && !package_script_builds(dockerfile, startup, command, work)) continue;
      // Another distribution's package manager does not exist in the image: roundcube's entrypoint
      // guards `which apt-get && apt-get install` and `which apk && apk add` for its Debian and
      // Alpine images alike, and only one of them runs in each.
      if (std::string_view wanted = manager_family(command.words[0]); !wanted.empty()) {
        if (!family) family = image_family(dockerfile);
        if (!family->empty() && *family != wanted) continue;
      }
      std::string why =
          build ? "compiling at start takes minutes on a container's small CPU share, delays every deploy and "
                  "scale-out, and the app misses its health-check window while it builds"
                : "every start then depends on the package registry and the network, takes longer, and may run "
                  "different versions than the image that was tested";
      std::string fix = build ? "build in a RUN step so the image ships compiled" : "install in a RUN step so the image ships its dependencies";
      dkr::report_in_part(context, dockerfile, *command.part, command.command->span,
                          fmt::format("{} runs `{}` every time a container starts: {}; {}",
                                      dkr::part_subject(*command.part), work.description, why, fix));
    }
  }
}

const RuleRegistration registration{{
    .id = "DKR007",
    .slug = "build-at-startup",
    .severity = Severity::Warning,
    .summary = "CMD, ENTRYPOINT or the entrypoint script compiles assets or installs dependencies at every container start",
    .check_dockerfile = check,
}};

}  // namespace
}  // namespace shiftlint
