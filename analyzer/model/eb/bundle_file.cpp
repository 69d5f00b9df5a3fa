#include "analyzer/model/eb/bundle_file.h"

#include <fmt/format.h>

#include "analyzer/model/cloudformation_intrinsics.h"
#include "analyzer/model/eb/reading.h"
#include "analyzer/parse/json_loader.h"
#include "analyzer/parse/procfile.h"
#include "analyzer/parse/shell/shell_parser.h"
#include "analyzer/parse/yaml_loader.h"
#include "analyzer/parse/yaml_scalar_text.h"
#include "analyzer/source/classify.h"

namespace shiftlint::eb {
namespace {

// The folder component after `marker` in a path: "predeploy" for ".platform/hooks/predeploy/x.sh".
std::string component_after(std::string_view path, std::string_view marker) {
  size_t at = path.find(marker);
  if (at == std::string_view::npos) return "";
  std::string_view rest = path.substr(at + marker.size());
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return "";  // a file directly in hooks/: no phase
  return std::string(rest.substr(0, slash));
}

void read_hook(BundleFile& bundle) {
  const std::string& path = bundle.file->display_path();
  bool config_hook = path.find(".platform/confighooks/") != std::string::npos;
  bundle.kind = config_hook ? BundleFileKind::ConfigHook : BundleFileKind::PlatformHook;
  bundle.hook.phase = component_after(path, config_hook ? ".platform/confighooks/" : ".platform/hooks/");
  bundle.hook.script = shell::parse_shell_file(*bundle.file);
}

void read_nginx(BundleFile& bundle) {
  const std::string& path = bundle.file->display_path();
  bundle.nginx.config = nginx::parse_nginx_config(*bundle.file);
  for (ParseDiagnostic& error : bundle.nginx.config.errors) bundle.errors.push_back(error);
  if (path.find("/conf.d/elasticbeanstalk/") != std::string::npos) bundle.nginx.context = "server";
  else if (path.find("/conf.d/") != std::string::npos) bundle.nginx.context = "http";
  else bundle.nginx.context = "main";
}

// `name: command` lines. A line that is neither blank, a comment nor a process is an error: EB
// refuses to deploy a Procfile it cannot read.
void read_processes(BundleFile& bundle) {
  const SourceFile& file = *bundle.file;
  for (const ProcfileLine& line : read_procfile_lines(file.text())) {
    if (!line.valid) {
      bundle.errors.push_back({file.span_of(line.first, line.line_end),
                               fmt::format("a {} line is `name: command`; this one is not", to_string(bundle.kind))});
      continue;
    }
    Process process;
    process.name = std::string(file.text().substr(line.name_begin, line.name_end - line.name_begin));
    process.name_span = file.span_of(line.name_begin, line.name_end);
    if (line.command_begin < line.command_end) {
      process.command = shell::text_map_of_range(file, line.command_begin, line.command_end);
      process.script = shell::parse_shell(file, process.command);
    }
    bundle.processes.push_back(std::move(process));
  }
}

bool load(BundleFile& bundle, bool json, const LoadLimits& limits) {
  bundle.document = json ? load_json(bundle.file, limits) : load_yaml(bundle.file, limits);
  for (const ParseDiagnostic& error : bundle.document.errors) bundle.errors.push_back(error);
  return bundle.document.ok();
}

void read_worker_cron(BundleFile& bundle) {
  if (bundle.document.roots.empty()) return;
  const Node* tasks = bundle.document.roots[0].find("cron");
  if (!tasks || !tasks->is_list()) return;
  for (const Node& task : tasks->children) {
    if (!task.is_map()) continue;
    WorkerCronTask read;
    read.entry = &task;
    if (const Node* name = task.find("name"); name && name->as_string()) read.name = std::string(*name->as_string());
    read.url = task.find("url");
    read.schedule = task.find("schedule");
    bundle.cron.push_back(std::move(read));
  }
}

void read_dockerrun(BundleFile& bundle) {
  if (bundle.document.roots.empty()) return;
  const Node& root = bundle.document.roots[0];
  const Node* version = root.find("AWSEBDockerrunVersion");
  if (!version || version->as_integer() != 1) return;
  bundle.dockerrun.root = &root;
  if (const Node* image = root.find("Image")) bundle.dockerrun.image_name = image->find("Name");
  bundle.dockerrun.ports = root.find("Ports");
  bundle.dockerrun.volumes = root.find("Volumes");
  bundle.dockerrun.logging = root.find("Logging");
}

}  // namespace

std::string_view to_string(BundleFileKind kind) {
  switch (kind) {
    case BundleFileKind::Extension: return ".ebextensions configuration file";
    case BundleFileKind::PlatformHook: return "platform hook";
    case BundleFileKind::ConfigHook: return "configuration hook";
    case BundleFileKind::PlatformNginx: return "platform nginx configuration";
    case BundleFileKind::Procfile: return "Procfile";
    case BundleFileKind::Buildfile: return "Buildfile";
    case BundleFileKind::WorkerCron: return "cron.yaml";
    case BundleFileKind::DockerrunV1: return "Dockerrun.aws.json (version 1)";
  }
  return "Elastic Beanstalk file";
}

std::optional<BundleFileKind> bundle_file_kind(FileKind kind, std::string_view display_path) {
  switch (kind) {
    case FileKind::ElasticBeanstalkConfigYaml:
    case FileKind::ElasticBeanstalkConfigJson: return BundleFileKind::Extension;
    case FileKind::ElasticBeanstalkHook:
      return display_path.find(".platform/confighooks/") != std::string_view::npos ? BundleFileKind::ConfigHook
                                                                                  : BundleFileKind::PlatformHook;
    case FileKind::ElasticBeanstalkNginx: return BundleFileKind::PlatformNginx;
    case FileKind::ElasticBeanstalkWorkerCron: return BundleFileKind::WorkerCron;
    case FileKind::Procfile: return BundleFileKind::Procfile;
    case FileKind::Buildfile: return BundleFileKind::Buildfile;
    default: return std::nullopt;
  }
}

BundleFile read_bundle_file(std::shared_ptr<const SourceFile> file, BundleFileKind kind, const LoadLimits& limits) {
  BundleFile bundle;
  bundle.kind = kind;
  bundle.file = std::move(file);
  switch (kind) {
    case BundleFileKind::Extension: {
      std::string_view text = bundle.file->text();
      size_t first = text.find_first_not_of(" \t\r\n");
      bool json = first != std::string_view::npos && text[first] == '{';
      if (load(bundle, json, limits)) {
        // EB hands `Ref`/`Fn::GetOptionSetting` maps to CloudFormation: they are values, not maps.
        for (Node& root : bundle.document.roots) mark_cloudformation_intrinsics(root);
        read_extension(*bundle.file, bundle.document, bundle.extension);
      }
      break;
    }
    case BundleFileKind::PlatformHook:
    case BundleFileKind::ConfigHook: read_hook(bundle); break;
    case BundleFileKind::PlatformNginx: read_nginx(bundle); break;
    case BundleFileKind::Procfile:
    case BundleFileKind::Buildfile: read_processes(bundle); break;
    case BundleFileKind::WorkerCron:
      if (load(bundle, false, limits)) read_worker_cron(bundle);
      break;
    case BundleFileKind::DockerrunV1:
      if (load(bundle, true, limits)) read_dockerrun(bundle);
      break;
  }
  return bundle;
}

std::string bundle_root(std::string_view display_path) {
  for (std::string_view folder : {".ebextensions/", ".platform/"}) {
    for (size_t at = display_path.find(folder); at != std::string_view::npos; at = display_path.find(folder, at + 1)) {
      if (at != 0 && display_path[at - 1] != '/') continue;
      return std::string(display_path.substr(0, at == 0 ? 0 : at - 1));
    }
  }
  size_t slash = display_path.rfind('/');
  return slash == std::string_view::npos ? "" : std::string(display_path.substr(0, slash));
}

TextMap node_text(const SourceFile& file, const Node& node) {
  if (node.is_string()) return yaml_scalar_text(file, node);
  TextMap text;
  if (!node.span.empty() && node.file == &file) {
    size_t begin = file.offset_of(node.span.begin), end = file.offset_of(node.span.end);
    if (file.text().substr(begin, end - begin) == node.text) {
      text.append_copy(node.text, begin);
      return text;
    }
  }
  text.append_inserted(node.text, node.span.empty() ? 0 : file.offset_of(node.span.begin));
  return text;
}

bool is_shell_script(std::string_view path, std::string_view content) {
  if (content.starts_with("#!")) return true;
  if (path.ends_with(".sh") || path.ends_with(".bash")) return true;
  for (std::string_view folder : {"/opt/elasticbeanstalk/hooks/", "/etc/init.d/", "/etc/rc.d/init.d/", "/etc/cron.hourly/",
                                  "/etc/cron.daily/", "/etc/cron.weekly/", "/etc/cron.monthly/", "/etc/profile.d/",
                                  "/etc/sysconfig/", "/etc/default/"})
    if (path.starts_with(folder)) return true;
  return path == "/etc/rc.local" || path == "/etc/rc.d/rc.local";
}

}  // namespace shiftlint::eb
