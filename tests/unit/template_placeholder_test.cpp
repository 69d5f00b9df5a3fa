#include <catch2/catch.hpp>

#include "analyzer/detect/template_placeholder.h"

using namespace shiftlint::detect;

TEST_CASE("template_placeholder: the substitution syntaxes deploy pipelines use") {
  for (const char* text : {"${IMAGE}", "app:${TAG}", "$IMAGE_TAG", "$(git rev-parse HEAD)", "{{ .Values.tag }}",
                           "{{resolve:secretsmanager:db:SecretString:password}}", "<IMAGE1_NAME>", "%BUILD_TAG%",
                           "#{Octopus.Release.Number}", "__IMAGE_TAG__"}) {
    INFO(text);
    CHECK(contains_template_placeholder(text));
  }
}

TEST_CASE("template_placeholder: literals are not placeholders") {
  for (const char* text : {"nginx:1.25", "Pa$$w0rd", "x$abc", "s3cr3t<3", "50%off", "a_b__c", "", "{not}", "$"}) {
    INFO(text);
    CHECK_FALSE(contains_template_placeholder(text));
  }
}
