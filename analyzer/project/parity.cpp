#include "analyzer/project/parity.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "analyzer/detect/cron_usage.h"
#include "analyzer/detect/host_tuning.h"
#include "analyzer/detect/image_reference.h"
#include "analyzer/detect/log_shipper.h"
#include "analyzer/detect/worker_process.h"

namespace shiftlint::project {

namespace {

std::string lower(std::string_view text) {
  std::string result(text);
  for (char& c : result) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return result;
}

// --- packages ---

enum class PackageFamily { System, Python, Ruby, Node, Other };

PackageFamily family_of(std::string_view manager) {
  if (manager == "yum" || manager == "rpm" || manager == "apt" || manager == "dnf" || manager == "apk" ||
      manager == "zypper")
    return PackageFamily::System;
  if (manager == "python" || manager == "pip") return PackageFamily::Python;
  if (manager == "rubygems" || manager == "gem") return PackageFamily::Ruby;
  if (manager == "npm" || manager == "yarn") return PackageFamily::Node;
  return PackageFamily::Other;
}

// One library under the names Amazon Linux (yum) and Debian/Alpine give it.
constexpr std::array<std::array<std::string_view, 6>, 12> kPackageAliases = {{
    {"mysql", "mysqlclient", "libmysqlclient", "default-libmysqlclient", "mariadb", "libmariadb"},
    {"mariadb-connector-c", "mysql", "mariadb", "libmariadb", "mysql-community", "mysql-client"},
    {"postgresql", "libpq", "postgresql-libs", "postgresql-client", "postgresql15", "postgresql14"},
    {"gcc-c++", "g++", "build-essential", "", "", ""},
    {"python3", "python", "python3-minimal", "", "", ""},
    {"nodejs", "node", "", "", "", ""},
    {"openssl", "libssl", "openssl-libs", "", "", ""},
    {"zlib", "zlib1g", "", "", "", ""},
    {"libjpeg-turbo", "libjpeg", "libjpeg62-turbo", "jpeg", "libjpeg-turbo8", ""},
    {"pcre", "libpcre3", "pcre2", "", "", ""},
    {"readline", "libreadline", "", "", "", ""},
    {"imagemagick", "graphicsmagick", "libmagickwand", "imagemagick6", "", ""},
}};

// `libxml2-devel` and `libxml2-dev` are one library: compare names without the suffixes distributions
// give development and runtime packages.
std::string package_stem(std::string_view name) {
  std::string stem = lower(name);
  for (std::string_view suffix : {"-devel", "-dev", "-libs", "-common"}) {
    if (stem.size() > suffix.size() && stem.ends_with(suffix)) {
      stem.erase(stem.size() - suffix.size());  // not resize: gcc 12 warns of its growing branch
      break;
    }
  }
  // default-libmysqlclient → libmysqlclient; libmysqlclient21 → libmysqlclient.
  if (stem.starts_with("default-")) stem.erase(0, 8);
  while (!stem.empty() && std::isdigit(static_cast<unsigned char>(stem.back())) && stem.size() > 3 &&
         stem.find_first_of("0123456789") != 0 && stem != "zlib1g")
    stem.pop_back();
  return stem;
}

bool same_package(std::string_view old_name, std::string_view new_name) {
  std::string a = package_stem(old_name), b = package_stem(new_name);
  if (a == b) return true;
  for (const auto& aliases : kPackageAliases) {
    bool has_a = false, has_b = false;
    for (std::string_view alias : aliases) {
      if (alias.empty()) continue;
      has_a = has_a || a == alias;
      has_b = has_b || b == alias;
    }
    if (has_a && has_b) return true;
  }
  return false;
}

// Packages the old host needed for itself, not for the app: a container must not carry them.
std::optional<std::string> host_only_package(std::string_view name, std::string_view manager) {
  bool language = family_of(manager) != PackageFamily::System;
  std::string lowered = lower(name);
  std::string stem = package_stem(name);
  if (!language && detect::cron_daemon_package(lowered)) return "a cron daemon: cron jobs move to scheduled tasks (XF005)";
  if (auto shipper = detect::log_shipper_from_package(lowered, language))
    return fmt::format("a log shipper ({}): a container logs to stdout and the task's log driver ships it",
                       shipper->product);
  if (language) return std::nullopt;
  for (std::string_view server : {"httpd", "httpd24", "mod_ssl", "mod24_ssl", "mod_wsgi", "mod24_wsgi", "mod_security",
                                  "mod24_security"})
    if (lowered == server || stem == server)
      return "the Apache web server of the Elastic Beanstalk platform (or one of its modules): the image brings its own "
             "server, if any";
  for (std::string_view service : {"logrotate", "ntp", "chrony", "openssh-server", "openssh", "sysstat", "awscli",
                                   "aws-cli", "amazon-ssm-agent", "monit", "supervisor", "htop", "at", "postfix",
                                   "sendmail", "rsyslog", "syslog-ng", "amazon-efs-utils", "nfs-utils"})
    if (lowered == service) return "a service of the instance, not of the app";
  return std::nullopt;
}

// The runtime an OS package installs: `nodejs` → "node", `python3` → "python".
std::optional<std::string_view> runtime_of(std::string_view package) {
  std::string name = package_stem(package);
  if (name == "nodejs" || name == "node") return "node";
  if (name == "python3" || name == "python" || name.starts_with("python3.") || name == "python3-pip") return "python";
  if (name == "ruby" || name.starts_with("ruby3") || name.starts_with("ruby2")) return "ruby";
  if (name == "php" || name.starts_with("php8") || name.starts_with("php7")) return "php";
  if (name == "golang" || name == "go") return "golang";
  if (name.starts_with("java-") || name.starts_with("openjdk") || name.starts_with("corretto")) return "openjdk";
  return std::nullopt;
}

// A base image someone built (`acme/base-api`, a private registry's), not an official image whose
// contents are known: it may install anything.
bool custom_base(std::string_view base_image) {
  detect::ImageReference reference = detect::parse_image_reference(base_image);
  if (!reference.known) return true;  // `FROM ${BASE}`: unknown
  std::string_view repository = reference.repository;
  if (repository.starts_with("library/")) return false;
  if (reference.registry == "public.ecr.aws" && repository.starts_with("docker/library/")) return false;
  if (repository.starts_with("amazonlinux") || (reference.registry == "public.ecr.aws" && repository.starts_with("amazonlinux/")))
    return false;
  return repository.find('/') != std::string_view::npos || !reference.registry.empty();
}

// Official language images built on buildpack-deps (ruby, python, node, golang... without -slim or
// -alpine) come with compilers and the common -dev libraries.
bool full_language_base(std::string_view base_image) {
  detect::ImageReference reference = detect::parse_image_reference(base_image);
  if (!reference.known) return false;
  std::string_view repository = reference.repository;
  if (repository.starts_with("library/")) repository.remove_prefix(8);
  bool language = false;
  for (std::string_view name : {"ruby", "python", "node", "golang", "buildpack-deps", "rust", "perl", "gcc", "openjdk"})
    language = language || repository == name;
  if (!language) return false;
  std::string tag = reference.tag.empty() ? "latest" : reference.tag;
  return tag.find("slim") == std::string::npos && tag.find("alpine") == std::string::npos;
}

// --- nofile ---

// A limit as written: "65536", "unlimited"/"infinity" (the most a container may get: Fargate's
// ceiling, 1048576), nullopt when not a number.
std::optional<int64_t> limit_value(std::string_view text) {
  if (text == "unlimited" || text == "infinity") return 1048576;
  if (text.empty() || text.size() > 18) return std::nullopt;
  int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

// --- cron ---

// The words that say which job a cron line runs: the effective program and its first arguments,
// without wrappers (`cd /app &&`, `bundle exec`, `su -c`, env assignments, redirections).
std::vector<std::string> job_identity(const std::vector<std::string>& command_words) {
  std::vector<std::string> identity;
  for (const std::vector<std::string>& words : detect::split_simple_commands(command_words)) {
    size_t at = 0;
    while (at < words.size() && words[at].find('=') != std::string::npos && words[at][0] != '-') ++at;
    if (at >= words.size()) continue;
    std::string program(detect::program_basename(words[at]));
    if (program == "cd" || program == "source" || program == "." || program == "export" || program == "sleep" ||
        program == "flock" || program == "test" || program == "[" || program == "echo")
      continue;
    for (; at < words.size() && identity.size() < 3; ++at) {
      std::string word(detect::program_basename(words[at]));
      if (word == "bundle" || word == "exec" || word == "nice" || word == "ionice" || word == "timeout" ||
          word == "sudo" || word == "env" || word.empty() || word[0] == '-' || word.find('=') != std::string::npos ||
          word.starts_with(">") || word == "2>&1")
        continue;
      identity.push_back(word);
    }
    if (!identity.empty()) break;
  }
  return identity;
}

bool runs_job(const std::vector<std::string>& identity, const std::vector<std::string>& command_words) {
  if (identity.empty()) return false;
  std::vector<std::string> words;
  for (const std::vector<std::string>& command : detect::split_simple_commands(command_words))
    for (const std::string& word : command) words.emplace_back(detect::program_basename(word));
  return std::all_of(identity.begin(), identity.end(), [&](const std::string& word) {
    return std::find(words.begin(), words.end(), word) != words.end();
  });
}

// The CloudWatch monitoring scripts report the instance's own memory and disk.
bool is_instance_metrics_job(std::string_view command) {
  return command.find("mon-put-instance-data") != std::string_view::npos ||
         command.find("aws-scripts-mon") != std::string_view::npos;
}

// --- places ---

std::string container_subject(const DeploymentFacts& deployment, const ContainerFacts& container) {
  return fmt::format("{}, container \"{}\"", deployment.label, container.name);
}

struct AppView {
  const ProjectFacts& facts;
  const App& app;

  std::vector<const ImageFacts*> images() const {
    std::vector<const ImageFacts*> result;
    for (const LinkedFile& link : app.images) result.push_back(&facts.images[link.index]);
    return result;
  }

  // The Dockerfiles that build the app itself: those in the bundle's own folder, else those linked
  // by config or image name, else every linked one (a database image deeper in the tree is not the
  // app's: its packages are not compared with the app's).
  std::vector<const ImageFacts*> app_images() const {
    std::vector<const ImageFacts*> beside, named;
    for (const LinkedFile& link : app.images) {
      const ImageFacts& image = facts.images[link.index];
      if (app.has_bundle && image.folder == app.bundle_root) beside.push_back(&image);
      else if (link.reason.text().find("in the tree of") == std::string::npos) named.push_back(&image);
    }
    if (!beside.empty()) return beside;
    if (!named.empty()) return named;
    return images();
  }

  // (deployment, container) pairs that run the app.
  std::vector<std::pair<const DeploymentFacts*, const ContainerFacts*>> containers(bool task_definitions_only = false) const {
    std::vector<std::pair<const DeploymentFacts*, const ContainerFacts*>> result;
    for (const LinkedFile& link : app.deployments) {
      const DeploymentFacts& deployment = facts.deployments[link.index];
      if (task_definitions_only && deployment.kind != DeploymentFacts::Kind::TaskDefinition) continue;
      for (size_t index : app_containers(link, deployment)) result.push_back({&deployment, &deployment.containers[index]});
    }
    return result;
  }

  bool has_kind(DeploymentFacts::Kind kind) const {
    return std::any_of(app.deployments.begin(), app.deployments.end(),
                       [&](const LinkedFile& link) { return facts.deployments[link.index].kind == kind; });
  }
};

class ParityBuilder {
 public:
  ParityBuilder(const ProjectFacts& facts, const App& app) : view_{facts, app} {}

  std::vector<ParityItem> build() {
    // The same thing configured twice (a variable in two files, nofile soft and hard on two lines)
    // is one item; the strongest nofile setting is the one compared.
    std::vector<ParityItem> items;
    std::map<std::pair<HostItemCategory, std::string>, size_t> seen;
    for (size_t file : view_.app.host_files) {
      for (const HostItem& host : view_.facts.host_files[file].items) {
        std::string key = host.category == HostItemCategory::NofileLimit ? "nofile"
                          : host.category == HostItemCategory::Package ? package_stem(host.name)
                                                                       : host.name;
        if (host.category == HostItemCategory::CronJob || host.category == HostItemCategory::Hook)
          key += "\n" + host.location.path + fmt::format(":{}", host.location.span.begin.line);
        auto [at, inserted] = seen.emplace(std::pair{host.category, key}, items.size());
        if (inserted) {
          ParityItem item;
          item.item = host;
          item.app_name = view_.app.name;
          items.push_back(std::move(item));
        } else if (host.category == HostItemCategory::NofileLimit) {
          merge_nofile(items[at->second].item, host);
        }
      }
    }
    // Files that set up the CloudWatch monitoring scripts (a cron job of mon-put-instance-data.pl):
    // their Perl packages are for those scripts, which report the instance's own metrics.
    for (const ParityItem& item : items)
      if (item.item.category == HostItemCategory::CronJob && is_instance_metrics_job(item.item.name))
        monitoring_files_.insert(item.item.location.path);
    for (ParityItem& item : items) judge(item);
    return items;
  }

 private:
  static void merge_nofile(HostItem& kept, const HostItem& other) {
    auto higher = [](std::string& into, const std::string& candidate) {
      auto a = limit_value(into), b = limit_value(candidate);
      if (b && (!a || *b > *a)) into = candidate;
    };
    higher(kept.value, other.value);
    higher(kept.detail, other.detail);
  }

  void judge(ParityItem& item) {
    switch (item.item.category) {
      case HostItemCategory::Package: judge_package(item); break;
      case HostItemCategory::EnvironmentVariable: judge_environment(item); break;
      case HostItemCategory::NofileLimit: judge_nofile(item); break;
      case HostItemCategory::KernelParameter: judge_kernel_parameter(item); break;
      case HostItemCategory::TimeZone: judge_time_zone(item); break;
      case HostItemCategory::CronJob: judge_cron(item); break;
      case HostItemCategory::LogShipping: judge_log_shipping(item); break;
      case HostItemCategory::Hook:
        item.status = ParityStatus::Review;
        item.belongs_in = "the image build, the entrypoint, or a one-off task";
        item.note = item.item.detail == "leader_only container command"
                        ? "ran on one instance at each deploy: run it as a one-off task before the new version starts"
                        : "ran on the instance at each deploy: move what it does into the image build or the entrypoint";
        break;
    }
  }

  void judge_package(ParityItem& item) {
    const HostItem& host = item.item;
    item.belongs_in = "the Dockerfile";
    if (auto reason = host_only_package(host.name, host.detail)) {
      item.status = ParityStatus::Review;
      item.note = "not needed in the image: " + *reason;
      return;
    }
    if (monitoring_files_.count(host.location.path) && lower(host.name).starts_with("perl-")) {
      item.status = ParityStatus::Review;
      item.note = "installed for the CloudWatch monitoring scripts of the same file (instance metrics, which "
                  "Container Insights gives for tasks)";
      return;
    }
    std::vector<const ImageFacts*> images = view_.app_images();
    if (images.empty()) {
      item.status = ParityStatus::Review;
      item.note = "no Dockerfile of this app is in the run: check the image that runs it";
      return;
    }
    PackageFamily family = family_of(host.detail);
    // A runtime the image has from its base image or a version manager (`nodejs` on a node image).
    if (family == PackageFamily::System)
      if (auto runtime = runtime_of(host.name))
        for (const ImageFacts* image : images)
          if (std::find(image->runtimes.begin(), image->runtimes.end(), *runtime) != image->runtimes.end()) {
            item.carried_at.push_back({image->path, "Dockerfile", fmt::format("{} runtime", *runtime), image->anchor});
            item.status = ParityStatus::Carried;
            return;
          }
    for (const ImageFacts* image : images)
      for (const Provided& package : image->packages)
        if ((family_of(package.value) == family || package_stem(package.name) == package_stem(host.name)) &&
            same_package(host.name, package.name)) {
          item.carried_at.push_back({image->path, "Dockerfile", fmt::format("{} install {}", package.value, package.name),
                                     package.location});
          break;
        }
    if (!item.carried_at.empty()) {
      item.status = ParityStatus::Carried;
      return;
    }
    for (const ImageFacts* image : images) {
      bool opaque = std::any_of(image->opaque_managers.begin(), image->opaque_managers.end(),
                                [&](const std::string& manager) { return family != PackageFamily::System && family_of(manager) == family; });
      if (opaque) {
        item.status = ParityStatus::Review;
        item.note = fmt::format("{} installs {} packages from a dependency file: check that {} is in it", image->path,
                                host.detail, host.name);
        return;
      }
      if (family == PackageFamily::System && custom_base(image->base_image)) {
        item.status = ParityStatus::Review;
        item.note = fmt::format("{} is built FROM {}, an image of its own that may install it", image->path,
                                image->base_image);
        return;
      }
      if (family == PackageFamily::System && full_language_base(image->base_image)) {
        item.status = ParityStatus::Review;
        item.note = fmt::format("the base image {} of {} comes with many libraries and may have it", image->base_image,
                                image->path);
        return;
      }
    }
    item.status = ParityStatus::Missing;
    for (const ImageFacts* image : images)
      item.missing_at.push_back({image->path, "Dockerfile", "",
                                 image->install_anchor.path.empty() ? image->anchor : image->install_anchor});
  }

  void judge_environment(ParityItem& item) {
    const HostItem& host = item.item;
    item.belongs_in = "the task definition's environment or secrets";
    if (host.name == "TZ") {
      item.status = ParityStatus::Review;
      item.note = "the time zone item covers it";
      return;
    }
    auto containers = view_.containers();
    for (const ImageFacts* image : view_.images())
      for (const Provided& variable : image->environment)
        if (variable.name == host.name)
          item.carried_at.push_back({image->path, "Dockerfile", fmt::format("ENV {}", variable.name), variable.location});
    bool open = false;
    std::vector<NewSidePlace> lacking;
    for (const auto& [deployment, container] : containers) {
      auto found = std::find_if(container->environment.begin(), container->environment.end(),
                                [&](const Provided& variable) { return variable.name == host.name; });
      if (found != container->environment.end()) {
        item.carried_at.push_back({deployment->path, container_subject(*deployment, *container),
                                   found->value == "(secret)" ? fmt::format("secret {}", host.name)
                                                              : fmt::format("environment {}", host.name),
                                   found->location});
      } else if (container->environment_open) {
        open = true;
      } else {
        lacking.push_back({deployment->path, container_subject(*deployment, *container), "", container->environment_block});
      }
    }
    bool in_image = std::any_of(item.carried_at.begin(), item.carried_at.end(),
                                [](const NewSidePlace& place) { return place.subject == "Dockerfile"; });
    if (containers.empty()) {
      item.status = in_image ? ParityStatus::Carried : ParityStatus::Review;
      if (!in_image) item.note = "no task definition or pod of this app is in the run: check the one that runs it";
      return;
    }
    if (lacking.empty() || in_image) {
      item.status = open && item.carried_at.empty() ? ParityStatus::Review : ParityStatus::Carried;
      if (item.status == ParityStatus::Review)
        item.note = "the containers take variables from environmentFiles or envFrom, which may set it";
      return;
    }
    item.status = ParityStatus::Missing;
    item.missing_at = std::move(lacking);
  }

  void judge_nofile(ParityItem& item) {
    const HostItem& host = item.item;
    item.belongs_in = "the task definition's ulimits";
    bool host_wide = host.origin.find("sysctl") != std::string::npos && host.value.empty();
    // What the app was allowed on the old host; fs.file-max alone says "many files": 65535 (ECS001's minimum).
    std::optional<int64_t> soft = limit_value(host.value), hard = limit_value(host.detail);
    if (host_wide) {
      soft = std::nullopt;
      hard = 65535;
    }
    int64_t wanted_soft = soft.value_or(hard.value_or(65535));
    int64_t wanted_hard = std::max(hard.value_or(wanted_soft), wanted_soft);
    auto containers = view_.containers(true);
    if (containers.empty()) {
      if (view_.has_kind(DeploymentFacts::Kind::KubernetesWorkload)) {
        item.status = ParityStatus::Review;
        item.note = "Kubernetes has no per-container ulimit: the node's container runtime sets it (FACTS.md §1)";
        return;
      }
      item.status = ParityStatus::Missing;  // the task definition that runs the image is not in the run
      return;
    }
    bool unknown = false;
    for (const auto& [deployment, container] : containers) {
      if (container->nofile_unknown) {
        unknown = true;
        continue;
      }
      if (!container->nofile) {
        item.missing_at.push_back({deployment->path, container_subject(*deployment, *container), "", container->ulimits_block});
        continue;
      }
      std::optional<int64_t> new_soft = limit_value(container->nofile->value), new_hard = limit_value(container->nofile->name);
      std::string detail = fmt::format("nofile {}/{}", container->nofile->value, container->nofile->name);
      NewSidePlace place{deployment->path, container_subject(*deployment, *container), detail, container->nofile->location};
      if ((new_soft && *new_soft < wanted_soft) || (new_hard && *new_hard < wanted_hard))
        item.missing_at.push_back(std::move(place));
      else
        item.carried_at.push_back(std::move(place));
    }
    bool weaker = std::any_of(item.missing_at.begin(), item.missing_at.end(),
                              [](const NewSidePlace& place) { return !place.detail.empty(); });
    if (item.missing_at.empty()) item.status = unknown && item.carried_at.empty() ? ParityStatus::Review : ParityStatus::Carried;
    else item.status = weaker ? ParityStatus::Weaker : ParityStatus::Missing;
    if (item.status == ParityStatus::Review) item.note = "the nofile ulimit's values are only known at deploy time";
    item.note = item.note.empty() ? fmt::format("the old host allowed {} open files (soft) / {} (hard)", wanted_soft, wanted_hard)
                                  : item.note;
  }

  void judge_kernel_parameter(ParityItem& item) {
    item.belongs_in = "the task definition's systemControls";
    auto containers = view_.containers(true);
    for (const auto& [deployment, container] : containers)
      for (const Provided& control : container->system_controls)
        if (control.name == item.item.name)
          item.carried_at.push_back({deployment->path, container_subject(*deployment, *container),
                                     fmt::format("systemControls {}={}", control.name, control.value), control.location});
    if (!item.carried_at.empty()) {
      item.status = ParityStatus::Carried;
      return;
    }
    item.status = ParityStatus::Review;
    item.note = "only namespaced sysctls can be set per task, and Fargate rejects several (FACTS.md §7): decide whether "
                "the app still needs it";
  }

  void judge_time_zone(ParityItem& item) {
    const std::string& zone = item.item.name;
    item.belongs_in = "the task definition's environment (TZ) or the image";
    if (detect::is_utc_zone(zone)) {
      item.status = ParityStatus::Carried;
      item.note = "UTC: what a container runs in anyway";
      return;
    }
    // The zones the new side sets; "" when it sets one this summary cannot read (a secret, /etc/timezone).
    std::vector<std::string> zones;
    for (const ImageFacts* image : view_.images())
      for (const Provided& setting : image->time_zone) {
        item.carried_at.push_back({image->path, "Dockerfile",
                                   setting.value.empty() ? setting.name : fmt::format("{} {}", setting.name, setting.value),
                                   setting.location});
        zones.push_back(setting.value);
      }
    auto containers = view_.containers();
    for (const auto& [deployment, container] : containers)
      for (const Provided& variable : container->environment)
        if (variable.name == "TZ") {
          item.carried_at.push_back({deployment->path, container_subject(*deployment, *container),
                                     fmt::format("TZ={}", variable.value), variable.location});
          zones.push_back(variable.value.starts_with("(") ? "" : variable.value);
        }
    if (!item.carried_at.empty()) {
      bool same = std::any_of(zones.begin(), zones.end(), [&](const std::string& set) {
        std::string value = set.starts_with(":") ? set.substr(1) : set;
        return value.empty() || value == zone || detect::zoneinfo_zone(value) == std::optional<std::string_view>(zone);
      });
      item.status = same ? ParityStatus::Carried : ParityStatus::Differs;
      if (!same) item.note = fmt::format("the old host ran in {}; the new side sets another zone", zone);
      return;
    }
    item.status = ParityStatus::Missing;
    bool open = false;
    for (const auto& [deployment, container] : containers) {
      if (container->environment_open) open = true;
      else item.missing_at.push_back({deployment->path, container_subject(*deployment, *container), "", container->environment_block});
    }
    if (item.missing_at.empty() && open) {
      item.status = ParityStatus::Review;
      item.note = "the containers take variables from environmentFiles or envFrom, which may set TZ";
      return;
    }
    if (containers.empty())
      for (const ImageFacts* image : view_.images()) item.missing_at.push_back({image->path, "Dockerfile", "", image->anchor});
  }

  void judge_cron(ParityItem& item) {
    const HostItem& host = item.item;
    item.belongs_in = "a scheduled task (EventBridge Scheduler) or a Kubernetes CronJob";
    if (host.name.empty()) {
      item.status = ParityStatus::Review;
      item.note = "the job's command cannot be read here (a crontab installed from a file or a variable)";
      return;
    }
    // The CloudWatch monitoring scripts report the instance's own memory and disk: nothing to move.
    if (is_instance_metrics_job(host.name)) {
      item.status = ParityStatus::Review;
      item.note = "reports the instance's memory and disk to CloudWatch: Container Insights does it for tasks";
      return;
    }
    bool url = host.detail == "cron.yaml";
    std::vector<std::string> identity = url ? std::vector<std::string>{host.name} : job_identity({host.name});
    if (identity.empty()) {
      item.status = ParityStatus::Review;
      item.note = "the job's command cannot be read here";
      return;
    }
    auto matches = [&](const std::vector<std::string>& words) {
      if (!url) return runs_job(identity, words);
      return std::any_of(words.begin(), words.end(),
                         [&](const std::string& word) { return word.find(host.name) != std::string::npos; });
    };
    for (const LinkedFile& link : view_.app.deployments) {
      const DeploymentFacts& deployment = view_.facts.deployments[link.index];
      if (!deployment.scheduled) continue;
      for (const ContainerFacts& container : deployment.containers)
        if (matches(container.command_words))
          item.carried_at.push_back({deployment.path, deployment.label,
                                     fmt::format("schedule {}", deployment.schedule), deployment.location});
    }
    for (const LinkedFile& link : view_.app.scheduled_runs) {
      const ScheduledRunFacts& run = view_.facts.scheduled_runs[link.index];
      for (const std::vector<std::string>& command : run.commands)
        if (matches(command)) {
          item.carried_at.push_back({run.path, run.label, "scheduled task", run.location});
          break;
        }
    }
    item.status = item.carried_at.empty() ? ParityStatus::Missing : ParityStatus::Carried;
  }

  void judge_log_shipping(ParityItem& item) {
    item.belongs_in = "the task definition's logConfiguration";
    auto containers = view_.containers(true);
    if (containers.empty()) {
      item.status = ParityStatus::Review;
      item.note = view_.has_kind(DeploymentFacts::Kind::KubernetesWorkload)
                      ? "on Kubernetes the cluster's log collector ships container output: check that it is set up"
                      : "no task definition of this app is in the run";
      return;
    }
    for (const auto& [deployment, container] : containers) {
      if (container->log_driver)
        item.carried_at.push_back({deployment->path, container_subject(*deployment, *container),
                                   fmt::format("logDriver {}", container->log_driver->name), container->log_driver->location});
      else
        item.missing_at.push_back({deployment->path, container_subject(*deployment, *container), "", container->location});
    }
    item.status = item.missing_at.empty() ? ParityStatus::Carried : ParityStatus::Missing;
    if (item.status == ParityStatus::Missing)
      item.note = "without a logConfiguration the container's output is not shipped anywhere";
  }

  AppView view_;
  std::set<std::string> monitoring_files_;
};

}  // namespace

std::string_view to_string(ParityStatus status) {
  switch (status) {
    case ParityStatus::Carried: return "carried";
    case ParityStatus::Missing: return "missing";
    case ParityStatus::Weaker: return "weaker";
    case ParityStatus::Differs: return "differs";
    case ParityStatus::Review: return "review";
  }
  return "review";
}

AppParity compute_app_parity(const ProjectFacts& facts, const App& app, size_t index) {
  AppParity parity;
  parity.app = index;
  if (app.migrating()) parity.items = ParityBuilder(facts, app).build();
  return parity;
}

std::vector<AppParity> compute_parity(const ProjectFacts& facts, const std::vector<App>& apps) {
  std::vector<AppParity> result;
  result.reserve(apps.size());
  for (size_t index = 0; index < apps.size(); ++index) result.push_back(compute_app_parity(facts, apps[index], index));
  return result;
}

Project build_project(ProjectFacts facts, const Config& config, std::string root_directory) {
  Project project;
  project.facts = std::move(facts);
  project.root_directory = std::move(root_directory);
  project.apps = link_apps(project.facts, config, project.root_directory);
  project.parity = compute_parity(project.facts, project.apps);
  return project;
}

}  // namespace shiftlint::project
