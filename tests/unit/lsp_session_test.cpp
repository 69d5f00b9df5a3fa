// The language server driven in process, message by message, as an editor would drive it.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <future>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "analyzer/lsp/code_actions.h"
#include "analyzer/lsp/server.h"
#include "analyzer/lsp/uri.h"
#include "tests/cli/process.h"
#include "tests/sanitized_build.h"

using Json = nlohmann::json;
using shiftlint::lsp::file_uri_from_path;
using shiftlint::lsp::LanguageServer;
using shiftlint::testing::TemporaryFolder;

namespace {

// A client: sends messages, keeps everything the server sends back.
class Session {
 public:
  explicit Session(shiftlint::lsp::ServerOptions options = {})
      : server_([this](std::string message) { received_.push_back(Json::parse(message)); }, options) {}

  // Sends a request and returns the server's response to it.
  Json request(const Json& id, const std::string& method, const Json& params = Json::object()) {
    send({{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}});
    for (auto it = received_.rbegin(); it != received_.rend(); ++it)
      if (it->contains("id") && (*it)["id"] == id && !it->contains("method")) return *it;
    FAIL("no response to " << method);
    return nullptr;
  }
  void notify(const std::string& method, const Json& params = Json::object()) {
    send({{"jsonrpc", "2.0"}, {"method", method}, {"params", params}});
  }
  void send(const Json& message) { send_raw(message.dump()); }
  // As the stdio loop does: handle, then lint when no more input is waiting.
  void send_raw(const std::string& body) {
    server_.handle_message(body);
    server_.lint_pending();
  }

  Json initialize(const std::string& root, Json capabilities = Json::object(), Json options = nullptr) {
    Json params = {{"processId", nullptr},
                   {"rootUri", file_uri_from_path(root)},
                   {"workspaceFolders", Json::array({{{"uri", file_uri_from_path(root)}, {"name", "root"}}})},
                   {"capabilities", std::move(capabilities)}};
    if (!options.is_null()) params["initializationOptions"] = options;
    Json response = request(0, "initialize", params);
    notify("initialized");
    return response;
  }

  void open(const std::string& uri, const std::string& text, int version = 1) {
    notify("textDocument/didOpen",
           {{"textDocument", {{"uri", uri}, {"languageId", "json"}, {"version", version}, {"text", text}}}});
  }
  void change(const std::string& uri, const std::string& text, int version) {
    notify("textDocument/didChange", {{"textDocument", {{"uri", uri}, {"version", version}},},
                                      {"contentChanges", Json::array({{{"text", text}}})}});
  }

  // The diagnostics last published for `uri`; a JSON null when none were.
  Json diagnostics(const std::string& uri) const {
    for (auto it = received_.rbegin(); it != received_.rend(); ++it)
      if (it->value("method", "") == "textDocument/publishDiagnostics" && (*it)["params"]["uri"] == uri)
        return (*it)["params"]["diagnostics"];
    return nullptr;
  }
  std::vector<Json> notifications(const std::string& method) const {
    std::vector<Json> found;
    for (const Json& message : received_)
      if (message.value("method", "") == method && !message.contains("id")) found.push_back(message["params"]);
    return found;
  }
  std::vector<Json>& received() { return received_; }
  LanguageServer& server() { return server_; }

 private:
  std::vector<Json> received_;
  LanguageServer server_;
};

Json range(unsigned start_line, unsigned start_character, unsigned end_line, unsigned end_character) {
  return {{"start", {{"line", start_line}, {"character", start_character}}},
          {"end", {{"line", end_line}, {"character", end_character}}}};
}

// The byte offset of an LSP position, counting UTF-16 code units by hand (independently of the
// server's own conversion).
size_t offset_of(const std::string& text, const Json& position) {
  size_t offset = 0;
  for (unsigned line = position["line"].get<unsigned>(); line > 0; --line) offset = text.find('\n', offset) + 1;
  for (unsigned units = position["character"].get<unsigned>(); units > 0 && text[offset] != '\n';) {
    unsigned char lead = static_cast<unsigned char>(text[offset]);
    size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    units -= std::min<unsigned>(units, length == 4 ? 2 : 1);
    offset += length;
  }
  return offset;
}

// Applies TextEdits (all against the original text, as LSP defines them).
std::string apply_edits(std::string text, Json edits) {
  std::sort(edits.begin(), edits.end(), [&](const Json& a, const Json& b) {
    return offset_of(text, a["range"]["start"]) > offset_of(text, b["range"]["start"]);
  });
  for (const Json& edit : edits) {
    size_t begin = offset_of(text, edit["range"]["start"]), end = offset_of(text, edit["range"]["end"]);
    text.replace(begin, end - begin, edit["newText"].get<std::string>());
  }
  return text;
}

Json titles(const Json& actions) {
  Json result = Json::array();
  for (const Json& action : actions) result.push_back(action["title"]);
  return result;
}

// A Fargate task definition whose stopTimeout Fargate rejects (ECS003, an error) at 12:22.
const std::string kBadTask = R"({
  "family": "api",
  "requiresCompatibilities": ["FARGATE"],
  "networkMode": "awsvpc",
  "cpu": "512",
  "memory": "1024",
  "containerDefinitions": [
    {
      "name": "api",
      "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1.4.2",
      "essential": true,
      "stopTimeout": 300,
      "ulimits": [{"name": "nofile", "softLimit": 65535, "hardLimit": 65535}]
    }
  ]
}
)";

std::string fixed(std::string text) {
  text.replace(text.find("300"), 3, "60");
  return text;
}

const std::string kBadStack = R"(AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: worker
      RequiresCompatibilities: [FARGATE]
      NetworkMode: awsvpc
      Cpu: "512"
      Memory: "1024"
      ContainerDefinitions:
        - Name: worker
          Image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/worker:2.0.1
          Essential: true
          StopTimeout: 300
          Ulimits: [{Name: nofile, SoftLimit: 65535, HardLimit: 65535}]
)";

const std::string kStopTimeoutMessage =
    "container \"api\" has stopTimeout 300, above Fargate's maximum of 120 s: Fargate never waits longer between "
    "SIGTERM and SIGKILL, so the value is invalid there; set it to 120 at most, and make work that needs longer "
    "resumable or run it on the EC2 launch type";

// The K8S011 diagnostics among those published for a document.
Json image_findings(const Json& published) {
  Json found = Json::array();
  for (const Json& diagnostic : published)
    if (diagnostic["code"] == "K8S011") found.push_back(diagnostic);
  return found;
}


// A Deployment `name` whose one container `container` runs `image` (as written: a template
// expression in a chart).
std::string one_container_deployment(const std::string& name, const std::string& container, const std::string& image) {
  return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + name + "\nspec:\n  selector:\n    matchLabels: {app: " +
         name + "}\n  template:\n    metadata:\n      labels: {app: " + name + "}\n    spec:\n      containers:\n" +
         "        - name: " + container + "\n          image: " + image + "\n";
}

}  // namespace

