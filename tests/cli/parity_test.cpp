// `shiftlint parity` as a team reads it before cutting over, and as a CI job consumes it: the
// binary is run on the demo project and on small trees, in text and JSON.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/cli/process.h"

using shiftlint::testing::read_file;
using shiftlint::testing::run_shiftlint;
using shiftlint::testing::TemporaryFolder;

namespace {

using Json = nlohmann::json;

const Json* find_app(const Json& report, const std::string& name) {
  for (const Json& app : report["apps"])
    if (app["name"] == name) return &app;
  return nullptr;
}

const Json* find_item(const Json& app, const std::string& category, const std::string& name) {
  for (const Json& item : app["items"])
    if (item["category"] == category && item["name"] == name) return &item;
  return nullptr;
}

// The line of the text report that mentions `needle`, or "".
std::string line_with(const std::string& text, const std::string& needle) {
  size_t at = text.find(needle);
  if (at == std::string::npos) return "";
  size_t begin = text.rfind('\n', at);
  begin = begin == std::string::npos ? 0 : begin + 1;
  size_t end = text.find('\n', at);
  return text.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
}

// An EB app whose new side carries over everything its old host configured.
void write_complete_app(const TemporaryFolder& folder) {
  folder.write("api/.ebextensions/01-packages.config", "packages:\n  yum:\n    jq: []\n");
  folder.write("api/.ebextensions/02-environment.config",
               "option_settings:\n  aws:elasticbeanstalk:application:environment:\n    APP_ENV: production\n");
  folder.write("api/.ebextensions/03-limits.config",
               "files:\n  /etc/security/limits.d/90-api.conf:\n    content: |\n      webapp soft nofile 65536\n"
               "      webapp hard nofile 65536\n");
  folder.write("api/.ebextensions/04-timezone.config",
               "commands:\n  01_timezone:\n    command: ln -sf /usr/share/zoneinfo/Asia/Tokyo /etc/localtime\n");
  folder.write("api/Dockerfile",
               "FROM debian:12.5-slim\n"
               "RUN apt-get update && apt-get install -y --no-install-recommends jq tzdata && rm -rf /var/lib/apt/lists/*\n"
               "ENV TZ=Asia/Tokyo\n"
               "CMD [\"/usr/local/bin/api\"]\n");
  folder.write("api/ecs/api.json", R"({
  "family": "api",
  "requiresCompatibilities": ["FARGATE"],
  "networkMode": "awsvpc",
  "cpu": "512",
  "memory": "1024",
  "containerDefinitions": [
    {
      "name": "api",
      "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:2.0.1",
      "essential": true,
      "environment": [{"name": "APP_ENV", "value": "production"}, {"name": "TZ", "value": "Asia/Tokyo"}],
      "ulimits": [{"name": "nofile", "softLimit": 65536, "hardLimit": 65536}],
      "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/api", "awslogs-region": "eu-west-1", "awslogs-stream-prefix": "api"}}
    }
  ]
}
)");
}

}  // namespace

TEST_CASE("parity: the demo's invoices app, in text, shows what was carried over and what is missing") {
  auto result = run_shiftlint({"parity", "fixtures/demo"});
  INFO(result.err);
  CHECK(result.exit_code == 0);
  const std::string& out = result.out;
  size_t invoices_at = out.find("App invoices");
  REQUIRE(invoices_at != std::string::npos);
  std::string invoices = out.substr(invoices_at);  // the demo's root app has rows of the same names
  CHECK(out.find("App invoices (Elastic Beanstalk bundle at invoices/)") != std::string::npos);
  CHECK(out.find("App demo (Elastic Beanstalk bundle at the scan root)") != std::string::npos);  // named after the folder
  // Linked files, each with the reason it was linked.
  CHECK(line_with(invoices, "invoices/ecs/invoices.json  ").find("task definition") != std::string::npos);
  // A package the Dockerfile installs, and one it forgot: old-host line, status, new-side line.
  std::string ghostscript = line_with(invoices, "ghostscript (yum)");
  CHECK(ghostscript.find("invoices/.ebextensions/01-packages.config:5") != std::string::npos);
  CHECK(ghostscript.find("carried") != std::string::npos);
  CHECK(ghostscript.find("invoices/Dockerfile:5") != std::string::npos);
  std::string fontconfig = line_with(invoices, "fontconfig (yum)");
  CHECK(fontconfig.find("invoices/.ebextensions/01-packages.config:7") != std::string::npos);
  CHECK(fontconfig.find("MISSING") != std::string::npos);
  CHECK(fontconfig.find("invoices/Dockerfile") != std::string::npos);
  // The environment property the task definition lacks; its value is never printed.
  std::string bucket = line_with(invoices, "INVOICE_PDF_BUCKET");
  CHECK(bucket.find("MISSING") != std::string::npos);
  CHECK(bucket.find("invoices/ecs/invoices.json") != std::string::npos);
  CHECK(out.find("acme-invoices-pdf") == std::string::npos);
  CHECK(line_with(invoices, "nofile 65536").find("carried") != std::string::npos);
  CHECK(line_with(invoices, "Europe/Berlin").find("MISSING") != std::string::npos);
  // Columns line up: every row of the table starts its OLD HOST column at the same place.
  size_t header = invoices.find("  CATEGORY");
  REQUIRE(header != std::string::npos);
  size_t old_host_column = line_with(invoices.substr(header), "CATEGORY").find("OLD HOST");
  CHECK(ghostscript.find("invoices/.ebextensions/") == old_host_column);
  CHECK(fontconfig.find("invoices/.ebextensions/") == old_host_column);
  // The app's count, and the total over both apps.
  CHECK(line_with(invoices, "  invoices: ").find("carried over") != std::string::npos);
  CHECK(out.find("All apps: ") != std::string::npos);
}

