// The run's kustomizations: which overlays deploy a base manifest, what they pin its images to, and
// which files they list as patches (project/kustomize_index.h).
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "analyzer/model/k8s/workload.h"
#include "analyzer/parse/yaml_loader.h"
#include "analyzer/project/argo_source.h"
#include "analyzer/project/kustomize_index.h"
#include "analyzer/source/discovery.h"
#include "tests/unit/scratch_folder.h"

using namespace shiftlint;

namespace {

const char* kKustomizationHead = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n";

// The index over every file discovery finds under the scratch folder, as a `check` run builds it.
struct Run {
  explicit Run(const testing::ScratchFolder& scratch) : files(discover({scratch.path()}, {}).files) {}
  std::vector<DiscoveredFile> files;
};

std::vector<std::string> deployment_paths(const KustomizeUse& use) {
  std::vector<std::string> paths;
  for (const KustomizeUse::Deployment& deployment : use.deployments) paths.push_back(deployment.display_path);
  return paths;
}

// A base kustomization of one Deployment, base/deployment.yaml, for overlays to deploy.
void write_base(const testing::ScratchFolder& scratch) {
  scratch.file("base/deployment.yaml", "kind: Deployment\n");
  scratch.file("base/kustomization.yaml", std::string(kKustomizationHead) + "resources:\n  - deployment.yaml\n");
}

// A `patches:` entry: a JSON patch of the objects `target` selects that sets container `index`'s image.
std::string image_patch(const std::string& target, int index, const std::string& image) {
  return "  - target: " + target + "\n    patch: |-\n      - op: replace\n        path: /spec/template/spec/containers/" +
         std::to_string(index) + "/image\n        value: " + image + "\n";
}

// An overlay of the base (write_base) with `body` after its resources.
void write_overlay(const testing::ScratchFolder& scratch, const std::string& name, const std::string& body) {
  scratch.file("overlays/" + name + "/kustomization.yaml",
               std::string(kKustomizationHead) + "resources: [../../base]\n" + body);
}

}  // namespace

TEST_CASE("kustomize index: an image is pinned only when every overlay that deploys the base pins it", "[kustomize]") {
  testing::ScratchFolder scratch("shiftlint-kustomize");
  write_base(scratch);
  scratch.file("overlays/staging/kustomization.yaml",
               std::string(kKustomizationHead) +
                   "resources: [../../base]\nimages:\n  - name: web\n    newTag: 1.4\n  - name: worker\n    newName: "
                   "registry/worker\n");
  scratch.file("overlays/prod/kustomization.yaml",
               std::string(kKustomizationHead) +
                   "bases: [../../base]\nimages:\n  - name: web\n    digest: sha256:abc\n  - name: worker\n    newTag: "
                   "latest\n");
  scratch.file("unrelated/kustomization.yaml", std::string(kKustomizationHead) + "resources:\n  - https://example.com/x.yaml\n");
  Run run(scratch);
  KustomizeIndex index(LoadLimits{}, run.files);

  KustomizeUse base = index.use_of(scratch.path("base/deployment.yaml"));
  CHECK(base.listed);
  CHECK_FALSE(base.patch);
  CHECK(deployment_paths(base) == std::vector<std::string>{"overlays/prod/kustomization.yaml", "overlays/staging/kustomization.yaml"});
  CHECK(base.pinned_everywhere("web"));  // a number-looking tag (1.4) and a digest both pin
  // An entry that only renames leaves the tag as it was; `newTag: latest` pins nothing.
  CHECK_FALSE(base.pinned_everywhere("worker"));
  REQUIRE(base.first_unpinned("worker") != nullptr);
  CHECK(base.first_unpinned("worker")->display_path == "overlays/prod/kustomization.yaml");
  CHECK_FALSE(base.pinned_everywhere("other"));
  // prod's `newTag: latest` for worker is a line of its own to point at; a rename sets no tag.
  std::optional<KustomizeUse::LatestTag> latest = base.latest_tag_set("worker");
  REQUIRE(latest);
  CHECK(latest->deployment->display_path == "overlays/prod/kustomization.yaml");
  CHECK(latest->line->path == "overlays/prod/kustomization.yaml");
  CHECK(latest->line->span.begin.line == 8);
  CHECK(latest->line->span.begin.column == 13);
  CHECK_FALSE(base.latest_tag_set("web"));
  CHECK_FALSE(base.latest_tag_set("other"));

  // A file no kustomization lists is left as it is.
  scratch.file("plain/deployment.yaml", "kind: Deployment\n");
  Run again(scratch);
  KustomizeIndex later(LoadLimits{}, again.files);
  KustomizeUse plain = later.use_of(scratch.path("plain/deployment.yaml"));
  CHECK_FALSE(plain.listed);
  CHECK(plain.deployments.empty());
}

