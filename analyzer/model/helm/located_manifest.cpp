#include "analyzer/model/helm/located_manifest.h"

#include <algorithm>

#include "analyzer/parse/yaml_loader.h"

namespace shiftlint::helm {

namespace {

struct Mapper {
  const SourceFile& rendered;
  const RenderedText& text;
  ValueOrigins& origins;

  // The template span of a rendered span; the file is that of its start. A span whose end lies
  // in another file (a key written in the template, its value in _helpers.tpl) ends with its
  // first line.
  std::pair<const SourceFile*, Span> map(Span span) const {
    if (span.empty()) return {nullptr, span};
    size_t begin = rendered.offset_of(span.begin);
    size_t end = rendered.offset_of(span.end);
    RenderedText::Place start = text.place_of(begin);
    if (!start.file) return {nullptr, {}};
    RenderedText::Place stop = text.end_place_of(std::max(end, begin));
    Position first = start.file->position_at(start.file_offset);
    Position last = first;
    if (stop.file == start.file && stop.file_offset >= start.file_offset) {
      last = start.file->position_at(stop.file_offset);
    } else {
      size_t line_end = start.file_offset;
      std::string_view source = start.file->text();
      while (line_end < source.size() && source[line_end] != '\n') ++line_end;
      last = start.file->position_at(line_end);
    }
    if (last < first) last = first;
    return {start.file, {first, last}};
  }

  void remap(Node& node) const {
    Span rendered_span = node.span;
    auto [file, span] = map(node.span);
    if (!node.key_span.empty()) {
      auto [key_file, key_span] = map(node.key_span);
      node.key_span = file && key_file == file ? key_span : Span{};
    }
    if (file) {
      node.file = file;
      node.span = span;
      if (node.is_scalar()) {
        // The last values.yaml value printed inside the scalar: in "{{ .repo }}:{{ .tag }}" the
        // tag, which is what a version or tag finding is about.
        size_t begin = rendered.offset_of(rendered_span.begin);
        size_t end = rendered.offset_of(rendered_span.end);
        for (const OutputSegment* segment = text.segment_at(begin);
             segment && segment < text.segments.data() + text.segments.size() && segment->output_offset < std::max(end, begin + 1);
             ++segment) {
          if (segment->origin) origins[{file, span.begin}] = segment->origin;
        }
      }
    }
    for (Node& child : node.children) remap(child);
  }
};

}  // namespace

LocatedManifest locate_manifest(const RenderedManifest& manifest, const LoadLimits& limits, ValueOrigins& origins) {
  LocatedManifest result;
  auto rendered = std::make_shared<const SourceFile>(manifest.source_name, manifest.source_name, manifest.text.text);
  result.document = load_yaml(rendered, limits);
  Mapper mapper{*rendered, manifest.text, origins};
  for (const ParseDiagnostic& error : result.document.errors) {
    auto [file, span] = mapper.map(error.span);
    result.errors.push_back({file ? file : manifest.template_file, file ? span : Span{{1, 1}, {1, 1}}, error.message});
  }
  if (!result.document.ok()) {
    result.document.roots.clear();
    return result;
  }
  for (Node& root : result.document.roots) mapper.remap(root);
  return result;
}

}  // namespace shiftlint::helm
