#include "analyzer/lsp/server.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "analyzer/engine/check_run.h"
#include "analyzer/engine/rule.h"
#include "analyzer/lsp/code_actions.h"
#include "analyzer/lsp/configuration.h"
#include "analyzer/lsp/diagnostics.h"
#include "analyzer/lsp/document_store.h"
#include "analyzer/lsp/text_positions.h"
#include "analyzer/lsp/uri.h"
#include "analyzer/model/docker/bake_file.h"
#include "analyzer/project/deploy_config_file.h"
#include "analyzer/project/argo_source.h"
#include "analyzer/project/deploy_configurations.h"
#include "analyzer/project/kustomize_index.h"
#include "analyzer/project/skaffold_index.h"
#include "analyzer/source/ascii_case.h"
#include "analyzer/source/classify.h"
#include "analyzer/source/discovery.h"
#include "analyzer/source/glob.h"
#include "analyzer/source/kubernetes_manifest.h"
#include "analyzer/source/real_path.h"

#ifndef SHIFTLINT_VERSION
#define SHIFTLINT_VERSION "0.0.0"
#endif

namespace shiftlint::lsp {

using Json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

// Incoming JSON deeper than this is refused before nlohmann builds it: no message of the
// protocol nests more than a few levels, and a hostile one must not exhaust the stack.
constexpr int kMaxMessageDepth = 64;

enum class MessageType { Error = 1, Warning = 2, Info = 3, Log = 4 };

// A JSON-RPC error for the current request, thrown by handlers and answered by the dispatcher.
struct RequestError {
  int code;
  std::string message;
};

bool too_deep(std::string_view text) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > kMaxMessageDepth) return true;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return false;
}

// Accessors that read what a message offers and fall back rather than throw.
const Json* member(const Json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  auto found = object.find(key);
  return found == object.end() ? nullptr : &*found;
}

const Json* path_in(const Json& object, std::initializer_list<std::string_view> keys) {
  const Json* current = &object;
  for (std::string_view key : keys) {
    current = member(*current, key);
    if (!current) return nullptr;
  }
  return current;
}

bool flag(const Json& object, std::initializer_list<std::string_view> keys) {
  const Json* value = path_in(object, keys);
  return value && value->is_boolean() && value->get<bool>();
}

std::string string_at(const Json& object, std::initializer_list<std::string_view> keys) {
  const Json* value = path_in(object, keys);
  return value && value->is_string() ? value->get<std::string>() : std::string();
}

const std::string& required_string(const Json& object, std::initializer_list<std::string_view> keys,
                                   std::string_view what) {
  const Json* value = path_in(object, keys);
  if (!value || !value->is_string()) throw RequestError{error_code::kInvalidParams, fmt::format("{} must be a string", what)};
  return value->get_ref<const std::string&>();
}

int64_t version_of(const Json& params) {
  const Json* version = path_in(params, {"textDocument", "version"});
  return version && version->is_number_integer() ? version->get<int64_t>() : 0;
}

std::optional<LspPosition> position_from(const Json* value) {
  if (!value) return std::nullopt;
  const Json* line = member(*value, "line");
  const Json* character = member(*value, "character");
  if (!line || !character || !line->is_number_unsigned() || !character->is_number_unsigned()) return std::nullopt;
  uint64_t line_number = line->get<uint64_t>(), character_number = character->get<uint64_t>();
  if (line_number > UINT32_MAX || character_number > UINT32_MAX) return std::nullopt;
  return LspPosition{static_cast<uint32_t>(line_number), static_cast<uint32_t>(character_number)};
}

std::optional<LspRange> range_from(const Json* value) {
  if (!value) return std::nullopt;
  auto start = position_from(member(*value, "start"));
  auto end = position_from(member(*value, "end"));
  if (!start || !end) return std::nullopt;
  return LspRange{*start, *end};
}

bool overlaps(const LspRange& a, const LspRange& b) { return !(a.end < b.start) && !(b.end < a.start); }

std::string read_small_file(const std::string& path) {
  std::ifstream input(path, std::ios::binary);
  std::string text;
  char buffer[65536];
  while (input && text.size() < (size_t{4} << 20)) {
    input.read(buffer, sizeof buffer);
    text.append(buffer, static_cast<size_t>(input.gcount()));
  }
  return text;
}

// Results of one workspace lint, made on the worker thread.
struct WorkspaceLintOutcome {
  struct Folder {
    std::string root;  // absolute: finding paths are relative to it
    RunSummary summary;
  };
  std::vector<Folder> folders;
  std::vector<std::string> warnings;
  bool cancelled = false;  // by the client ($/cancelRequest) or by shutdown: nothing is published
};

}  // namespace

struct LanguageServer::State {
  Send send;
  ServerOptions options;
  enum class Phase { Uninitialized, Running, ShutDown } phase = Phase::Uninitialized;
  bool exit_requested = false;
  bool shutdown_received = false;

  // What the client said it can do (initialize params).
  bool client_watches_dynamically = false;
  bool client_pulls_configuration = false;
  bool client_versioned_edits = false;
  bool client_creates_files = false;
  bool client_hover_markdown = true;

  DocumentStore documents;
  ConfigurationCache configs;
  std::chrono::steady_clock::time_point pending_since{};

  // Broken config files: their diagnostic (by URI), and the errors already shown in a message.
  std::map<std::string, Json> config_error_diagnostics;
  std::set<std::string> shown_config_errors;
  // URIs the workspace lint published findings for: cleared when they become clean.
  std::set<std::string> workspace_published;
  // The same for the Terraform module and chart lints from disk, by "module <folder>" and
  // "chart <folder>".
  std::map<std::string, std::set<std::string>> module_published;
  // Requests this server sent to the client, by id, with what to do with the answer.
  std::map<std::string, std::string> sent_requests;
  // The kustomization and Skaffold files under each config folder (what `shiftlint check` of it
  // reads), so that a kustomize base open in the editor is judged as its overlays deploy it, and an
  // image Skaffold builds as Skaffold deploys it. Read when a manifest there is first linted; dropped
  // when one of those files or the configuration changes.
  std::map<std::string, std::shared_ptr<const DeployConfigurations>> deploy_configurations_by_folder;
  int64_t next_request_id = 1;

  // The workspace lint in flight.
  std::thread worker;
  std::atomic<bool> worker_done{false};
  // Set to stop it: the client cancelled its request, or the session ends. A workspace opened at a
  // home folder (or at /) can take minutes to walk; shutdown must not wait for it.
  std::atomic<bool> worker_cancel{false};
  std::unique_ptr<WorkspaceLintOutcome> worker_outcome;
  Json worker_request_id;

