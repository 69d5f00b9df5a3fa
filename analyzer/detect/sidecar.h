#pragma once
// Recognises the helper processes that run beside an app in its pod or task and never exit on their
// own: log shippers, reverse proxies in front of the app, service-mesh and database proxies,
// metrics and secrets agents, and keep-alive commands (`sleep infinity`, `tail -f`).
//
// Model-independent: K8S002 asks for proxies in front of an app, K8S013 for anything that keeps a
// Job's pod running; ECS rules can pass a container's image and command the same way.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shiftlint::detect {

enum class SidecarKind {
  LogShipper,     // fluent-bit, fluentd, vector, filebeat... (log_shipper.h)
  ReverseProxy,   // nginx, OpenResty, Envoy, HAProxy, Traefik, Caddy, oauth2-proxy: requests reach the app through it
  MeshProxy,      // istio-proxy (proxyv2), linkerd-proxy
  DatabaseProxy,  // Cloud SQL Auth Proxy, PgBouncer, ProxySQL
  Agent,          // Datadog agent, OpenTelemetry collector, statsd exporter, Vault agent
  KeepAlive,      // the command only waits: `sleep infinity`, `tail -f /dev/null`
};

struct Sidecar {
  SidecarKind kind = SidecarKind::Agent;
  std::string product;   // "nginx", "envoy", "fluent-bit", "cloud-sql-proxy", "sleep infinity"...
  std::string evidence;  // "image nginx:1.25", "command envoy"
};

// What a container is, from its image (repository name; registry, tag and digest ignored) and its
// exec-form command words (`sh -c` scripts split); nullopt for anything else, including an app.
std::optional<Sidecar> detect_sidecar(std::string_view image, const std::vector<std::string>& command_words);

std::string_view to_string(SidecarKind kind);

}  // namespace shiftlint::detect
