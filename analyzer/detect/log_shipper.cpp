#include "analyzer/detect/log_shipper.h"

#include <algorithm>
#include <cctype>

#include "analyzer/detect/image_reference.h"
#include "analyzer/detect/worker_process.h"

namespace shiftlint::detect {

namespace {

std::string lower(std::string_view text) {
  std::string result(text);
  // ASCII only, as std::tolower in the C locale, without a call per character.
  for (char& c : result)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return result;
}

bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

// `text` lower-cased (ASCII) equals `lowered`: the rules ask this of every program a script runs,
// so no lower-case copy is made.
bool equals_lowered(std::string_view text, std::string_view lowered) {
  if (text.size() != lowered.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lowered[i]) return false;
  }
  return true;
}

std::optional<LogShipperKind> kind_of_name(std::string_view name, std::string_view repository) {
  if (contains(name, "aws-for-fluent-bit")) return LogShipperKind::AwsForFluentBit;
  if (contains(name, "fluent-bit") || contains(name, "fluentbit") || contains(name, "td-agent-bit"))
    return LogShipperKind::FluentBit;
  if (contains(name, "fluentd") || contains(name, "td-agent")) return LogShipperKind::Fluentd;
  if (name == "vector" || contains(repository, "timberio/vector") || contains(repository, "vectordotdev/"))
    return LogShipperKind::Vector;
  if (contains(name, "filebeat")) return LogShipperKind::Filebeat;
  if (contains(name, "logstash")) return LogShipperKind::Logstash;
  if (contains(name, "promtail")) return LogShipperKind::Promtail;
  if (name == "awslogs" || name == "awslogsd" || contains(name, "awslogs-agent")) return LogShipperKind::AwslogsAgent;
  return std::nullopt;
}

bool is_assignment(std::string_view word) {
  size_t equals = word.find('=');
  if (equals == 0 || equals == std::string_view::npos) return false;
  for (size_t i = 0; i < equals; ++i)
    if (!(std::isalnum(static_cast<unsigned char>(word[i])) || word[i] == '_')) return false;
  return !std::isdigit(static_cast<unsigned char>(word[0]));
}

// Programs that run another program: the shipper is the word after them.
bool is_wrapper(std::string_view program) {
  return program == "exec" || program == "env" || program == "nice" || program == "nohup" || program == "tini" ||
         program == "dumb-init" || program == "su-exec" || program == "gosu" || program == "--";
}

}  // namespace

std::optional<LogShipper> log_shipper_from_image(std::string_view image) {
  ImageReference reference = parse_image_reference(image);
  if (!reference.known) return std::nullopt;
  std::string repository = lower(reference.repository);
  size_t slash = repository.find_last_of('/');
  std::string_view name = slash == std::string::npos ? std::string_view(repository)
                                                     : std::string_view(repository).substr(slash + 1);
  auto kind = kind_of_name(name, repository);
  if (!kind) return std::nullopt;
  return LogShipper{*kind, to_string(*kind), "image " + std::string(image)};
}

std::optional<LogShipper> log_shipper_from_program(std::string_view program) {
  std::string_view base = program_basename(program);
  // Exact program names: a command argument such as "--vector" or "logstash.conf" is no program.
  static constexpr std::string_view programs[] = {"fluent-bit", "td-agent-bit", "fluentd", "td-agent", "vector",
                                                  "filebeat",   "logstash",     "promtail", "awslogs", "awslogsd"};
  auto known = std::find_if(std::begin(programs), std::end(programs),
                            [&](std::string_view name) { return equals_lowered(base, name); });
  if (known == std::end(programs)) return std::nullopt;
  std::string_view name = *known;
  auto kind = kind_of_name(name, name);
  if (!kind) return std::nullopt;
  return LogShipper{*kind, to_string(*kind), "command " + std::string(program)};
}

std::optional<LogShipper> log_shipper_from_command(const std::vector<std::string>& command_words) {
  for (const std::vector<std::string>& command : split_simple_commands(command_words)) {
    for (size_t i = 0; i < command.size(); ++i) {
      std::string_view word = command[i];
      if (is_assignment(word)) continue;
      std::string_view program = program_basename(word);
      if (is_wrapper(program)) {
        // `gosu USER program`, `su-exec USER program`: skip the user too.
        if ((program == "gosu" || program == "su-exec") && i + 1 < command.size()) ++i;
        continue;
      }
      if (!word.empty() && word[0] == '-') continue;
      if (auto shipper = log_shipper_from_program(word)) return shipper;
      break;  // the command's program is something else
    }
  }
  return std::nullopt;
}

