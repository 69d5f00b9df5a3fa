#include "analyzer/detect/image_reference.h"

#include <algorithm>
#include <iterator>

#include <re2/re2.h>

#include "analyzer/detect/template_placeholder.h"
#include "analyzer/source/ascii_case.h"

namespace shiftlint::detect {

namespace {
std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\n')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n')) text.remove_suffix(1);
  return text;
}

// Docker's rule: the first path component is a registry when it has a dot or a port, or is
// `localhost`; otherwise `team/app` is a Docker Hub repository.
bool looks_like_registry(std::string_view component) {
  return component.find('.') != std::string_view::npos || component.find(':') != std::string_view::npos ||
         component == "localhost" || contains_template_placeholder(component);
}

bool is_repository_text(std::string_view text) {
  for (char c : text)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' || c == '/')) return false;
  return true;
}

// Docker's tag grammar: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}.
bool is_tag_text(std::string_view text) {
  if (text.empty() || text.size() > 128 || text.front() == '.' || text.front() == '-') return false;
  for (char c : text)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
          c == '-'))
      return false;
  return true;
}

bool has_whitespace(std::string_view text) {
  return text.find_first_of(" \t\r\n") != std::string_view::npos;
}
}  // namespace

bool ImageReference::is_mutable() const { return known && digest.empty() && (tag.empty() || tag == "latest"); }

bool ImageReference::is_ecr() const {
  static const RE2 ecr(R"([0-9]{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?)");
  return RE2::FullMatch(registry, ecr);
}

bool ImageReference::is_ecr_public() const { return registry == "public.ecr.aws"; }

namespace {
ImageReference parse_uncached(std::string_view image);

// The last reference parsed on this thread: a Dockerfile's FROM is parsed by the model and again
// by each rule that looks at the base image, one file after the other on a worker thread.
struct LastReference {
  std::string image;
  ImageReference reference;
  bool set = false;
};
thread_local LastReference last_reference;
}  // namespace

ImageReference parse_image_reference(std::string_view image) {
  if (last_reference.set && last_reference.image == image) return last_reference.reference;
  ImageReference reference = parse_uncached(image);
  last_reference.image.assign(image);
  last_reference.reference = reference;
  last_reference.set = true;
  return reference;
}

namespace {
ImageReference parse_uncached(std::string_view image) {
  ImageReference reference;
  std::string_view rest = trim(image);
  if (rest.empty() || has_whitespace(rest)) return reference;

  if (size_t at = rest.find('@'); at != std::string_view::npos) {
    reference.digest = std::string(rest.substr(at + 1));
    rest = rest.substr(0, at);
    if (reference.digest.empty() || contains_template_placeholder(reference.digest)) return reference;
  }
  if (size_t slash = rest.find('/'); slash != std::string_view::npos && looks_like_registry(rest.substr(0, slash))) {
    reference.registry = std::string(rest.substr(0, slash));
    rest = rest.substr(slash + 1);
  }
  if (contains_template_placeholder(rest)) {
    // `${Repo}:latest`, `${aws_ecr_repository.app.repository_url}:latest`: whatever the name turns
    // out to be, the tag is written here (a placeholder that stands for a whole reference has no
    // tag after it).
    size_t colon = rest.rfind(':');
    if (colon == std::string_view::npos || !is_tag_text(rest.substr(colon + 1))) return reference;
    reference.tag = std::string(rest.substr(colon + 1));
    reference.repository = std::string(rest.substr(0, colon));
    reference.known = true;
    return reference;
  }
  // The tag is after the last colon of the last path component (a registry port was split off).
  size_t last_slash = rest.rfind('/');
  size_t colon = rest.rfind(':');
  if (colon != std::string_view::npos && (last_slash == std::string_view::npos || colon > last_slash)) {
    reference.tag = std::string(rest.substr(colon + 1));
    rest = rest.substr(0, colon);
    if (reference.tag.empty()) return reference;
  }
  if (rest.empty()) return reference;
  // Docker's grammar allows only lower-case letters, digits and `._-` separators in a repository:
  // a whole reference like `{IMAGE}` or `IMAGE_PLACEHOLDER` is a token a pipeline replaces (sed,
  // kustomize's images), and a container that kept it would not start at all (InvalidImageName).
  // A tag written after such a name (`.../myApp:latest` in a sample) is still the one deployed.
  if (reference.tag.empty() && reference.digest.empty() && !is_repository_text(rest)) return reference;
  reference.repository = std::string(rest);
  reference.known = true;
  return reference;
}
}  // namespace

