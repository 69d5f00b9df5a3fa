#include "analyzer/detect/sidecar.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "analyzer/detect/image_reference.h"
#include "analyzer/detect/log_shipper.h"
#include "analyzer/detect/worker_process.h"

namespace shiftlint::detect {

namespace {

std::string lower(std::string_view text) {
  std::string result(text);
  std::transform(result.begin(), result.end(), result.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return result;
}

struct KnownSidecar {
  std::string_view name;  // the image's last repository component, or that name followed by '-'
  SidecarKind kind;
  std::string_view product;
};

// By image name. `nginx` also matches `nginx-unprivileged`; `myapp-nginx` (an app image that
// bundles nginx with the app's files) does not.
constexpr std::array<KnownSidecar, 19> kImages{{
    {"nginx", SidecarKind::ReverseProxy, "nginx"},
    {"openresty", SidecarKind::ReverseProxy, "OpenResty"},
    {"envoy", SidecarKind::ReverseProxy, "Envoy"},
    {"haproxy", SidecarKind::ReverseProxy, "HAProxy"},
    {"traefik", SidecarKind::ReverseProxy, "Traefik"},
    {"caddy", SidecarKind::ReverseProxy, "Caddy"},
    {"oauth2-proxy", SidecarKind::ReverseProxy, "oauth2-proxy"},
    {"proxyv2", SidecarKind::MeshProxy, "istio-proxy"},
    {"linkerd-proxy", SidecarKind::MeshProxy, "linkerd-proxy"},
    {"proxy", SidecarKind::MeshProxy, "linkerd-proxy"},  // cr.l5d.io/linkerd/proxy: checked with its repository
    {"gce-proxy", SidecarKind::DatabaseProxy, "cloud-sql-proxy"},
    {"cloud-sql-proxy", SidecarKind::DatabaseProxy, "cloud-sql-proxy"},
    {"cloudsql-proxy", SidecarKind::DatabaseProxy, "cloud-sql-proxy"},
    {"pgbouncer", SidecarKind::DatabaseProxy, "PgBouncer"},
    {"proxysql", SidecarKind::DatabaseProxy, "ProxySQL"},
    {"agent", SidecarKind::Agent, "Datadog agent"},  // datadog/agent, gcr.io/datadoghq/agent: with its repository
    {"opentelemetry-collector", SidecarKind::Agent, "OpenTelemetry collector"},
    {"opentelemetry-collector-contrib", SidecarKind::Agent, "OpenTelemetry collector"},
    {"statsd-exporter", SidecarKind::Agent, "statsd exporter"},
}};

// Programs that are such sidecars when they are the command.
constexpr std::array<KnownSidecar, 9> kPrograms{{
    {"nginx", SidecarKind::ReverseProxy, "nginx"},
    {"openresty", SidecarKind::ReverseProxy, "OpenResty"},
    {"envoy", SidecarKind::ReverseProxy, "Envoy"},
    {"haproxy", SidecarKind::ReverseProxy, "HAProxy"},
    {"traefik", SidecarKind::ReverseProxy, "Traefik"},
    {"oauth2-proxy", SidecarKind::ReverseProxy, "oauth2-proxy"},
    {"cloud-sql-proxy", SidecarKind::DatabaseProxy, "cloud-sql-proxy"},
    {"cloud_sql_proxy", SidecarKind::DatabaseProxy, "cloud-sql-proxy"},
    {"pgbouncer", SidecarKind::DatabaseProxy, "PgBouncer"},
}};

bool name_matches(std::string_view name, std::string_view known) {
  if (name == known) return true;
  // `nginx-unprivileged`, `envoy-distroless`, but not `nginx-prometheus-exporter` (a metrics
  // exporter that reads nginx's status page) or `nginx-ingress-controller`.
  if (name.find("exporter") != std::string_view::npos || name.find("controller") != std::string_view::npos)
    return false;
  return name.size() > known.size() && name.substr(0, known.size()) == known && name[known.size()] == '-' &&
         known != "proxy" && known != "agent";
}

std::optional<Sidecar> from_image(std::string_view image) {
  ImageReference reference = parse_image_reference(image);
  if (!reference.known) return std::nullopt;
  std::string repository = lower(reference.repository);
  size_t slash = repository.find_last_of('/');
  std::string_view name = slash == std::string::npos ? std::string_view(repository)
                                                     : std::string_view(repository).substr(slash + 1);
  for (const KnownSidecar& known : kImages) {
    if (!name_matches(name, known.name)) continue;
    // Generic names count only under their vendor's repository.
    if (known.name == "proxy" && repository.find("linkerd") == std::string::npos) continue;
    if (known.name == "agent" && repository.find("datadog") == std::string::npos) continue;
    return Sidecar{known.kind, std::string(known.product), "image " + std::string(image)};
  }
  return std::nullopt;
}

// `sleep infinity`, `sleep 3650d`, `tail -f /dev/null`, `while true; do sleep 30; done`: nothing but waiting.
std::optional<Sidecar> keep_alive(const std::vector<std::vector<std::string>>& commands) {
  if (commands.empty()) return std::nullopt;
  bool only_waiting = true;
  std::string shown;
  for (const std::vector<std::string>& command : commands) {
    if (command.empty()) continue;
    std::string_view program = program_basename(command[0]);
    if (program == "exec" && command.size() > 1) program = program_basename(command[1]);
    if (program == "sleep" && command.size() >= 2) {
      std::string_view duration = command.back();
      if (duration == "infinity" || duration.size() >= 4) {  // a year in seconds or days: "31536000", "3650d"
        shown = "sleep " + std::string(duration);
        continue;
      }
    }
    if (program == "tail") {
      // -f, -F (follow by name, the log-streaming sidecar of the Kubernetes docs), --follow[=name],
      // and grouped short options such as -n0 -F or -qF.
      auto follows = [](const std::string& word) {
        if (word.starts_with("--follow")) return true;
        return word.size() > 1 && word[0] == '-' && word[1] != '-' &&
               word.find_first_of("fF") != std::string::npos;
      };
      auto option = std::find_if(command.begin() + 1, command.end(), follows);
      if (option != command.end()) {
        shown = *option == "-F" ? "tail -F" : "tail -f";
        continue;
      }
    }
    if (program == "while" || program == "true" || program == "do" || program == "done") continue;
    only_waiting = false;
  }
  if (!only_waiting || shown.empty()) return std::nullopt;
  return Sidecar{SidecarKind::KeepAlive, shown, "command " + shown};
}

}  // namespace

std::optional<Sidecar> detect_sidecar(std::string_view image, const std::vector<std::string>& command_words) {
  if (auto shipper = log_shipper_from_image(image))
    return Sidecar{SidecarKind::LogShipper, std::string(shipper->product), shipper->evidence};
  if (auto sidecar = from_image(image)) return sidecar;
  if (auto shipper = log_shipper_from_command(command_words))
    return Sidecar{SidecarKind::LogShipper, std::string(shipper->product), shipper->evidence};
  std::vector<std::vector<std::string>> commands = split_simple_commands(command_words);
  if (commands.size() == 1 && !commands[0].empty()) {
    std::string program = lower(program_basename(commands[0][0]));
    for (const KnownSidecar& known : kPrograms)
      if (program == known.name) return Sidecar{known.kind, std::string(known.product), "command " + program};
  }
  return keep_alive(commands);
}

std::string_view to_string(SidecarKind kind) {
  switch (kind) {
    case SidecarKind::LogShipper: return "log shipper";
    case SidecarKind::ReverseProxy: return "reverse proxy";
    case SidecarKind::MeshProxy: return "service-mesh proxy";
    case SidecarKind::DatabaseProxy: return "database proxy";
    case SidecarKind::Agent: return "agent";
    case SidecarKind::KeepAlive: return "keep-alive command";
  }
  return "";
}

}  // namespace shiftlint::detect