TEST_CASE("kustomize index: an overlay's own pin wins over the base's, and patches are listed as patches", "[kustomize]") {
  testing::ScratchFolder scratch("shiftlint-kustomize");
  scratch.file("base/deployment.yaml", "kind: Deployment\n");
  scratch.file("base/kustomization.yaml", std::string(kKustomizationHead) +
                                              "resources: [deployment.yaml]\nimages:\n  - name: web\n    newTag: \"2.0\"\n");
  scratch.file("overlays/dev/kustomization.yaml",
               std::string(kKustomizationHead) +
                   "resources: [../../base]\npatchesStrategicMerge: [probe.yaml]\npatches:\n  - path: replicas.yaml\n  - "
                   "patch: |-\n      - op: replace\nimages:\n  - name: web\n    newTag: latest\n");
  scratch.file("overlays/dev/probe.yaml", "kind: Deployment\n");
  scratch.file("overlays/dev/replicas.yaml", "kind: Deployment\n");
  scratch.file("overlays/prod/kustomization.yaml", std::string(kKustomizationHead) + "resources: [../../base]\n");
  Run run(scratch);
  KustomizeIndex index(LoadLimits{}, run.files);

  KustomizeUse base = index.use_of(scratch.path("base/deployment.yaml"));
  // prod keeps the base's pin; dev sets latest over it.
  REQUIRE(base.deployments.size() == 2);
  CHECK_FALSE(base.pinned_everywhere("web"));
  REQUIRE(base.first_unpinned("web") != nullptr);
  CHECK(base.first_unpinned("web")->display_path == "overlays/dev/kustomization.yaml");
  REQUIRE(base.latest_tag_set("web"));
  CHECK(base.latest_tag_set("web")->line->span.begin.line == 11);
  CHECK(base.latest_tag_set("web")->line->begin_line_text == "    newTag: latest");

  for (const char* patch : {"overlays/dev/probe.yaml", "overlays/dev/replicas.yaml"}) {
    INFO(patch);
    KustomizeUse use = index.use_of(scratch.path(patch));
    CHECK(use.listed);
    CHECK(use.patch);
    CHECK(use.deployments.empty());
  }
}