  // --- output ------------------------------------------------------------------------------
  void emit(const Json& message) { send(serialize(message)); }
  void notify(std::string_view method, Json params) { emit(make_notification(method, std::move(params))); }
  void log(MessageType type, const std::string& text) {
    notify("window/logMessage", {{"type", static_cast<int>(type)}, {"message", text}});
  }
  void show(MessageType type, const std::string& text) {
    notify("window/showMessage", {{"type", static_cast<int>(type)}, {"message", text}});
  }
  void request(std::string_view method, Json params, std::string purpose) {
    std::string id = fmt::format("shiftlint-{}", next_request_id++);
    sent_requests[id] = std::move(purpose);
    emit(make_request(id, method, std::move(params)));
  }

  // Publishes a URI's diagnostics: the document's findings plus, for a config file, its error.
  void publish(const std::string& uri, Json diagnostics, std::optional<int64_t> version) {
    auto config_error = config_error_diagnostics.find(uri);
    if (config_error != config_error_diagnostics.end()) diagnostics.push_back(config_error->second);
    Json params = {{"uri", uri}, {"diagnostics", std::move(diagnostics)}};
    if (version) params["version"] = *version;
    notify("textDocument/publishDiagnostics", std::move(params));
  }

  void publish_document(OpenDocument& document) {
    Json diagnostics = Json::array();
    if (document.linted)
      for (const Finding& finding : document.findings)
        diagnostics.push_back(to_diagnostic(finding, document.linted.get(), document.uri, document.base_directory));
    bool nonempty = !diagnostics.empty() || config_error_diagnostics.count(document.uri);
    if (!nonempty && document.published_nonempty == false) return;  // still nothing to show
    document.published_nonempty = nonempty;
    publish(document.uri, std::move(diagnostics), document.version);
  }

  // --- configuration -----------------------------------------------------------------------
  const EffectiveConfig& config_for(const std::string& path) { return note_config(configs.for_file(path)); }

  // Shows a broken config once (message and diagnostic on the file); forgets a fixed one.
  const EffectiveConfig& note_config(const EffectiveConfig& effective) {
    if (effective.config_path.empty()) return effective;
    std::string uri = file_uri_from_path(effective.config_path);
    if (!effective.error) {
      if (config_error_diagnostics.erase(uri)) republish(uri);
      return effective;
    }
    std::string text = read_small_file(effective.config_path);
    Json diagnostic = config_error_diagnostic(*effective.error, text);
    bool changed = config_error_diagnostics[uri] != diagnostic;
    config_error_diagnostics[uri] = diagnostic;
    if (changed) republish(uri);
    std::string shown = effective.error->to_string();
    if (shown_config_errors.insert(shown).second)
      show(MessageType::Error, fmt::format("shiftlint: invalid configuration {}; linting with the default "
                                           "configuration until it is fixed",
                                           shown));
    return effective;
  }

  // Publishes a URI again: an open document with its findings, else only a config error (or none).
  void republish(const std::string& uri) {
    if (OpenDocument* document = documents.find(uri)) {
      publish_document(*document);
      return;
    }
    publish(uri, Json::array(), std::nullopt);
  }

  void apply_settings(const Json& section) {
    if (!section.is_object()) return;
    Settings settings = configs.settings();
    if (const Json* enable = member(section, "enable"); enable && enable->is_boolean())
      settings.enable = enable->get<bool>();
    if (const Json* config_file = member(section, "configFile"); config_file && config_file->is_string())
      settings.config_file = config_file->get<std::string>();
    else if (config_file && config_file->is_null())
      settings.config_file.clear();
    bool was_enabled = configs.settings().enable;
    configs.set_settings(std::move(settings));
    configuration_changed();
    if (was_enabled && !configs.settings().enable) clear_everything();
  }

  // Config files or settings changed: forget every cached config and lint open documents again.
  void configuration_changed() {
    configs.invalidate();
    deploy_configurations_by_folder.clear();  // the excludes, even the folders, may have changed
    // Clear config errors; linting below reports those that remain.
    std::vector<std::string> stale;
    for (const auto& [uri, diagnostic] : config_error_diagnostics) stale.push_back(uri);
    config_error_diagnostics.clear();
    shown_config_errors.clear();
    for (const std::string& uri : stale) republish(uri);
    for (auto& [uri, document] : documents.all()) {
      document.needs_lint = true;
      document.findings_from_disk = false;  // charts are linted again, with the new config
    }
    lint_pending();
  }

  void clear_everything() {
    for (auto& [uri, document] : documents.all()) {
      document.linted.reset();
      document.findings.clear();
      document.findings_from_disk = false;
      document.published_nonempty = false;
      publish(uri, Json::array(), document.version);
    }
    for (const std::string& uri : workspace_published) publish(uri, Json::array(), std::nullopt);
    workspace_published.clear();
  }

  // --- linting -----------------------------------------------------------------------------
  void mark_changed(OpenDocument& document) {
    if (!has_pending()) pending_since = std::chrono::steady_clock::now();
    document.needs_lint = true;
  }

  bool has_pending() const {
    for (const auto& [uri, document] : documents.all())
      if (document.needs_lint) return true;
    return false;
  }

  // A file an open Dockerfile's lint reads from disk besides the files its image copies: a bake
  // file or a .dockerignore.
  static bool changes_dockerfile_reads(const std::string& path) {
    std::string name = to_lower_ascii(fs::path(path).filename().string());
    return docker::may_be_bake_file(name) || name == ".dockerignore" || name.ends_with(".dockerignore");
  }

  // The open Dockerfiles (but `except`), judged again with what is on disk now: their build
  // contexts and bake files are read from disk, not from the editor's buffers.
  void lint_open_dockerfiles(const OpenDocument* except) {
    for (auto& [uri, other] : documents.all()) {
      if (&other == except || !other.path || classify(*other.path, {}) != FileKind::Dockerfile) continue;
      other.needs_lint = true;
      lint_document(other);
    }
  }

  // A file whose change can change how the open manifests and charts are deployed.
  static bool changes_deployments(std::string_view name) {
    return is_deploy_configuration_name(name) || is_argo_source_name(name);
  }