TEST_CASE("parity: JSON for CI, with old and new locations per item") {
  auto result = run_shiftlint({"parity", "fixtures/demo", "--format", "json"});
  INFO(result.err);
  CHECK(result.exit_code == 0);
  Json report = Json::parse(result.out);
  CHECK(report["version"] == "1");
  CHECK(report["tool"]["name"] == "shiftlint");
  const Json* invoices = find_app(report, "invoices");
  REQUIRE(invoices);
  CHECK((*invoices)["bundle_root"] == "invoices");
  CHECK((*invoices)["migrating"] == true);
  bool dockerfile_linked = false;
  for (const Json& file : (*invoices)["linked_files"]) {
    CHECK_FALSE(file["reason"].get<std::string>().empty());
    dockerfile_linked = dockerfile_linked || (file["kind"] == "dockerfile" && file["path"] == "invoices/Dockerfile");
  }
  CHECK(dockerfile_linked);

  const Json* ghostscript = find_item(*invoices, "package", "ghostscript");
  REQUIRE(ghostscript);
  CHECK((*ghostscript)["status"] == "carried");
  CHECK((*ghostscript)["old_host"]["path"] == "invoices/.ebextensions/01-packages.config");
  CHECK((*ghostscript)["old_host"]["line"] == 5);
  REQUIRE((*ghostscript)["now"].size() >= 1);
  CHECK((*ghostscript)["now"][0]["path"] == "invoices/Dockerfile");
  CHECK((*ghostscript)["now"][0]["line"] == 5);

  const Json* bucket = find_item(*invoices, "environment variable", "INVOICE_PDF_BUCKET");
  REQUIRE(bucket);
  CHECK((*bucket)["status"] == "missing");
  CHECK((*bucket)["value"].is_null());
  REQUIRE((*bucket)["missing_at"].size() >= 1);
  CHECK((*bucket)["missing_at"][0]["path"] == "invoices/ecs/invoices.json");

  // Counts agree with the items, per app and in total.
  size_t carried = 0, missing = 0, total = 0;
  for (const Json& app : report["apps"]) {
    size_t app_carried = 0, app_missing = 0;
    for (const Json& item : app["items"]) {
      app_carried += item["status"] == "carried";
      app_missing += item["status"] == "missing";
    }
    CHECK(app["summary"]["carried"] == app_carried);
    CHECK(app["summary"]["missing"] == app_missing);
    CHECK(app["summary"]["items"] == app["items"].size());
    carried += app_carried;
    missing += app_missing;
    total += app["items"].size();
  }
  CHECK(report["summary"]["carried"] == carried);
  CHECK(report["summary"]["missing"] == missing);
  CHECK(report["summary"]["items"] == total);
  CHECK(report["summary"]["apps"] == report["apps"].size());
  CHECK((*invoices)["summary"]["carried"].get<int>() > 0);
  CHECK((*invoices)["summary"]["missing"].get<int>() > 0);

  // The same report whatever the number of threads.
  CHECK(run_shiftlint({"parity", "fixtures/demo", "--format", "json", "--jobs", "1"}).out == result.out);

  // --output writes the same report to a file.
  TemporaryFolder folder;
  std::string path = folder.path() + "/parity.json";
  auto written = run_shiftlint({"parity", "fixtures/demo", "--format", "json", "--output", path});
  CHECK(written.exit_code == 0);
  CHECK(written.out.empty());
  CHECK(read_file(path) == result.out);
}