TEST_CASE("lsp: a session from initialize to exit", "[lsp]") {
  TemporaryFolder folder;
  std::string path = folder.write("ecs/api.json", kBadTask);
  std::string uri = file_uri_from_path(path);
  Session session;

  Json capabilities = {{"workspace", {{"workspaceEdit", {{"documentChanges", true},
                                                        {"resourceOperations", {"create"}}}}}}};
  Json initialized = session.initialize(folder.path(), capabilities);
  const Json& server = initialized["result"]["capabilities"];
  CHECK(server["textDocumentSync"] == Json{{"openClose", true}, {"change", 1}, {"save", {{"includeText", true}}}});
  CHECK(server["codeActionProvider"]["codeActionKinds"] == Json{"quickfix"});
  CHECK(server["hoverProvider"] == true);
  CHECK(server["executeCommandProvider"]["commands"] == Json{"shiftlint.lintWorkspace"});
  CHECK(initialized["result"]["serverInfo"]["name"] == "shiftlint");

  // Open: the buffer's findings, at the exact place.
  session.open(uri, kBadTask);
  Json diagnostics = session.diagnostics(uri);
  REQUIRE(diagnostics.size() == 1);
  Json diagnostic = diagnostics[0];
  CHECK(diagnostic["range"] == range(11, 21, 11, 24));
  CHECK(diagnostic["severity"] == 1);
  CHECK(diagnostic["code"] == "ECS003");
  CHECK(diagnostic["source"] == "shiftlint");
  CHECK(diagnostic["message"] == kStopTimeoutMessage);
  CHECK(diagnostic["codeDescription"]["href"] ==
        "https://github.com/shiftlint/shiftlint/blob/main/rules/ecs/stop_timeout_over_fargate_max.md");
  CHECK(diagnostic["data"]["fingerprint"].is_string());

  // The editor buffer is linted, not the disk: fixing the buffer clears the finding.
  session.change(uri, fixed(kBadTask), 2);
  CHECK(session.diagnostics(uri) == Json::array());
  session.change(uri, kBadTask, 3);
  REQUIRE(session.diagnostics(uri).size() == 1);
  diagnostic = session.diagnostics(uri)[0];

  // Hover on the diagnostic: the rule's documentation.
  Json hover = session.request(10, "textDocument/hover",
                               {{"textDocument", {{"uri", uri}}}, {"position", {{"line", 11}, {"character", 22}}}});
  CHECK(hover["result"]["contents"]["kind"] == "markdown");
  CHECK_THAT(hover["result"]["contents"]["value"].get<std::string>(),
             Catch::StartsWith("# ECS003 — stop-timeout-over-fargate-max"));
  CHECK(hover["result"]["range"] == range(11, 21, 11, 24));
  Json nothing = session.request(11, "textDocument/hover",
                                 {{"textDocument", {{"uri", uri}}}, {"position", {{"line", 1}, {"character", 3}}}});
  CHECK(nothing["result"].is_null());

  // Code actions: JSON has no comments, so the suppression goes into a new .shiftlint.yaml.
  Json actions = session.request(12, "textDocument/codeAction",
                                 {{"textDocument", {{"uri", uri}}},
                                  {"range", range(11, 22, 11, 22)},
                                  {"context", {{"diagnostics", Json::array({diagnostic})}}}});
  REQUIRE(titles(actions["result"]) == Json{"Suppress ECS003 for this file in .shiftlint.yaml"});
  const Json& action = actions["result"][0];
  CHECK(action["kind"] == "quickfix");
  CHECK(action["diagnostics"][0]["code"] == "ECS003");
  const Json& changes = action["edit"]["documentChanges"];
  std::string config_uri = file_uri_from_path(folder.path() + "/.shiftlint.yaml");
  REQUIRE(changes.size() == 2);
  CHECK(changes[0] == Json{{"kind", "create"}, {"uri", config_uri}, {"options", {{"ignoreIfExists", true}}}});
  CHECK(changes[1]["textDocument"]["uri"] == config_uri);
  std::string config = apply_edits("", changes[1]["edits"]);
  CHECK(config == "suppress:\n  - {rule: ECS003, path: \"ecs/api.json\", reason: \"TODO: why this is safe here\"}\n");

  // The client applies it and saves; the watcher reports the new file: the finding is gone.
  folder.write(".shiftlint.yaml", config);
  session.notify("workspace/didChangeWatchedFiles", {{"changes", Json::array({{{"uri", config_uri}, {"type", 1}}})}});
  CHECK(session.diagnostics(uri) == Json::array());

  // Close: diagnostics cleared.
  session.notify("textDocument/didClose", {{"textDocument", {{"uri", uri}}}});
  CHECK(session.diagnostics(uri) == Json::array());

  Json shutdown = session.request(13, "shutdown");
  CHECK(shutdown["result"].is_null());
  CHECK_FALSE(shutdown.contains("error"));
  CHECK_FALSE(session.server().exit_requested());
  session.notify("exit");
  CHECK(session.server().exit_requested());
  CHECK(session.server().exit_code() == 0);
}

TEST_CASE("lsp: suppress on this line in YAML inserts a comment that silences the finding", "[lsp]") {
  TemporaryFolder folder;
  std::string uri = file_uri_from_path(folder.write("stack.yaml", kBadStack));
  Session session;
  session.initialize(folder.path());
  session.open(uri, kBadStack);
  Json diagnostics = session.diagnostics(uri);
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0]["range"] == range(14, 23, 14, 26));

  Json actions = session.request(1, "textDocument/codeAction",
                                 {{"textDocument", {{"uri", uri}}},
                                  {"range", range(14, 23, 14, 26)},
                                  {"context", {{"diagnostics", diagnostics}}}});
  REQUIRE(titles(actions["result"]) == Json{"Suppress ECS003 on this line"});
  // Without documentChanges support, a plain `changes` map.
  Json edits = actions["result"][0]["edit"]["changes"][uri];
  REQUIRE(edits.size() == 1);
  CHECK(edits[0]["range"] == range(14, 0, 14, 0));
  std::string edited = apply_edits(kBadStack, edits);
  CHECK(edited.find("          Essential: true\n"
                    "          # shiftlint-ignore: ECS003 -- TODO: why this is safe here\n"
                    "          StopTimeout: 300\n") != std::string::npos);

  session.change(uri, edited, 2);
  CHECK(session.diagnostics(uri) == Json::array());  // silenced, and no SL003 for the comment

  // A client that drops `data` still gets the action, matched by rule and range.
  session.change(uri, kBadStack, 3);
  Json without_data = session.diagnostics(uri)[0];
  without_data.erase("data");
  actions = session.request(2, "textDocument/codeAction",
                            {{"textDocument", {{"uri", uri}}},
                             {"range", range(14, 23, 14, 26)},
                             {"context", {{"diagnostics", Json::array({without_data})}}}});
  CHECK(titles(actions["result"]) == Json{"Suppress ECS003 on this line"});
  // A client asking only for refactorings gets none.
  actions = session.request(3, "textDocument/codeAction",
                            {{"textDocument", {{"uri", uri}}},
                             {"range", range(14, 23, 14, 26)},
                             {"context", {{"diagnostics", diagnostics}, {"only", {"refactor"}}}}});
  CHECK(actions["result"] == Json::array());
}

TEST_CASE("lsp: JSON suppression is added to the existing config's suppress list", "[lsp]") {
  TemporaryFolder folder;
  std::string config_text = "target: fargate\nsuppress:\n  - {rule: ECS001, path: \"legacy/*.json\", reason: \"EC2\"}\n"
                            "# other settings\nignore: [ECS010]\n";
  std::string config_path = folder.write(".shiftlint.yaml", config_text);
  std::string uri = file_uri_from_path(folder.write("api.json", kBadTask));
  Session session;
  session.initialize(folder.path());
  session.open(uri, kBadTask);
  Json diagnostics = session.diagnostics(uri);
  REQUIRE(diagnostics.size() == 1);
  Json actions = session.request(1, "textDocument/codeAction",
                                 {{"textDocument", {{"uri", uri}}},
                                  {"range", diagnostics[0]["range"]},
                                  {"context", {{"diagnostics", diagnostics}}}});
  REQUIRE(titles(actions["result"]) == Json{"Suppress ECS003 for this file in .shiftlint.yaml"});
  Json edits = actions["result"][0]["edit"]["changes"][file_uri_from_path(config_path)];
  std::string edited = apply_edits(config_text, edits);
  CHECK(edited == "target: fargate\nsuppress:\n  - {rule: ECS001, path: \"legacy/*.json\", reason: \"EC2\"}\n"
                  "  - {rule: ECS003, path: \"/api.json\", reason: \"TODO: why this is safe here\"}\n"
                  "# other settings\nignore: [ECS010]\n");

  // Saved from the editor: the config reloads and the finding is gone.
  folder.write(".shiftlint.yaml", edited);
  session.notify("textDocument/didSave", {{"textDocument", {{"uri", file_uri_from_path(config_path)}}}});
  CHECK(session.diagnostics(uri) == Json::array());
}

