#pragma once
// Writes pretty-printed JSON straight into a string, for the reports (JSON, SARIF, GitLab): a run
// can hold tens of thousands of findings, and building a document tree first costs more than
// linting some of the files. The bytes are those of nlohmann::json's dump(2) with
// error_handler_t::replace (the format the reports have always had): two spaces per level,
// `"key": value`, `[]` and `{}` when empty, control characters as \u00XX, and invalid UTF-8 as
// U+FFFD. tests/unit/report_test.cpp checks the two agree.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace shiftlint {

// Appends `text` as a JSON string literal (quotes included).
void append_json_string(std::string& out, std::string_view text);

class JsonWriter {
 public:
  // `depth`: the nesting level of the first value written, for a fragment that an enclosing
  // document places inside its containers (each level indents two spaces).
  explicit JsonWriter(std::string& out, unsigned depth = 0) : out_(out), depth_(depth) {}

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }

  // The key of the next value of the current object.
  JsonWriter& key(std::string_view name);

  void string(std::string_view text) {
    element();
    append_json_string(out_, text);
  }
  void number(uint64_t value);
  void boolean(bool value) { raw(value ? "true" : "false"); }
  void null() { raw("null"); }
  // A writer of elements for an array another writer has open at `depth` (the array's own level),
  // written apart (on another thread) and then added with append_elements: each element gets the
  // separator and indentation it would have had. `first`: no element comes before these.
  static JsonWriter array_elements(std::string& out, unsigned depth, bool first) {
    JsonWriter writer(out, depth);
    writer.has_value_.push_back(!first);
    return writer;
  }
  // Adds what an array_elements writer wrote to the array this writer has open.
  void append_elements(std::string_view json) {
    if (json.empty()) return;
    out_ += json;
    has_value_.back() = true;
  }
  // A value already written as JSON by another writer at this writer's current depth.
  void raw(std::string_view json) {
    element();
    out_ += json;
  }

 private:
  void open(char bracket);
  void close(char bracket);
  // Before a value: the separator and indentation an array element needs (a key wrote them for
  // an object member).
  void element();
  void separate();

  std::string& out_;
  unsigned depth_;
  // Per open container: whether it holds a value yet.
  std::vector<bool> has_value_;
  bool after_key_ = false;
};

}  // namespace shiftlint
