#include "analyzer/model/helm/located_manifest.h"

#include <algorithm>

#include <fmt/format.h>

#include "analyzer/parse/yaml_loader.h"

namespace shiftlint::helm {

std::pair<const SourceFile*, Span> template_span(const SourceFile& rendered, const RenderedText& text, Span span) {
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

namespace {

// Where a user changes a key the output holds twice. When the helper line that wrote it is shared
// (both copies of `app:` come from one `define`, included twice), that line is not the mistake:
// the actions of the manifest's own template that printed it are. Elsewhere, the mapped place.
std::pair<const SourceFile*, Span> key_place(const SourceFile& rendered, const RenderedText& text, Span span,
                                             const SourceFile* template_file) {
  std::pair<const SourceFile*, Span> mapped = template_span(rendered, text, span);
  if (!mapped.first || mapped.first == template_file) return mapped;
  const OutputSegment* segment = text.printing_segment(rendered.offset_of(span.begin));
  if (!segment || segment->printed_by != template_file) return mapped;
  Position begin = template_file->position_at(segment->printed_at);
  Position end = template_file->position_at(std::max(segment->printed_at, segment->printed_end));
  return {template_file, {begin, end}};
}

std::string place_name(const SourceFile* file, Span span, const SourceFile* finding_file) {
  if (file == finding_file) return fmt::format("line {}", span.begin.line);
  return fmt::format("{}:{}", file->display_path(), span.begin.line);
}

// The message of a rendered duplicate key, with both places named in the chart's files rather
// than by the line numbers of the rendered output nobody sees.
LocatedManifest::Error duplicate_key_error(const SourceFile& rendered, const RenderedText& text,
                                           const ParseDiagnostic& error, const SourceFile* template_file) {
  LocatedManifest::Error result;
  result.duplicate_key = true;
  auto [file, span] = key_place(rendered, text, error.span, template_file);
  if (!file) {
    file = template_file;
    span = Span{{1, 1}, {1, 1}};
  }
  result.file = file;
  result.span = span;
  std::string_view source = rendered.text();
  size_t begin = std::min(rendered.offset_of(error.span.begin), source.size());
  size_t end = std::clamp(rendered.offset_of(error.span.end), begin, source.size());
  std::string_view key = source.substr(begin, end - begin);
  auto [first_file, first_span] = key_place(rendered, text, error.first_key, template_file);
  std::string first;
  if (first_file) {
    result.first_file = first_file;
    result.first_span = first_span;
    first = first_file == file && first_span.begin.line == span.begin.line
                ? " (both copies printed by this line)"
                : fmt::format(" (first printed by {})", place_name(first_file, first_span, file));
  }
  result.message = fmt::format("duplicate key \"{}\"{}: YAML requires unique keys and readers differ on which value "
                               "wins (most keep the last, so the first is lost); keep one",
                               key, first);
  return result;
}

struct Mapper {
  const SourceFile& rendered;
  const RenderedText& text;
  ValueOrigins& origins;

  std::pair<const SourceFile*, Span> map(Span span) const { return template_span(rendered, text, span); }

  // One template place can print several values (a helper's `{{ $value }}`, a range's item, a
  // template rendered for two workloads): each is kept, rather than whichever came last.
  void record_origin(const SourceFile* file, Position position, const Node* origin) const {
    OriginsAt& at = origins.at_position[std::pair(file, position)];
    if (at.too_many || std::find(at.nodes.begin(), at.nodes.end(), origin) != at.nodes.end()) return;
    if (at.nodes.size() == OriginsAt::kMaxOrigins) {
      at.nodes.clear();
      at.too_many = true;
      return;
    }
    at.nodes.push_back(origin);
  }

  void remap(Node& node) const {
    Span rendered_span = node.span;
    auto [file, span] = map(node.span);
    if (!node.key_span.empty()) {
      auto [key_file, key_span] = map(node.key_span);
      if (file && key_file && key_file != file) {
        // The key is written in one template and its value printed from another (`livenessProbe:
        // {{- include "common.tplvalues.render" ... | nindent 12 }}`): the value's place is the
        // helper's action, shared by every value it prints and often in a library chart the user
        // does not edit. The key is where this value is asked for.
        file = key_file;
        span = key_span;
      }
      node.key_span = file && key_file == file ? key_span : Span{};
    }
    if (file) {
      node.file = file;
      node.span = span;
      if (!node.is_scalar()) {
        // A map or list printed from values.yaml (`{{- toYaml .Values.livenessProbe | nindent 12 }}`):
        // its first byte (a key or a dash, which toYaml maps to the map or list holding it) carries
        // the values node it was printed from, which findings on the block (at its key) can name.
        const OutputSegment* first = text.segment_at(rendered.offset_of(rendered_span.begin));
        if (first && first->origin && !first->copied && !first->origin->is_scalar()) {
          origins.of_node[&node] = first->origin;
          record_origin(file, span.begin, first->origin);
          if (!node.key_span.empty()) record_origin(file, node.key_span.begin, first->origin);
        }
      } else {
        // The last values.yaml value printed inside the scalar: in "{{ .repo }}:{{ .tag }}" the
        // tag, which is what a version or tag finding is about.
        size_t begin = rendered.offset_of(rendered_span.begin);
        size_t end = rendered.offset_of(rendered_span.end);
        const Node* last_origin = nullptr;
        for (const OutputSegment* segment = text.segment_at(begin);
             segment && segment < text.segments.data() + text.segments.size() && segment->output_offset < std::max(end, begin + 1);
             ++segment) {
          if (segment->origin) last_origin = segment->origin;
        }
        if (last_origin) {
          origins.of_node[&node] = last_origin;
          record_origin(file, span.begin, last_origin);
        } else if (const OutputSegment* first = text.segment_at(begin); first && !first->copied) {
          // Printed by an action (literal template text has a place of its own).
          origins.at_position[std::pair(file, span.begin)].unsourced_scalar = true;
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
    if (error.duplicate_key) {
      result.errors.push_back(duplicate_key_error(*rendered, manifest.text, error, manifest.template_file));
      continue;
    }
    auto [file, span] = mapper.map(error.span);
    result.errors.push_back(
        {file ? file : manifest.template_file, file ? span : Span{{1, 1}, {1, 1}}, error.message, error.duplicate_key});
  }
  // A key written twice (a label a helper prints and the template writes again) is reported, but
  // the object is still linted as Helm applies it, with the last value: dropping it would hide its
  // other findings.
  if (only_duplicate_keys(result.document)) {
    for (Node& root : result.document.roots) keep_last_of_duplicate_keys(root);
  } else if (!result.document.ok()) {
    result.document.roots.clear();
    return result;
  }
  for (Node& root : result.document.roots) mapper.remap(root);
  return result;
}

}  // namespace shiftlint::helm