bool is_official_image_name(std::string_view name) {
  // Sorted, for the binary search.
  static constexpr std::string_view kOfficialImages[] = {
    "adminer", "aerospike", "almalinux", "alpine", "alt", "amazoncorretto", "amazonlinux", "api-firewall",
    "arangodb", "archlinux", "backdrop", "bash", "bonita", "buildpack-deps", "busybox", "caddy", "cassandra",
    "centos", "chronograf", "cirros", "clearlinux", "clefos", "clickhouse", "clojure", "composer", "convertigo",
    "couchbase", "couchdb", "crate", "dart", "debian", "docker", "drupal", "eclipse-mosquitto", "eclipse-temurin",
    "eggdrop", "elasticsearch", "elixir", "emqx", "erlang", "fedora", "flink", "fluentd", "friendica", "gazebo",
    "gcc", "geonetwork", "ghost", "golang", "gradle", "groovy", "haproxy", "haskell", "haxe", "hello-world",
    "hitch", "httpd", "hylang", "ibm-semeru-runtimes", "ibmjava", "influxdb", "irssi", "jenkins", "jetty",
    "joomla", "jruby", "julia", "kapacitor", "kibana", "kong", "krakend", "lightstreamer", "liquibase", "logstash",
    "mageia", "mariadb", "matomo", "maven", "mediawiki", "memcached", "mongo", "mongo-express", "monica", "mono",
    "mysql", "nats", "neo4j", "neurodebian", "nextcloud", "nginx", "node", "notary", "odoo", "open-liberty",
    "openjdk", "opensearch", "opensearch-dashboards", "oraclelinux", "orientdb", "percona", "perl", "photon",
    "php", "php-zendserver", "phpmyadmin", "plone", "postfixadmin", "postgres", "pypy", "python", "r-base",
    "rabbitmq", "rakudo-star", "redis", "redmine", "registry", "rethinkdb", "rocket.chat", "rockylinux", "ros",
    "ruby", "rust", "sapmachine", "satosa", "silverpeas", "sl", "solr", "sonarqube", "spiped", "storm", "swift",
    "swipl", "teamspeak", "telegraf", "tomcat", "tomee", "traefik", "ubuntu", "unit", "varnish",
    "websphere-liberty", "wordpress", "xwiki", "yourls", "znc", "zookeeper"};
  return std::binary_search(std::begin(kOfficialImages), std::end(kOfficialImages), name);
}

std::string official_repository(std::string_view registry, std::string_view repository) {
  std::string registry_name = to_lower_ascii(registry);
  std::string name = to_lower_ascii(repository);
  auto strip = [&](std::string_view prefix) {
    if (name.size() > prefix.size() && name.compare(0, prefix.size(), prefix) == 0) {
      name.erase(0, prefix.size());
      return true;
    }
    return false;
  };
  if (registry_name.empty() || registry_name == "docker.io" || registry_name == "index.docker.io" ||
      registry_name == "registry-1.docker.io" || registry_name == "mirror.gcr.io") {
    // The official images are also published per architecture under these namespaces, the same
    // images (fluentd's Dockerfiles build FROM arm64v8/ruby:2.6-buster).
    if (!strip("library/"))
      for (std::string_view architecture : {"amd64/", "arm32v5/", "arm32v6/", "arm32v7/", "arm64v8/", "i386/",
                                            "mips64le/", "ppc64le/", "riscv64/", "s390x/", "windows-amd64/"})
        if (strip(architecture)) break;
  } else if (registry_name == "public.ecr.aws") {
    // The Docker Official Images mirror, Amazon's own Amazon Linux, Canonical's Ubuntu.
    if (!strip("docker/library/") && name != "amazonlinux/amazonlinux" && name != "lts/ubuntu" &&
        name != "ubuntu/ubuntu")
      return {};
    if (name == "amazonlinux/amazonlinux") name = "amazonlinux";
    if (name == "lts/ubuntu" || name == "ubuntu/ubuntu") name = "ubuntu";
  } else {
    return {};
  }
  if (name.find('/') != std::string::npos) return {};
  return name;
}

}  // namespace shiftlint::detect