TEST_CASE("lsp: rule fixes become quick fixes with UTF-16 ranges; applied, the text re-lints clean", "[lsp]") {
  // A worker without stopTimeout (ECS002) whose name has characters outside the BMP before the
  // place the fix inserts at, on the same line: the edit's columns must count UTF-16 units.
  const std::string text =
      "{\"containerDefinitions\": [{\"name\": \"wörker😀\", \"image\": \"app:1.0\", \"command\": [\"bundle\", \"exec\", "
      "\"sidekiq\", \"-t\", \"25\"], \"ulimits\": [{\"name\": \"nofile\", \"softLimit\": 65535, \"hardLimit\": 65535}]}]}\n";
  TemporaryFolder folder;
  std::string uri = file_uri_from_path(folder.write("task.json", text));
  Session session;
  session.initialize(folder.path(), {{"workspace", {{"workspaceEdit", {{"documentChanges", true}}}}}});
  session.open(uri, text, 7);
  Json diagnostics = session.diagnostics(uri);
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0]["code"] == "ECS002");
  Json actions = session.request(1, "textDocument/codeAction",
                                 {{"textDocument", {{"uri", uri}}},
                                  {"range", diagnostics[0]["range"]},
                                  {"context", {{"diagnostics", diagnostics}}}});
  REQUIRE(actions["result"].size() >= 1);
  const Json& action = actions["result"][0];
  CHECK(action["title"] == "Set stopTimeout to 30");
  CHECK(action["isPreferred"] == true);
  const Json& change = action["edit"]["documentChanges"][0];
  CHECK(change["textDocument"] == Json{{"uri", uri}, {"version", 7}});
  // ö is one UTF-16 unit (two bytes), 😀 two units (four bytes): the insertion point, 3 bytes
  // before the end of the line, is 3 UTF-16 units fewer than its byte column.
  size_t insertion = text.rfind("}]}");
  REQUIRE(change["edits"].size() == 1);
  CHECK(change["edits"][0]["range"]["start"]["character"] == insertion - 3);
  std::string edited = apply_edits(text, change["edits"]);
  INFO(edited);
  CHECK(edited.find("\"hardLimit\": 65535}], \"stopTimeout\": 30}]}\n") != std::string::npos);

  // The edited buffer lints clean: the fix does what it says.
  session.change(uri, edited, 8);
  CHECK(session.diagnostics(uri) == Json::array());
}

TEST_CASE("lsp: a fix that would not clear its finding is not offered", "[lsp]") {
  using namespace shiftlint;
  std::string text = "{\"name\": \"w\", \"stopTimeout\": 300}\n";
  lsp::OpenDocument document;
  document.uri = "file:///w/task.json";
  document.path = "/w/task.json";
  document.version = 7;
  document.text = text;
  document.linted = std::make_shared<const SourceFile>("/w/task.json", "task.json", text);
  document.kind = FileKind::EcsTaskDefinitionJson;
  Finding finding;
  finding.rule_id = "ECS003";
  finding.severity = Severity::Error;
  finding.message = "stopTimeout too long";
  size_t value = text.find("300");
  finding.location = make_location(*document.linted, document.linted->span_of(value, value + 3));
  // An edit that breaks the JSON: offered nowhere.
  finding.fix = Fix{"Break it", {{document.linted->span_of(value, value + 3), "120,"}}};
  document.findings = {finding};
  lsp::EffectiveConfig config;
  config.selection = select_rules(config.config, {}, {});
  lsp::CodeActionOptions options;
  CHECK(lsp::code_actions_for(finding, document, config, options).empty());
}

TEST_CASE("lsp: saving a Terraform file re-lints its module and publishes the module's other files", "[lsp]") {
  TemporaryFolder folder;
  // The worker's command comes from variables.tf: the module decides the finding, the file alone cannot.
  std::string main_tf = folder.write("infra/main.tf", R"(resource "aws_ecs_task_definition" "jobs" {
  family                   = "jobs"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 512
  memory                   = 1024
  container_definitions = jsonencode([
    {
      name    = "worker"
      image   = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/jobs:2.0.1"
      command = var.worker_command
      ulimits = [{ name = "nofile", softLimit = 65535, hardLimit = 65535 }]
    }
  ])
}
)");
  const std::string variables = R"(variable "worker_command" {
  type    = list(string)
  default = ["bundle", "exec", "sidekiq", "-t", "60"]
}
)";
  std::string variables_tf = folder.write("infra/variables.tf", variables);
  std::string main_uri = file_uri_from_path(main_tf), variables_uri = file_uri_from_path(variables_tf);
  Session session;
  session.initialize(folder.path());
  session.open(variables_uri, variables);
  session.notify("textDocument/didSave", {{"textDocument", {{"uri", variables_uri}}}});
  // The finding sits in main.tf (the container), which is not even open.
  Json published = session.diagnostics(main_uri);
  REQUIRE(published.is_array());
  REQUIRE(published.size() == 1);
  CHECK(published[0]["code"] == "ECS002");
  CHECK(published[0]["range"]["start"]["line"] == 7);

  // The variable changes to a command that is no worker: saved, main.tf's finding goes away.
  std::string changed = variables;
  const std::string worker = "\"sidekiq\", \"-t\", \"60\"";
  changed.replace(changed.find(worker), worker.size(), "\"puma\"");
  folder.write("infra/variables.tf", changed);
  session.change(variables_uri, changed, 2);
  session.notify("textDocument/didSave", {{"textDocument", {{"uri", variables_uri}}}});
  CHECK(session.diagnostics(main_uri) == Json::array());
}

TEST_CASE("lsp: a chart's templates get the findings of the chart rendered from disk", "[lsp][helm]") {
  TemporaryFolder folder;
  folder.write("charts/jobs/Chart.yaml", "apiVersion: v2\nname: jobs\nversion: 1.0.0\n");
  std::string values_path = folder.write("charts/jobs/values.yaml", "worker:\n  grace: 30\n");
  const std::string worker = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-worker
spec:
  template:
    spec:
      terminationGracePeriodSeconds: {{ .Values.worker.grace }}
      containers:
        - name: sidekiq
          image: registry.example.com/jobs:1.0.0
          args: ["bundle", "exec", "sidekiq", "-t", "120"]
)";
  std::string worker_path = folder.write("charts/jobs/templates/worker.yaml", worker);
  std::string worker_uri = file_uri_from_path(worker_path), values_uri = file_uri_from_path(values_path);
  Session session;
  session.initialize(folder.path());

  // Opened, the template shows what the rendered manifest breaks, on the template's own line, with
  // the values.yaml line behind the value.
  session.open(worker_uri, worker);
  Json published = session.diagnostics(worker_uri);
  REQUIRE(published.is_array());
  REQUIRE(published.size() == 1);
  CHECK(published[0]["code"] == "K8S003");
  CHECK(published[0]["range"]["start"] == Json({{"line", 7}, {"character", 37}}));
  REQUIRE(published[0]["relatedInformation"].size() == 1);
  CHECK(published[0]["relatedInformation"][0]["location"]["uri"] == values_uri);

  // While it is edited (the template alone cannot be linted), the chart's findings stay.
  std::string edited = worker + "# a comment being typed\n";
  session.change(worker_uri, edited, 2);
  CHECK(session.diagnostics(worker_uri).size() == 1);

  // values.yaml gives the worker time to finish its jobs; saved, the template is clean.
  const std::string values = "worker:\n  grace: 150\n";
  folder.write("charts/jobs/values.yaml", values);
  session.open(values_uri, values);
  session.notify("textDocument/didSave", {{"textDocument", {{"uri", values_uri}}}});
  CHECK(session.diagnostics(worker_uri) == Json::array());

  // Turned off, nothing shows; turned on again, the chart is linted again as it is on disk now.
  folder.write("charts/jobs/values.yaml", "worker:\n  grace: 30\n");
  session.notify("workspace/didChangeConfiguration", {{"settings", {{"shiftlint", {{"enable", false}}}}}});
  CHECK(session.diagnostics(worker_uri) == Json::array());
  session.notify("workspace/didChangeConfiguration", {{"settings", {{"shiftlint", {{"enable", true}}}}}});
  REQUIRE(session.diagnostics(worker_uri).size() == 1);
  CHECK(session.diagnostics(worker_uri)[0]["code"] == "K8S003");

  // A .helmignore that leaves the worker out: Helm no longer loads it, so its finding goes. The
  // editor never opens that file; the watcher reports it.
  std::string ignore_path = folder.write("charts/jobs/.helmignore", "templates/worker.yaml\n");
  Json created = {{"changes", Json::array({{{"uri", file_uri_from_path(ignore_path)}, {"type", 1}}})}};
  session.notify("workspace/didChangeWatchedFiles", created);
  CHECK(session.diagnostics(worker_uri) == Json::array());
  std::filesystem::remove(ignore_path);
  Json deleted = {{"changes", Json::array({{{"uri", file_uri_from_path(ignore_path)}, {"type", 3}}})}};
  session.notify("workspace/didChangeWatchedFiles", deleted);
  REQUIRE(session.diagnostics(worker_uri).size() == 1);
  CHECK(session.diagnostics(worker_uri)[0]["code"] == "K8S003");
}

