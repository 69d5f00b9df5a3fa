#pragma once
// The way back from a YAML or JSON string value to the file it was written in.
//
// A loader gives a string node its decoded value (`node.text`) and the span of the scalar as written.
// Whoever parses that value again — the shell in an .ebextensions `command: |` block, a crontab in a
// `files:` entry's `content: |`, an nginx config — needs every offset of the value mapped to its file
// position, including the indentation a block scalar removes and the line breaks a folded scalar
// turns into spaces. This builds that TextMap for every scalar style:
//
//   - literal `|` and folded `>` block scalars, with chomping (`|-`, `>+`) and indentation indicators;
//   - plain scalars over several lines (line breaks fold into spaces);
//   - single-quoted (`''`) and double-quoted strings (escapes, `\` line continuations), which also
//     covers JSON strings.
//
// Copied text maps byte for byte; what the decoding made up (a space for a folded line break, a
// decoded escape) maps to the point of the source it stands for. When the reconstruction does not
// give exactly `node.text` (a form this reader does not know), the whole value is mapped to the
// scalar's start: positions are then coarse, never wrong.
#include <optional>

#include "analyzer/model/located_tree.h"
#include "analyzer/source/text_map.h"

namespace shiftlint {

// `node` must be a String node loaded from `file` (YAML or JSON). Empty map for an empty value.
TextMap yaml_scalar_text(const SourceFile& file, const Node& node);

// The map when it is exact, nullopt otherwise: for a reader that wants positions only where they are
// right (JSON decoded from a string keeps the string's own span when this is nullopt).
std::optional<TextMap> exact_yaml_scalar_text(const SourceFile& file, const Node& node);

// Whether yaml_scalar_text maps the value exactly (false: every offset maps to the scalar's start).
bool yaml_scalar_text_is_exact(const SourceFile& file, const Node& node);

}  // namespace shiftlint