  std::shared_ptr<const DeployConfigurations> deploy_configurations_for(const EffectiveConfig& effective) {
    std::shared_ptr<const DeployConfigurations>& held = deploy_configurations_by_folder[effective.base_directory];
    if (!held) {
      if (options.deploy_configuration_search_entries == 0) return held = std::make_shared<DeployConfigurations>();
      // Discovery as a `check` of the folder walks it: .gitignore and the config's excludes apply.
      DiscoveryOptions search;
      search.exclude = effective.config.exclude;
      search.exclude_base = effective.config.directory();
      search.use_gitignore = effective.config.respect_gitignore;
      search.max_entries = options.deploy_configuration_search_entries;
      held = find_deploy_configurations(effective.base_directory, search, LoadLimits{});
      // Said once per folder: a base there may be judged without an overlay that was not reached.
      for (const DiscoveryProblem& problem : held->problems)
        if (problem.message.starts_with("stopped after listing"))
          log(MessageType::Warning, fmt::format("shiftlint: looking for kustomization and Skaffold files under {}: "
                                                "{}; kustomize bases there are judged by the overlays found before it",
                                                effective.base_directory, problem.message));
    }
    return held;
  }

  // Whether a kustomization the editor has read lists `path` as a patch: saving one can change
  // which images its overlay replaces (project/kustomize_index.h).
  bool is_known_kustomize_patch(const std::string& path) const {
    std::string normal = fs::path(path).lexically_normal().string();
    for (const auto& [folder, held] : deploy_configurations_by_folder)
      if (held && held->kustomize && held->kustomize->reads_patch(normal)) return true;
    return false;
  }

  // A values file a Skaffold release names, wherever it is (a chart's own files are seen as such).
  bool is_known_release_values_file(const std::string& path) const {
    std::string normal = fs::path(path).lexically_normal().string();
    for (const auto& [folder, held] : deploy_configurations_by_folder)
      if (held && held->skaffold && held->skaffold->reads_values_file(normal)) return true;
    return false;
  }

  // A kustomization or Skaffold file changed (saved, created, deleted): the manifests open are
  // judged again, and the charts of open chart files (Skaffold deploys charts too).
  void deploy_configurations_changed() {
    deploy_configurations_by_folder.clear();
    for (auto& [uri, document] : documents.all()) {
      if (is_kubernetes_manifest(document.kind)) document.needs_lint = true;
      if (document.findings_from_disk) {
        document.needs_lint = true;
        document.findings_from_disk = false;
      }
    }
    lint_pending();
  }

  void lint_pending() {
    for (auto& [uri, document] : documents.all())
      if (document.needs_lint) lint_document(document);
  }

  // Single-file rules over the editor's buffer, never the file on disk.
  void lint_document(OpenDocument& document) {
    document.needs_lint = false;
    auto forget_findings = [&] {
      document.linted.reset();
      document.findings.clear();
      document.kind = FileKind::Unknown;
      document.findings_from_disk = false;
    };
    if (!configs.settings().enable || !document.path) {
      forget_findings();
      publish_document(document);
      return;
    }
    const std::string& path = *document.path;
    const EffectiveConfig& effective = config_for(path);
    document.base_directory = effective.base_directory;
    std::string display_path = relative_to(path, effective.base_directory);
    for (const std::string& exclude : effective.config.exclude) {
      if (glob_match(exclude, display_path)) {
        forget_findings();
        publish_document(document);  // excluded by the config: nothing to say
        return;
      }
    }
    if (document.text.size() > options.max_document_bytes) {
      forget_findings();
      log(MessageType::Warning, fmt::format("shiftlint: {} is larger than {} bytes; not linted in the editor "
                                            "(`shiftlint check` still covers it)",
                                            display_path, options.max_document_bytes));
      publish_document(document);
      return;
    }
    auto file = std::make_shared<const SourceFile>(path, display_path, document.text);
    FileKind kind = refine_by_location(
        classify(classification_path(display_path, path), file->text().substr(0, 1 << 16)), path);
    if (kind == FileKind::Unknown) {
      // A template is linted only with its chart, from disk: once (on open, after a config
      // change), then on each save of a file of the chart; meanwhile its findings stand. So is a
      // script or a configuration file an image may copy, with the Dockerfiles that copy it.
      if (!document.findings_from_disk) {
        std::string chart = chart_directory_of(path);
        if (!chart.empty())
          lint_chart(path, &document, chart);
        else if (is_build_context_name(path))
          lint_copied_file(document);
      }
      if (document.findings_from_disk) {
        publish_document(document);
        return;
      }
    }
    forget_findings();
    // Aliasing pointers: each keeps the files its index points into.
    std::shared_ptr<const KustomizeIndex> kustomizations;
    std::shared_ptr<const SkaffoldIndex> skaffold;
    if (is_kubernetes_manifest(kind)) {
      std::shared_ptr<const DeployConfigurations> around = deploy_configurations_for(effective);
      if (around->kustomize) kustomizations = std::shared_ptr<const KustomizeIndex>(around, around->kustomize.get());
      if (around->skaffold) skaffold = std::shared_ptr<const SkaffoldIndex>(around, around->skaffold.get());
    }
    auto findings = kind == FileKind::Unknown ? std::nullopt
                                              : lint_source(file, effective.config, effective.selection, LoadLimits{},
                                                            std::move(kustomizations), std::move(skaffold));
    if (findings) {
      document.linted = std::move(file);
      document.linted_version = document.version;
      document.kind = kind;
      document.findings = std::move(*findings);
    }
    publish_document(document);
  }

  // --- the workspace lint (a command) ------------------------------------------------------
  void start_workspace_lint(const Json& request_id) {
    if (worker.joinable()) throw RequestError{error_code::kRequestFailed, "a workspace lint is already running"};
    if (!configs.settings().enable) throw RequestError{error_code::kRequestFailed, "shiftlint is disabled (shiftlint.enable)"};
    std::vector<std::string> folders = configs.workspace_folders();
    if (folders.empty()) throw RequestError{error_code::kRequestFailed, "no workspace folder is open"};
    // The worker gets its own copies: nothing it reads is touched by the read loop meanwhile.
    std::vector<std::pair<std::string, Config>> jobs;
    for (const std::string& folder : folders) jobs.emplace_back(folder, note_config(configs.for_folder(folder)).config);
    worker_request_id = request_id;
    worker_done = false;
    worker_cancel = false;
    worker = std::thread([this, jobs = std::move(jobs)] {
      auto outcome = std::make_unique<WorkspaceLintOutcome>();
      try {
        if (options.before_workspace_lint) options.before_workspace_lint();
        for (const auto& [folder, config] : jobs) {
          if (worker_cancel) break;
          CheckRequest check;
          check.paths = {folder};
          check.config = &config;
          check.cancel = &worker_cancel;
          check.max_walk_entries = options.workspace_lint_entries;
          CheckOutcome result = run_check(check);
          if (result.cancelled) break;
          outcome->folders.push_back({result.summary.root_directory, std::move(result.summary)});
          for (std::string& warning : result.warnings) outcome->warnings.push_back(std::move(warning));
        }
      } catch (const std::exception& error) {
        outcome->warnings.push_back(fmt::format("the workspace lint stopped: {}", error.what()));
      }
      outcome->cancelled = worker_cancel;
      worker_outcome = std::move(outcome);
      worker_done = true;
    });
  }

