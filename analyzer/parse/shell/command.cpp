#include "analyzer/parse/shell/command.h"

#include <algorithm>
#include <cstring>
#include <memory>

#include "analyzer/parse/shell/script_findings.h"

namespace shiftlint::shell {

std::vector<uint32_t> Script::nested_in(uint32_t index) const {
  std::vector<uint32_t> nested;
  // Pre-order: what a command holds follows it, before the next command that it does not hold.
  for (size_t i = static_cast<size_t>(index) + 1; i < commands.size(); ++i) {
    uint32_t parent = commands[i].parent;
    if (parent == kNoParent || parent < index) break;
    nested.push_back(static_cast<uint32_t>(i));
  }
  return nested;
}

namespace {

void shift(Span& span, int32_t lines) {
  if (span.empty()) return;
  span.begin.line = static_cast<uint32_t>(static_cast<int64_t>(span.begin.line) + lines);
  span.end.line = static_cast<uint32_t>(static_cast<int64_t>(span.end.line) + lines);
}

void shift(Word& word, int32_t lines) { shift(word.span, lines); }

void shift(Assignment& assignment, int32_t lines) {
  shift(assignment.value, lines);
  shift(assignment.span, lines);
}

}  // namespace

void shift_positions(Script& script, int32_t lines, int64_t bytes) {
  for (Command& command : script.commands) {
    shift(command.name, lines);
    for (Word& argument : command.arguments) shift(argument, lines);
    for (Assignment& assignment : command.environment) shift(assignment, lines);
    for (Redirection& redirection : command.redirections) {
      shift(redirection.target, lines);
      shift(redirection.span, lines);
    }
    for (Heredoc& heredoc : command.heredocs) {
      shift(heredoc.operator_span, lines);
      shift(heredoc.body_span, lines);
      heredoc.body.shift_file_offsets(bytes);
    }
    shift(command.span, lines);
  }
  for (Assignment& assignment : script.assignments) shift(assignment, lines);
  for (ShellOption& option : script.options) shift(option.span, lines);
  shift(script.first_syntax_error, lines);
}

ScriptFindings::~ScriptFindings() { delete slots_.load(std::memory_order_acquire); }

ScriptFindings& ScriptFindings::operator=(const ScriptFindings& other) {
  if (this != &other) delete slots_.exchange(nullptr, std::memory_order_acq_rel);
  return *this;
}

ScriptFindings::ScriptFindings(ScriptFindings&& other) noexcept
    : slots_(other.slots_.exchange(nullptr, std::memory_order_acq_rel)) {}

ScriptFindings& ScriptFindings::operator=(ScriptFindings&& other) noexcept {
  if (this != &other) delete slots_.exchange(other.slots_.exchange(nullptr, std::memory_order_acq_rel), std::memory_order_acq_rel);
  return *this;
}

ScriptFindings::Slots& ScriptFindings::slots() const {
  Slots* current = slots_.load(std::memory_order_acquire);
  if (current) return *current;
  auto fresh = std::make_unique<Slots>();
  if (slots_.compare_exchange_strong(current, fresh.get(), std::memory_order_acq_rel)) return *fresh.release();
  return *current;  // another thread got there first
}

std::string_view TextStorage::keep(std::string_view text) {
  if (text.empty()) return {};
  if (text.size() > left_) {
    // Blocks double up to 64 KiB, so a Script holds a few of them whatever its size; a block made
    // for a large text (the script itself) has room left for the values decoded from it.
    size_t size = text.size() > next_block_ / 2 ? text.size() + next_block_ : next_block_;
    next_block_ = std::min<size_t>(next_block_ * 2, 64 * 1024);
    blocks_.push_back(std::make_unique_for_overwrite<char[]>(size));
    bytes_ += size;
    free_ = blocks_.back().get();
    left_ = size;
  }
  char* kept = free_;
  std::memcpy(kept, text.data(), text.size());
  free_ += text.size();
  left_ -= text.size();
  return {kept, text.size()};
}

size_t approximate_bytes(const Script& script) {
  size_t bytes = sizeof(Script) + script.commands.capacity() * sizeof(Command) +
                 script.assignments.capacity() * sizeof(Assignment) + script.options.capacity() * sizeof(ShellOption) +
                 script.case_branches.capacity() * sizeof(CaseBranch) + script.if_branches.capacity() * sizeof(IfBranch);
  for (const CaseBranch& branch : script.case_branches) bytes += branch.patterns.capacity() * sizeof(std::string_view);
  if (script.storage) bytes += sizeof(TextStorage) + script.storage->bytes();
  for (const Command& command : script.commands) {
    size_t words = static_cast<size_t>(command.arguments.end() - command.arguments.begin());
    if (words > WordList::kInPlace) bytes += words * sizeof(Word);
    bytes += command.environment.capacity() * sizeof(Assignment) + command.redirections.capacity() * sizeof(Redirection) +
             command.heredocs.capacity() * sizeof(Heredoc);
  }
  return bytes;
}

std::string_view program_name(const Word& word) {
  std::string_view value = word.value;
  // Every rule asks this of every command: find is one memchr, rfind goes byte by byte, and most
  // names hold no slash at all.
  size_t slash = value.find('/');
  if (slash == std::string_view::npos) return value;
  return value.substr(value.rfind('/') + 1);
}

}  // namespace shiftlint::shell
