#pragma once
// Rendered template output with its source map: every byte knows the template file and offset
// that produced it. Literal template text is copied byte for byte; what an action printed maps to
// that action (and, when the value came from values.yaml, to the values node behind it).
//
// Unlike TextMap (one file), a rendering mixes files: a deployment template, the _helpers.tpl
// defines it includes, values.yaml.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/model/located_tree.h"
#include "analyzer/source/source_file.h"

namespace shiftlint::helm {

struct OutputSegment {
  uint32_t output_offset = 0;
  uint32_t length = 0;
  const SourceFile* file = nullptr;  // the template (nullptr: text of unknown origin)
  uint32_t file_offset = 0;  // copied: where the bytes start; inserted: the action that printed them
  uint32_t file_end = 0;     // inserted: the end of that action
  bool copied = false;
  const Node* origin = nullptr;  // inserted from a values.yaml value
  // Text another template made (an include's output, a helper's label) printed here by an action
  // of `printed_by`: the outermost such action, as each action that prints it again replaces it.
  // A duplicate key both copies of which come from one helper line is fixed at these actions.
  const SourceFile* printed_by = nullptr;
  uint32_t printed_at = 0;
  uint32_t printed_end = 0;
};

struct RenderedText {
  std::string text;
  std::vector<OutputSegment> segments;

  void append_copy(std::string_view piece, const SourceFile* file, uint32_t file_offset);
  void append_inserted(std::string_view piece, const SourceFile* file, uint32_t file_offset, uint32_t file_end,
                       const Node* origin);
  // Appends another rendering (an include's output printed by an action) keeping its map.
  void append(const RenderedText& other);
  // The same, for a rendering the action at [at, end) of `file` prints: its bytes from other files
  // remember that action as the one that printed them.
  void append_printed(const RenderedText& other, const SourceFile* file, uint32_t at, uint32_t end);
  // text()[begin, end) with its map.
  RenderedText slice(size_t begin, size_t end) const;

  // The segment holding the byte at `offset` (the last one at the end); nullptr when empty.
  const OutputSegment* segment_at(size_t offset) const;
  // Where the byte at `offset` came from: the template file and the position in it.
  struct Place {
    const SourceFile* file = nullptr;
    size_t file_offset = 0;
    const Node* origin = nullptr;
  };
  // The segment holding the byte at `offset`, for its printed_by action; nullptr when none.
  const OutputSegment* printing_segment(size_t offset) const;
  Place place_of(size_t offset) const;
  // The exclusive end place of text()[.., offset): just after the byte before `offset`.
  Place end_place_of(size_t offset) const;
};

// `text` with `prefix` after every newline (and at the start when `at_start`): Sprig's indent and
// nindent, keeping the map of the original bytes.
RenderedText indent_rendered(const RenderedText& text, std::string_view prefix, bool at_start);

}  // namespace shiftlint::helm