  // $/cancelRequest: only the workspace lint answers late enough to be cancelled; the other requests
  // are answered as they are read.
  void cancel_request(const Json& params) {
    const Json* id = member(params, "id");
    if (id && worker.joinable() && !worker_done && *id == worker_request_id) worker_cancel = true;
  }

  void finish_workspace_lint() {
    if (!worker.joinable() || !worker_done) return;
    worker.join();
    std::unique_ptr<WorkspaceLintOutcome> outcome = std::move(worker_outcome);
    if (outcome->cancelled) {  // what it found so far is incomplete: the last results stay shown
      emit(make_error_response(worker_request_id, error_code::kRequestCancelled, "the workspace lint was cancelled"));
      return;
    }
    for (const std::string& warning : outcome->warnings) log(MessageType::Warning, "shiftlint: " + warning);

    // Findings by file. Open documents keep their buffer's findings: the disk may be older.
    std::map<std::string, Json> by_uri;
    size_t findings = 0, files = 0;
    for (WorkspaceLintOutcome::Folder& folder : outcome->folders) {
      files += folder.summary.files_analyzed;
      for (const Finding& finding : folder.summary.findings) {
        fs::path path(finding.location.path);
        if (path.is_relative()) path = fs::path(folder.root) / path;
        std::string absolute = path.lexically_normal().string();
        if (documents.find_by_path(absolute)) continue;
        std::string uri = file_uri_from_path(absolute);
        // The file is not open: positions convert with the lines the finding carries.
        by_uri[uri].push_back(to_diagnostic(finding, nullptr, uri, folder.root));
        ++findings;
      }
    }
    std::set<std::string> published;
    for (auto& [uri, diagnostics] : by_uri) {
      publish(uri, std::move(diagnostics), std::nullopt);
      published.insert(uri);
    }
    for (const std::string& uri : workspace_published)
      if (!published.count(uri) && !documents.find(uri)) publish(uri, Json::array(), std::nullopt);
    workspace_published = std::move(published);
    emit(make_response(worker_request_id, {{"files", files}, {"findings", findings}}));
  }

  // --- requests ----------------------------------------------------------------------------
  Json initialize(const Json& params) {
    if (phase != Phase::Uninitialized) throw RequestError{error_code::kInvalidRequest, "initialize was already received"};
    const Json* capabilities = member(params, "capabilities");
    Json none = Json::object();
    const Json& client = capabilities ? *capabilities : none;
    client_watches_dynamically = flag(client, {"workspace", "didChangeWatchedFiles", "dynamicRegistration"});
    client_pulls_configuration = flag(client, {"workspace", "configuration"});
    client_versioned_edits = flag(client, {"workspace", "workspaceEdit", "documentChanges"});
    if (const Json* operations = path_in(client, {"workspace", "workspaceEdit", "resourceOperations"});
        operations && operations->is_array())
      client_creates_files = std::find(operations->begin(), operations->end(), Json("create")) != operations->end();
    if (const Json* formats = path_in(client, {"textDocument", "hover", "contentFormat"}); formats && formats->is_array())
      client_hover_markdown = std::find(formats->begin(), formats->end(), Json("markdown")) != formats->end();

    std::vector<std::string> folders;
    if (const Json* list = member(params, "workspaceFolders"); list && list->is_array()) {
      for (const Json& folder : *list)
        if (auto path = path_from_file_uri(string_at(folder, {"uri"}))) folders.push_back(*path);
    }
    if (folders.empty()) {
      if (auto path = path_from_file_uri(string_at(params, {"rootUri"}))) folders.push_back(*path);
      else if (std::string root = string_at(params, {"rootPath"}); !root.empty()) folders.push_back(root);
    }
    for (std::string& folder : folders)
      while (folder.size() > 1 && folder.back() == '/') folder.pop_back();
    configs.set_workspace_folders(std::move(folders));
    if (const Json* settings = member(params, "initializationOptions")) {
      const Json* section = member(*settings, "shiftlint");
      apply_settings(section ? *section : *settings);
    }
    phase = Phase::Running;

    Json capabilities_result = {
        {"positionEncoding", "utf-16"},
        {"textDocumentSync", {{"openClose", true}, {"change", 1}, {"save", {{"includeText", true}}}}},
        {"codeActionProvider", {{"codeActionKinds", Json::array({"quickfix"})}}},
        {"hoverProvider", true},
        {"executeCommandProvider", {{"commands", Json::array({std::string(kLintWorkspaceCommand)})}}},
        {"workspace", {{"workspaceFolders", {{"supported", true}, {"changeNotifications", true}}}}},
    };
    return {{"capabilities", std::move(capabilities_result)},
            {"serverInfo", {{"name", "shiftlint"}, {"version", SHIFTLINT_VERSION}}}};
  }

  Json hover(const Json& params) {
    OpenDocument* document = documents.find(required_string(params, {"textDocument", "uri"}, "textDocument.uri"));
    auto position = position_from(member(params, "position"));
    if (!position) throw RequestError{error_code::kInvalidParams, "position must be {line, character}"};
    if (document && document->needs_lint) lint_document(*document);
    if (!document || !document->linted) return nullptr;
    std::string text;
    std::set<std::string> shown;
    std::optional<LspRange> range;
    for (const Finding& finding : document->findings) {
      LspRange finding_range = to_lsp_range(*document->linted, finding.location.span);
      if (*position < finding_range.start || finding_range.end < *position) continue;
      const Rule* rule = find_rule(finding.rule_id);
      if (!rule || !shown.insert(finding.rule_id).second) continue;
      if (!text.empty()) text += "\n\n---\n\n";
      std::string_view doc = rule->doc();
      text += doc.empty() ? fmt::format("**{}** {}\n\n{}", rule->id, rule->slug, rule->summary) : std::string(doc);
      if (!range) range = finding_range;
    }
    if (text.empty()) return nullptr;
    Json result = {{"contents", {{"kind", client_hover_markdown ? "markdown" : "plaintext"}, {"value", text}}}};
    result["range"] = range_json(range->start.line, range->start.character, range->end.line, range->end.character);
    return result;
  }

