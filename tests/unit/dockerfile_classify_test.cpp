#include <catch2/catch.hpp>

#include "analyzer/engine/suppression.h"
#include "analyzer/source/classify.h"

using namespace shiftlint;

TEST_CASE("dockerfile: files are Dockerfiles by name, in any case") {
  for (const char* name : {"Dockerfile", "dockerfile", "docker/web/Dockerfile", "Dockerfile.prod", "Dockerfile.dev.arm64",
                           "web.Dockerfile", "api.dockerfile", "Containerfile", "Containerfile.fedora"}) {
    INFO(name);
    CHECK(is_candidate_name(name));
    CHECK(classify(name, "FROM alpine\n") == FileKind::Dockerfile);
  }
  for (const char* name : {"Dockerfile.dockerignore", "Dockerfile.template", "Dockerfile.j2", "Dockerfile.bak",
                           "dockerfile.go", "Dockerfile.json", ".dockerfile", "Dockerfile-dev", "Dockerfiles",
                           "my-dockerfile"}) {
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
