// K8S010: a secret written in plain text into a container's env `value:` or a chart's values.yaml.
#include <algorithm>
#include <optional>
#include <span>
#include <cctype>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <re2/re2.h>

#include "analyzer/detect/secret_like.h"
#include "analyzer/engine/rule.h"
#include "analyzer/model/helm/encoding.h"
#include "analyzer/model/k8s/container_process.h"

namespace shiftlint {
namespace {

// Values nested deeper than this are not walked (a hostile file cannot make the walk recurse far).
constexpr int kMaxValuesDepth = 64;

std::string shown(const detect::PlaintextSecret& secret) {
  return secret.secret.empty() ? std::string() : fmt::format(" ({})", detect::mask_secret(secret.secret));
}

void check_container(const k8s::Workload& workload, const k8s::Container& container, RuleContext& context) {
  for (const k8s::EnvironmentEntry& entry : container.environment) {
    if (!entry.value || entry.value_from) continue;
    auto value = entry.value->as_string();
    if (!value) continue;
    std::string_view name = entry.name ? entry.name->as_string().value_or("") : "";
    auto secret = detect::find_plaintext_secret(name, *value);
    if (!secret) continue;
    std::string variable = name.empty() ? std::string("an environment variable") : fmt::format("env \"{}\"", name);
    Finding& finding = context.report(
        *entry.value,
        fmt::format("{} of {} holds {} in plain text{}: anyone who can read the manifest, the repository or the pod "
                    "spec (kubectl get pod -o yaml) can read it; put it in a Secret (or an external secret store) and "
                    "reference it with valueFrom.secretKeyRef, and rotate it",
                    variable, k8s::describe_container(workload, container), secret->kind, shown(*secret)));
    finding.sensitive = true;  // code frames and snippets show it masked
    // Rendered from a chart, the value usually names its values.yaml line itself; one that passed
    // through a helper's JSON (`include ... | fromJson`) no longer does. The same text written in
    // values.yaml is where it comes from, and that line's own finding makes this one redundant.
    if (!context.value_source(*entry.value))
      if (const Node* written = context.chart_value_with_text(*value))
        finding.related.push_back({make_location(*written->file, written->span), "the value comes from here"});
  }
}

void check_workload(const k8s::Workload& workload, RuleContext& context) {
  for (const k8s::Container& container : workload.init_containers) check_container(workload, container, context);
  for (const k8s::Container& container : workload.containers) check_container(workload, container, context);
}

// Chart values name things about secrets in their own ways: `existingSecret: shop-db` names a Secret,
// `adminPasswordKey: admin-password` the key inside it, `passwordRef` a reference. Their values are
// names, not credentials.
// `parent` is the key of the map that holds `key`: `tls: {secret: authelia-tls}` reads as
// `tlsSecret: authelia-tls`.
bool names_a_secret_reference(std::string_view key, std::string_view value, std::string_view parent) {
  std::vector<std::string> words;
  auto split = [&words](std::string_view name) {
    std::string current;
    for (size_t i = 0; i <= name.size(); ++i) {
      char c = i < name.size() ? name[i] : '_';
      bool boundary = !std::isalnum(static_cast<unsigned char>(c)) ||
                      (std::isupper(static_cast<unsigned char>(c)) && i > 0 && std::islower(static_cast<unsigned char>(name[i - 1])));
      if (boundary && !current.empty()) {
        words.push_back(current);
        current.clear();
      }
      if (std::isalnum(static_cast<unsigned char>(c))) current += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  };
  split(key);
  if (words.size() == 1 && words.front() == "secret" && !parent.empty()) {
    words.clear();
    split(parent);
    split(key);
  }
  if (words.empty()) return false;
  if (words.front() == "existing") return true;
  const std::string& last = words.back();
  if (last == "ref" || last == "refs" || last == "selector") return true;
  if ((last == "key" || last == "keys") && words.size() >= 2) {
    const std::string& before = words[words.size() - 2];
    if (before.ends_with("password") || before == "token" || before == "credentials") return true;
    // `tokenSecretKey: token`, `passwordsSecretKeystoreKey: keystore-password`: the key inside the
    // Secret that `tokenSecretName` names. (`secretKey` alone is MinIO's and S3's secret key.)
    if (std::find(words.begin() + 1, words.end() - 1, "secret") != words.end() - 1) return true;
    // `authKey: auth`: the value is the key's own word, the name of an entry in a Secret.
    std::string lowered;
    for (char c : value)
      if (std::isalnum(static_cast<unsigned char>(c))) lowered += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string run;
    for (size_t i = words.size() - 1; i-- > 0;) {
      run = words[i] + run;
      if (run == lowered) return true;
    }
  }
  // `secretKey: thanos.yaml`, `serviceAccountSecretKey: credentials.json`: a file inside a Secret.
  static const RE2 file_name(R"([A-Za-z0-9_.-]+\.(?:ya?ml|json|conf|cfg|ini|properties|txt|pem|key|crt|p12|jks|env))");
  if (RE2::FullMatch(re2::StringPiece(value.data(), value.size()), file_name)) return true;
  // `imagePullSecrets: [regcred]`, `pullSecrets: [okamba-registry]`: a list of Secret objects'
  // names (lower-case DNS names), the plural being Kubernetes' own naming for such lists.
  if (last == "secrets") {
    static const RE2 dns_name(R"([a-z0-9](?:[-a-z0-9.]*[a-z0-9])?)");
    if (RE2::FullMatch(re2::StringPiece(value.data(), value.size()), dns_name)) return true;
  }
  // `tlsSecret: wordpress.local-tls`, `hfSecret: hf-secret`: the name of a Secret object (a DNS
  // name with a separator), not a credential.
  if (last == "secret" && words.size() >= 2) {
    static const RE2 object_name(R"([a-z0-9]+(?:[-.][a-z0-9]+)+)");
    if (RE2::FullMatch(re2::StringPiece(value.data(), value.size()), object_name)) return true;
  }
  return false;
}

// Walks a values tree: each scalar is judged with the key it sits under (list items with their
// list's key), and `path` names it the way `--set` does (auth.password, extraEnv[0].value).
void check_values(const Node& node, std::string_view key, std::string_view parent_key, const std::string& path, int depth,
                  RuleContext& context) {
  if (depth > kMaxValuesDepth) return;
  if (node.is_map()) {
    // `{name: DB_PASSWORD, value: hunter2}`: an env entry written in values, judged by its name.
    const Node* name = node.find("name");
    const Node* value = node.find("value");
    auto entry_name = name ? name->as_string() : std::nullopt;
    for (const Node& child : node.children) {
      std::string child_path = path.empty() ? child.key : path + "." + child.key;
      std::string_view child_key = child.key;
      if (&child == value && entry_name) child_key = *entry_name;
      check_values(child, child_key, key, child_path, depth + 1, context);
    }
    return;
  }
  if (node.is_list()) {
    for (size_t i = 0; i < node.children.size(); ++i)
      check_values(node.children[i], key, parent_key, fmt::format("{}[{}]", path, i), depth + 1, context);
    return;
  }
  if (!node.is_string() && !node.is_number()) return;
  if (names_a_secret_reference(key, node.text, parent_key)) return;
  auto secret = detect::find_plaintext_secret(key, node.text);
  if (!secret) return;
  Finding& finding = context.report(
      node, fmt::format("chart value {} holds {} in plain text{}: it is committed with the chart and rendered into "
                        "the release (helm get values shows it to anyone with access); leave it empty and pass it "
                        "at install time from a secret store, point the chart at an existing Secret, or encrypt the "
                        "file with SOPS (helm-secrets), and rotate it",
                        path, secret->kind, shown(*secret)));
  finding.sensitive = true;
}

void check_helm_values(const k8s::HelmValues& values, RuleContext& context) {
  check_values(*values.root, "", "", "", 0, context);
}

// Where a values node sits in the chart's values, as check_values walks them: its `--set` path, the
// key it is judged by (an env entry's `value` by the entry's `name`) and the key of the map above it.
struct ValuePlace {
  std::string path;
  std::string_view key;
  std::string_view parent_key;
};

std::optional<ValuePlace> place_in_values(const Node& root, const Node& wanted) {
  std::optional<ValuePlace> found;
  auto walk = [&](auto& self, const Node& node, std::string_view key, std::string_view parent_key, const std::string& path,
                  int depth) -> void {
    if (found || depth > kMaxValuesDepth) return;
    if (&node == &wanted || (node.file == wanted.file && node.span == wanted.span && node.is_scalar())) {
      found = ValuePlace{path, key, parent_key};
      return;
    }
    const Node* entry_value = node.is_map() ? node.find("value") : nullptr;
    std::optional<std::string_view> entry_name;
    if (const Node* name = node.is_map() ? node.find("name") : nullptr) entry_name = name->as_string();
    for (size_t i = 0; i < node.children.size(); ++i) {
      const Node& child = node.children[i];
      if (node.is_list()) {
        self(self, child, key, parent_key, fmt::format("{}[{}]", path, i), depth + 1);
        continue;
      }
      std::string_view child_key = &child == entry_value && entry_name ? *entry_name : std::string_view(child.key);
      self(self, child, child_key, key, path.empty() ? child.key : path + "." + child.key, depth + 1);
    }
  };
  walk(walk, root, "", "", "", 0);
  return found;
}

// The text a Secret entry holds: stringData as written, data decoded from base64.
std::optional<std::string> entry_text(const Node& entry, bool base64) {
  auto written = entry.as_string();
  if (!written) return std::nullopt;
  if (!base64) return std::string(*written);
  return helm::base64_decode(*written);
}

// A chart value printed into a Secret's data or stringData is that Secret's content: a credential
// committed with the chart whatever its key says. From values.yaml alone `secretKey: minioadmin`
// (MinIO's root password) reads like `secretKey: password` (the name of an entry in an existing
// Secret), and the values check leaves both; the render tells them apart. Only an entry that is the
// value and nothing else counts (not a config file the value is one line of), and only what the
// values check left is reported here, once, on the values line.
void check_secrets(std::span<const k8s::Secret> secrets, RuleContext& context) {
  struct Report {
    const Node* source;
    std::string_view kind;
    std::string path;
    std::vector<std::pair<const Node*, std::string>> entries;  // the Secret entries it is rendered into
  };
  std::vector<Report> reports;
  for (const k8s::Secret& secret : secrets) {
    for (const Node* entries : {secret.string_data, secret.data}) {
      if (!entries) continue;
      bool base64 = entries == secret.data;
      for (const Node& entry : entries->children) {
        const Node* source = context.value_source(entry);
        if (!source || source->key.empty() || (!source->is_string() && !source->is_number())) continue;
        if (entry_text(entry, base64) != source->text) continue;
        std::string described = fmt::format("Secret \"{}\" ({}.{})", secret.name_text(), base64 ? "data" : "stringData", entry.key);
        auto earlier = std::find_if(reports.begin(), reports.end(), [&](const Report& report) { return report.source == source; });
        if (earlier != reports.end()) {
          earlier->entries.emplace_back(&entry, std::move(described));
          continue;
        }
        std::optional<ValuePlace> place;
        // Where the value is written: the chart's values.yaml, or a values file it was rendered with.
        if (const Node* values = context.chart_values()) place = place_in_values(*values, *source);
        for (const Node* file : context.values_files())
          if (!place && file->file == source->file) place = place_in_values(*file, *source);
        std::string_view judged_key = place ? place->key : std::string_view(source->key);
        std::string_view parent_key = place ? place->parent_key : std::string_view();
        if (!names_a_secret_reference(judged_key, source->text, parent_key) &&
            detect::find_plaintext_secret(judged_key, source->text))
          continue;  // the values check reports it on its line
        auto found = detect::find_plaintext_secret(source->key, source->text, detect::ValueUse::SecretContent);
        // The Secret entry's name speaks for a values key that says nothing (`value`, `rootUser`); a
        // values key that does speak (`token: token`, a placeholder) is not overruled.
        if (!found && !detect::secret_like_name(source->key))
          found = detect::find_plaintext_secret(entry.key, source->text, detect::ValueUse::SecretContent);
        if (!found) continue;
        reports.push_back({source, found->kind, place && !place->path.empty() ? place->path : source->key, {}});
        reports.back().entries.emplace_back(&entry, std::move(described));
      }
    }
  }
  for (const Report& report : reports) {
    const Node& source = *report.source;
    std::string secret_text(detect::mask_secret(source.text));
    Finding& finding = context.report(
        source, fmt::format("chart value {} holds {} in plain text ({}): the chart renders it into {}{}, and it is "
                            "committed with the chart (helm get values shows it to anyone with access); leave it empty "
                            "and pass it at install time from a secret store, point the chart at an existing Secret, or "
                            "encrypt the file with SOPS (helm-secrets), and rotate it",
                            report.path, report.kind, secret_text, report.entries.front().second,
                            report.entries.size() > 1 ? fmt::format(" and {} more", report.entries.size() - 1) : ""));
    finding.sensitive = true;
    for (const auto& [entry, described] : report.entries)
      RuleContext::relate(finding, *entry, fmt::format("rendered into {} here", described));
  }
}

const RuleRegistration registration{{
    .id = "K8S010",
    .slug = "plaintext-secret-value",
    .severity = Severity::Error,
    .summary = "A secret-like literal in a container env value or a Helm chart's values.yaml",
    .check_kubernetes_workload = check_workload,
    .check_helm_values = check_helm_values,
    .check_kubernetes_secrets = check_secrets,
}};

}  // namespace
}  // namespace shiftlint