TEST_CASE("lsp: an entrypoint script gets the findings of the Dockerfile that copies it, as check judges it", "[lsp]") {
  TemporaryFolder folder;
  const std::string dockerfile =
      "FROM ruby:3.3-slim\nCOPY docker-entrypoint.sh /usr/local/bin/\n"
      "ENTRYPOINT [\"docker-entrypoint.sh\"]\nCMD [\"bundle\", \"exec\", \"puma\"]\n";
  std::string dockerfile_path = folder.write("web/Dockerfile", dockerfile);
  // The region from the EC2 instance metadata service: DKR016 at the script's line.
  const std::string script =
      "#!/bin/sh\nset -e\nexport AWS_REGION=$(curl -s http://169.254.169.254/latest/meta-data/placement/region)\n"
      "exec \"$@\"\n";
  std::string script_path = folder.write("web/docker-entrypoint.sh", script);
  std::string script_uri = file_uri_from_path(script_path), dockerfile_uri = file_uri_from_path(dockerfile_path);
  Session session;
  session.initialize(folder.path());

  session.open(script_uri, script);
  Json published = session.diagnostics(script_uri);
  REQUIRE(published.is_array());
  REQUIRE(published.size() == 1);
  CHECK(published[0]["code"] == "DKR016");
  CHECK(published[0]["range"]["start"]["line"] == 2);

  // While it is edited, the finding stays; saved without the call, it goes.
  const std::string fixed = "#!/bin/sh\nset -e\nexec \"$@\"\n";
  session.change(script_uri, fixed, 2);
  CHECK(session.diagnostics(script_uri).size() == 1);
  folder.write("web/docker-entrypoint.sh", fixed);
  session.notify("textDocument/didSave", {{"textDocument", {{"uri", script_uri}}}});
  CHECK(session.diagnostics(script_uri) == Json::array());

  // The Dockerfile stops copying it (the script on disk asks the metadata service again): saving the
  // Dockerfile judges the open script again, and nothing copies it now.
  folder.write("web/docker-entrypoint.sh", script);
  session.change(script_uri, script, 3);
  session.notify("textDocument/didSave", {{"textDocument", {{"uri", script_uri}}}});
  REQUIRE(session.diagnostics(script_uri).size() == 1);
  const std::string without_copy = "FROM ruby:3.3-slim\nCMD [\"bundle\", \"exec\", \"puma\"]\n";
  folder.write("web/Dockerfile", without_copy);
  session.open(dockerfile_uri, without_copy);
  session.notify("textDocument/didSave", {{"textDocument", {{"uri", dockerfile_uri}}}});
  CHECK(session.diagnostics(script_uri) == Json::array());

  // A file no format of shiftlint's and no build-context name (the app's code) is not looked up.
  std::string code_path = folder.write("web/app.rb", "require 'net/http'\n");
  session.open(file_uri_from_path(code_path), "require 'net/http'\n");
  CHECK(session.diagnostics(file_uri_from_path(code_path)) == Json::array());
}

TEST_CASE("lsp: an open Dockerfile is judged again when what it reads from disk changes", "[lsp]") {
  TemporaryFolder folder;
  const std::string dockerfile = "FROM base\nCOPY app/ /srv/app/\nCMD [\"gunicorn\", \"app.wsgi\"]\n";
  std::string dockerfile_path = folder.write("images/api/Dockerfile", dockerfile);
  std::string dockerfile_uri = file_uri_from_path(dockerfile_path);
  Session session;
  session.initialize(folder.path());
  auto findings = [&](const std::string& code) {
    Json published = session.diagnostics(dockerfile_uri);
    size_t count = 0;
    if (published.is_array())
      for (const Json& diagnostic : published) count += diagnostic["code"] == code;
    return count;
  };
  session.open(dockerfile_uri, dockerfile);
  // No bake file yet: `base` is Docker Hub's base:latest.
  REQUIRE(findings("DKR011") == 1);

  // A bake file created outside the editor (never opened) names `base` as the image its target
  // "base" builds: the watcher reports it, and the finding goes.
  const std::string bake =
      "target \"base\" {\n  context = \"images/base\"\n}\n"
      "target \"api\" {\n  context = \"images/api\"\n  contexts = {\n    base = \"target:base\"\n  }\n}\n";
  std::string bake_path = folder.write("docker-bake.hcl", bake);
  session.notify("workspace/didChangeWatchedFiles",
                 {{"changes", Json::array({{{"uri", file_uri_from_path(bake_path)}, {"type", 1}}})}});
  CHECK(findings("DKR011") == 0);

  // Deleted: the finding is back.
  std::filesystem::remove(bake_path);
  session.notify("workspace/didChangeWatchedFiles",
                 {{"changes", Json::array({{{"uri", file_uri_from_path(bake_path)}, {"type", 3}}})}});
  CHECK(findings("DKR011") == 1);

  // The same bake file as JSON, edited and saved in the editor.
  const std::string bake_json =
      R"({"target": {"api": {"context": "images/api", "contexts": {"base": "target:base"}}}})";
  std::string json_path = folder.write("docker-bake.json", bake_json);
  session.open(file_uri_from_path(json_path), bake_json);
  session.notify("textDocument/didSave", {{"textDocument", {{"uri", file_uri_from_path(json_path)}}}});
  CHECK(findings("DKR011") == 0);

  // The entrypoint script the image runs, changed and saved in the editor: the Dockerfile's DKR001
  // (the script's last command is not exec-ed) follows it.
  const std::string with_script = "FROM python:3.12-slim-bookworm\nCOPY entrypoint.sh /entrypoint.sh\n"
                                  "ENTRYPOINT [\"/entrypoint.sh\"]\nCMD [\"gunicorn\", \"app.wsgi\"]\n";
  folder.write("images/api/Dockerfile", with_script);
  session.change(dockerfile_uri, with_script, 2);
  session.notify("textDocument/didSave", {{"textDocument", {{"uri", dockerfile_uri}}}});
  const std::string execs = "#!/bin/sh\nset -e\nexec \"$@\"\n";
  std::string script_path = folder.write("images/api/entrypoint.sh", execs);
  std::string script_uri = file_uri_from_path(script_path);
  session.open(script_uri, execs);
  session.notify("textDocument/didSave", {{"textDocument", {{"uri", script_uri}}}});
  CHECK(findings("DKR001") == 0);
  const std::string runs = "#!/bin/sh\nset -e\n\"$@\"\n";
  folder.write("images/api/entrypoint.sh", runs);
  session.change(script_uri, runs, 2);
  session.notify("textDocument/didSave", {{"textDocument", {{"uri", script_uri}}}});
  CHECK(findings("DKR001") == 1);
}

TEST_CASE("lsp: a kustomize base is judged as the workspace's overlays deploy it, as check judges it", "[lsp]") {
  TemporaryFolder folder;
  const std::string kustomization = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n";
  const std::string deployment = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: registry.example.com/web
)";
  std::string deployment_path = folder.write("base/deployment.yaml", deployment);
  folder.write("base/kustomization.yaml", kustomization + "resources: [deployment.yaml]\n");
  folder.write("overlays/prod/kustomization.yaml",
               kustomization + "resources: [../../base]\nimages:\n  - name: registry.example.com/web\n    newTag: \"3.2.0\"\n");
  std::string deployment_uri = file_uri_from_path(deployment_path);
  Session session;
  session.initialize(folder.path());

  // The only overlay pins the tag: the base's bare `image:` is what kustomize fills in, no finding.
  session.open(deployment_uri, deployment);
  CHECK(image_findings(session.diagnostics(deployment_uri)) == Json::array());

  // A dev overlay that deploys :latest, created outside the editor: the watcher reports it, and the
  // finding points at its newTag line.
  std::string dev_path = folder.write("overlays/dev/kustomization.yaml",
                                      kustomization + "resources: [../../base]\nimages:\n  - name: registry.example.com/web\n    newTag: latest\n");
  session.notify("workspace/didChangeWatchedFiles",
                 {{"changes", Json::array({{{"uri", file_uri_from_path(dev_path)}, {"type", 1}}})}});
  Json found = image_findings(session.diagnostics(deployment_uri));
  REQUIRE(found.size() == 1);
  CHECK(found[0]["range"]["start"] == Json({{"line", 14}, {"character", 17}}));
  REQUIRE(found[0]["relatedInformation"].size() == 1);
  CHECK(found[0]["relatedInformation"][0]["location"]["uri"] == file_uri_from_path(dev_path));
  CHECK(found[0]["relatedInformation"][0]["location"]["range"]["start"] == Json({{"line", 5}, {"character", 12}}));

  // Pinned there and saved in the editor: the finding goes.
  const std::string pinned = kustomization + "resources: [../../base]\nimages:\n  - name: registry.example.com/web\n    newTag: \"3.3.0-rc1\"\n";
  folder.write("overlays/dev/kustomization.yaml", pinned);
  session.open(file_uri_from_path(dev_path), pinned);
  session.notify("textDocument/didSave", {{"textDocument", {{"uri", file_uri_from_path(dev_path)}}}});
  CHECK(image_findings(session.diagnostics(deployment_uri)) == Json::array());

  // Without the search (ServerOptions, 0 entries) the base is judged alone: `web` has no tag.
  shiftlint::lsp::ServerOptions alone;
  alone.deploy_configuration_search_entries = 0;
  Session without(alone);
  without.initialize(folder.path());
  without.open(deployment_uri, deployment);
  CHECK(image_findings(without.diagnostics(deployment_uri)).size() == 1);
}

