#include "analyzer/model/helm/render.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <mutex>
#include <new>
#include <set>

#include <fmt/format.h>

#include "analyzer/model/helm/encoding.h"
#include "analyzer/parse/go_template/template_parser.h"
#include "analyzer/parse/yaml_loader.h"

namespace shiftlint::helm {

namespace {

// ---------------------------------------------------------------------------------------------
// Values: merging layers (value files, --set) and coalescing them with chart defaults

// Later layers win; maps merge key by key (Helm's mergeMaps for -f files).
void merge_over(Value& base, const Value& layer) {
  if (base.kind != ValueKind::Map || layer.kind != ValueKind::Map) {
    base = layer;
    return;
  }
  if (!base.map.unique()) base.map = std::make_shared<ValueMap>(*base.map);
  for (const auto& [key, value] : *layer.map) {
    auto found = base.map->find(key);
    if (found != base.map->end() && found->second.kind == ValueKind::Map && value.kind == ValueKind::Map)
      merge_over(found->second, value);
    else
      (*base.map)[key] = value;
  }
}

// Helm's coalesceValues: what the user set wins; chart defaults fill the rest, map by map; a user
// null removes the default.
Value coalesce(const Value& user, const Value& defaults) {
  if (user.kind != ValueKind::Map) return user;
  Value result = user;
  result.map = std::make_shared<ValueMap>(*user.map);
  if (defaults.kind != ValueKind::Map) return result;
  for (const auto& [key, value] : *defaults.map) {
    auto found = result.map->find(key);
    if (found == result.map->end()) {
      (*result.map)[key] = deep_copy(value);
    } else if (found->second.is_nil()) {
      result.map->erase(found);
    } else if (found->second.kind == ValueKind::Map && value.kind == ValueKind::Map) {
      found->second = coalesce(found->second, value);
    }
  }
  return result;
}

Value* value_at_path(Value& root, std::string_view path) {
  Value* current = &root;
  size_t start = 0;
  while (start <= path.size()) {
    size_t dot = path.find('.', start);
    std::string_view key = path.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (current->kind != ValueKind::Map) return nullptr;
    auto found = current->map->find(key);
    if (found == current->map->end()) return nullptr;
    current = &found->second;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return current;
}

// --set typing (Helm's strvals): true/false, null, integers; everything else is a string.
Value typed_set_value(std::string_view text) {
  if (text == "true") return Value::from_bool(true);
  if (text == "false") return Value::from_bool(false);
  if (text == "null") return {};
  if (text == "0") return Value::from_int64(0);
  bool integer = !text.empty() && text[0] != '0' && !(text[0] == '-' && text.size() > 1 && text[1] == '0');
  for (size_t i = 0; i < text.size() && integer; ++i)
    if (!std::isdigit(static_cast<unsigned char>(text[i])) && !(i == 0 && text[i] == '-' && text.size() > 1)) integer = false;
  if (integer && text.size() < 19) return Value::from_int64(std::stoll(std::string(text)));
  return Value::from_string(std::string(text));
}

// Sets `value` at `key` ("a.b[1].c") inside `root`, creating maps and lists on the way.
bool set_path(Value& root, std::string_view key, const Value& value, std::string& error) {
  Value* current = &root;
  size_t i = 0;
  while (i < key.size()) {
    size_t end = key.find_first_of(".[", i);
    std::string name(key.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i));
    std::string unescaped;
    for (size_t k = 0; k < name.size(); ++k) {
      if (name[k] == '\\' && k + 1 < name.size()) ++k;
      unescaped += name[k];
    }
    name = unescaped;
    if (current->kind != ValueKind::Map) *current = Value::new_map();
    if (!current->map.unique()) current->map = std::make_shared<ValueMap>(*current->map);
    Value* next = &(*current->map)[name];
    i = end == std::string_view::npos ? key.size() : end;
    while (i < key.size() && key[i] == '[') {
      size_t close = key.find(']', i);
      if (close == std::string_view::npos) {
        error = "missing ']' in " + std::string(key);
        return false;
      }
      int64_t index = std::atoll(std::string(key.substr(i + 1, close - i - 1)).c_str());
      if (index < 0 || index > 100000) {
        error = "list index out of range in " + std::string(key);
        return false;
      }
      if (next->kind != ValueKind::List) *next = Value::from_list({});
      if (!next->list.unique()) next->list = std::make_shared<ValueList>(*next->list);
      if (next->list->size() <= static_cast<size_t>(index)) next->list->resize(index + 1);
      next = &(*next->list)[index];
      i = close + 1;
    }
    current = next;
    if (i < key.size() && key[i] == '.') ++i;
  }
  *current = value;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Helm's objects

// Go's path.Match-like glob of gobwas/glob with '/' as separator: `*` and `?` stay inside a
// segment, `**` crosses segments, `{a,b}` alternatives, `[...]` classes.
bool glob_match(std::string_view pattern, std::string_view text, int depth = 0) {
  if (depth > 64) return false;
  while (!pattern.empty()) {
    char c = pattern[0];
    if (c == '*') {
      bool across = pattern.size() > 1 && pattern[1] == '*';
      std::string_view rest = pattern.substr(across ? 2 : 1);
      for (size_t i = 0; i <= text.size(); ++i) {
        if (glob_match(rest, text.substr(i), depth + 1)) return true;
        if (i < text.size() && text[i] == '/' && !across) return false;
      }
      return false;
    }
    if (c == '{') {
      size_t close = pattern.find('}');
      if (close == std::string_view::npos) return false;
      std::string_view options = pattern.substr(1, close - 1);
      std::string_view rest = pattern.substr(close + 1);
      size_t start = 0;
      while (true) {
        size_t comma = options.find(',', start);
        std::string candidate(options.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
        candidate += rest;
        if (glob_match(candidate, text, depth + 1)) return true;
        if (comma == std::string_view::npos) return false;
        start = comma + 1;
      }
    }
    if (text.empty()) return false;
    if (c == '?') {
      if (text[0] == '/') return false;
    } else if (c == '[') {
      size_t close = pattern.find(']');
      if (close == std::string_view::npos) return false;
      std::string_view set = pattern.substr(1, close - 1);
      bool negate = !set.empty() && (set[0] == '!' || set[0] == '^');
      if (negate) set.remove_prefix(1);
      bool matched = false;
      for (size_t i = 0; i < set.size(); ++i) {
        if (i + 2 < set.size() && set[i + 1] == '-') {
          if (text[0] >= set[i] && text[0] <= set[i + 2]) matched = true;
          i += 2;
        } else if (set[i] == text[0]) {
          matched = true;
        }
      }
      if (matched == negate) return false;
      pattern.remove_prefix(close);
    } else {
      if (c == '\\' && pattern.size() > 1) pattern.remove_prefix(1);
      if (pattern[0] != text[0]) return false;
    }
    pattern.remove_prefix(1);
    text.remove_prefix(1);
  }
  return text.empty();
}

std::string base_name(std::string_view path) {
  size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

// .Files: the chart's files other than templates, read on first use (never outside the chart).
class FilesObject : public Object {
 public:
  struct Shared {
    std::mutex mutex;
    std::map<std::string, std::string> cache;
    uint64_t max_file_bytes = 8ull << 20;
  };
  FilesObject(std::vector<const ChartFile*> files, std::shared_ptr<Shared> shared)
      : files_(std::move(files)), shared_(std::move(shared)) {}

  std::string_view type_name() const override { return "chartutil.Files"; }
  bool has_method(std::string_view name) const override {
    return name == "Get" || name == "GetBytes" || name == "Glob" || name == "Lines";
  }
  std::optional<Value> field(std::string_view name) const override {
    if (name == "AsConfig" || name == "AsSecrets") {
      // Helm gives a group with no files "{}" (toYAML of an empty map), as an empty glob does.
      Value map = Value::new_map();
      for (const ChartFile* file : files_) {
        std::string content = read(*file);
        (*map.map)[base_name(file->name)] = Value::from_string(name == "AsConfig" ? content : base64_encode(content));
      }
      return Value::from_string(to_yaml(map));
    }
    return std::nullopt;
  }
  Value call(std::string_view name, const std::vector<Value>& arguments) const override {
    if (arguments.size() != 1) throw FunctionError{fmt::format("wrong number of args for {}: want 1 got {}", name, arguments.size())};
    std::string argument = arguments[0].kind == ValueKind::String ? arguments[0].text : print_value(arguments[0]);
    if (name == "Glob") {
      std::vector<const ChartFile*> matched;
      for (const ChartFile* file : files_)
        if (glob_match(argument, file->name)) matched.push_back(file);
      return Value::from_object(std::make_shared<FilesObject>(std::move(matched), shared_));
    }
    const ChartFile* file = find(argument);
    if (name == "Lines") {
      ValueList lines;
      if (!file) return Value::from_list(std::move(lines));
      std::string content = read(*file);
      if (!content.empty() && content.back() == '\n') content.pop_back();
      size_t start = 0;
      while (true) {
        size_t newline = content.find('\n', start);
        lines.push_back(Value::from_string(content.substr(start, newline == std::string::npos ? std::string::npos : newline - start)));
        if (newline == std::string::npos) break;
        start = newline + 1;
      }
      return Value::from_list(std::move(lines));
    }
    return Value::from_string(file ? read(*file) : "");
  }
  std::optional<ValueMap> entries() const override {
    ValueMap map;
    for (const ChartFile* file : files_) map[file->name] = Value::from_string(read(*file));
    return map;
  }
  std::string print() const override {
    std::string out = "map[";
    for (size_t i = 0; i < files_.size(); ++i) out += (i ? " " : "") + files_[i]->name + ":[...]";
    return out + "]";
  }

 private:
  const ChartFile* find(std::string_view name) const {
    for (const ChartFile* file : files_)
      if (file->name == name) return file;
    return nullptr;
  }
  std::string read(const ChartFile& file) const {
    if (file.content) return *file.content;
    std::lock_guard lock(shared_->mutex);
    auto cached = shared_->cache.find(file.disk_path);
    if (cached != shared_->cache.end()) return cached->second;
    std::string text;
    if (file.size <= shared_->max_file_bytes) {
      std::ifstream in(file.disk_path, std::ios::binary);
      text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    shared_->cache[file.disk_path] = text;
    return text;
  }

  std::vector<const ChartFile*> files_;
  std::shared_ptr<Shared> shared_;
};

class ApiVersionsObject : public Object {
 public:
  explicit ApiVersionsObject(std::set<std::string> versions) : versions_(std::move(versions)) {}
  std::string_view type_name() const override { return "chartutil.VersionSet"; }
  bool has_method(std::string_view name) const override { return name == "Has"; }
  Value call(std::string_view, const std::vector<Value>& arguments) const override {
    if (arguments.size() != 1) throw FunctionError{"wrong number of args for Has: want 1"};
    return Value::from_bool(arguments[0].kind == ValueKind::String && versions_.count(arguments[0].text) > 0);
  }
  std::string print() const override {
    std::string out = "[";
    bool first = true;
    for (const std::string& version : versions_) out += (first ? "" : " ") + version, first = false;
    return out + "]";
  }

 private:
  std::set<std::string> versions_;
};

// .Capabilities.APIVersions: Go's VersionSet is a []string with a Has method, so Sprig's list
// functions (`has "monitoring.coreos.com/v1" .Capabilities.APIVersions`, len, join), range and
// index take it as the list it is, and .Has still works.
Value api_versions_value(std::set<std::string> versions) {
  ValueList items;
  items.reserve(versions.size());
  for (const std::string& version : versions) items.push_back(Value::from_string(version));
  Value list = Value::from_list(std::move(items));
  list.object = std::make_shared<ApiVersionsObject>(std::move(versions));
  return list;
}

// The group/versions a default Kubernetes client knows (what `helm template` assumes without a
// cluster).
const std::vector<std::string_view>& default_api_versions() {
  static const std::vector<std::string_view> versions = {
      "v1", "admissionregistration.k8s.io/v1", "admissionregistration.k8s.io/v1beta1",
      "admissionregistration.k8s.io/v1alpha1", "apiextensions.k8s.io/v1", "apiextensions.k8s.io/v1beta1",
      "apps/v1", "apps/v1beta1", "apps/v1beta2", "authentication.k8s.io/v1", "authentication.k8s.io/v1beta1",
      "authentication.k8s.io/v1alpha1", "authorization.k8s.io/v1", "authorization.k8s.io/v1beta1",
      "autoscaling/v1", "autoscaling/v2", "autoscaling/v2beta1", "autoscaling/v2beta2", "batch/v1",
      "batch/v1beta1", "certificates.k8s.io/v1", "certificates.k8s.io/v1beta1", "certificates.k8s.io/v1alpha1",
      "coordination.k8s.io/v1", "coordination.k8s.io/v1beta1", "coordination.k8s.io/v1alpha1",
      "discovery.k8s.io/v1", "discovery.k8s.io/v1beta1", "events.k8s.io/v1", "events.k8s.io/v1beta1",
      "extensions/v1beta1", "flowcontrol.apiserver.k8s.io/v1", "flowcontrol.apiserver.k8s.io/v1beta1",
      "flowcontrol.apiserver.k8s.io/v1beta2", "flowcontrol.apiserver.k8s.io/v1beta3",
      "internal.apiserver.k8s.io/v1alpha1", "networking.k8s.io/v1", "networking.k8s.io/v1beta1",
      "networking.k8s.io/v1alpha1", "node.k8s.io/v1", "node.k8s.io/v1beta1", "node.k8s.io/v1alpha1",
      "policy/v1", "policy/v1beta1", "rbac.authorization.k8s.io/v1", "rbac.authorization.k8s.io/v1beta1",
      "rbac.authorization.k8s.io/v1alpha1", "resource.k8s.io/v1alpha3", "scheduling.k8s.io/v1",
      "scheduling.k8s.io/v1beta1", "scheduling.k8s.io/v1alpha1", "storage.k8s.io/v1", "storage.k8s.io/v1beta1",
      "storage.k8s.io/v1alpha1", "storagemigration.k8s.io/v1alpha1"};
  return versions;
}

Value struct_value(std::string type, std::initializer_list<std::pair<const char*, Value>> fields) {
  Value value = Value::new_map();
  value.is_struct = true;
  value.struct_type = std::move(type);
  for (const auto& [key, field] : fields) (*value.map)[key] = field;
  return value;
}

// .Chart: Chart.yaml as Helm's chart.Metadata (Go field names).
Value chart_metadata(const Chart& chart) {
  static const std::pair<const char*, const char*> kFields[] = {
      {"name", "Name"}, {"home", "Home"}, {"sources", "Sources"}, {"version", "Version"},
      {"description", "Description"}, {"keywords", "Keywords"}, {"maintainers", "Maintainers"}, {"icon", "Icon"},
      {"apiVersion", "APIVersion"}, {"condition", "Condition"}, {"tags", "Tags"}, {"appVersion", "AppVersion"},
      {"deprecated", "Deprecated"}, {"annotations", "Annotations"}, {"kubeVersion", "KubeVersion"},
      {"dependencies", "Dependencies"}, {"type", "Type"}};
  Value value = struct_value("*chart.Metadata", {});
  const Node* metadata = chart.metadata();
  for (const auto& [yaml_name, go_name] : kFields) {
    const Node* node = metadata ? metadata->find(yaml_name) : nullptr;
    Value field;
    std::string_view name(yaml_name);
    bool is_list = name == "sources" || name == "keywords" || name == "maintainers" || name == "dependencies";
    if (node && node->is_scalar() && !node->is_null()) {
      field = name == "deprecated" ? Value::from_bool(node->as_boolean().value_or(false)) : Value::from_string(node->text);
      field.origin = node;
    } else if (node && !node->is_null()) {
      field = value_from_node(*node);
    } else if (name == "deprecated") {
      field = Value::from_bool(false);
    } else if (name == "annotations") {
      field = Value::new_map();
    } else if (is_list) {
      field = Value::from_list({});
    } else {
      field = Value::from_string("");
    }
    (*value.map)[go_name] = field;
  }
  (*value.map)["Name"] = Value::from_string(chart.name);  // an alias renames the chart
  return value;
}

// ---------------------------------------------------------------------------------------------
// Manifests: split, classified, sorted

// Helm's InstallOrder.
int install_rank(std::string_view kind) {
  static const std::string_view kOrder[] = {
      "PriorityClass", "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy",
      "PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList", "ConfigMap", "StorageClass",
      "PersistentVolume", "PersistentVolumeClaim", "CustomResourceDefinition", "ClusterRole", "ClusterRoleList",
      "ClusterRoleBinding", "ClusterRoleBindingList", "Role", "RoleList", "RoleBinding", "RoleBindingList",
      "Service", "DaemonSet", "Pod", "ReplicationController", "ReplicaSet", "Deployment",
      "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress", "APIService",
      "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"};
  for (size_t i = 0; i < std::size(kOrder); ++i)
    if (kOrder[i] == kind) return static_cast<int>(i);
  return -1;
}

bool manifest_before(const RenderedManifest& a, const RenderedManifest& b) {
  int rank_a = install_rank(a.kind), rank_b = install_rank(b.kind);
  if (rank_a >= 0 && rank_b >= 0) return rank_a < rank_b;
  if (rank_a >= 0) return true;
  if (rank_b >= 0) return false;
  return a.kind < b.kind;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Helm's SplitManifests: `---` at the start of a line separates documents; each is trimmed and
// empty ones are dropped.
std::vector<std::pair<size_t, size_t>> split_documents(std::string_view text) {
  std::vector<std::pair<size_t, size_t>> documents;
  size_t start = 0;
  auto add = [&](size_t begin, size_t end) {
    while (begin < end && is_space(text[begin])) ++begin;
    while (end > begin && is_space(text[end - 1])) --end;
    if (end > begin) documents.emplace_back(begin, end);
  };
  size_t line = 0;
  while (line <= text.size()) {
    size_t newline = text.find('\n', line);
    std::string_view content = text.substr(line, newline == std::string_view::npos ? std::string_view::npos : newline - line);
    if (content.starts_with("---")) {
      add(start, line);
      start = line + 3;
    }
    if (newline == std::string_view::npos) break;
    line = newline + 1;
  }
  add(start, text.size());
  return documents;
}

// The kind and hook annotation of a document, read without a full parse.
void classify_manifest(RenderedManifest& manifest) {
  std::string_view text = manifest.text.text;
  size_t line = 0;
  while (line < text.size()) {
    size_t newline = text.find('\n', line);
    std::string_view content = text.substr(line, newline == std::string_view::npos ? std::string_view::npos : newline - line);
    if (content.starts_with("kind:")) {
      std::string_view kind = content.substr(5);
      while (!kind.empty() && is_space(kind.front())) kind.remove_prefix(1);
      while (!kind.empty() && is_space(kind.back())) kind.remove_suffix(1);
      if (kind.size() >= 2 && (kind.front() == '"' || kind.front() == '\'')) kind = kind.substr(1, kind.size() - 2);
      manifest.kind = std::string(kind);
    }
    if (content.find("helm.sh/hook:") != std::string_view::npos || content.find("\"helm.sh/hook\":") != std::string_view::npos)
      manifest.is_hook = true;
    if (newline == std::string_view::npos) break;
    line = newline + 1;
  }
}

// ---------------------------------------------------------------------------------------------
// The render

struct ChartInstance {
  const Chart* chart;
  std::string path;  // "parent/charts/child"
  Value values;
  bool enabled = true;
  int depth = 0;
};

struct KeepAlive {
  std::vector<Value> values;
};

class ChartRenderer {
 public:
  ChartRenderer(const RenderOptions& options, ChartRendering& rendering) : options_(options), rendering_(rendering) {}

  void run(const Chart& chart, const UserValues& user_values) {
    Value top = coalesce_chart(chart, user_values.values(), 0);
    collect(chart, chart.name, top, 0, top);
    build_templates();
    render_templates();
  }

 private:
  // Chart defaults under the user's values, then each subchart under its key, with globals.
  Value coalesce_chart(const Chart& chart, const Value& user, int depth) {
    Value defaults = chart.default_values() && chart.default_values()->is_map() ? value_from_node(*chart.default_values())
                                                                                : Value::new_map();
    Value values = coalesce(user.kind == ValueKind::Map ? user : Value::new_map(), defaults);
    if (depth > 20) return values;
    for (const Chart::Subchart& subchart : chart.subcharts) {
      const std::string& name = subchart.chart->name;
      Value sub_user = values.find(name) && values.find(name)->kind == ValueKind::Map ? *values.find(name) : Value::new_map();
      if (const Value* global = values.find("global"); global && global->kind == ValueKind::Map) {
        Value sub_global = sub_user.find("global") ? *sub_user.find("global") : Value::new_map();
        sub_user = coalesce(sub_user, Value::new_map());
        (*sub_user.map)["global"] = coalesce(*global, sub_global);
      }
      (*values.map)[name] = coalesce_chart(*subchart.chart, sub_user, depth + 1);
    }
    return values;
  }

  // Which subcharts are enabled (conditions, tags), import-values, and the render list.
  void collect(const Chart& chart, const std::string& path, Value& values, int depth, const Value& top) {
    instances_.push_back({&chart, path, values, true, depth});
    // A dependency that is not there matters only when Helm would render it.
    for (const Chart::MissingDependency& missing : chart.missing_dependencies)
      if (enabled(*missing.dependency, values, top)) {
        missing_.push_back({instances_.size() - 1, &missing, rendering_.problems.size(), {}});
        rendering_.problems.push_back(missing.problem);
      }
    for (const Chart::Subchart& subchart : chart.subcharts) {
      const std::string& name = subchart.chart->name;
      if (subchart.dependency && !enabled(*subchart.dependency, values, top)) continue;
      Value* sub_values = &(*values.map)[name];
      if (sub_values->kind != ValueKind::Map) *sub_values = Value::new_map();
      if (subchart.dependency && subchart.dependency->import_values) import_values(*subchart.dependency, values, *sub_values);
      if (subchart.other_version) other_versions_.push_back({path + "/charts/" + name, *subchart.other_version, {}});
      collect(*subchart.chart, path + "/charts/" + name, *sub_values, depth + 1, top);
    }
    // The instance keeps the values after imports (the map is shared, so later changes show).
    instances_[index_of(path)].values = values;
  }

  size_t index_of(const std::string& path) const {
    for (size_t i = 0; i < instances_.size(); ++i)
      if (instances_[i].path == path) return i;
    return 0;
  }

  bool enabled(const Dependency& dependency, Value& values, const Value& top) {
    if (!dependency.condition.empty()) {
      size_t start = 0;
      while (start <= dependency.condition.size()) {
        size_t comma = dependency.condition.find(',', start);
        std::string path = dependency.condition.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        path.erase(0, path.find_first_not_of(' '));
        path.erase(path.find_last_not_of(' ') + 1);
        if (Value* value = value_at_path(values, path); value && value->kind == ValueKind::Boolean) return value->boolean;
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    }
    if (!dependency.tags.empty()) {
      const Value* tags = top.find("tags");
      bool any_set = false;
      for (const std::string& tag : dependency.tags) {
        const Value* value = tags ? tags->find(tag) : nullptr;
        if (value && value->kind == ValueKind::Boolean) {
          if (value->boolean) return true;
          any_set = true;
        }
      }
      if (any_set) return false;
    }
    return true;
  }

  // import-values: "name" takes the child's exports.name; {child: a.b, parent: c} a child path.
  // The parent's own values win over imported ones.
  void import_values(const Dependency& dependency, Value& parent, Value& child) {
    const Node* imports = dependency.import_values;
    if (!imports->is_list()) return;
    for (const Node& entry : imports->children) {
      Value* source = nullptr;
      std::string parent_path;
      if (entry.as_string()) {
        std::string name(*entry.as_string());
        source = value_at_path(child, "exports." + name);
      } else if (entry.is_map()) {
        const Node* child_path = entry.find("child");
        const Node* parent_node = entry.find("parent");
        if (child_path && child_path->as_string()) source = value_at_path(child, *child_path->as_string());
        if (parent_node && parent_node->as_string()) parent_path = *parent_node->as_string();
      }
      if (!source || source->kind != ValueKind::Map) continue;
      Value* target = &parent;
      if (!parent_path.empty() && parent_path != ".") {
        std::string error;
        if (!value_at_path(parent, parent_path)) set_path(parent, parent_path, Value::new_map(), error);
        target = value_at_path(parent, parent_path);
      }
      if (!target || target->kind != ValueKind::Map) continue;
      Value merged = coalesce(*target, *source);
      *target->map = *merged.map;
    }
  }

  void build_templates() {
    struct Entry {
      std::string name;
      const ChartFile* file;
      size_t instance;
    };
    std::vector<Entry> entries;
    for (size_t i = 0; i < instances_.size(); ++i)
      for (const ChartFile& file : instances_[i].chart->templates)
        entries.push_back({instances_[i].path + "/" + file.name, &file, i});
    // Helm parses the deepest templates first, so a parent chart's define of a name wins.
    auto segments = [](const std::string& name) { return std::count(name.begin(), name.end(), '/'); };
    std::stable_sort(entries.begin(), entries.end(), [&](const Entry& a, const Entry& b) {
      auto depth_a = segments(a.name), depth_b = segments(b.name);
      if (depth_a != depth_b) return depth_a > depth_b;
      return a.name > b.name;
    });
    for (const Entry& entry : entries) {
      go_template::ParsedTemplate parsed = go_template::parse_template(entry.file->file->text());
      reject_undefined_functions(parsed);
      if (!parsed.ok()) {
        const go_template::TemplateSyntaxError& error = parsed.errors.front();
        Span span = entry.file->file->span_of(error.offset, std::min<size_t>(error.offset + 1, entry.file->file->text().size()));
        rendering_.problems.push_back(
            {entry.file->file, span, fmt::format("template syntax error: {}; this template is not rendered", error.message), true});
        continue;
      }
      templates_.add(entry.name, entry.file->file.get(), std::move(parsed));
      renderable_.push_back({entry.name, entry.file, entry.instance});
    }
    // renderable_ stays in that order: Helm executes the templates in it too, and charts rely on
    // it (Istio's templates/zzz_profile.yaml replaces .Values before the templates that read it).
  }

  Value top_level(size_t instance_index, const std::string& template_name) {
    Value scope = scope_of(instance_index);
    Value template_info = Value::new_map();
    (*template_info.map)["Name"] = Value::from_string(template_name);
    (*template_info.map)["BasePath"] = Value::from_string(instances_[instance_index].path + "/templates");
    (*scope.map)["Template"] = template_info;
    return scope;
  }

  // A chart's top-level map (without .Template), made once.
  Value scope_of(size_t instance_index) {
    ChartInstance& instance = instances_[instance_index];
    auto& cached = objects_[instance_index];  // a std::map: the reference survives the recursion below
    if (cached.chart.is_nil()) {
      cached.chart = chart_metadata(*instance.chart);
      std::vector<const ChartFile*> files;
      for (const ChartFile& file : instance.chart->files) files.push_back(&file);
      cached.files = Value::from_object(std::make_shared<FilesObject>(std::move(files), files_shared_));
    }
    if (capabilities_.is_nil()) {
      std::string version = options_.kube_version;
      if (!version.empty() && version[0] != 'v') version = "v" + version;
      std::string numbers = version.substr(1);
      std::string major = numbers.substr(0, numbers.find('.'));
      std::string minor = numbers.find('.') == std::string::npos ? "0" : numbers.substr(numbers.find('.') + 1);
      minor = minor.substr(0, minor.find_first_not_of("0123456789"));
      std::set<std::string> versions(default_api_versions().begin(), default_api_versions().end());
      versions.insert(options_.api_versions.begin(), options_.api_versions.end());
      Value kube = struct_value("*chartutil.KubeVersion", {{"Version", Value::from_string(version)},
                                                           {"Major", Value::from_string(major)},
                                                           {"Minor", Value::from_string(minor)},
                                                           {"GitVersion", Value::from_string(version)}});
      Value helm_version = struct_value("chartutil.HelmVersion", {{"Version", Value::from_string("v3.16.0")},
                                                                 {"GitCommit", Value::from_string("")},
                                                                 {"GitTreeState", Value::from_string("clean")},
                                                                 {"GoVersion", Value::from_string("go1.22.0")}});
      capabilities_ = struct_value(
          "*chartutil.Capabilities",
          {{"KubeVersion", kube},
           {"APIVersions", api_versions_value(std::move(versions))},
           {"HelmVersion", helm_version}});
      release_ = Value::new_map();
      (*release_.map)["Name"] = Value::from_string(options_.release_name);
      (*release_.map)["Namespace"] = Value::from_string(options_.namespace_name);
      (*release_.map)["IsUpgrade"] = Value::from_bool(false);
      (*release_.map)["IsInstall"] = Value::from_bool(true);
      (*release_.map)["Revision"] = Value::from_int(1);
      (*release_.map)["Service"] = Value::from_string("Helm");
    }
    // One top-level map per chart, shared by all its templates as in Helm: `set $ "Values" ...`
    // in one template is what the templates executed after it see. Only .Template is replaced
    // before each template, as Helm does.
    if (cached.scope.is_nil()) {
      cached.scope = Value::new_map();
      (*cached.scope.map)["Values"] = instance.values;
      (*cached.scope.map)["Chart"] = cached.chart;
      (*cached.scope.map)["Files"] = cached.files;
      (*cached.scope.map)["Release"] = release_;
      (*cached.scope.map)["Capabilities"] = capabilities_;
      // .Subcharts: each enabled subchart's own top-level map by its name (its alias when it has
      // one), as Helm builds it, so `.Subcharts.redis.Values.port` reads the subchart's values.
      Value subcharts = Value::new_map();
      (*cached.scope.map)["Subcharts"] = subcharts;
      std::string prefix = instance.path + "/charts/";
      for (size_t child = 0; child < instances_.size(); ++child) {
        const std::string& path = instances_[child].path;
        if (path.starts_with(prefix) && path.find('/', prefix.size()) == std::string::npos)
          (*subcharts.map)[path.substr(prefix.size())] = scope_of(child);
      }
    }
    return cached.scope;
  }

  void render_templates() {
    Executor executor(templates_, options_.limits);
    // Executed in Helm's order (renderable_), but gathered in template name order, as Helm sorts
    // the rendered files before it orders the manifests by kind: that order, the problems' order
    // and so the report do not depend on the order of execution.
    struct Outcome {
      RenderedText output;
      std::vector<ChartProblem> problems;
    };
    std::vector<Outcome> outcomes(renderable_.size());
    for (size_t index = 0; index < renderable_.size(); ++index) {
      const Renderable& item = renderable_[index];
      const ChartInstance& instance = instances_[item.instance];
      std::string relative = item.file->name;
      if (instance.chart->is_library) continue;
      if (base_name(relative).starts_with("_") || relative.ends_with("NOTES.txt")) continue;
      try {
        outcomes[index].output = remove_no_value(executor.render(item.name, top_level(item.instance, item.name)));
      } catch (const RenderFailure& failure) {
        const SourceFile* file = failure.file ? failure.file : item.file->file.get();
        Span span = file->span_of(failure.offset, failure.offset);
        std::shared_ptr<const SourceFile> owner = owner_of(file, item.file->file);
        if (BlockedTemplates* blocked = dependency_behind(item.instance, *file, failure)) {
          blocked->add(item.name, owner, span, failure.message);
          continue;
        }
        // Point at helm.values/helm.set only where a value is what is missing (a nil field, a
        // `required` or `fail` the values trigger), not for an unknown function or a type error.
        std::string_view message = failure.message;
        bool about_values = message.find("nil") != std::string_view::npos ||
                            message.find("required") != std::string_view::npos ||
                            message.find("error calling fail") != std::string_view::npos;
        outcomes[index].problems.push_back(
            {owner, span,
             fmt::format("{} cannot be rendered: {}; its manifests are not linted{}", item.name, failure.message,
                         about_values ? " (a value the chart needs can be given in the config's helm.values or helm.set)"
                                      : ""),
             false});
      } catch (const std::bad_alloc&) {
        // The limits keep strings, lists and output bounded, but a machine with little memory (or a
        // ulimit) can still run out: that template is a finding, and the chart's others render.
        std::shared_ptr<const SourceFile> owner = item.file->file;
        outcomes[index].problems.push_back(
            {owner, owner->span_of(0, 0),
             fmt::format("{} cannot be rendered: rendering stopped: out of memory; its manifests are not linted",
                         item.name),
             false});
      }
    }
    rendering_.keep_alive = executor.share_placed_values();  // the output points at its nodes
    report_blocked_templates();
    std::vector<size_t> by_name(renderable_.size());
    for (size_t index = 0; index < by_name.size(); ++index) by_name[index] = index;
    std::sort(by_name.begin(), by_name.end(),
              [&](size_t a, size_t b) { return renderable_[a].name < renderable_[b].name; });
    std::vector<RenderedManifest> manifests;
    for (size_t index : by_name) {
      const Renderable& item = renderable_[index];
      Outcome& outcome = outcomes[index];
      for (ChartProblem& problem : outcome.problems) rendering_.problems.push_back(std::move(problem));
      for (auto [begin, end] : split_documents(outcome.output.text)) {
        RenderedManifest manifest;
        manifest.source_name = item.name;
        manifest.template_file = item.file->file.get();
        manifest.text = outcome.output.slice(begin, end);
        classify_manifest(manifest);
        manifests.push_back(std::move(manifest));
      }
    }
    std::vector<RenderedManifest> hooks;
    std::vector<RenderedManifest> ordinary;
    for (RenderedManifest& manifest : manifests) (manifest.is_hook ? hooks : ordinary).push_back(std::move(manifest));
    std::stable_sort(ordinary.begin(), ordinary.end(), manifest_before);
    std::stable_sort(hooks.begin(), hooks.end(), manifest_before);
    for (RenderedManifest& manifest : ordinary) rendering_.manifests.push_back(std::move(manifest));
    for (RenderedManifest& manifest : hooks) rendering_.manifests.push_back(std::move(manifest));
  }

  // Templates that fail for one cause outside the values (below), told once with that cause.
  struct BlockedTemplates {
    std::vector<std::string> templates;
    struct Place {
      ChartProblem::Related related;
      size_t templates;  // how many fail there
    };
    std::vector<Place> places;  // where they fail, each place once

    void add(const std::string& template_name, std::shared_ptr<const SourceFile> file, Span span, std::string why) {
      templates.push_back(template_name);
      auto same_place = [&](const Place& place) { return place.related.file == file && place.related.span == span; };
      auto place = std::find_if(places.begin(), places.end(), same_place);
      if (place == places.end()) place = places.insert(place, {{std::move(file), span, std::move(why)}, 0});
      ++place->templates;
    }
    // "a.yaml", "a.yaml and b.yaml", "a.yaml and 4 more", in name order.
    std::string named() {
      std::sort(templates.begin(), templates.end());
      std::string text = templates.front();
      if (templates.size() == 2) text += fmt::format(" and {}", templates[1]);
      if (templates.size() > 2) text += fmt::format(" and {} more", templates.size() - 1);
      return text;
    }
    // The places as related locations, in file and line order.
    void relate(ChartProblem& problem, std::string_view because) {
      std::sort(places.begin(), places.end(), [](const Place& a, const Place& b) {
        const std::string& a_path = a.related.file->display_path();
        const std::string& b_path = b.related.file->display_path();
        if (a_path != b_path) return a_path < b_path;
        return a.related.span.begin.line != b.related.span.begin.line
                   ? a.related.span.begin.line < b.related.span.begin.line
                   : a.related.span.begin.column < b.related.span.begin.column;
      });
      for (Place& place : places) {
        place.related.message = fmt::format("{} {} here {}: {}", place.templates,
                                            place.templates == 1 ? "template stops" : "templates stop", because,
                                            place.related.message);
        problem.related.push_back(std::move(place.related));
      }
    }
  };
  // A missing dependency Helm would render, with the parent's templates that fail for want of it.
  struct MissingInstance {
    size_t instance;  // the chart that declares it
    const Chart::MissingDependency* declared;
    size_t problem;  // its problem in rendering_.problems
    BlockedTemplates blocked;
  };
  // A dependency rendered from a sibling folder at a version it does not allow (chart.cpp), with
  // the templates of it that fail: they may be written for other values than the chart gives.
  struct OtherVersionInstance {
    std::string path;  // the subchart's instance path: its templates and its own subcharts'
    ChartProblem problem;
    BlockedTemplates blocked;
  };

  // The dependency a failure is owed to, if any; such a failure is told once, with the dependency,
  // rather than once per template as the values' fault:
  // - any failure of a template of a dependency rendered at another version (OtherVersionInstance);
  // - a parent's template failing for a dependency that is not there, which leaves its defaults
  //   (its values.yaml) out of .Values and its helpers out of the templates: it reads
  //   `.Values.<dependency>.x.y` or includes "<dependency>.fullname".
  BlockedTemplates* dependency_behind(size_t instance, const SourceFile& file, const RenderFailure& failure) {
    const std::string& path = instances_[instance].path;
    for (OtherVersionInstance& other : other_versions_)
      if (path == other.path || path.starts_with(other.path + "/")) return &other.blocked;
    if (missing_.empty()) return nullptr;
    std::string_view message = failure.message;
    // A helper missing inside a `tpl` text fails the same way, one level down.
    bool in_tpl = false;
    for (constexpr std::string_view prefix = "error calling tpl: "; message.starts_with(prefix); in_tpl = true)
      message.remove_prefix(prefix.size());
    constexpr std::string_view no_template = "template: no template \"";
    std::string helper;
    std::string values_key;
    if (message.starts_with(no_template)) {
      helper = std::string(message.substr(no_template.size(), message.find('"', no_template.size()) - no_template.size()));
    } else if (message.starts_with("nil pointer evaluating")) {
      // The failure points at the field chain: `.Values.kafka.service.port`, `$.Values.…`, `$root.Values.…`.
      std::string_view text = file.text().substr(std::min<size_t>(failure.offset, file.text().size()));
      size_t at = 0;
      // Inside a `tpl` text the failure points at the call (`tpl .Values.loki.url .`): the text
      // comes from the dependency's key, and the field it misses (`{{ .Values.loki.service.port }}`
      // in that text) is one of the dependency's defaults.
      if (in_tpl && text.starts_with("tpl") && text.size() > 3 && (text[3] == ' ' || text[3] == '(')) {
        at = 3;
        while (at < text.size() && (text[at] == ' ' || text[at] == '(')) ++at;
        text.remove_prefix(at);
        at = 0;
      }
      if (!text.empty() && text[0] == '$')
        for (++at; at < text.size() && (std::isalnum(static_cast<unsigned char>(text[at])) || text[at] == '_');) ++at;
      constexpr std::string_view values = ".Values.";
      if (text.substr(at, values.size()) != values) return nullptr;
      at += values.size();
      size_t end = at;
      while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_')) ++end;
      values_key = std::string(text.substr(at, end - at));
      if (values_key.empty() || end >= text.size() || text[end] != '.') return nullptr;  // the key itself may be nil
    } else {
      return nullptr;
    }
    for (MissingInstance& missing : missing_) {
      if (missing.instance != instance) continue;
      const Dependency& dependency = *missing.declared->dependency;
      const std::string& key = dependency.alias.empty() ? dependency.name : dependency.alias;
      if (!values_key.empty() && values_key == key) return &missing.blocked;
      if (!helper.empty() && helper_of(helper, key, dependency.name)) return &missing.blocked;
    }
    return nullptr;
  }

  // Whether a helper's name says it is a chart's: "kafka.fullname" is kafka's, and a chart named
  // for a family keeps the family's prefix ("loki.querierFullname" is loki-distributed's,
  // "tempo.fullname" tempo-distributed's).
  static bool helper_of(std::string_view helper, std::string_view key, std::string_view chart_name) {
    std::string_view prefix = helper.substr(0, helper.find('.'));
    if (prefix.empty() || prefix.size() == helper.size()) return false;
    for (std::string_view name : {key, chart_name})
      if (name == prefix || (name.starts_with(prefix) && name[prefix.size()] == '-')) return true;
    return false;
  }

  void report_blocked_templates() {
    for (MissingInstance& missing : missing_) {
      if (missing.blocked.templates.empty()) continue;
      const Dependency& dependency = *missing.declared->dependency;
      const std::string& key = dependency.alias.empty() ? dependency.name : dependency.alias;
      size_t count = missing.blocked.templates.size();
      // A key that is not an identifier ("loki-distributed") is read with `index`.
      bool identifier = std::all_of(key.begin(), key.end(),
                                    [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
      std::string values = identifier ? ".Values." + key : fmt::format("index .Values \"{}\"", key);
      ChartProblem& problem = rendering_.problems[missing.problem];
      problem.message.insert(missing.declared->consequence_end,
                             fmt::format(", nor {} of the chart's own templates that {} its default values ({}) or "
                                         "its helpers: {}",
                                         count == 1 ? "is 1" : fmt::format("are {}", count),
                                         count == 1 ? "needs" : "need", values, missing.blocked.named()));
      missing.blocked.relate(problem, "without the dependency");
    }
    for (OtherVersionInstance& other : other_versions_) {
      if (other.blocked.templates.empty()) continue;
      size_t count = other.blocked.templates.size();
      other.problem.message += fmt::format(
          ", and {} of its templates cannot be rendered: {}; the chart's values are written for the version it asks "
          "for, and those templates' manifests are not linted (run `helm dependency build` to lint the version that "
          "is deployed)",
          count == 1 ? "1" : fmt::format("{}", count), other.blocked.named());
      other.blocked.relate(other.problem, "in the other version");
      rendering_.problems.push_back(std::move(other.problem));
    }
  }

  // The shared_ptr owning a template file (failures name files by pointer).
  std::shared_ptr<const SourceFile> owner_of(const SourceFile* file, const std::shared_ptr<const SourceFile>& fallback) {
    for (const ChartInstance& instance : instances_)
      for (const ChartFile& chart_file : instance.chart->templates)
        if (chart_file.file.get() == file) return chart_file.file;
    return fallback;
  }

  struct Renderable {
    std::string name;
    const ChartFile* file;
    size_t instance;
  };
  struct Objects {
    Value chart;
    Value files;
    Value scope;  // the chart's top-level map (top_level)
  };

  const RenderOptions& options_;
  ChartRendering& rendering_;
  std::vector<ChartInstance> instances_;
  TemplateSet templates_;
  std::vector<Renderable> renderable_;
  std::vector<MissingInstance> missing_;
  std::vector<OtherVersionInstance> other_versions_;
  std::map<size_t, Objects> objects_;
  std::shared_ptr<FilesObject::Shared> files_shared_ = std::make_shared<FilesObject::Shared>();
  Value capabilities_;
  Value release_;
};

}  // namespace

void UserValues::add_file(std::shared_ptr<const SourceFile> file, std::vector<ChartProblem>& problems) {
  Document document = load_yaml(file);
  for (const ParseDiagnostic& error : document.errors) problems.push_back({file, error.span, error.message, true});
  if (!document.ok() || document.roots.empty()) return;
  documents_.push_back(std::move(document));
  const Node& root = documents_.back().roots.front();
  if (root.is_map()) merge_over(values_, value_from_node(root));
}

std::vector<const Node*> UserValues::file_roots() const {
  std::vector<const Node*> roots;
  for (const Document& document : documents_) roots.push_back(&document.roots.front());
  return roots;
}

bool UserValues::add_set(std::string_view assignment, std::string& error) {
  // Pairs separated by unescaped commas; `{a,b}` is a list value.
  size_t start = 0;
  while (start < assignment.size()) {
    size_t equals = assignment.find('=', start);
    if (equals == std::string_view::npos) {
      error = fmt::format("key \"{}\" has no value", assignment.substr(start));
      return false;
    }
    std::string_view key = assignment.substr(start, equals - start);
    size_t value_start = equals + 1;
    Value value;
    size_t end;
    if (value_start < assignment.size() && assignment[value_start] == '{') {
      size_t close = assignment.find('}', value_start);
      if (close == std::string_view::npos) {
        error = "missing '}' in " + std::string(assignment);
        return false;
      }
      ValueList items;
      std::string_view inside = assignment.substr(value_start + 1, close - value_start - 1);
      size_t item_start = 0;
      while (item_start <= inside.size()) {
        size_t comma = inside.find(',', item_start);
        items.push_back(typed_set_value(inside.substr(item_start, comma == std::string_view::npos ? std::string_view::npos : comma - item_start)));
        if (comma == std::string_view::npos) break;
        item_start = comma + 1;
      }
      value = Value::from_list(std::move(items));
      end = close + 1;
    } else {
      std::string text;
      end = value_start;
      while (end < assignment.size() && assignment[end] != ',') {
        if (assignment[end] == '\\' && end + 1 < assignment.size()) ++end;
        text += assignment[end++];
      }
      value = typed_set_value(text);
    }
    if (!set_path(values_, key, value, error)) return false;
    start = end + 1;
  }
  return true;
}

void UserValues::add_set_node(std::string_view key, const Node& node) {
  std::string error;
  Value value = node.is_scalar() && node.kind == NodeKind::Number && node.text.find_first_of(".eE") == std::string::npos
                    ? Value::from_int64(static_cast<int64_t>(node.number))
                    : value_from_node(node);
  value.origin = &node;
  set_path(values_, key, value, error);
}

bool UserValues::add_set_value(std::string_view key, std::string_view value, bool as_string, const Node* origin,
                               std::string& error) {
  Value typed = as_string ? Value::from_string(std::string(value)) : typed_set_value(value);
  typed.origin = origin;
  return set_path(values_, key, typed, error);
}

ChartRendering render_chart(const Chart& chart, const UserValues& user_values, const RenderOptions& options) {
  ChartRendering rendering;
  ChartRenderer renderer(options, rendering);
  renderer.run(chart, user_values);
  return rendering;
}

std::string format_manifests(const std::vector<RenderedManifest>& manifests) {
  std::string out;
  for (const RenderedManifest& manifest : manifests) {
    out += "---\n# Source: ";
    out += manifest.source_name;
    out += '\n';
    out += manifest.text.text;
    out += '\n';
  }
  return out;
}

}  // namespace shiftlint::helm