std::optional<LogShipper> log_shipper_from_package(std::string_view package, bool language_package) {
  std::string_view base = program_basename(package);
  // Every known package name starts with one of these: most packages are told apart here.
  if (base.empty() || std::string_view("aAtTfFlLpPvV").find(base.front()) == std::string_view::npos)
    return std::nullopt;
  struct Known {
    std::string_view package;
    LogShipperKind kind;
  };
  // Longest names first: td-agent-bit is Fluent Bit, td-agent is fluentd. fluent-package is
  // td-agent's name from v5 on.
  static constexpr Known packages[] = {
      {"amazon-cloudwatch-agent", LogShipperKind::CloudWatchAgent},
      {"td-agent-bit", LogShipperKind::FluentBit},
      {"fluent-package", LogShipperKind::Fluentd},
      {"fluent-bit", LogShipperKind::FluentBit},
      {"td-agent", LogShipperKind::Fluentd},
      {"fluentd", LogShipperKind::Fluentd},
      {"filebeat", LogShipperKind::Filebeat},
      {"logstash", LogShipperKind::Logstash},
      {"promtail", LogShipperKind::Promtail},
      {"awslogs", LogShipperKind::AwslogsAgent},
      {"vector", LogShipperKind::Vector},
  };
  // The name compared below is `base` lower-cased with a suffix cut off, so it starts with a known
  // package only if `base` does: the rest (most packages an install names) need no lower-case copy.
  if (std::none_of(std::begin(packages), std::end(packages), [&](const Known& known) {
        return base.size() >= known.package.size() && equals_lowered(base.substr(0, known.package.size()), known.package);
      }))
    return std::nullopt;
  std::string name = lower(base);
  for (std::string_view suffix : {".deb", ".rpm", ".apk", ".tar.gz", ".tgz", ".zip"}) {
    if (name.size() > suffix.size() && std::string_view(name).ends_with(suffix)) {
      name.erase(name.size() - suffix.size());  // not resize: gcc 12 warns of its growing branch
      break;
    }
  }
  for (const Known& known : packages) {
    if (language_package && known.kind != LogShipperKind::Fluentd) continue;
    if (language_package && known.package != "fluentd") continue;
    if (!std::string_view(name).starts_with(known.package)) continue;
    // The name alone, or a file name with a version or platform after it: `filebeat-8.13.0-amd64`,
    // `td-agent_4.4.2-1_amd64`, `promtail-linux-amd64`. Not `vector-clock` or `awslogs-exporter`.
    std::string_view rest = std::string_view(name).substr(known.package.size());
    bool matches = rest.empty();
    if (!matches && (rest[0] == '-' || rest[0] == '_') && rest.size() > 1) {
      std::string_view after = rest.substr(1);
      matches = std::isdigit(static_cast<unsigned char>(after[0])) || after.starts_with("linux") ||
                after.starts_with("latest") || after.starts_with("amd64") || after.starts_with("x86_64") ||
                after.starts_with("arm64") || after.starts_with("aarch64");
    }
    if (matches) return LogShipper{known.kind, to_string(known.kind), "package " + std::string(package)};
  }
  return std::nullopt;
}

std::optional<LogShipper> cloudwatch_agent_from_program(std::string_view program) {
  std::string_view name = program_basename(program);
  if (!equals_lowered(name, "amazon-cloudwatch-agent") && !equals_lowered(name, "amazon-cloudwatch-agent-ctl") &&
      !equals_lowered(name, "start-amazon-cloudwatch-agent"))
    return std::nullopt;
  return LogShipper{LogShipperKind::CloudWatchAgent, to_string(LogShipperKind::CloudWatchAgent),
                    "command " + std::string(program)};
}