TEST_CASE("kustomize index: Argo CD override files beside an overlay pin its images after its own", "[kustomize]") {
  testing::ScratchFolder scratch("shiftlint-kustomize");
  write_base(scratch);
  // staging: the shared file pins web by digest (with a tag too, the digest decides); the
  // application's own file comes after it and moves worker's tag (a registry port is not a tag);
  // cache is renamed only.
  write_overlay(scratch, "staging", "images:\n  - name: worker\n    newTag: latest\n");
  scratch.file("overlays/staging/.argocd-source.yaml",
               "kustomize:\n  images:\n    - web=registry/web:latest@sha256:0123abcd\n    - worker:latest\n");
  scratch.file("overlays/staging/.argocd-source-shop-staging.yaml",
               "kustomize:\n  images:\n    - worker=registry:5000/team/worker:2.3.0\n    - cache=registry:5000/cache\n");
  // prod: its kustomization pins worker; the override pins web (a tag and a digest: the digest
  // decides) and then sets worker to latest, so worker's last entry is the override's, and that
  // line is the one to point at.
  write_overlay(scratch, "prod", "images:\n  - name: worker\n    newTag: \"2.3.0\"\n");
  scratch.file("overlays/prod/.argocd-source-shop.yaml",
               "# written back by argocd-image-updater\nkustomize:\n  images:\n    - web:latest@sha256:4567ef\n    - "
               "worker:latest\n    - cache:7.2\n");
  // Not override files: another name, a folder, a file without `kustomize.images`.
  scratch.file("overlays/prod/argocd-source.yaml", "kustomize:\n  images:\n    - cache:latest\n");
  scratch.file("overlays/prod/.argocd-source-x.yaml/inner.yaml", "kustomize:\n  images:\n    - cache:latest\n");
  scratch.file("overlays/prod/.argocd-source.yaml", "helm:\n  parameters:\n    - name: image.tag\n      value: latest\n");
  Run run(scratch);
  KustomizeIndex index(LoadLimits{}, run.files);

  KustomizeUse base = index.use_of(scratch.path("base/deployment.yaml"));
  REQUIRE(base.deployments.size() == 2);
  CHECK(base.pinned_everywhere("web"));
  CHECK_FALSE(base.pinned_everywhere("worker"));
  REQUIRE(base.first_unpinned("worker") != nullptr);
  CHECK(base.first_unpinned("worker")->display_path == "overlays/prod/kustomization.yaml");
  std::optional<KustomizeUse::LatestTag> latest = base.latest_tag_set("worker");
  REQUIRE(latest);
  CHECK(latest->line->path == "overlays/prod/.argocd-source-shop.yaml");
  CHECK(latest->line->span.begin.line == 5);
  CHECK(latest->line->begin_line_text == "    - worker:latest");
  // staging renames cache without a tag: not pinned there, whatever prod does.
  CHECK_FALSE(base.pinned_everywhere("cache"));
  CHECK(base.first_unpinned("cache")->display_path == "overlays/staging/kustomization.yaml");

  // Several applications' files in one folder: each application deploys something else, so only
  // the shared file counts there.
  write_overlay(scratch, "qa", "");
  scratch.file("overlays/qa/.argocd-source-shop-qa-eu.yaml", "kustomize:\n  images:\n    - web:1.9.0\n    - cache:7.2\n");
  scratch.file("overlays/qa/.argocd-source-shop-qa-us.yaml", "kustomize:\n  images:\n    - web:1.9.0\n");
  scratch.file("overlays/qa/.argocd-source.yaml", "kustomize:\n  images:\n    - worker:2.3.0\n");
  Run with_qa(scratch);
  KustomizeIndex later(LoadLimits{}, with_qa.files);
  KustomizeUse three = later.use_of(scratch.path("base/deployment.yaml"));
  REQUIRE(three.deployments.size() == 3);
  REQUIRE(three.first_unpinned("web") != nullptr);
  CHECK(three.first_unpinned("web")->display_path == "overlays/qa/kustomization.yaml");
  CHECK(three.first_unpinned("worker")->display_path == "overlays/prod/kustomization.yaml");  // qa's shared file pins it

  CHECK(is_argo_source_name(".argocd-source.yaml"));
  CHECK(is_argo_source_name(".argocd-source-payments.yaml"));
  CHECK_FALSE(is_argo_source_name(".argocd-source-.yaml"));
  CHECK_FALSE(is_argo_source_name(".argocd-source.yml"));
  CHECK_FALSE(is_argo_source_name("argocd-source.yaml"));
}

TEST_CASE("kustomize index: a component's images apply to the kustomization that includes it", "[kustomize]") {
  testing::ScratchFolder scratch("shiftlint-kustomize");
  scratch.file("base/deployment.yaml", "kind: Deployment\n");
  scratch.file("base/kustomization.yaml", std::string(kKustomizationHead) + "resources: [deployment.yaml]\n");
  scratch.file("components/release-tags/kustomization.yaml",
               "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nimages:\n  - {name: web, newTag: v7}\n"
               "  - {name: worker, newTag: v7}\n");
  scratch.file("overlays/prod/kustomization.yaml",
               std::string(kKustomizationHead) +
                   "resources: [../../base]\ncomponents: [../../components/release-tags]\n"
                   "images:\n  - {name: worker, newTag: latest}\n");  // its own transformer runs last
  Run run(scratch);
  KustomizeIndex index(LoadLimits{}, run.files);
  KustomizeUse use = index.use_of(scratch.path("base/deployment.yaml"));
  REQUIRE(use.deployments.size() == 1);
  CHECK(use.deployments.front().display_path == "overlays/prod/kustomization.yaml");
  CHECK(use.pinned_everywhere("web"));
  CHECK_FALSE(use.pinned_everywhere("worker"));
}

