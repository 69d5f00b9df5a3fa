#pragma once
// A hand-written YAML reader for the YAML real files use, about a hundred times cheaper than
// yaml-cpp's scanner. It reports the same events yaml-cpp's parser reports, at the same offsets,
// so the loader builds one located tree from either (parse/yaml_loader.cpp). It declines every
// text it cannot read exactly as yaml-cpp 0.7 does — `?` keys, directives, properties on keys,
// control characters, verbatim or named tags, anything yaml-cpp rejects — and the loader
// hands those to yaml-cpp, so errors and their positions always come from yaml-cpp.
// bench/yaml_differential.cpp checks on real corpora that both give identical trees.
#include <cstddef>
#include <string>
#include <string_view>

namespace shiftlint {

// The events of a YAML parse. Offsets are bytes into the text where the node starts (its tag
// included), as yaml-cpp marks them; tags are spelled as yaml-cpp reports them: "?" for an
// untagged plain scalar or collection, "!" for an untagged quoted or block scalar, "!Ref" for a
// local tag, "tag:yaml.org,2002:str" for `!!str`. `anchor` numbers a node's `&anchor` from 1 in
// each document, as yaml-cpp does (0: none); an alias names the anchor it repeats.
class YamlEvents {
 public:
  virtual ~YamlEvents() = default;
  virtual void document_start(size_t offset) = 0;
  virtual void document_end() = 0;
  virtual void null_value(size_t offset, size_t anchor) = 0;
  virtual void alias(size_t offset, size_t anchor) = 0;
  virtual void scalar(size_t offset, std::string_view tag, size_t anchor, std::string value) = 0;
  virtual void sequence_start(size_t offset, std::string_view tag, size_t anchor, bool flow) = 0;
  virtual void sequence_end() = 0;
  virtual void map_start(size_t offset, std::string_view tag, size_t anchor, bool flow) = 0;
  virtual void map_end() = 0;
};

// Reads `text` (without a byte order mark), sending its events to `events` as it goes. Returns
// false when it declines the text; the events sent until then must be discarded, and
// `declined_at` (when given) receives the offset where it stopped. `max_depth` bounds the nesting
// the reader follows (it declines deeper text; yaml-cpp gives up at 500 levels). `departures`
// (when given) receives how many block scalars it indented otherwise than yaml-cpp does: after a
// tag or anchor in a list item (`- !Sub |`), where yaml-cpp rejects valid YAML (issue #1163).
bool read_yaml(std::string_view text, YamlEvents& events, size_t max_depth = 400,
               size_t* declined_at = nullptr, size_t* departures = nullptr);

}  // namespace shiftlint