std::optional<LogShipper> log_shipper_from_url(std::string_view url) {
  if (!contains(url, "://")) return std::nullopt;  // before the lower-case copy: most words are no URL
  std::string lowered = lower(url);
  if (auto shipper = log_shipper_from_package(url)) {
    shipper->evidence = "download " + std::string(url);
    return shipper;
  }
  struct Installer {
    std::string_view marker;
    LogShipperKind kind;
  };
  static constexpr Installer installers[] = {
      {"toolbelt.treasuredata.com", LogShipperKind::Fluentd},
      {"fluentd.cdn.cncf.io", LogShipperKind::Fluentd},
      {"fluentbit.io/install.sh", LogShipperKind::FluentBit},
      {"fluent/fluent-bit/master/install.sh", LogShipperKind::FluentBit},
      {"sh.vector.dev", LogShipperKind::Vector},
      {"awslogs-agent-setup.py", LogShipperKind::AwslogsAgent},
      {"amazoncloudwatch-agent", LogShipperKind::CloudWatchAgent},
  };
  for (const Installer& installer : installers)
    if (contains(lowered, installer.marker))
      return LogShipper{installer.kind, to_string(installer.kind), "download " + std::string(url)};
  return std::nullopt;
}

bool is_fluent_bit(LogShipperKind kind) {
  return kind == LogShipperKind::FluentBit || kind == LogShipperKind::AwsForFluentBit;
}

bool accepts_fluent_forward(LogShipperKind kind) {
  return kind == LogShipperKind::Fluentd || is_fluent_bit(kind) || kind == LogShipperKind::Vector ||
         kind == LogShipperKind::Logstash;
}

LogContainer classify_log_container(std::string_view image, const std::vector<std::string>& command_words,
                                    bool has_firelens_configuration) {
  LogContainer container;
  container.shipper = log_shipper_from_image(image);
  if (!container.shipper) container.shipper = log_shipper_from_command(command_words);
  if (has_firelens_configuration)
    container.role = LogContainerRole::FireLensRouter;
  else if (container.shipper)
    container.role = LogContainerRole::LogShipperSidecar;
  return container;
}

bool environment_points_at_log_shipper(std::string_view name, std::string_view value,
                                       const std::vector<std::string>& shipper_hosts) {
  std::string lowered = lower(value);
  // The Fluentd forward protocol's port, on any host: the app talks to a forward receiver.
  if (contains(lowered, ":24224")) return true;
  // A variable about logging: one of its `_`-separated parts names logs or a shipper (LOG_HOST,
  // FLUENTD_HOST, SYSLOG_ADDRESS), so LOGIN_URL or CATALOG_HOST do not count.
  bool about_logs = false;
  std::string variable = lower(name);
  for (size_t start = 0; start <= variable.size() && !about_logs;) {
    size_t end = variable.find_first_of("_.-", start);
    if (end == std::string::npos) end = variable.size();
    std::string_view part = std::string_view(variable).substr(start, end - start);
    static constexpr std::string_view log_words[] = {"log",      "logs",   "logger", "logging",  "fluent",
                                                     "fluentd",  "fluentbit", "vector", "filebeat", "logstash",
                                                     "syslog",   "promtail"};
    about_logs = std::find(std::begin(log_words), std::end(log_words), part) != std::end(log_words);
    start = end + 1;
  }
  if (!about_logs) return false;
  // FLUENTD_HOST=localhost, LOG_HOST=fluentd, LOGGER_URL=tcp://127.0.0.1:5170...
  auto mentions_host = [&](std::string_view host) {
    size_t at = lowered.find(host);
    while (at != std::string::npos) {
      bool start_ok = at == 0 || !std::isalnum(static_cast<unsigned char>(lowered[at - 1]));
      size_t end = at + host.size();
      bool end_ok = end == lowered.size() || !(std::isalnum(static_cast<unsigned char>(lowered[end])) ||
                                               lowered[end] == '-' || lowered[end] == '_');
      if (start_ok && end_ok) return true;
      at = lowered.find(host, at + 1);
    }
    return false;
  };
  if (mentions_host("localhost") || mentions_host("127.0.0.1")) return true;
  for (const std::string& host : shipper_hosts)
    if (!host.empty() && mentions_host(lower(host))) return true;
  return false;
}

std::string_view to_string(LogShipperKind kind) {
  switch (kind) {
    case LogShipperKind::AwsForFluentBit: return "aws-for-fluent-bit";
    case LogShipperKind::FluentBit: return "fluent-bit";
    case LogShipperKind::Fluentd: return "fluentd";
    case LogShipperKind::Vector: return "vector";
    case LogShipperKind::Filebeat: return "filebeat";
    case LogShipperKind::Logstash: return "logstash";
    case LogShipperKind::Promtail: return "promtail";
    case LogShipperKind::AwslogsAgent: return "awslogs agent";
    case LogShipperKind::CloudWatchAgent: return "CloudWatch agent";
  }
  return "";
}

}  // namespace shiftlint::detect
