#pragma once
// A rendered manifest as the rules see it: its YAML parsed into the located tree, with every
// node's span moved from the rendered text to the template that produced it (a Deployment's
// `image:` points at its line in templates/deployment.yaml, a label at _helpers.tpl). Values
// printed from values.yaml are remembered by their template position, so a finding there can name
// the values.yaml line too.
#include <map>
#include <memory>
#include <unordered_map>
#include <utility>
#include <vector>

#include "analyzer/model/helm/render.h"
#include "analyzer/parse/document.h"

namespace shiftlint::helm {

// The values nodes printed at one template position: one, or several when the position prints
// more than one value (a helper's `{{ $value }}`, `{{ toYaml .Values.env }}` printing a list, a
// template rendered for two workloads). Past kMaxOrigins the position names none.
struct OriginsAt {
  static constexpr size_t kMaxOrigins = 8;
  std::vector<const Node*> nodes;  // distinct, in the order printed
  bool too_many = false;
  // A scalar printed there came from no values line (a literal, a computed string, a value that
  // went through fromJson): a finding there may be about it, so no one of `nodes` is "the" value.
  bool unsourced_scalar = false;
};
struct ValueOrigins {
  // Template position (file, line:column of a span's start) -> what was printed there.
  std::map<std::pair<const SourceFile*, Position>, OriginsAt> at_position;
  // A rendered node -> the values node it was printed from: one place among many when a block
  // is printed whole (every line of `{{ toYaml .Values.livenessProbe | nindent 12 }}` maps to that
  // action), so a rule can name the line behind the one value its finding is about.
  std::unordered_map<const Node*, const Node*> of_node;
};

struct LocatedManifest {
  Document document;  // roots point into template files; `document.file` is the rendered text
  // Parse errors of the rendered YAML, at the template position that produced the broken line.
  struct Error {
    const SourceFile* file = nullptr;
    Span span;
    std::string message;
    bool duplicate_key = false;  // the object is still read, with the last value
    // A duplicate key: where its first copy was printed (file null when that does not map).
    const SourceFile* first_file = nullptr;
    Span first_span{};
  };
  std::vector<Error> errors;
};

// The template span of a span of `rendered` (whose text is `text`); the file is that of its start.
// A span whose end lies in another file ends with its first line. nullptr when nothing maps.
std::pair<const SourceFile*, Span> template_span(const SourceFile& rendered, const RenderedText& text, Span span);

// The rendered nodes keep their addresses when the LocatedManifest is moved (its document's node
// vectors move with their storage): `origins.of_node` stays valid as long as the manifest lives.
LocatedManifest locate_manifest(const RenderedManifest& manifest, const LoadLimits& limits, ValueOrigins& origins);

}  // namespace shiftlint::helm