  Json code_action(const Json& params) {
    OpenDocument* document = documents.find(required_string(params, {"textDocument", "uri"}, "textDocument.uri"));
    auto range = range_from(member(params, "range"));
    if (!range) throw RequestError{error_code::kInvalidParams, "range must be {start, end}"};
    Json actions = Json::array();
    if (document && document->needs_lint) lint_document(*document);
    if (!document || !document->linted || !document->path || !configs.settings().enable) return actions;
    if (const Json* only = path_in(params, {"context", "only"}); only && only->is_array()) {
      bool wants_quick_fixes = std::any_of(only->begin(), only->end(), [](const Json& kind) {
        return kind == "quickfix" || kind == "";
      });
      if (!wants_quick_fixes) return actions;
    }

    // The findings the client asks about: those behind the diagnostics it sent (found by
    // fingerprint, or by rule and range when the client dropped `data`), else those in range.
    std::vector<const Finding*> selected;
    const Json* context_diagnostics = path_in(params, {"context", "diagnostics"});
    if (context_diagnostics && context_diagnostics->is_array() && !context_diagnostics->empty()) {
      for (const Json& diagnostic : *context_diagnostics) {
        if (string_at(diagnostic, {"source"}) != "shiftlint") continue;
        std::string fingerprint = string_at(diagnostic, {"data", "fingerprint"});
        std::string code = string_at(diagnostic, {"code"});
        auto diagnostic_range = range_from(member(diagnostic, "range"));
        for (const Finding& finding : document->findings) {
          bool same = !fingerprint.empty() ? finding.fingerprint == fingerprint
                                           : finding.rule_id == code && diagnostic_range &&
                                                 to_lsp_range(*document->linted, finding.location.span) == *diagnostic_range;
          if (same && std::find(selected.begin(), selected.end(), &finding) == selected.end())
            selected.push_back(&finding);
        }
      }
    } else {
      for (const Finding& finding : document->findings)
        if (overlaps(to_lsp_range(*document->linted, finding.location.span), *range)) selected.push_back(&finding);
    }
    if (selected.empty()) return actions;

    const EffectiveConfig& effective = config_for(*document->path);
    CodeActionOptions options;
    options.versioned_document_changes = client_versioned_edits;
    options.create_files = client_creates_files;
    std::string workspace = configs.workspace_folder_of(*document->path);
    options.new_config_folder = workspace.empty() ? fs::path(*document->path).parent_path().string() : workspace;
    if (!effective.config_path.empty() && !effective.error) {
      ConfigFileText config_file;
      config_file.path = effective.config_path;
      config_file.uri = file_uri_from_path(effective.config_path);
      if (const OpenDocument* open = documents.find_by_path(effective.config_path)) {
        config_file.uri = open->uri;
        config_file.text = open->text;
        config_file.version = open->version;
      } else {
        config_file.text = read_small_file(effective.config_path);
      }
      options.config_file = std::move(config_file);
    }
    for (const Finding* finding : selected)
      for (Json& action : code_actions_for(*finding, *document, effective, options)) actions.push_back(std::move(action));
    return actions;
  }

  Json execute_command(const Json& params, const Json& id, bool& answered_later) {
    std::string command = required_string(params, {"command"}, "command");
    if (command != kLintWorkspaceCommand)
      throw RequestError{error_code::kInvalidParams, fmt::format("unknown command '{}'", command)};
    start_workspace_lint(id);
    answered_later = true;
    return nullptr;
  }

  // --- notifications -----------------------------------------------------------------------
  void did_open(const Json& params) {
    const std::string& uri = required_string(params, {"textDocument", "uri"}, "textDocument.uri");
    const std::string& text = required_string(params, {"textDocument", "text"}, "textDocument.text");
    OpenDocument& document =
        documents.open(uri, string_at(params, {"textDocument", "languageId"}), version_of(params), text);
    mark_changed(document);
  }

  void did_change(const Json& params) {
    const std::string& uri = required_string(params, {"textDocument", "uri"}, "textDocument.uri");
    OpenDocument* document = documents.find(uri);
    const Json* changes = member(params, "contentChanges");
    if (!document || !changes || !changes->is_array()) return;
    std::string text = document->text;
    for (const Json& change : *changes) {
      const Json* new_text = member(change, "text");
      if (!new_text || !new_text->is_string()) continue;
      auto range = range_from(member(change, "range"));
      if (!range) {
        text = new_text->get<std::string>();
        continue;
      }
      // We asked for full sync; a client sending ranges anyway still gets the right text.
      SourceFile current("", "", text);
      size_t begin = current.offset_of(from_lsp_position(current, range->start));
      size_t end = std::max(begin, current.offset_of(from_lsp_position(current, range->end)));
      if (current.had_byte_order_mark()) text.erase(0, 3);
      text.replace(begin, end - begin, new_text->get<std::string>());
    }
    documents.change(uri, version_of(params), std::move(text));
    mark_changed(*document);
  }