TEST_CASE("lsp: a workspace opened on a folder of a repository reads the overlays above it, as check there does", "[lsp]") {
  TemporaryFolder folder;
  const std::string kustomization = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n";
  const std::string deployment =
      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n"
      "  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n"
      "          image: registry.example.com/web\n";
  folder.write(".git/HEAD", "ref: refs/heads/main\n");
  std::string deployment_path = folder.write("k8s/base/deployment.yaml", deployment);
  folder.write("k8s/base/kustomization.yaml", kustomization + "resources: [deployment.yaml]\n");
  folder.write("k8s/overlays/prod/kustomization.yaml",
               kustomization + "resources: [../../base]\nimages:\n  - name: registry.example.com/web\n    newTag: \"3.2.0\"\n");
  std::string deployment_uri = file_uri_from_path(deployment_path);
  // The editor opened on k8s/base alone: the overlay is above the workspace, in its repository.
  Session session;
  session.initialize(folder.path() + "/k8s/base");
  session.open(deployment_uri, deployment);
  CHECK(image_findings(session.diagnostics(deployment_uri)) == Json::array());
  // The same folder copied out of any repository: the base is judged alone.
  std::filesystem::remove_all(folder.path() + "/.git");
  Session outside;
  outside.initialize(folder.path() + "/k8s/base");
  outside.open(deployment_uri, deployment);
  CHECK(image_findings(outside.diagnostics(deployment_uri)).size() == 1);
}

TEST_CASE("lsp: a kustomize base whose image an overlay's patch replaces follows the patch file as it changes", "[lsp]") {
  TemporaryFolder folder;
  const std::string kustomization = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n";
  const std::string deployment = one_container_deployment("web", "app", "web");
  std::string deployment_uri = file_uri_from_path(folder.write("base/deployment.yaml", deployment));
  folder.write("base/kustomization.yaml", kustomization + "resources: [deployment.yaml]\n");
  folder.write("overlays/prod/kustomization.yaml", kustomization + "resources: [../../base]\npatches:\n  - path: image.yaml\n");
  auto patch = [](const std::string& container) {
    return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n"
           "      containers:\n        - name: " + container + "\n          image: web:2.4.0\n";
  };
  std::string patch_path = folder.write("overlays/prod/image.yaml", patch("app"));
  Session session;
  session.initialize(folder.path());
  session.open(deployment_uri, deployment);
  CHECK(image_findings(session.diagnostics(deployment_uri)) == Json::array());  // the overlay puts web:2.4.0 there

  // The patch now names another container, saved in the editor: the base's own image runs again.
  std::string patch_uri = file_uri_from_path(patch_path);
  session.open(patch_uri, patch("app"));
  folder.write("overlays/prod/image.yaml", patch("sidecar"));
  session.notify("textDocument/didSave", Json{{"textDocument", {{"uri", patch_uri}}}, {"text", patch("sidecar")}});
  CHECK(image_findings(session.diagnostics(deployment_uri)).size() == 1);

  // Changed back outside the editor (a `git checkout`): the watcher's event re-reads the overlay.
  folder.write("overlays/prod/image.yaml", patch("app"));
  session.notify("workspace/didChangeWatchedFiles", {{"changes", Json::array({{{"uri", patch_uri}, {"type", 2}}})}});
  CHECK(image_findings(session.diagnostics(deployment_uri)) == Json::array());
  // Another YAML file of the workspace changing re-reads nothing and re-lints nothing.
  std::string other_uri = file_uri_from_path(folder.write("notes.yaml", "a: 1\n"));
  size_t received = session.received().size();
  session.notify("workspace/didChangeWatchedFiles", {{"changes", Json::array({{{"uri", other_uri}, {"type", 1}}})}});
  CHECK(session.received().size() == received);
}

TEST_CASE("lsp: an Argo CD override written back beside an overlay pins the base's image, as check judges it", "[lsp]") {
  TemporaryFolder folder;
  const std::string kustomization = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n";
  const std::string deployment = one_container_deployment("web", "app", "web");
  std::string deployment_uri = file_uri_from_path(folder.write("base/deployment.yaml", deployment));
  folder.write("base/kustomization.yaml", kustomization + "resources: [deployment.yaml]\n");
  folder.write("overlays/prod/kustomization.yaml", kustomization + "resources: [../../base]\n");
  Session session;
  session.initialize(folder.path());
  session.open(deployment_uri, deployment);
  CHECK(image_findings(session.diagnostics(deployment_uri)).size() == 1);  // nothing pins web yet

  // argocd-image-updater commits its override (git write-back), and the checkout brings it in.
  std::string override_path = folder.write("overlays/prod/.argocd-source-web-prod.yaml", "kustomize:\n  images:\n    - web:2.4.0\n");
  session.notify("workspace/didChangeWatchedFiles",
                 {{"changes", Json::array({{{"uri", file_uri_from_path(override_path)}, {"type", 1}}})}});
  CHECK(image_findings(session.diagnostics(deployment_uri)) == Json::array());
}

TEST_CASE("lsp: an image the workspace's Skaffold configuration builds is judged as check judges it", "[lsp]") {
  TemporaryFolder folder;
  const std::string deployment = one_container_deployment("cartservice", "server", "cartservice");
  std::string deployment_path = folder.write("kubernetes-manifests/cartservice.yaml", deployment);
  std::string deployment_uri = file_uri_from_path(deployment_path);
  Session session;
  session.initialize(folder.path());
  session.open(deployment_uri, deployment);
  CHECK(image_findings(session.diagnostics(deployment_uri)).size() == 1);  // no Skaffold yet: untagged

  // skaffold.yaml created outside the editor: Skaffold builds the image and deploys what it built.
  std::string skaffold_path = folder.write(
      "skaffold.yaml", "apiVersion: skaffold/v4beta6\nkind: Config\nbuild:\n  artifacts:\n    - image: cartservice\n");
  session.notify("workspace/didChangeWatchedFiles",
                 {{"changes", Json::array({{{"uri", file_uri_from_path(skaffold_path)}, {"type", 1}}})}});
  CHECK(image_findings(session.diagnostics(deployment_uri)) == Json::array());
}

TEST_CASE("lsp: a chart the workspace's Skaffold configuration deploys is judged as check judges it", "[lsp][helm]") {
  TemporaryFolder folder;
  folder.write("deploy/web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\n");
  folder.write("deploy/web/values.yaml", "image: web\n");
  const std::string deployment = one_container_deployment("web", "server", "{{ .Values.image }}");
  std::string template_uri = file_uri_from_path(folder.write("deploy/web/templates/deployment.yaml", deployment));
  Session session;
  session.initialize(folder.path());
  session.open(template_uri, deployment);
  CHECK(image_findings(session.diagnostics(template_uri)).size() == 1);  // no Skaffold yet: untagged

  // skaffold.yaml created above the chart: Skaffold builds `web` and deploys the chart with it.
  std::string skaffold_path = folder.write("skaffold.yaml",
                                           "apiVersion: skaffold/v4beta11\nkind: Config\nbuild:\n  artifacts:\n"
                                           "    - image: web\ndeploy:\n  helm:\n    releases:\n      - name: web\n"
                                           "        chartPath: deploy/web\n");
  session.notify("workspace/didChangeWatchedFiles",
                 {{"changes", Json::array({{{"uri", file_uri_from_path(skaffold_path)}, {"type", 1}}})}});
  CHECK(image_findings(session.diagnostics(template_uri)) == Json::array());
}

