#pragma once
// Recognises log shippers (fluentd, Fluent Bit, Vector, Filebeat...) from an image reference or a
// command line, and tells an ECS FireLens log router apart from a plain log-shipping sidecar.
//
// Model-independent: ECS rules pass a container's image, entryPoint + command, and whether it has a
// firelensConfiguration; Kubernetes rules (K8S001) pass a pod container's image and command + args;
// Dockerfile rules (DKR014) can pass installed program names through `log_shipper_from_program`.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shiftlint::detect {

enum class LogShipperKind {
  AwsForFluentBit,  // amazon/aws-for-fluent-bit, public.ecr.aws/aws-observability/aws-for-fluent-bit
  FluentBit,        // fluent/fluent-bit, cr.fluentbit.io/fluent/fluent-bit, td-agent-bit
  Fluentd,          // fluent/fluentd, fluentd, td-agent
  Vector,           // timberio/vector
  Filebeat,         // docker.elastic.co/beats/filebeat
  Logstash,         // docker.elastic.co/logstash/logstash
  Promtail,         // grafana/promtail
  AwslogsAgent,     // the legacy CloudWatch Logs agent (awslogs / awslogsd)
  // The unified CloudWatch agent (amazon-cloudwatch-agent): metrics and logs. Only the package,
  // URL and cloudwatch_agent_from_program functions return it: as an ECS sidecar image it is a
  // metrics collector, not a log shipper the app depends on.
  CloudWatchAgent,
};

struct LogShipper {
  LogShipperKind kind = LogShipperKind::Fluentd;
  // The product as users call it: "fluent-bit", "aws-for-fluent-bit", "fluentd", "vector"...
  std::string_view product;
  // What gave it away, for messages: "image fluent/fluentd:v1.16-1", "command fluent-bit".
  std::string evidence;
};

// By image reference: registry, tag and digest are ignored; the repository name decides.
std::optional<LogShipper> log_shipper_from_image(std::string_view image);
// By the program a command line runs (exec-form words; `sh -c` scripts are split).
std::optional<LogShipper> log_shipper_from_command(const std::vector<std::string>& command_words);
// By program name alone: "fluent-bit", "/opt/td-agent/bin/td-agent", "filebeat".
std::optional<LogShipper> log_shipper_from_program(std::string_view program);

// By a package an image or host installs: an OS package name (`td-agent`, `fluent-bit`, `filebeat`,
// `amazon-cloudwatch-agent`, `awslogs`), or a downloaded package file or URL
// (`https://.../amazon-cloudwatch-agent.rpm`, `filebeat-8.13.0-amd64.deb`). `language_package`:
// the name comes from gem/pip/npm, where only fluentd (a Ruby gem) is a shipper.
std::optional<LogShipper> log_shipper_from_package(std::string_view package, bool language_package = false);

// The unified CloudWatch agent's programs (amazon-cloudwatch-agent, amazon-cloudwatch-agent-ctl,
// start-amazon-cloudwatch-agent): a log agent when an app image runs it.
std::optional<LogShipper> cloudwatch_agent_from_program(std::string_view program);

// By a URL an image build downloads: a package file (`.../filebeat-8.13.0-amd64.deb`,
// `.../amazon-cloudwatch-agent.rpm`) or a shipper's install script (`toolbelt.treasuredata.com/sh/
// install-ubuntu-jammy-td-agent4.sh`, `fluentbit.io/install.sh`, `sh.vector.dev`,
// `awslogs-agent-setup.py`).
std::optional<LogShipper> log_shipper_from_url(std::string_view url);

// Fluent Bit in either flavour (aws-for-fluent-bit is a Fluent Bit distribution).
bool is_fluent_bit(LogShipperKind kind);
// Whether the shipper can receive the Fluentd forward protocol (the `fluentd` Docker log driver,
// port 24224), so an app logging with that driver may be shipping to it.
bool accepts_fluent_forward(LogShipperKind kind);

enum class LogContainerRole {
  Application,        // not a log shipper
  FireLensRouter,     // the ECS FireLens log router: it has a firelensConfiguration
  LogShipperSidecar,  // a log shipper the task runs beside the app, outside FireLens
};

struct LogContainer {
  LogContainerRole role = LogContainerRole::Application;
  // The shipper recognised from the image or command. A FireLens router may have none (a custom
  // image): the firelensConfiguration alone makes it the router.
  std::optional<LogShipper> shipper;
};

// Classifies one container of a task or pod.
LogContainer classify_log_container(std::string_view image, const std::vector<std::string>& command_words,
                                    bool has_firelens_configuration);

// Whether an environment entry of an app container points it at a log shipper: a Fluentd forward
// address (`localhost:24224`, `fluentd:24224`), or a logging-related variable (FLUENTD_HOST,
// LOG_HOST, ...) whose value is localhost or one of `shipper_hosts` (the shipper's container name).
bool environment_points_at_log_shipper(std::string_view name, std::string_view value,
                                       const std::vector<std::string>& shipper_hosts);

std::string_view to_string(LogShipperKind kind);

}  // namespace shiftlint::detect