  void did_save(const Json& params) {
    const std::string& uri = required_string(params, {"textDocument", "uri"}, "textDocument.uri");
    OpenDocument* document = documents.find(uri);
    std::optional<std::string> path = document ? document->path : path_from_file_uri(uri);
    if (path && configs.is_config_file(*path)) {
      configuration_changed();
      return;
    }
    if (path && (changes_deployments(fs::path(*path).filename().string()) || is_known_kustomize_patch(*path) ||
                 is_known_release_values_file(*path)))
      deploy_configurations_changed();
    if (!document) return;
    if (const Json* text = member(params, "text"); text && text->is_string() && text->get<std::string>() != document->text) {
      document->text = text->get<std::string>();
      document->needs_lint = true;
    }
    if (document->needs_lint) lint_document(*document);
    // Project rules read files beyond this buffer, so they run here, on save, rather than on
    // every keystroke. Terraform is linted per module: a change to variables.tf can make or clear
    // a finding in main.tf.
    if (document->path && is_terraform_name(*document->path)) lint_terraform_module(*document);
    // Any file of a chart (a template, values.yaml, Chart.yaml, a subchart's) can change what the
    // chart renders: the chart is linted again from disk.
    if (document->path) {
      std::string chart = chart_directory_of(*document->path);
      if (!chart.empty())
        lint_chart(*document->path, document, chart);
      else if (document->kind == FileKind::Unknown && is_build_context_name(*document->path))
        lint_copied_file(*document);
    }
    // A script or configuration file an image may copy, a bake file or a .dockerignore: the open
    // Dockerfiles read it from disk (DKR001 follows the entrypoint script, DKR011 the bake file's
    // named contexts), so they are judged again with the saved file.
    bool dockerfile = document->path && classify(*document->path, {}) == FileKind::Dockerfile;
    if (document->path && !dockerfile &&
        (is_build_context_name(*document->path) || changes_dockerfile_reads(*document->path)))
      lint_open_dockerfiles(document);
    // A Dockerfile decides what its image does with the files it copies: those open are judged again.
    if (dockerfile) {
      for (auto& [uri, other] : documents.all()) {
        if (&other == document || !other.findings_from_disk || !other.path || !is_build_context_name(*other.path)) continue;
        if (!chart_directory_of(*other.path).empty()) continue;
        lint_copied_file(other);
      }
    }
  }

  // A file an image gets from its build context (an entrypoint script, a crontab), from disk, as
  // `shiftlint check <file>` lints it: the workspace's Dockerfiles that copy it report what the
  // image does with it at its lines (the XF rules are the workspace lint's).
  void lint_copied_file(OpenDocument& document) {
    if (!configs.settings().enable || !document.path) return;
    const std::string& path = *document.path;
    const EffectiveConfig& effective = config_for(path);
    CheckRequest check = lint_from_disk(path, effective);
    check.ignore = {"XF"};
    publish_from_disk(&document, path, run_check(check), true);
  }

  // A `check` of `path` from disk with the file's config, within its folder, on the read loop's thread.
  static CheckRequest lint_from_disk(const std::string& path, const EffectiveConfig& effective) {
    CheckRequest check;
    check.paths = {path};
    check.root = effective.base_directory;
    check.config = &effective.config;
    check.jobs = 1;
    return check;
  }

  // The Helm chart `path` belongs to (a subchart's is its parent), within the file's config
  // folder; empty when the file is in no chart.
  std::string chart_directory_of(const std::string& path) {
    return enclosing_helm_chart(path, false, config_for(path).base_directory);
  }

  // The chart, from disk, as `shiftlint check <chart>` lints it within the config's folder (so
  // that a library chart beside it is found, as in a workspace lint): its findings are published
  // for every file of the chart, templates included. `changed` is the file whose change asks for
  // it (its config applies); `saved` its open document, if it is one.
  void lint_chart(const std::string& changed, OpenDocument* saved, const std::string& chart_directory) {
    if (!configs.settings().enable) return;
    const EffectiveConfig& effective = config_for(changed);
    CheckRequest check = lint_from_disk(chart_directory, effective);
    check.read_around = false;  // what is around it is found here, and the workspace lint judges the project
    // The Skaffold configurations around the chart, as for a manifest (an aliasing pointer: it
    // keeps the files the index points into).
    std::shared_ptr<const DeployConfigurations> around = deploy_configurations_for(effective);
    if (around->skaffold) check.skaffold = std::shared_ptr<const SkaffoldIndex>(around, around->skaffold.get());
    publish_from_disk(saved, chart_directory, run_check(check), true);
  }

  // The saved file's module, from disk, as `shiftlint check <file>` lints it: its findings are
  // published for every file of the module. An open document whose buffer differs from the disk
  // keeps its buffer's findings; the saved one gets the module's (its buffer is what was saved).
  void lint_terraform_module(OpenDocument& saved) {
    if (!configs.settings().enable) return;
    const std::string& path = *saved.path;
    const EffectiveConfig& effective = config_for(path);
    std::string folder = fs::path(path).parent_path().lexically_normal().string();
    CheckRequest check;
    check.paths = {path};
    check.config = &effective.config;
    check.jobs = 1;
    check.read_around = false;  // the module is what is linted here; the workspace lint judges the project
    publish_from_disk(&saved, folder, run_check(check), false);
  }

  // Publishes a lint from disk of the folder `scope` (a Terraform module, a chart) for each file
  // with findings, and clears the files it published before that are now clean. An open document
  // whose buffer differs from the disk keeps its buffer's findings; `saved`'s buffer (if any) is
  // what was saved. In a chart, open documents linted only with it (templates) take the chart's
  // findings.
  void publish_from_disk(OpenDocument* saved, const std::string& folder, CheckOutcome result, bool chart) {
    for (const std::string& warning : result.warnings) log(MessageType::Warning, "shiftlint: " + warning);

    std::map<std::string, std::vector<Finding>> by_path;
    for (Finding& finding : result.summary.findings) {
      fs::path absolute(finding.location.path);
      if (absolute.is_relative()) absolute = fs::path(result.summary.root_directory) / absolute;
      by_path[absolute.lexically_normal().string()].push_back(std::move(finding));
    }
    std::set<std::string>& published = module_published[(chart ? "chart " : "module ") + folder];
    std::set<std::string> now;
    for (auto& [file_path, findings] : by_path) now.insert(file_uri_from_path(file_path));
    for (const std::string& uri : published) now.insert(uri);  // to clear those that became clean
    published.clear();
    for (const std::string& uri : now) {
      std::optional<std::string> file_path = path_from_file_uri(uri);
      if (!file_path) continue;
      auto found = by_path.find(fs::path(*file_path).lexically_normal().string());
      std::vector<Finding> findings = found == by_path.end() ? std::vector<Finding>{} : std::move(found->second);
      if (!findings.empty()) published.insert(uri);
      OpenDocument* document = documents.find_by_path(*file_path);
      if (document) {
        if (chart && document->kind == FileKind::Unknown) {
          // A file not linted alone (a template; or one not linted yet, which its own lint
          // replaces): it takes the chart's findings, placed in the text on disk they were
          // computed on, whatever the buffer holds meanwhile.
          document->linted = std::make_shared<const SourceFile>(
              *file_path, relative_to(*file_path, result.summary.root_directory), read_small_file(*file_path));
          document->base_directory = result.summary.root_directory;
          document->findings_from_disk = true;
        } else if (document != saved && document->text != read_small_file(*file_path)) {
          continue;
        }
        if (!document->linted) continue;
        document->findings = std::move(findings);
        publish_document(*document);
        continue;
      }
      Json diagnostics = Json::array();
      for (const Finding& finding : findings)
        diagnostics.push_back(to_diagnostic(finding, nullptr, uri, result.summary.root_directory));
      publish(uri, std::move(diagnostics), std::nullopt);
    }
    if (!chart) return;
    // The chart's open templates it found nothing in take its findings too (none): like the others,
    // they are then linted again with the chart (a save, a deploy configuration's change), not on
    // their own at each keystroke, and a change that makes them wrong is shown.
    for (auto& [uri, document] : documents.all()) {
      if (now.count(uri) || !document.path || document.kind != FileKind::Unknown || document.findings_from_disk) continue;
      if (!is_within_folder(fs::path(*document.path).lexically_normal().string(), folder)) continue;
      document.linted = std::make_shared<const SourceFile>(
          *document.path, relative_to(*document.path, result.summary.root_directory), read_small_file(*document.path));
      document.base_directory = result.summary.root_directory;
      document.findings_from_disk = true;
      document.findings.clear();
      publish_document(document);
    }
  }