TEST_CASE("lsp: a chart is rendered with the values of the Skaffold release that deploys it", "[lsp][helm]") {
  TemporaryFolder folder;
  folder.write("deploy/web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\n");
  folder.write("deploy/web/values.yaml", "image: ghcr.io/example/web:latest\n");
  const std::string deployment = one_container_deployment("web", "server", "{{ .Values.image }}");
  std::string template_uri = file_uri_from_path(folder.write("deploy/web/templates/deployment.yaml", deployment));
  Session session;
  session.initialize(folder.path());
  session.open(template_uri, deployment);
  CHECK(image_findings(session.diagnostics(template_uri)).size() == 1);  // the chart's own values: latest

  // The release pins the image it deploys (Skaffold builds nothing here).
  std::string skaffold_path = folder.write("skaffold.yaml",
                                           "apiVersion: skaffold/v4beta11\nkind: Config\ndeploy:\n  helm:\n"
                                           "    releases:\n      - name: web\n        chartPath: deploy/web\n"
                                           "        setValues:\n          image: ghcr.io/example/web:2.4.1\n");
  session.notify("workspace/didChangeWatchedFiles",
                 {{"changes", Json::array({{{"uri", file_uri_from_path(skaffold_path)}, {"type", 1}}})}});
  CHECK(image_findings(session.diagnostics(template_uri)) == Json::array());
}

TEST_CASE("lsp: a values file a Skaffold release names outside the chart is read again when it changes", "[lsp][helm]") {
  TemporaryFolder folder;
  folder.write("deploy/web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\n");
  folder.write("deploy/web/values.yaml", "image: ghcr.io/example/web:latest\n");
  std::string values_path = folder.write("environments/dev.yaml", "image: ghcr.io/example/web:2.4.1\n");
  folder.write("skaffold.yaml", "apiVersion: skaffold/v4beta11\nkind: Config\ndeploy:\n  helm:\n    releases:\n"
                                "      - name: web\n        chartPath: deploy/web\n"
                                "        valuesFiles: [environments/dev.yaml]\n");
  const std::string deployment = one_container_deployment("web", "server", "{{ .Values.image }}");
  std::string template_uri = file_uri_from_path(folder.write("deploy/web/templates/deployment.yaml", deployment));
  Session session;
  session.initialize(folder.path());
  session.open(template_uri, deployment);
  CHECK(image_findings(session.diagnostics(template_uri)) == Json::array());  // the release's values pin it

  // The development values now follow the newest push: changed on disk, outside the editor.
  folder.write("environments/dev.yaml", "image: ghcr.io/example/web:latest\n");
  session.notify("workspace/didChangeWatchedFiles",
                 {{"changes", Json::array({{{"uri", file_uri_from_path(values_path)}, {"type", 2}}})}});
  CHECK(image_findings(session.diagnostics(template_uri)).size() == 1);
}

TEST_CASE("lsp: positions count UTF-16 code units", "[lsp]") {
  TemporaryFolder folder;
  std::string text = kBadTask;
  text.replace(text.find("      \"stopTimeout\": 300,"), 25,
               "      \"dockerLabels\": {\"note\": \"😀ö😀\"}, \"stopTimeout\": 300,");
  Session session;
  session.initialize(folder.path());
  std::string uri = file_uri_from_path(folder.path() + "/task.json");
  session.open(uri, text);
  Json diagnostics = session.diagnostics(uri);
  REQUIRE(diagnostics.size() == 1);
  // 300 starts at byte 61 of its line but UTF-16 unit 56: each 😀 is four bytes and two units,
  // ö two bytes and one unit.
  CHECK(diagnostics[0]["range"] == range(11, 56, 11, 59));
}