TEST_CASE("kustomize index: bases that include each other in a loop end, with no pins", "[kustomize]") {
  testing::ScratchFolder scratch("shiftlint-kustomize");
  scratch.file("a/deployment.yaml", "kind: Deployment\n");
  scratch.file("a/kustomization.yaml",
               std::string(kKustomizationHead) + "resources: [deployment.yaml, ../b]\nimages: [{name: web, newTag: '1'}]\n");
  scratch.file("b/kustomization.yaml", std::string(kKustomizationHead) + "resources: [../a]\n");
  Run run(scratch);
  KustomizeIndex index(LoadLimits{}, run.files);
  KustomizeUse use = index.use_of(scratch.path("a/deployment.yaml"));
  CHECK(use.listed);
  CHECK_FALSE(use.pinned_everywhere("web"));
}

TEST_CASE("kustomize index: the image name kustomize matches drops the tag and the digest", "[kustomize]") {
  CHECK(k8s::image_name_without_tag("web") == "web");
  CHECK(k8s::image_name_without_tag("web:1.2") == "web");
  CHECK(k8s::image_name_without_tag("registry:5000/team/web:1.2") == "registry:5000/team/web");
  CHECK(k8s::image_name_without_tag("registry:5000/team/web") == "registry:5000/team/web");
  CHECK(k8s::image_name_without_tag("web@sha256:abc") == "web");
  CHECK(k8s::image_name_without_tag("web:1.2@sha256:abc") == "web");
}

TEST_CASE("kustomize index: patches that set a container's image replace the base's image", "[kustomize]") {
  testing::ScratchFolder scratch("shiftlint-kustomize");
  write_base(scratch);
  // A strategic-merge patch file: its image is judged in that file, pinned or not.
  scratch.file("overlays/prod/kustomization.yaml",
               std::string(kKustomizationHead) + "resources: [../../base]\npatchesStrategicMerge:\n  - image.yaml\n");
  scratch.file("overlays/prod/image.yaml",
               "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n"
               "      initContainers:\n        - name: migrate\n          image: web-migrate:latest\n"
               "      containers:\n        - name: app\n          image: web:latest\n");
  // Inline JSON patches of the target: container 0 to a pinned image, container 1 to :latest (not
  // a replacement that counts: nothing judges the kustomization's own text), container 2 to an
  // untagged image that the same kustomization's images transformer pins.
  scratch.file("overlays/staging/kustomization.yaml",
               std::string(kKustomizationHead) +
                   "resources: [../../base]\npatches:\n  - target: {kind: Deployment, name: web}\n    patch: |-\n"
                   "      - op: replace\n        path: /spec/template/spec/containers/0/image\n        value: web:2.1.0\n"
                   "      - op: replace\n        path: /spec/template/spec/containers/1/image\n        value: proxy:latest\n"
                   "      - op: add\n        path: /spec/template/spec/containers/2/image\n        value: agent\n"
                   "      - op: replace\n        path: /spec/template/spec/containers/3/env\n        value: x\n"
                   "images:\n  - name: agent\n    newTag: 7.1.0\n");
  Run run(scratch);
  KustomizeIndex index(LoadLimits{}, run.files);

  KustomizeUse base = index.use_of(scratch.path("base/deployment.yaml"));
  REQUIRE(deployment_paths(base) == std::vector<std::string>{"overlays/prod/kustomization.yaml", "overlays/staging/kustomization.yaml"});
  const KustomizeUse::Deployment& prod = base.deployments[0];
  const KustomizeUse::Deployment& staging = base.deployments[1];
  const KustomizeObject web{"Deployment", "web"};
  CHECK(prod.replaces(web, "app", 5, false));
  CHECK(prod.replaces(web, "migrate", 0, true));
  CHECK_FALSE(prod.replaces(web, "migrate", 0, false));  // an init container's name, not a regular one's
  CHECK_FALSE(prod.replaces({"Deployment", "api"}, "app", 0, false));  // another object
  CHECK_FALSE(prod.replaces({"StatefulSet", "web"}, "app", 0, false));  // another kind
  CHECK(staging.replaces(web, "any", 0, false));
  CHECK_FALSE(staging.replaces(web, "any", 1, false));
  CHECK(staging.replaces(web, "any", 2, false));
  CHECK_FALSE(staging.replaces(web, "any", 3, false));  // not the image
  // The patch file is a fragment the overlay lists as a patch.
  CHECK(index.use_of(scratch.path("overlays/prod/image.yaml")).patch);
  // The files the index reads as patches (what the editor watches for): none of the manifests.
  CHECK(index.reads_patch(scratch.path("overlays/prod/image.yaml")));
  CHECK_FALSE(index.reads_patch(scratch.path("base/deployment.yaml")));
  CHECK_FALSE(index.reads_patch(scratch.path("overlays/staging/kustomization.yaml")));
}