  void did_close(const Json& params) {
    const std::string& uri = required_string(params, {"textDocument", "uri"}, "textDocument.uri");
    if (!documents.find(uri)) return;
    documents.close(uri);
    publish(uri, Json::array(), std::nullopt);
  }

  void did_change_watched_files(const Json& params) {
    const Json* changes = member(params, "changes");
    if (!changes || !changes->is_array()) return;
    for (const Json& change : *changes) {
      auto path = path_from_file_uri(string_at(change, {"uri"}));
      if (path && configs.is_config_file(*path)) {
        configuration_changed();
        return;
      }
    }
    // A kustomization or Skaffold file, a patch file a kustomization the editor has read lists, or a
    // values file a Skaffold release names, created, changed or deleted outside the editor.
    for (const Json& change : *changes) {
      auto path = path_from_file_uri(string_at(change, {"uri"}));
      if (path && (changes_deployments(fs::path(*path).filename().string()) || is_known_kustomize_patch(*path) ||
                 is_known_release_values_file(*path))) {
        deploy_configurations_changed();
        break;
      }
    }
    // A bake file (which names an image's build contexts) or a .dockerignore (which files a build
    // context holds), created, changed or deleted outside the editor: the open Dockerfiles read them
    // from disk, so they are judged again.
    for (const Json& change : *changes) {
      auto path = path_from_file_uri(string_at(change, {"uri"}));
      if (path && changes_dockerfile_reads(*path)) {
        lint_open_dockerfiles(nullptr);
        break;
      }
    }
    // A .helmignore decides which files of its chart Helm loads; the extension never opens it as a
    // document, so its changes come through the watcher. Its chart is linted again if the editor
    // shows any of the chart's files.
    std::set<std::string> charts;
    for (const Json& change : *changes) {
      auto path = path_from_file_uri(string_at(change, {"uri"}));
      if (!path || fs::path(*path).filename() != ".helmignore") continue;
      std::string chart = chart_directory_of(*path);
      if (chart.empty() || !charts.insert(chart).second) continue;
      bool shown = std::any_of(documents.all().begin(), documents.all().end(), [&](const auto& entry) {
        return entry.second.path && is_within_folder(*entry.second.path, chart);
      });
      if (shown) lint_chart(*path, nullptr, chart);
    }
  }

  void did_change_configuration(const Json& params) {
    const Json* section = path_in(params, {"settings", "shiftlint"});
    if (section && section->is_object()) {
      apply_settings(*section);
    } else if (client_pulls_configuration) {
      pull_configuration();
    }
  }

  void did_change_workspace_folders(const Json& params) {
    std::vector<std::string> folders = configs.workspace_folders();
    if (const Json* removed = path_in(params, {"event", "removed"}); removed && removed->is_array())
      for (const Json& folder : *removed)
        if (auto path = path_from_file_uri(string_at(folder, {"uri"})))
          folders.erase(std::remove(folders.begin(), folders.end(), *path), folders.end());
    if (const Json* added = path_in(params, {"event", "added"}); added && added->is_array())
      for (const Json& folder : *added)
        if (auto path = path_from_file_uri(string_at(folder, {"uri"}))) folders.push_back(*path);
    configs.set_workspace_folders(std::move(folders));
    configuration_changed();
  }

  void initialized() {
    if (client_watches_dynamically) {
      // Kustomize patch files have any name: every YAML and JSON file is watched for them, and a
      // change is acted on only for a file a kustomization lists as a patch (is_known_kustomize_patch).
      Json watchers = Json::array({{{"globPattern", "**/.shiftlint.{yaml,yml}"}},
                                   {{"globPattern", "**/.helmignore"}},
                                   {{"globPattern", "**/{kustomization.yaml,kustomization.yml,Kustomization,skaffold*.yaml,skaffold*.yml}"}},
                                   {{"globPattern", "**/*.{yaml,yml,json}"}},
                                   // Bake files and .dockerignore files, which open Dockerfiles read.
                                   {{"globPattern", "**/*.hcl"}},
                                   {{"globPattern", "**/{.dockerignore,*.dockerignore}"}}});
      request("client/registerCapability",
              {{"registrations", Json::array({{{"id", "shiftlint-config-files"},
                                               {"method", "workspace/didChangeWatchedFiles"},
                                               {"registerOptions", {{"watchers", watchers}}}}})}},
              "register");
    }
    if (client_pulls_configuration) pull_configuration();
  }

  void pull_configuration() {
    request("workspace/configuration", {{"items", Json::array({{{"section", "shiftlint"}}})}}, "configuration");
  }

  void handle_response(const Json& message) {
    const Json* id = member(message, "id");
    if (!id || !id->is_string()) return;
    auto sent = sent_requests.find(id->get<std::string>());
    if (sent == sent_requests.end()) return;
    std::string purpose = std::move(sent->second);
    sent_requests.erase(sent);
    if (const Json* error = member(message, "error")) {
      std::fprintf(stderr, "shiftlint lsp: the client refused %s: %s\n", purpose.c_str(), serialize(*error).c_str());
      return;
    }
    const Json* result = member(message, "result");
    if (purpose == "configuration" && result && result->is_array() && !result->empty())
      apply_settings((*result)[0]);
  }

