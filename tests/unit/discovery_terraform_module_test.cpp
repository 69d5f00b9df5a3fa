// A Terraform file given on the command line brings in its module (the other Terraform files of
// its folder), so that a pre-commit hook, which passes only the changed files, lints a module as
// `shiftlint check <folder>` does: no "variable not declared" noise when only main.tf changed, and
// the hazard still found when only terraform.tfvars changed.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "analyzer/config/config.h"
#include "analyzer/engine/check_run.h"
#include "analyzer/source/discovery.h"
#include "tests/unit/scratch_folder.h"

namespace fs = std::filesystem;
using namespace shiftlint;

namespace {

// A test's own folder, under the temporary folder, named for this test file.
class Scratch : public testing::ScratchFolder {
 public:
  Scratch() : ScratchFolder("shiftlint-tf-module") {}
};

class InFolder {
 public:
  explicit InFolder(const std::string& path) : saved_(fs::current_path()) { fs::current_path(path); }
  ~InFolder() {
    std::error_code error;
    fs::current_path(saved_, error);
  }
  InFolder(const InFolder&) = delete;
  InFolder& operator=(const InFolder&) = delete;

 private:
  fs::path saved_;
};

using Paths = std::vector<std::string>;

Paths displays(const DiscoveryResult& result) {
  Paths paths;
  for (const DiscoveredFile& file : result.files) paths.push_back(std::string(file.display_path()));
  return paths;
}

// A Fargate task definition whose container name and image come from variables.tf and
// terraform.tfvars; the container has no nofile ulimit (ECS001).
void write_module(const Scratch& scratch, const std::string& folder) {
  scratch.file(folder + "/main.tf",
               "resource \"aws_ecs_task_definition\" \"app\" {\n"
               "  family                   = var.name\n"
               "  requires_compatibilities = [\"FARGATE\"]\n"
               "  network_mode             = \"awsvpc\"\n"
               "  cpu                      = 256\n"
               "  memory                   = 512\n"
               "  container_definitions = jsonencode([{\n"
               "    name      = var.name\n"
               "    image     = \"registry.example.com/app:${var.image_tag}\"\n"
               "    essential = true\n"
               "  }])\n"
               "}\n");
  scratch.file(folder + "/variables.tf",
               "variable \"name\" {\n  type = string\n}\n\nvariable \"image_tag\" {\n  type = string\n}\n");
  scratch.file(folder + "/terraform.tfvars", "name      = \"checkout\"\nimage_tag = \"1.4.2\"\n");
  scratch.file(folder + "/README.md", "# the checkout service\n");
}

std::string check(const std::vector<std::string>& paths) {
  Config config;
  CheckRequest request;
  request.paths = paths;
  request.config = &config;
  request.jobs = 1;
  request.select = {"ECS001", "SL"};
  CheckOutcome outcome = run_check(request);
  std::string text;
  for (const Finding& finding : outcome.summary.findings)
    text += fmt::format("{}:{}:{}: {} {}\n", finding.location.path, finding.location.span.begin.line,
                        finding.location.span.begin.column, finding.rule_id, finding.message.substr(0, 48));
  for (const std::string& warning : outcome.warnings) text += "warning: " + warning + "\n";
  return text;
}

}  // namespace

TEST_CASE("discovery: a Terraform file argument brings in its module's Terraform files") {
  Scratch scratch;
  write_module(scratch, "infra/checkout");
  scratch.file("infra/checkout/modules/queue/main.tf", "variable \"name\" {}\n");
  scratch.file("infra/billing/main.tf", "locals {}\n");
  scratch.file("Dockerfile", "FROM debian:12\n");
  scratch.file("docker/Dockerfile.worker", "FROM debian:12\n");
  scratch.file("docker/other.tf", "locals {}\n");
  InFolder in(scratch.path());

  SECTION("one changed file: the folder's .tf and .tfvars, not its subfolders, other folders or other files") {
    DiscoveryResult result = discover({"infra/checkout/terraform.tfvars"}, {});
    CHECK(displays(result) ==
          Paths{"infra/checkout/main.tf", "infra/checkout/terraform.tfvars", "infra/checkout/variables.tf"});
    CHECK(result.root == scratch.path());
    CHECK(result.files[0].path() == scratch.path("infra/checkout/main.tf"));
  }
  SECTION("several changed files of one module and one of another: each module once") {
    DiscoveryResult result =
        discover({"infra/checkout/main.tf", "infra/checkout/variables.tf", "infra/billing/main.tf"}, {});
    CHECK(displays(result) == Paths{"infra/billing/main.tf", "infra/checkout/main.tf",
                                    "infra/checkout/terraform.tfvars", "infra/checkout/variables.tf"});
  }
  SECTION("other kinds of files bring nothing in") {
    CHECK(displays(discover({"docker/Dockerfile.worker"}, {})) == Paths{"docker/Dockerfile.worker"});
    CHECK(displays(discover({"Dockerfile", "infra/checkout/README.md"}, {})) ==
          Paths{"Dockerfile", "infra/checkout/README.md"});
  }
  SECTION("a single file typed from elsewhere: it and its module are named from their folder, the root") {
    // The reports name them from the working directory again (../checkout/main.tf); discovery
    // names them from the root so that root and display path lead to the file.
    InFolder below(scratch.path("infra/billing"));
    DiscoveryResult result = discover({"../checkout/main.tf"}, {});
    CHECK(result.root == std::filesystem::canonical(scratch.path("infra/checkout")).generic_string());
    CHECK(displays(result) == Paths{"main.tf", "terraform.tfvars", "variables.tf"});
  }
  SECTION("a single file typed from the working directory keeps the path as typed") {
    CHECK(displays(discover({"./infra/checkout/main.tf"}, {})) ==
          Paths{"infra/checkout/main.tf", "infra/checkout/terraform.tfvars", "infra/checkout/variables.tf"});
  }
  SECTION("a folder argument is unchanged") {
    CHECK(displays(discover({"infra/checkout"}, {})) ==
          Paths{"README.md", "main.tf", "modules/queue/main.tf", "terraform.tfvars", "variables.tf"});
  }
}