TEST_CASE("parity: an app whose new side has everything says 0 missing") {
  TemporaryFolder folder;
  write_complete_app(folder);
  auto text = run_shiftlint({"parity", "."}, folder.path());
  INFO(text.out << text.err);
  CHECK(text.exit_code == 0);
  CHECK(text.out.find("App api (Elastic Beanstalk bundle at api/)") != std::string::npos);
  CHECK(text.out.find("MISSING") == std::string::npos);
  CHECK(text.out.find("WEAKER") == std::string::npos);
  CHECK(line_with(text.out, "  api: ").find(", 0 missing") != std::string::npos);

  auto json = run_shiftlint({"parity", ".", "--format", "json"}, folder.path());
  CHECK(json.exit_code == 0);
  Json report = Json::parse(json.out);
  REQUIRE(report["apps"].size() == 1);
  const Json& api = report["apps"][0];
  CHECK(api["summary"]["missing"] == 0);
  CHECK(api["summary"]["weaker"] == 0);
  for (const char* category : {"package", "environment variable", "nofile limit", "time zone"}) {
    INFO(category);
    bool found = false;
    for (const Json& item : api["items"])
      if (item["category"] == category) {
        found = true;
        CHECK(item["status"] == "carried");
        CHECK(item["now"].size() >= 1);
      }
    CHECK(found);
  }
}

TEST_CASE("parity: a tree without an Elastic Beanstalk app says so and exits 0") {
  TemporaryFolder folder;
  folder.write("Dockerfile", "FROM debian:12.5-slim\nCMD [\"/bin/true\"]\n");
  auto text = run_shiftlint({"parity"}, folder.path());
  CHECK(text.exit_code == 0);
  CHECK(text.out.find("No Elastic Beanstalk app found in .") != std::string::npos);
  auto json = run_shiftlint({"parity", "--format", "json"}, folder.path());
  CHECK(json.exit_code == 0);
  Json report = Json::parse(json.out);
  CHECK(report["apps"].empty());
  CHECK(report["summary"]["apps"] == 0);
  CHECK(report["summary"]["items"] == 0);
}

TEST_CASE("parity: an EB app with nothing linked yet has nothing to compare") {
  TemporaryFolder folder;
  folder.write("legacy/.ebextensions/01-packages.config", "packages:\n  yum:\n    jq: []\n");
  auto text = run_shiftlint({"parity", "."}, folder.path());
  CHECK(text.exit_code == 0);
  CHECK(text.out.find("App legacy") != std::string::npos);
  CHECK(text.out.find("nothing to\n  compare") != std::string::npos);
  Json report = Json::parse(run_shiftlint({"parity", ".", "--format", "json"}, folder.path()).out);
  REQUIRE(report["apps"].size() == 1);
  CHECK(report["apps"][0]["migrating"] == false);
  CHECK(report["apps"][0]["items"].empty());
}

TEST_CASE("parity: the config's exclude: and --config apply") {
  TemporaryFolder folder;
  write_complete_app(folder);
  folder.write(".shiftlint.yaml", "exclude: [\"api/**\"]\n");
  auto excluded = run_shiftlint({"parity", "."}, folder.path());
  CHECK(excluded.exit_code == 0);
  CHECK(excluded.out.find("No Elastic Beanstalk app found") != std::string::npos);
  folder.write("other.yaml", "exclude: []\n");
  auto included = run_shiftlint({"parity", ".", "--config", "other.yaml"}, folder.path());
  CHECK(included.exit_code == 0);
  CHECK(included.out.find("App api") != std::string::npos);
  folder.write("broken.yaml", "exclude: 3\n");
  auto broken = run_shiftlint({"parity", ".", "--config", "broken.yaml"}, folder.path());
  CHECK(broken.exit_code == 2);
  CHECK(broken.err.find("broken.yaml") != std::string::npos);
}

TEST_CASE("parity: usage errors exit 2 with a message") {
  for (const auto& args : std::vector<std::vector<std::string>>{{"parity", "--format", "sarif"},
                                                               {"parity", "fixtures/demo", "fixtures/EB001"},
                                                               {"parity", "--bogus"},
                                                               {"parity", "no/such/folder"},
                                                               {"parity", "--config", "no/such/config.yaml"},
                                                               {"parity", "--jobs", "0"},
                                                               {"parity", "--format"}}) {
    auto result = run_shiftlint(args);
    INFO(args.back());
    CHECK(result.exit_code == 2);
    CHECK(result.err.rfind("shiftlint: ", 0) == 0);
    CHECK(result.out.empty());
  }
  auto help = run_shiftlint({"parity", "--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("shiftlint parity [PATH]") != std::string::npos);
}