TEST_CASE("kustomize index: a patchesJson6902 file is read as a patch, missing or not", "[kustomize]") {
  testing::ScratchFolder scratch("shiftlint-kustomize");
  write_base(scratch);
  write_overlay(scratch, "canary",
                "patchesJson6902:\n  - target: {kind: Deployment, name: web}\n    path: image.json\n"
                "  - target: {kind: Deployment, name: web}\n    path: not-yet.json\n");
  scratch.file("overlays/canary/image.json",
               R"([{"op": "replace", "path": "/spec/template/spec/containers/0/image", "value": "web:3.0.1"}])");
  Run run(scratch);
  KustomizeIndex index(LoadLimits{}, run.files);
  KustomizeUse base = index.use_of(scratch.path("base/deployment.yaml"));
  REQUIRE(base.deployments.size() == 1);
  CHECK(base.deployments[0].replaces({"Deployment", "web"}, "app", 0, false));
  // Not a manifest fragment (JSON operations), but a file whose change changes what runs; one that
  // does not exist yet counts too, so that creating it is noticed.
  CHECK_FALSE(index.use_of(scratch.path("overlays/canary/image.json")).patch);
  CHECK(index.reads_patch(scratch.path("overlays/canary/image.json")));
  CHECK(index.reads_patch(scratch.path("overlays/canary/not-yet.json")));
}

TEST_CASE("kustomize index: a patch path that is not a regular file is not read", "[kustomize]") {
  testing::ScratchFolder scratch("shiftlint-kustomize");
  write_base(scratch);
  scratch.file("overlays/prod/kustomization.yaml",
               std::string(kKustomizationHead) + "resources: [../../base]\npatches:\n  - path: pipe.yaml\n  - path: folder\n");
  // Opening a FIFO for reading waits for a writer: the index must not (the test would hang).
  REQUIRE(::mkfifo(scratch.path("overlays/prod/pipe.yaml").c_str(), 0600) == 0);
  std::filesystem::create_directories(scratch.path("overlays/prod/folder"));
  Run run(scratch);
  KustomizeIndex index(LoadLimits{}, run.files);
  KustomizeUse base = index.use_of(scratch.path("base/deployment.yaml"));
  REQUIRE(base.deployments.size() == 1);
  CHECK(base.deployments[0].replaced_images.empty());
}