TEST_CASE("discovery: a module's other files are filtered as a walk filters them") {
  Scratch scratch;
  write_module(scratch, "infra");
  scratch.file(".git/HEAD", "ref: refs/heads/main\n");  // the repository root, for .gitignore
  scratch.file(".gitignore", "*.auto.tfvars\n");
  scratch.file("infra/.gitignore", "generated.tf\n");
  scratch.file("infra/secrets.auto.tfvars", "token = \"x\"\n");
  scratch.file("infra/generated.tf", "locals {}\n");
  scratch.file("infra/legacy.tf", "locals {}\n");
  InFolder in(scratch.path());

  SECTION(".gitignore files above and in the folder hide siblings; a given file escapes them") {
    CHECK(displays(discover({"infra/main.tf"}, {})) ==
          Paths{"infra/legacy.tf", "infra/main.tf", "infra/terraform.tfvars", "infra/variables.tf"});
    CHECK(displays(discover({"infra/generated.tf"}, {})) ==
          Paths{"infra/generated.tf", "infra/legacy.tf", "infra/main.tf", "infra/terraform.tfvars",
                "infra/variables.tf"});
  }
  SECTION("config excludes hide siblings") {
    DiscoveryOptions options;
    options.exclude = {"infra/legacy.tf"};
    options.exclude_base = scratch.path();
    CHECK(displays(discover({"infra/main.tf"}, options)) ==
          Paths{"infra/main.tf", "infra/terraform.tfvars", "infra/variables.tf"});
  }
  SECTION("without .gitignore rules every Terraform file of the folder comes") {
    DiscoveryOptions options;
    options.use_gitignore = false;
    CHECK(displays(discover({"infra/variables.tf"}, options)).size() == 6);
  }
}

TEST_CASE("discovery: a module's symlinked files stay inside the scan root") {
  Scratch scratch;
  write_module(scratch, "repo/infra");
  scratch.file("outside/shared.tf", "locals {}\n");
  scratch.file("repo/infra/common.tf.real", "");
  fs::create_symlink(scratch.path("outside/shared.tf"), scratch.path("repo/infra/shared.tf"));
  fs::create_symlink(scratch.path("repo/infra/variables.tf"), scratch.path("repo/infra/variables_link.tf"));
  InFolder in(scratch.path("repo"));
  DiscoveryResult result = discover({"infra/main.tf"}, {});
  // shared.tf leads outside: never listed; variables_link.tf is variables.tf, listed once.
  CHECK(displays(result) == Paths{"infra/main.tf", "infra/terraform.tfvars", "infra/variables.tf"});
}

TEST_CASE("check: a changed file of a Terraform module is linted with the rest of its module") {
  Scratch scratch;
  write_module(scratch, "infra");
  InFolder in(scratch.path());
  const std::string whole_module = check({"infra"});
  // The container name comes from terraform.tfvars: proof that the values were read.
  REQUIRE(whole_module == "main.tf:7:39: ECS001 container \"checkout\" has no \"nofile\" ulimit: its\n");
  const std::string expected = "infra/main.tf:7:39: ECS001 container \"checkout\" has no \"nofile\" ulimit: its\n";
  CHECK(check({"."}) == expected);
  // Only main.tf changed: no SL002 "var.name is not declared" for the variables in variables.tf.
  CHECK(check({"infra/main.tf"}) == expected);
  // Only the values changed: the finding in main.tf they feed is still reported.
  CHECK(check({"infra/terraform.tfvars"}) == expected);
  CHECK(check({"infra/variables.tf", "infra/README.md"}) == expected);
}
