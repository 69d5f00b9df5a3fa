#pragma once
// A rendered manifest as the rules see it: its YAML parsed into the located tree, with every
// node's span moved from the rendered text to the template that produced it (a Deployment's
// `image:` points at its line in templates/deployment.yaml, a label at _helpers.tpl). Values
// printed from values.yaml are remembered by their template position, so a finding there can name
// the values.yaml line too.
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "analyzer/model/helm/render.h"
#include "analyzer/parse/document.h"

namespace shiftlint::helm {

// Template position (file, line:column of a span's start) -> the values node printed there.
using ValueOrigins = std::map<std::pair<const SourceFile*, Position>, const Node*>;

struct LocatedManifest {
  Document document;  // roots point into template files; `document.file` is the rendered text
  // Parse errors of the rendered YAML, at the template position that produced the broken line.
  struct Error {
    const SourceFile* file = nullptr;
    Span span;
    std::string message;
  };
  std::vector<Error> errors;
};

LocatedManifest locate_manifest(const RenderedManifest& manifest, const LoadLimits& limits, ValueOrigins& origins);

}  // namespace shiftlint::helm
