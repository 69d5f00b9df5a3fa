#pragma once
// Which files describe one application: the Elastic Beanstalk source bundle it ran from (the old
// host) and the Dockerfiles, task definitions and Kubernetes workloads it runs as now (the new
// side). Every link keeps the reason it was made, in words a finding can quote.
//
// An app starts from an EB bundle root (the folder holding .ebextensions/, .platform/, Procfile or
// Dockerrun.aws.json), or from an entry of the config's `apps:`. New-side files are linked by,
// strongest first:
//   1. the config's `apps:` entry naming them ("config apps: web");
//   2. an image name: a container's image repository (`123.dkr.ecr.../acme/web:1.4` → `acme/web`)
//      whose last part is the app's name, its bundle folder's name, the folder of one of its
//      Dockerfiles, or its Dockerrun.aws.json image ("image acme/web matches the Dockerfile folder
//      web"); an image that names another app's folder is that app's, whatever tree it sits in;
//   3. the same tree: the file is in the bundle root's folder or below it, and no deeper bundle
//      root holds it ("same folder as .ebextensions", "in the tree of the bundle at services/api").
// A file links to one app (the config may list a file for several). Files no app claims have no
// parity to check: XF rules say nothing about them.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/project/app_facts.h"

namespace shiftlint {
struct Config;
}

namespace shiftlint::project {

class DeploymentTable;

// The facts of every file of a run, in path order (the project phase merges them so).
struct ProjectFacts {
  std::vector<HostFileFacts> host_files;
  std::vector<ImageFacts> images;
  std::vector<DeploymentFacts> deployments;
  std::vector<ScheduledRunFacts> scheduled_runs;
};

// Why a file is linked to an app, as messages say it. Links that give the same reason (an app's
// many manifests matching its image the same way) share one text: a project holds a link per
// linked file, and their reasons were most of what linking added to the facts.
class LinkReason {
 public:
  LinkReason() = default;
  LinkReason(std::string text)  // NOLINT: a reason is its text
      : text_(text.empty() ? nullptr : std::make_shared<const std::string>(std::move(text))) {}
  LinkReason(const char* text) : LinkReason(std::string(text)) {}  // NOLINT

  const std::string& text() const;  // "" when there is none
  operator const std::string&() const { return text(); }  // NOLINT
  bool empty() const { return !text_; }
  bool operator==(std::string_view other) const { return text() == other; }

 private:
  std::shared_ptr<const std::string> text_;
};

struct LinkedFile {
  size_t index = 0;   // into the ProjectFacts list of its kind
  LinkReason reason;  // "same folder as .ebextensions", "image acme/web matches the Dockerfile folder web"
  // Deployments: the containers that run the app (their image matched), each with the linked
  // Dockerfile that builds its image when one matched; empty when the link is not by image (then
  // every container that is not a sidecar counts).
  struct Container {
    size_t container = 0;
    std::optional<size_t> image;  // into ProjectFacts::images
  };
  std::vector<Container> containers;
};

// The containers of a linked deployment that run the app: the image-matched ones, else every
// container that is not a sidecar (a log router, a proxy, an agent).
std::vector<size_t> app_containers(const LinkedFile& link, const DeploymentFacts& deployment);

struct App {
  std::string name;          // the config's name, else the bundle folder's name ("." → the scan root's)
  std::string bundle_root;   // display folder of the EB bundle ("" for the scan root)
  bool has_bundle = false;   // false for an app only the config defines, without EB files
  std::string configured_by; // "config apps: web (.shiftlint.yaml:4)"; empty when not configured
  std::vector<size_t> host_files;  // into ProjectFacts::host_files
  std::vector<LinkedFile> images;
  std::vector<LinkedFile> deployments;
  std::vector<LinkedFile> scheduled_runs;

  // Has a new side to compare with: a Dockerfile, a task definition or a workload.
  bool migrating() const { return !images.empty() || !deployments.empty(); }
};

// "linked files: Dockerfile (same folder as .ebextensions); ecs/web.json (image acme/web matches
// the Dockerfile folder web)": for messages.
std::string describe_links(const App& app, const ProjectFacts& facts);

// `root_directory`: the scan root (absolute), to resolve the config's `apps:` paths, which are
// relative to the config file's folder. Apps come out in bundle-root order, then configured ones.
std::vector<App> link_apps(const ProjectFacts& facts, const Config& config, const std::string& root_directory);
// The same, with the deployments taken from `deployments` (facts.deployments is not read): links
// index into the table.
std::vector<App> link_apps(const ProjectFacts& facts, const DeploymentTable& deployments, const Config& config,
                           const std::string& root_directory);

}  // namespace shiftlint::project