TEST_CASE("kustomize index: a patch target selects by kind, name expression and labels", "[kustomize]") {
  testing::ScratchFolder scratch("shiftlint-kustomize");
  write_base(scratch);
  // Every Deployment; names by an anchored expression; labels (the namespace is not compared).
  write_overlay(scratch, "all", "patches:\n" + image_patch("{kind: Deployment}", 0, "web:2.1.0"));
  write_overlay(scratch, "named", "patches:\n" + image_patch("{name: \"web-.*\"}", 0, "web:2.1.0"));
  write_overlay(scratch, "labelled",
                "patches:\n" + image_patch("{kind: Deployment, namespace: shop, labelSelector: \"app=web,tier!=db,!canary\"}", 0,
                                           "web:2.1.0"));
  // Not read: a set-based selector and an annotation selector. No patch, so the base's image still
  // runs there.
  write_overlay(scratch, "unread",
                "patches:\n" + image_patch("{labelSelector: \"app in (web, api)\"}", 0, "web:2.1.0") +
                    image_patch("{annotationSelector: zone=west, name: web}", 0, "web:2.1.0"));
  Run run(scratch);
  KustomizeIndex index(LoadLimits{}, run.files);
  KustomizeUse base = index.use_of(scratch.path("base/deployment.yaml"));
  REQUIRE(deployment_paths(base) == std::vector<std::string>{"overlays/all/kustomization.yaml", "overlays/labelled/kustomization.yaml",
                                                             "overlays/named/kustomization.yaml", "overlays/unread/kustomization.yaml"});
  const KustomizeUse::Deployment& all = base.deployments[0];
  const KustomizeUse::Deployment& labelled = base.deployments[1];
  const KustomizeUse::Deployment& named = base.deployments[2];
  const KustomizeUse::Deployment& unread = base.deployments[3];

  CHECK(all.replaces({"Deployment", "anything"}, "app", 0, false));
  CHECK_FALSE(all.replaces({"StatefulSet", "anything"}, "app", 0, false));

  CHECK(named.replaces({"Deployment", "web-api"}, "app", 0, false));
  CHECK(named.replaces({"CronJob", "web-"}, "app", 0, false));
  CHECK_FALSE(named.replaces({"Deployment", "web"}, "app", 0, false));       // anchored: `web-.*` needs the dash
  CHECK_FALSE(named.replaces({"Deployment", "my-web-api"}, "app", 0, false));  // and starts at the start

  Document labels = load_yaml(std::make_shared<const SourceFile>("labels.yaml", "labels.yaml",
                                                                  "web: {app: web, tier: front}\ndb: {app: web, tier: db}\n"
                                                                  "canary: {app: web, canary: \"yes\"}\nnone: {}\n"),
                              LoadLimits{});
  REQUIRE(labels.ok());
  const Node& maps = labels.roots.front();
  CHECK(labelled.replaces({"Deployment", "a", maps.find("web")}, "app", 0, false));
  CHECK_FALSE(labelled.replaces({"Deployment", "a", maps.find("db")}, "app", 0, false));      // tier!=db
  CHECK_FALSE(labelled.replaces({"Deployment", "a", maps.find("canary")}, "app", 0, false));  // !canary
  CHECK_FALSE(labelled.replaces({"Deployment", "a", maps.find("none")}, "app", 0, false));    // app=web
  CHECK_FALSE(labelled.replaces({"Deployment", "a"}, "app", 0, false));

  CHECK_FALSE(unread.replaces({"Deployment", "web", maps.find("web")}, "app", 0, false));
}

TEST_CASE("kustomize index: a patch sees the names and labels the kustomizations below it gave", "[kustomize]") {
  testing::ScratchFolder scratch("shiftlint-kustomize");
  scratch.file("base/deployment.yaml", "kind: Deployment\n");
  // The base prefixes its names and labels everything: the overlay's patches name the prefixed
  // object, or select it by the added label.
  scratch.file("base/kustomization.yaml", std::string(kKustomizationHead) +
                                              "namePrefix: shop-\nnameSuffix: -v1\ncommonLabels: {app: web}\n"
                                              "labels:\n  - pairs: {team: payments}\nresources:\n  - deployment.yaml\n");
  write_overlay(scratch, "prod",
                "namePrefix: prod-\ncommonLabels: {env: prod}\npatches:\n" + image_patch("{name: shop-web-v1}", 0, "web:2.1.0") +
                    image_patch("{labelSelector: \"app=web,team=payments\"}", 1, "proxy:1.0") +
                    // The overlay's own prefix and labels come after its patches.
                    image_patch("{name: prod-shop-web-v1}", 2, "agent:1.0") + image_patch("{labelSelector: env=prod}", 3, "agent:1.0"));
  Run run(scratch);
  KustomizeIndex index(LoadLimits{}, run.files);
  KustomizeUse base = index.use_of(scratch.path("base/deployment.yaml"));
  REQUIRE(deployment_paths(base) == std::vector<std::string>{"overlays/prod/kustomization.yaml"});
  const KustomizeUse::Deployment& prod = base.deployments[0];
  const KustomizeObject web{"Deployment", "web"};
  CHECK(prod.replaces(web, "any", 0, false));
  CHECK(prod.replaces(web, "any", 1, false));
  CHECK_FALSE(prod.replaces(web, "any", 2, false));
  CHECK_FALSE(prod.replaces(web, "any", 3, false));
}
