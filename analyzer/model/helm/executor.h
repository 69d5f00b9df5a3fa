#pragma once
// Executes parsed Go templates the way Helm does (text/template with missingkey=zero, Sprig and
// Helm's functions), writing a RenderedText whose every byte maps back to a template position.
//
// Failures (a nil field, `required`, an unknown function, a limit) stop the template being
// executed and come back as a RenderFailure naming the innermost template position; the caller
// reports it (SL002) and renders the chart's other templates.
#include <algorithm>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "analyzer/model/helm/rendered_text.h"
#include "analyzer/model/helm/value.h"
#include "analyzer/parse/document.h"
#include "analyzer/parse/go_template/template_parser.h"

namespace shiftlint::helm {

struct RenderLimits {
  uint32_t max_include_depth = 100;       // nested include/template/tpl calls
  uint64_t max_steps = 20'000'000;        // actions, commands and function calls per template file
  size_t max_output_bytes = 32u << 20;    // one template's output, and any string a function builds
  size_t max_collection_size = 1'000'000;  // until/seq/repeat and friends
  // Nested bodies and parentheses, counted across include/tpl calls: each level is C++ stack, and
  // 100 includes deep of templates nested 1,000 deep (the parser's bound) would overflow it.
  uint32_t max_nesting = 2000;
};

struct RenderFailure {
  const SourceFile* file = nullptr;
  uint32_t offset = 0;
  std::string message;  // Go's wording where Helm users know it ("nil pointer evaluating ...")
};

// What a function reports when it cannot produce a value ("error calling <name>: " is added).
struct FunctionError {
  std::string message;
};

// Every named template of one render: each template file by its name ("chart/templates/a.yaml")
// and each {{define}}/{{block}}. A later definition of a name replaces an earlier one.
class TemplateSet {
 public:
  struct Entry {
    const std::vector<go_template::TemplateNode>* body = nullptr;
    const SourceFile* file = nullptr;
  };
  // The parsed template must be ok(); `file` must outlive the set.
  void add(std::string file_name, const SourceFile* file, go_template::ParsedTemplate parsed);
  const Entry* find(std::string_view name) const;

 private:
  std::deque<go_template::ParsedTemplate> parsed_;
  std::map<std::string, Entry, std::less<>> entries_;
};

// Values `fromYaml` read from text that knows its template lines (an include's output): their
// nodes are placed at those lines, each with the values node its text was printed from, so that
// `include "x.pod" . | fromYaml | toYaml` prints them back at the helper's lines rather than at
// the action. Lives as long as the rendering (ChartRendering::keep_alive): values keep pointers to
// its nodes.
class PlacedValues {
 public:
  // Past this much parsed text, fromYaml reads as before (no places): a template that parses in
  // a loop must not hold every document.
  static constexpr size_t kMaxBytes = 4u << 20;
  // The values node behind `node` when it is a placed node (nullptr when none), `node` otherwise.
  const Node* values_origin_of(const Node* node) const;
  bool is_placed(const Node* node) const { return node && values_origin_.contains(node); }
  // Room for `bytes` more parsed text.
  bool has_room(size_t bytes) const { return bytes <= kMaxBytes - std::min(bytes_, kMaxBytes); }
  // Keeps `document` (its nodes already placed) and what each node was printed from.
  void keep(std::shared_ptr<const SourceFile> file, std::unique_ptr<Document> document,
            std::unordered_map<const Node*, const Node*> values_origin);

 private:
  std::vector<std::pair<std::shared_ptr<const SourceFile>, std::unique_ptr<Document>>> documents_;
  std::unordered_map<const Node*, const Node*> values_origin_;
  size_t bytes_ = 0;
};

class Executor;

// What a function sees: its evaluated arguments (a piped value is the last) and the executor
// (for include, tpl and the limits).
struct FunctionCall {
  Executor& executor;
  std::string_view name;
  std::vector<Value>& arguments;
};
using Function = Value (*)(FunctionCall&);

// The Go, Sprig and Helm functions by name; nullptr when unknown (functions.cpp).
Function find_function(std::string_view name);
// Go's parser rejects a template that names a function it does not know, even in a branch that
// never runs (Helm then renders nothing): the first such name, in source order, becomes the
// template's syntax error, worded as Go's ("function \"x\" not defined").
void reject_undefined_functions(go_template::ParsedTemplate& parsed);

class Executor {
 public:
  Executor(const TemplateSet& templates, RenderLimits limits = {});
  ~Executor();

  // Renders the template called `name` with `dot` as `.` and `$`. Throws RenderFailure.
  RenderedText render(std::string_view name, const Value& dot);

  // For functions: `include` (a define's output as a string), `tpl` (a string as a template).
  Value include(std::string_view name, const Value& dot);
  Value tpl(const Value& text, const Value& dot);
  const RenderLimits& limits() const { return limits_; }
  PlacedValues& placed_values() { return *placed_values_; }
  // For the rendering to keep: its output points at placed nodes.
  std::shared_ptr<PlacedValues> share_placed_values() const { return placed_values_; }
  // Throws a FunctionError when `size` bytes or items would pass the limits.
  void check_size(size_t size) const;

  struct State;  // the variables, output and budgets of the render in progress (executor.cpp)

 private:
  std::unique_ptr<State> state_;
  const TemplateSet& templates_;
  RenderLimits limits_;
  std::shared_ptr<PlacedValues> placed_values_ = std::make_shared<PlacedValues>();
};

// Removes every "<no value>" (what Go prints for a missing value) keeping the map: Helm does
// this to each rendered file.
RenderedText remove_no_value(const RenderedText& text);

}  // namespace shiftlint::helm