  // --- dispatch ----------------------------------------------------------------------------
  void handle(std::string_view body) {
    if (too_deep(body)) {
      emit(make_error_response(nullptr, error_code::kParseError,
                               fmt::format("message nests deeper than {} levels", kMaxMessageDepth)));
      return;
    }
    Json message = Json::parse(body, nullptr, false);
    if (message.is_discarded()) {
      emit(make_error_response(nullptr, error_code::kParseError, "Parse error: the message is not valid JSON"));
      return;
    }
    if (!message.is_object()) {
      emit(make_error_response(nullptr, error_code::kInvalidRequest,
                               message.is_array() ? "batch messages are not supported" : "a message must be a JSON object"));
      return;
    }
    const Json* id = member(message, "id");
    bool valid_id = id && (id->is_string() || id->is_number_integer());
    const Json* method = member(message, "method");
    if (!method && (member(message, "result") || member(message, "error"))) {
      // A response to a request of ours. Never answered, even when malformed: answering a
      // response could start an endless exchange with a client that does the same.
      handle_response(message);
      return;
    }
    if (member(message, "jsonrpc") == nullptr || *member(message, "jsonrpc") != "2.0" ||
        !method || !method->is_string() || (id && !valid_id)) {
      emit(make_error_response(valid_id ? *id : Json(nullptr), error_code::kInvalidRequest,
                               "Invalid Request: expected {\"jsonrpc\": \"2.0\", \"method\": string, \"id\"?: number|string}"));
      return;
    }
    const std::string& name = method->get_ref<const std::string&>();
    const Json* params_member = member(message, "params");
    Json no_params = Json::object();
    const Json& params = params_member ? *params_member : no_params;
    if (id) handle_request(*id, name, params);
    else handle_notification(name, params);
  }

  void handle_request(const Json& id, const std::string& method, const Json& params) {
    if (phase == Phase::Uninitialized && method != "initialize") {
      emit(make_error_response(id, error_code::kServerNotInitialized, "the server has not been initialized"));
      return;
    }
    if (phase == Phase::ShutDown) {
      emit(make_error_response(id, error_code::kInvalidRequest, "the server is shutting down"));
      return;
    }
    try {
      Json result;
      bool answered_later = false;
      if (method == "initialize") result = initialize(params);
      else if (method == "shutdown") {
        worker_cancel = true;  // its answer (cancelled) still goes out before exit
        phase = Phase::ShutDown;
        shutdown_received = true;
        result = nullptr;
      } else if (method == "textDocument/hover") result = hover(params);
      else if (method == "textDocument/codeAction") result = code_action(params);
      else if (method == "workspace/executeCommand") result = execute_command(params, id, answered_later);
      else {
        emit(make_error_response(id, error_code::kMethodNotFound, fmt::format("unknown method '{}'", method)));
        return;
      }
      if (!answered_later) emit(make_response(id, std::move(result)));
    } catch (const RequestError& error) {
      emit(make_error_response(id, error.code, error.message));
    } catch (const Json::exception& error) {
      emit(make_error_response(id, error_code::kInvalidParams, fmt::format("invalid params: {}", error.what())));
    } catch (const std::exception& error) {
      emit(make_error_response(id, error_code::kInternalError, fmt::format("internal error: {}", error.what())));
    }
  }

  void handle_notification(const std::string& method, const Json& params) {
    if (method == "exit") {
      exit_requested = true;
      worker_cancel = true;
      return;
    }
    if (method == "$/cancelRequest") {
      cancel_request(params);
      return;
    }
    // Before initialize, notifications are dropped; after shutdown, only exit matters.
    if (phase != Phase::Running) return;
    try {
      if (method == "initialized") initialized();
      else if (method == "textDocument/didOpen") did_open(params);
      else if (method == "textDocument/didChange") did_change(params);
      else if (method == "textDocument/didSave") did_save(params);
      else if (method == "textDocument/didClose") did_close(params);
      else if (method == "workspace/didChangeWatchedFiles") did_change_watched_files(params);
      else if (method == "workspace/didChangeConfiguration") did_change_configuration(params);
      else if (method == "workspace/didChangeWorkspaceFolders") did_change_workspace_folders(params);
      // Anything else ($/setTrace, notifications we do not use): ignored.
    } catch (const RequestError& error) {
      std::fprintf(stderr, "shiftlint lsp: %s: %s\n", method.c_str(), error.message.c_str());
    } catch (const std::exception& error) {
      std::fprintf(stderr, "shiftlint lsp: %s: %s\n", method.c_str(), error.what());
    }
  }
};

LanguageServer::LanguageServer(Send send, ServerOptions options) : state_(std::make_unique<State>()) {
  state_->send = std::move(send);
  state_->options = options;
}

LanguageServer::~LanguageServer() {
  state_->worker_cancel = true;
  if (state_->worker.joinable()) state_->worker.join();
}

void LanguageServer::handle_message(std::string_view body) {
  try {
    state_->handle(body);
  } catch (const std::exception& error) {
    // Nothing above should throw; if it does, the session survives.
    std::fprintf(stderr, "shiftlint lsp: internal error: %s\n", error.what());
  }
}

void LanguageServer::handle_framing_problem(const FramedEvent& event) {
  std::fprintf(stderr, "shiftlint lsp: %s\n", event.problem.c_str());
  int code = event.kind == FramedEvent::Kind::TooLarge ? error_code::kInvalidRequest : error_code::kParseError;
  state_->emit(make_error_response(nullptr, code, event.problem));
  if (event.kind == FramedEvent::Kind::TooLarge && state_->phase == State::Phase::Running)
    state_->show(MessageType::Warning, "shiftlint: a message from the editor was too large and was skipped (" +
                                           event.problem + ")");
}

void LanguageServer::lint_pending() {
  try {
    state_->lint_pending();
  } catch (const std::exception& error) {
    std::fprintf(stderr, "shiftlint lsp: internal error while linting: %s\n", error.what());
  }
}

bool LanguageServer::has_pending_lint() const { return state_->has_pending(); }

std::chrono::steady_clock::time_point LanguageServer::pending_since() const { return state_->pending_since; }

void LanguageServer::poll_background() { state_->finish_workspace_lint(); }

bool LanguageServer::background_busy() const { return state_->worker.joinable(); }

void LanguageServer::wait_for_background() {
  if (!state_->worker.joinable()) return;
  while (!state_->worker_done) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  state_->finish_workspace_lint();
}

bool LanguageServer::exit_requested() const { return state_->exit_requested; }

int LanguageServer::exit_code() const { return state_->shutdown_received ? 0 : 1; }

}  // namespace shiftlint::lsp
