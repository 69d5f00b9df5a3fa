#include <catch2/catch.hpp>

#include "analyzer/engine/suppression.h"
#include "analyzer/source/classify.h"

using namespace shiftlint;

TEST_CASE("dockerfile: files are Dockerfiles by name, in any case") {
  for (const char* name : {"Dockerfile", "dockerfile", "docker/web/Dockerfile", "Dockerfile.prod", "Dockerfile.dev.arm64",
                           "web.Dockerfile", "api.dockerfile", "Containerfile", "Containerfile.fedora",
                           "Dockerfile-dev", "Dockerfile-nginx-proxy-tester", "Dockerfile_alpine"}) {
    INFO(name);
    CHECK(is_candidate_name(name));
    CHECK(classify(name, "FROM alpine\n") == FileKind::Dockerfile);
  }
  for (const char* name : {"Dockerfile.dockerignore", "Dockerfile.template", "Dockerfile.j2", "Dockerfile.bak",
                           "dockerfile.go", "Dockerfile.json", ".dockerfile", "Dockerfiles", "my-dockerfile",
                           "Dockerfile-alpine.template", "Dockerfile-debian.template", "dockerfile_test.go",
                           "Dockerfile-", "Dockerfile-lint.json", "Model/Dockerfile.cs", "Dockerfile.kt",
                           "dockerfile.cpp", "Dockerfile.php", "Dockerfile.bash", "Dockerfile.html"}) {
    INFO(name);
    CHECK(classify(name, "FROM alpine\n") != FileKind::Dockerfile);
  }
  CHECK(syntax_of(FileKind::Dockerfile) == Syntax::Dockerfile);
  CHECK(comment_markers(FileKind::Dockerfile) == std::vector<std::string>{"#"});
  CHECK_FALSE(has_end_of_line_comments(FileKind::Dockerfile));
}

TEST_CASE("dockerfile: suppressions count only on lines of their own") {
  SourceFile file("Dockerfile", "Dockerfile",
                  "FROM alpine\n"
                  "# shiftlint-ignore: DKR019 -- vendor preprocessor\n"
                  "INCLUDE+ common\n"
                  "RUN echo hi # shiftlint-ignore: DKR004\n");
  std::vector<InlineSuppression> dockerfile = scan_suppressions(file, {"#"}, false);
  REQUIRE(dockerfile.size() == 1);
  CHECK(dockerfile[0].target_line == 3);
  // YAML keeps end-of-line comments.
  CHECK(scan_suppressions(file, {"#"}, true).size() == 2);
}

TEST_CASE("dockerfile: a suppression before an instruction covers its continuation lines") {
  SourceFile file("Dockerfile", "Dockerfile",
                  "FROM alpine\n"
                  "# shiftlint-ignore: DKR002\n"
                  "RUN apt-get update \\\n"
                  "    && apt-get install -y cron\n"
                  "USER app\n");
  std::vector<InlineSuppression> suppressions = scan_suppressions(file, {"#"}, false, {{1, 1}, {3, 4}, {5, 5}});
  REQUIRE(suppressions.size() == 1);
  CHECK(suppressions[0].target_line == 3);
  CHECK(suppressions[0].target_end_line == 4);
  auto finding_at = [](uint32_t line) {
    Finding finding;
    finding.rule_id = "DKR002";
    finding.location.span = {{line, 12}, {line, 16}};
    return finding;
  };
  std::vector<Finding> findings = {finding_at(4), finding_at(5)};
  apply_suppressions(findings, suppressions);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].location.span.begin.line == 5);
}