TEST_CASE("lsp: garbage gets JSON-RPC errors and the session goes on", "[lsp]") {
  TemporaryFolder folder;
  Session session;
  auto error_of = [&](const std::string& body) {
    size_t before = session.received().size();
    session.send_raw(body);
    REQUIRE(session.received().size() == before + 1);
    return session.received().back();
  };
  auto code_of = [&](const std::string& body) { return error_of(body)["error"]["code"].get<int>(); };

  // Before initialize.
  Json early = error_of(R"({"jsonrpc":"2.0","id":1,"method":"textDocument/hover","params":{}})");
  CHECK(early["id"] == 1);
  CHECK(early["error"]["code"] == -32002);
  size_t before = session.received().size();
  session.open(file_uri_from_path(folder.path() + "/a.json"), kBadTask);  // dropped, not answered
  CHECK(session.received().size() == before);

  session.initialize(folder.path());
  Json parse_error = error_of("{\"jsonrpc\": \"2.0\", \"id\": 3, \"method\": ");
  CHECK(parse_error["id"].is_null());
  CHECK(parse_error["error"]["code"] == -32700);
  CHECK(code_of("\xff\xfe not json") == -32700);
  CHECK(code_of(R"({"jsonrpc":"2.0","id":2,"method":"x","params":{"t":"\ud800 lone surrogate \xff"}})") == -32700);
  CHECK(code_of(std::string(100000, '[') + std::string(100000, ']')) == -32700);
  CHECK(code_of("[1, 2]") == -32600);
  CHECK(code_of("\"a string\"") == -32600);
  CHECK(code_of(R"({"jsonrpc":"2.0","id":4})") == -32600);
  Json no_version = error_of(R"({"id":5,"method":"shutdown"})");
  CHECK(no_version["id"] == 5);
  CHECK(no_version["error"]["code"] == -32600);
  CHECK(code_of(R"({"jsonrpc":"2.0","id":6,"method":42})") == -32600);
  CHECK(code_of(R"({"jsonrpc":"2.0","id":{"x":1},"method":"shutdown"})") == -32600);
  Json unknown = error_of(R"({"jsonrpc":"2.0","id":"seven","method":"textDocument/completion","params":{}})");
  CHECK(unknown["id"] == "seven");
  CHECK(unknown["error"]["code"] == -32601);
  CHECK(code_of(R"({"jsonrpc":"2.0","id":8,"method":"$/somethingNew"})") == -32601);
  CHECK(code_of(R"({"jsonrpc":"2.0","id":9,"method":"initialize","params":{}})") == -32600);
  CHECK(code_of(R"({"jsonrpc":"2.0","id":10,"method":"textDocument/codeAction","params":{"textDocument":{"uri":"file:///x"}}})") ==
        -32602);
  CHECK(code_of(R"({"jsonrpc":"2.0","id":11,"method":"textDocument/hover","params":[]})") == -32602);
  CHECK(code_of(R"({"jsonrpc":"2.0","id":12,"method":"workspace/executeCommand","params":{"command":"rm -rf"}})") ==
        -32602);

  // Notifications are never answered, whatever they hold.
  before = session.received().size();
  session.send_raw(R"({"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":1}})");
  session.send_raw(R"({"jsonrpc":"2.0","method":"$/setTrace","params":{"value":"verbose"}})");
  session.send_raw(R"({"jsonrpc":"2.0","method":"some/unknownNotification"})");
  session.send_raw(R"({"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":5,"text":[]}}})");
  session.send_raw(R"({"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///nowhere"},"contentChanges":[{"text":"{}"}]}})");
  session.send_raw(R"({"jsonrpc":"2.0","method":"textDocument/didOpen","params":null})");
  session.send_raw(R"({"jsonrpc":"2.0","id":"shiftlint-999","result":{"unexpected":true}})");  // a stray response
  session.send_raw(R"({"jsonrpc":"2.0","id":null,"error":{"code":1,"message":"x"}})");
  CHECK(session.received().size() == before);

  // Still serving.
  std::string uri = file_uri_from_path(folder.path() + "/api.json");
  session.open(uri, kBadTask);
  CHECK(session.diagnostics(uri).size() == 1);
  // A document of no known kind: published empty.
  std::string notes = file_uri_from_path(folder.path() + "/notes.txt");
  session.open(notes, "hello");
  CHECK(session.diagnostics(notes) == Json::array());
  before = session.received().size();
  session.change(notes, "hello again", 2);  // still nothing to show: no message at all
  CHECK(session.received().size() == before);

  // After shutdown, requests are refused; exit without shutdown would have been code 1.
  CHECK(session.request(20, "shutdown")["result"].is_null());
  CHECK(code_of(R"({"jsonrpc":"2.0","id":21,"method":"textDocument/hover","params":{}})") == -32600);
  session.notify("exit");
  CHECK(session.server().exit_code() == 0);

  Session abrupt;
  abrupt.initialize(folder.path());
  abrupt.notify("exit");
  CHECK(abrupt.server().exit_requested());
  CHECK(abrupt.server().exit_code() == 1);
}

TEST_CASE("lsp: excluded files and documents over the size limit are not linted", "[lsp]") {
  TemporaryFolder folder;
  folder.write(".shiftlint.yaml", "exclude: [\"vendor/**\"]\n");
  shiftlint::lsp::ServerOptions options;
  options.max_document_bytes = 2048;
  Session session(options);
  session.initialize(folder.path());
  std::string vendored = file_uri_from_path(folder.path() + "/vendor/ecs/api.json");
  session.open(vendored, kBadTask);
  CHECK(session.diagnostics(vendored) == Json::array());

  std::string big = file_uri_from_path(folder.path() + "/big.json");
  std::string text = kBadTask;
  text.insert(text.find("\"family\""), "\"tags\": [{\"key\": \"padding\", \"value\": \"" + std::string(3000, 'x') + "\"}],\n  ");
  session.open(big, text);
  CHECK(session.diagnostics(big) == Json::array());
  auto logs = session.notifications("window/logMessage");
  REQUIRE(logs.size() == 1);
  CHECK(logs[0]["message"] == "shiftlint: big.json is larger than 2048 bytes; not linted in the editor "
                              "(`shiftlint check` still covers it)");
  session.change(big, kBadTask, 2);  // small again: linted
  CHECK(session.diagnostics(big).size() == 1);
}

TEST_CASE("lsp: mutated message streams never crash the server", "[lsp]") {
  TemporaryFolder folder;
  std::string uri = file_uri_from_path(folder.path() + "/api.json");
  std::vector<std::string> bodies = {
      Json{{"jsonrpc", "2.0"}, {"id", 1}, {"method", "initialize"},
           {"params", {{"rootUri", file_uri_from_path(folder.path())}, {"capabilities", Json::object()}}}}
          .dump(),
      Json{{"jsonrpc", "2.0"}, {"method", "textDocument/didOpen"},
           {"params", {{"textDocument", {{"uri", uri}, {"languageId", "json"}, {"version", 1}, {"text", kBadTask}}}}}}
          .dump(),
      Json{{"jsonrpc", "2.0"}, {"id", 2}, {"method", "textDocument/codeAction"},
           {"params", {{"textDocument", {{"uri", uri}}}, {"range", range(11, 0, 11, 30)}, {"context", Json::object()}}}}
          .dump(),
      Json{{"jsonrpc", "2.0"}, {"id", 3}, {"method", "textDocument/hover"},
           {"params", {{"textDocument", {{"uri", uri}}}, {"position", {{"line", 11}, {"character", 22}}}}}}
          .dump(),
      Json{{"jsonrpc", "2.0"}, {"method", "textDocument/didChange"},
           {"params", {{"textDocument", {{"uri", uri}, {"version", 2}}},
                       {"contentChanges", Json::array({{{"range", range(11, 21, 11, 24)}, {"text", "999"}}})}}}}
          .dump(),
  };
  std::string stream;
  for (const std::string& body : bodies) stream += shiftlint::lsp::frame_message(body);

  uint64_t seed = 0x9E3779B97F4A7C15ull;
  auto random = [&](uint64_t bound) {
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed % bound;
  };
  for (int round = 0; round < 300; ++round) {
    std::string mutated = stream;
    for (uint64_t edits = 1 + random(8); edits > 0; --edits) {
      size_t at = random(mutated.size());
      switch (random(4)) {
        case 0: mutated[at] = static_cast<char>(random(256)); break;
        case 1: mutated.erase(at, random(20)); break;
        case 2: mutated.insert(at, mutated.substr(random(mutated.size()), random(40))); break;
        case 3: mutated.insert(at, "Content-Length: " + std::to_string(random(400)) + "\r\n\r\n"); break;
      }
    }
    Session session;
    shiftlint::lsp::MessageReader reader(1 << 16);
    for (size_t at = 0, length = 0; at < mutated.size(); at += length) {
      length = 1 + random(700);
      reader.feed(std::string_view(mutated).substr(at, length));
      shiftlint::lsp::FramedEvent event;
      while (reader.next(event)) {
        if (event.kind == shiftlint::lsp::FramedEvent::Kind::Message) session.send_raw(event.body);
        else session.server().handle_framing_problem(event);
      }
    }
    // Whatever happened, the server still answers (Session parsed every message it sent).
    Json answer = session.request(99, "shutdown");
    CHECK((answer.contains("result") || answer["error"]["code"] == -32002));
  }
}

TEST_CASE("lsp: framing problems are answered with errors whose id is null", "[lsp]") {
  Session session;
  session.server().handle_framing_problem(
      {shiftlint::lsp::FramedEvent::Kind::TooLarge, {}, "a message of 99 bytes exceeds the limit"});
  REQUIRE(session.received().size() == 1);
  CHECK(session.received()[0]["id"].is_null());
  CHECK(session.received()[0]["error"]["code"] == -32600);
  CHECK(session.received()[0]["error"]["message"] == "a message of 99 bytes exceeds the limit");
}

TEST_CASE("lsp: a broken config is shown once, on its own line, and documents use the defaults", "[lsp]") {
  TemporaryFolder folder;
  std::string config_path = folder.write(".shiftlint.yaml", "# team settings\ntarget: moon\n");
  std::string config_uri = file_uri_from_path(config_path);
  std::string uri = file_uri_from_path(folder.write("api.json", kBadTask));
  Session session;
  session.initialize(folder.path());
  session.open(uri, kBadTask);
  session.open(file_uri_from_path(folder.path() + "/other.json"), kBadTask);

  CHECK(session.diagnostics(uri).size() == 1);  // linted with the defaults meanwhile
  Json config_diagnostics = session.diagnostics(config_uri);
  REQUIRE(config_diagnostics.size() == 1);
  CHECK(config_diagnostics[0]["range"] == range(1, 8, 1, 12));
  CHECK(config_diagnostics[0]["severity"] == 1);
  CHECK_THAT(config_diagnostics[0]["message"].get<std::string>(),
             Catch::StartsWith("invalid shiftlint configuration: target must be one of fargate, ec2, eks, auto"));
  auto messages = session.notifications("window/showMessage");
  REQUIRE(messages.size() == 1);  // two documents, one message
  CHECK(messages[0]["type"] == 1);
  CHECK_THAT(messages[0]["message"].get<std::string>(), Catch::Contains(config_path + ":2:9: target must be"));

  // Fixed on disk, reported by the watcher: the config diagnostic is cleared and the config applies.
  folder.write(".shiftlint.yaml", "# team settings\ntarget: fargate\nignore: [ECS003]\n");
  session.notify("workspace/didChangeWatchedFiles", {{"changes", Json::array({{{"uri", config_uri}, {"type", 2}}})}});
  CHECK(session.diagnostics(config_uri) == Json::array());
  CHECK(session.diagnostics(uri) == Json::array());
  CHECK(session.notifications("window/showMessage").size() == 1);
}

TEST_CASE("lsp: settings turn the server off and point at a config file", "[lsp]") {
  TemporaryFolder folder;
  folder.write("configs/strict.yaml", "ignore: [ECS003]\n");
  std::string uri = file_uri_from_path(folder.write("api.json", kBadTask));
  Session session;
  session.initialize(folder.path());
  session.open(uri, kBadTask);
  REQUIRE(session.diagnostics(uri).size() == 1);

  session.notify("workspace/didChangeConfiguration", {{"settings", {{"shiftlint", {{"enable", false}}}}}});
  CHECK(session.diagnostics(uri) == Json::array());
  session.change(uri, kBadTask + " ", 2);
  CHECK(session.diagnostics(uri) == Json::array());

  session.notify("workspace/didChangeConfiguration", {{"settings", {{"shiftlint", {{"enable", true}}}}}});
  CHECK(session.diagnostics(uri).size() == 1);
  session.notify("workspace/didChangeConfiguration",
                 {{"settings", {{"shiftlint", {{"configFile", "configs/strict.yaml"}}}}}});
  CHECK(session.diagnostics(uri) == Json::array());

  // initializationOptions carry the same settings; a client that pulls them is asked for them.
  Session pulling;
  Json capabilities = {{"workspace", {{"configuration", true}, {"didChangeWatchedFiles", {{"dynamicRegistration", true}}}}}};
  pulling.initialize(folder.path(), capabilities, {{"enable", false}});
  pulling.open(uri, kBadTask);
  CHECK(pulling.diagnostics(uri) == Json::array());
  std::vector<Json> requests;
  for (const Json& message : pulling.received())
    if (message.contains("method") && message.contains("id")) requests.push_back(message);
  REQUIRE(requests.size() == 2);
  CHECK(requests[0]["method"] == "client/registerCapability");
  CHECK(requests[0]["params"]["registrations"][0]["registerOptions"]["watchers"] ==
        Json::array({{{"globPattern", "**/.shiftlint.{yaml,yml}"}},
                         {{"globPattern", "**/.helmignore"}},
                         {{"globPattern", "**/{kustomization.yaml,kustomization.yml,Kustomization,skaffold*.yaml,skaffold*.yml}"}},
                         {{"globPattern", "**/*.{yaml,yml,json}"}},
                         {{"globPattern", "**/*.hcl"}},
                         {{"globPattern", "**/{.dockerignore,*.dockerignore}"}}}));
  CHECK(requests[1]["method"] == "workspace/configuration");
  CHECK(requests[1]["params"]["items"][0]["section"] == "shiftlint");
  pulling.send({{"jsonrpc", "2.0"}, {"id", requests[0]["id"]}, {"result", nullptr}});
  pulling.send({{"jsonrpc", "2.0"}, {"id", requests[1]["id"]}, {"result", Json::array({{{"enable", true}}})}});
  CHECK(pulling.diagnostics(uri).size() == 1);
}

TEST_CASE("lsp: the lint workspace command publishes every file and clears fixed ones", "[lsp]") {
  TemporaryFolder folder;
  std::string bad_path = folder.write("ecs/api.json", kBadTask);
  folder.write("ecs/good.json", fixed(kBadTask));
  folder.write("cfn/stack.yaml", kBadStack);
  Session session;
  session.initialize(folder.path());
  Json command = {{"jsonrpc", "2.0"}, {"id", 5}, {"method", "workspace/executeCommand"},
                  {"params", {{"command", "shiftlint.lintWorkspace"}}}};
  session.send(command);
  session.server().wait_for_background();
  Json response = session.received().back();
  CHECK(response["id"] == 5);
  CHECK(response["result"] == Json{{"files", 3}, {"findings", 2}});
  Json api = session.diagnostics(file_uri_from_path(bad_path));
  REQUIRE(api.size() == 1);
  CHECK(api[0]["range"] == range(11, 21, 11, 24));
  CHECK(session.diagnostics(file_uri_from_path(folder.path() + "/cfn/stack.yaml")).size() == 1);
  CHECK(session.diagnostics(file_uri_from_path(folder.path() + "/ecs/good.json")).is_null());

  folder.write("ecs/api.json", fixed(kBadTask));
  command["id"] = 6;
  session.send(command);
  session.server().wait_for_background();
  CHECK(session.received().back()["result"] == Json{{"files", 3}, {"findings", 1}});
  CHECK(session.diagnostics(file_uri_from_path(bad_path)) == Json::array());
}

TEST_CASE("lsp: the lint workspace command can be cancelled, and shutdown cancels it", "[lsp]") {
  TemporaryFolder folder;
  std::string bad_path = folder.write("ecs/api.json", kBadTask);
  // The lint waits at its start until the test has sent what it tests: how fast it would otherwise
  // finish does not matter.
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  shiftlint::lsp::ServerOptions options;
  options.before_workspace_lint = [released] { released.wait(); };
  Session session(options);
  session.initialize(folder.path());
  auto lint = [](int id) {
    return Json{{"jsonrpc", "2.0"}, {"id", id}, {"method", "workspace/executeCommand"},
                {"params", {{"command", "shiftlint.lintWorkspace"}}}};
  };

  session.send(lint(7));
  session.notify("$/cancelRequest", {{"id", 8}});  // another request's id: not this one
  session.notify("$/cancelRequest", {{"id", 7}});
  release.set_value();
  session.server().wait_for_background();
  Json response = session.received().back();
  CHECK(response["id"] == 7);
  CHECK(response["error"]["code"] == -32800);  // RequestCancelled
  CHECK_FALSE(response.contains("result"));
  CHECK(session.diagnostics(file_uri_from_path(bad_path)).is_null());  // nothing half-done published

  // The next one is not cancelled: it runs to the end.
  session.send(lint(9));
  session.notify("$/cancelRequest", {{"id", 7}});  // a stale cancel: ignored
  session.server().wait_for_background();
  CHECK(session.received().back()["result"] == Json{{"files", 1}, {"findings", 1}});
  CHECK(session.diagnostics(file_uri_from_path(bad_path)).size() == 1);

  // Shutdown does not wait for a lint in flight: it is cancelled, and answered so before exit.
  std::promise<void> held;
  shiftlint::lsp::ServerOptions holding;
  std::shared_future<void> held_future = held.get_future().share();
  holding.before_workspace_lint = [held_future] { held_future.wait(); };
  Session stopping(holding);
  stopping.initialize(folder.path());
  stopping.send(lint(3));
  CHECK(stopping.request(4, "shutdown")["result"].is_null());
  held.set_value();
  stopping.server().wait_for_background();
  CHECK(stopping.received().back()["id"] == 3);
  CHECK(stopping.received().back()["error"]["code"] == -32800);
}

TEST_CASE("lsp: a change to a 300-line task definition answers well under 50 ms", "[lsp]") {
  // About 300 lines: 11 containers of 26 lines each plus the task's own fields.
  std::string text = "{\n  \"family\": \"bench\",\n  \"requiresCompatibilities\": [\"FARGATE\"],\n"
                     "  \"networkMode\": \"awsvpc\",\n  \"cpu\": \"4096\",\n  \"memory\": \"8192\",\n"
                     "  \"containerDefinitions\": [\n";
  for (int i = 0; i < 11; ++i) {
    text += "    {\n      \"name\": \"app" + std::to_string(i) + "\",\n";
    text += "      \"image\": \"123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.0." + std::to_string(i) + "\",\n";
    text += "      \"essential\": " + std::string(i == 0 ? "true" : "false") + ",\n";
    text += "      \"memoryReservation\": 256,\n      \"stopTimeout\": 300,\n";
    text += "      \"command\": [\"bundle\", \"exec\", \"sidekiq\", \"-t\", \"25\"],\n";
    text += "      \"portMappings\": [{\"containerPort\": " + std::to_string(8000 + i) + ", \"protocol\": \"tcp\"}],\n";
    text += "      \"environment\": [\n";
    for (int j = 0; j < 6; ++j)
      text += "        {\"name\": \"SETTING_" + std::to_string(j) + "\", \"value\": \"value-" + std::to_string(j) + "\"},\n";
    text += "        {\"name\": \"RAILS_ENV\", \"value\": \"production\"}\n      ],\n";
    text += "      \"logConfiguration\": {\n        \"logDriver\": \"awslogs\",\n        \"options\": {\n";
    text += "          \"awslogs-group\": \"/ecs/bench\",\n          \"awslogs-region\": \"us-east-1\",\n";
    text += "          \"awslogs-stream-prefix\": \"app\"\n        }\n      }\n";
    text += i == 10 ? "    }\n" : "    },\n";
  }
  text += "  ]\n}\n";
  size_t lines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
  CHECK(lines >= 290);
  CHECK(lines <= 310);

  TemporaryFolder folder;
  std::string uri = file_uri_from_path(folder.path() + "/bench.json");
  Session session;
  session.initialize(folder.path());
  session.open(uri, text);
  size_t findings = session.diagnostics(uri).size();
  REQUIRE(findings >= 11);

  std::vector<double> milliseconds;
  for (int version = 2; version < 102; ++version) {
    // Each edit changes one value, as typing would.
    std::string edited = text;
    edited.replace(edited.find("value-3"), 7, "value-" + std::to_string(version * 7));
    auto start = std::chrono::steady_clock::now();
    session.change(uri, edited, version);
    auto end = std::chrono::steady_clock::now();
    milliseconds.push_back(std::chrono::duration<double, std::milli>(end - start).count());
    REQUIRE(session.diagnostics(uri).size() == findings);
  }
  std::sort(milliseconds.begin(), milliseconds.end());
  double p50 = milliseconds[49], p95 = milliseconds[94];
  WARN("didChange of a " << lines << "-line task definition with " << findings << " findings: p50 " << p50
                         << " ms, p95 " << p95 << " ms, max " << milliseconds.back() << " ms");
  // Timing means something only in an optimised build; the sanitizer build gets the scaled bound.
#if defined(__OPTIMIZE__)
  CHECK(p50 < 50.0 * shiftlint::test_bounds::kTimeScale);
#endif
}
