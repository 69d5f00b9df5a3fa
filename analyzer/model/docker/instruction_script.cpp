#include "analyzer/model/docker/instruction_script.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <span>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "analyzer/parse/shell/shell_parser.h"
#include "analyzer/source/text_hash.h"
#include "analyzer/source/utf8.h"

namespace shiftlint::docker {

namespace {

const Instruction& target_of(const Instruction& instruction) {
  return instruction.is("ONBUILD") && instruction.trigger ? *instruction.trigger : instruction;
}

bool runs_commands(const Instruction& instruction) {
  return instruction.is("RUN") || instruction.is("CMD") || instruction.is("ENTRYPOINT") ||
         instruction.is("HEALTHCHECK");
}

// The exec-form words: all arguments, or those after `CMD` in a HEALTHCHECK.
std::span<const Word> exec_words(const Instruction& instruction) {
  std::span<const Word> words(instruction.arguments);
  if (instruction.is("HEALTHCHECK")) return words.size() >= 2 ? words.subspan(1) : std::span<const Word>();
  return words;
}

// The decoded JSON string of `word` mapped to the file: plain bytes are copies of the line, each
// escape stands for its position. Falls back to the whole decoded text at the word's start when
// the decoding does not reproduce the parser's (it always should).
TextMap decoded_string_map(const Instruction& instruction, const Word& word) {
  const TextMap& line = instruction.line;
  std::string_view text(line.text());
  TextMap map;
  if (word.end < word.begin + 2 || word.end > text.size()) return map;
  size_t position = word.begin + 1;  // after the opening quote
  size_t end = word.end - 1;         // the closing quote
  size_t run = position;
  auto flush = [&](size_t until) {
    if (until > run) map.append(line.slice(run, until));
  };
  while (position < end) {
    if (text[position] != '\\') {
      ++position;
      continue;
    }
    flush(position);
    size_t escape_begin = position;
    if (position + 1 >= end) break;
    char escaped = text[position + 1];
    position += 2;
    std::string decoded;
    switch (escaped) {
      case 'b': decoded = "\b"; break;
      case 'f': decoded = "\f"; break;
      case 'n': decoded = "\n"; break;
      case 'r': decoded = "\r"; break;
      case 't': decoded = "\t"; break;
      case 'u': {
        auto read_unit = [&](size_t at) -> int64_t {
          if (at + 4 > end) return -1;
          int64_t value = 0;
          for (size_t i = at; i < at + 4; ++i) {
            int digit = hex_digit_value(text[i]);
            if (digit < 0) return -1;
            value = value * 16 + digit;
          }
          return value;
        };
        int64_t unit = read_unit(position);
        if (unit < 0) break;
        position += 4;
        uint32_t code_point = static_cast<uint32_t>(unit);
        if (unit >= 0xD800 && unit < 0xDC00) {
          int64_t low = position + 6 <= end && text[position] == '\\' && text[position + 1] == 'u'
                            ? read_unit(position + 2)
                            : -1;
          if (low >= 0xDC00 && low < 0xE000) {
            code_point = 0x10000 + ((static_cast<uint32_t>(unit) - 0xD800) << 10) + (static_cast<uint32_t>(low) - 0xDC00);
            position += 6;
          } else {
            code_point = 0xFFFD;
          }
        } else if (unit >= 0xDC00 && unit < 0xE000) {
          code_point = 0xFFFD;
        }
        append_utf8(decoded, code_point);
        break;
      }
      default: decoded = std::string(1, escaped); break;  // \" \\ \/
    }
    map.append_inserted(decoded, line.file_offset(escape_begin));
    run = position;
  }
  flush(end);
  if (map.text() != word.text) {
    TextMap fallback;
    fallback.append_inserted(word.text, line.file_offset(word.begin));
    return fallback;
  }
  return map;
}

// Appends from.text()[begin, end) to `shell` inside the single quotes the caller opened: a single
// quote cannot appear inside them, so each one closes them, is escaped, and reopens them.
void append_single_quoted(TextMap& shell, const TextMap& from, size_t begin, size_t end) {
  std::string_view text(from.text());
  size_t run = begin;
  for (size_t i = begin; i < end; ++i) {
    if (text[i] != '\'') continue;
    shell::append_mapped(shell, from, run, i);
    shell.append_inserted("'\\''", from.file_offset(i));
    run = i + 1;
  }
  shell::append_mapped(shell, from, run, end);
}

}  // namespace

TextMap exec_form_as_shell(const Instruction& instruction) {
  const Instruction& target = target_of(instruction);
  TextMap shell;
  if (target.form != Form::Exec || !runs_commands(target)) return shell;
  const TextMap& line = target.line;
  std::string_view line_text(line.text());
  for (const Word& word : exec_words(target)) {
    size_t word_begin = line.file_offset(word.begin);
    size_t word_end = line.file_end_offset(word.end);
    if (!shell.empty()) shell.append_inserted(" ", word_begin);
    shell.append_inserted("'", word_begin);
    // Most words hold no escape: their text between the quotes is the decoded string, mapped by
    // the line itself, and needs no decoded copy (decoded_string_map gives the same pieces).
    std::string_view quoted = word.end >= word.begin + 2 && word.end <= line_text.size()
                                  ? line_text.substr(word.begin + 1, word.end - word.begin - 2)
                                  : std::string_view();
    if (!quoted.empty() && quoted.find('\\') == std::string_view::npos && quoted == word.text) {
      append_single_quoted(shell, line, word.begin + 1, word.end - 1);
    } else {
      TextMap decoded = decoded_string_map(target, word);
      append_single_quoted(shell, decoded, 0, decoded.text().size());
    }
    shell.append_inserted("'", word_end);
  }
  return shell;
}

namespace {

// What the script of a mapped text depends on, when the same bytes at another place of another
// file give the same script but for its positions: the file bytes from the start of the line the
// text begins on to the end of its last piece (line breaks and columns come from them), then the
// pieces relative to that start (escapes, removed continuation lines) and the text of the inserted
// ones (quotes around exec-form words); the copied pieces' text is in the bytes already. nullopt
// for a text too large to be worth keeping.
struct RepeatKey {
  std::string bytes;
  size_t hash = 0;
  uint32_t first_line = 0;
  size_t region_begin = 0;
};

std::optional<RepeatKey> repeat_key(const SourceFile& file, const TextMap& text) {
  constexpr size_t kMaxKeptText = 64 * 1024;
  const std::vector<TextMap::Piece>& pieces = text.pieces();
  if (pieces.empty() || text.text().size() > kMaxKeptText) return std::nullopt;
  size_t lowest = pieces.front().file_offset;
  size_t highest = 0;
  for (const TextMap::Piece& piece : pieces) {
    lowest = std::min<size_t>(lowest, piece.file_offset);
    highest = std::max<size_t>(highest, piece.file_offset + (piece.inserted ? 0 : piece.length));
  }
  std::string_view file_text = file.text();
  if (highest > file_text.size() || highest - lowest > 2 * kMaxKeptText) return std::nullopt;
  RepeatKey key;
  key.first_line = file.position_at(lowest).line;
  key.region_begin = file.offset_of(Position{key.first_line, 1});
  if (key.region_begin > lowest) return std::nullopt;
  std::string_view region = file_text.substr(key.region_begin, highest - key.region_begin);
  // Sized first and written in place: appending each piece's numbers one std::string::append at
  // a time cost 3.2 M instructions on the 997 Dockerfiles.
  constexpr size_t kPieceBytes = 3 * sizeof(uint32_t) + 1;
  size_t size = region.size() + 1;
  for (const TextMap::Piece& piece : pieces) size += kPieceBytes + (piece.inserted ? piece.length : 0);
  key.bytes.resize(size);
  char* out = key.bytes.data();
  auto write = [&](const void* bytes, size_t count) {
    if (count > 0) std::memcpy(out, bytes, count);
    out += count;
  };
  write(region.data(), region.size());
  *out++ = '\0';
  std::string_view mapped(text.text());
  for (const TextMap::Piece& piece : pieces) {
    uint32_t numbers[3] = {piece.text_offset, static_cast<uint32_t>(piece.file_offset - key.region_begin), piece.length};
    write(numbers, sizeof numbers);
    *out++ = piece.inserted ? 'i' : 'c';
    if (piece.inserted) write(mapped.data() + piece.text_offset, piece.length);
  }
  key.hash = hash_text(key.bytes);
  return key;
}

// The scripts of instruction texts that repeat across the run's Dockerfiles. Official images keep
// one Dockerfile per version and variant that differ in a few lines (among 997 real Dockerfiles,
// 3,005 RUN instructions hold 1,593 different texts, and the repeats are 47% of the RUN bytes): a
// repeat costs a copy of the script with its positions moved instead of a parse. A text is kept
// the second time it is seen (most texts are seen once: only their hash is kept), within
// kKeptTextLimit bytes for the whole run, so memory does not grow with the repository.
class RepeatedInstructionScripts {
 public:
  shell::Script parse(const SourceFile& file, const TextMap& text) {
    std::optional<RepeatKey> key = repeat_key(file, text);
    if (!key) return shell::parse_shell(file, text, shell::IfBranches::Skipped);
    std::shared_ptr<const Entry> entry;
    bool keep = false;
    {
      std::lock_guard lock(mutex_);
      if (auto found = scripts_.find(key->hash); found != scripts_.end()) {
        // Another text with the same hash is neither answered nor replaced.
        if (found->second->key == key->bytes) entry = found->second;
      } else if (kept_bytes_ + key->bytes.size() <= kKeptTextLimit) {
        keep = seen_once_.contains(key->hash);
        if (!keep && seen_once_.size() < kSeenOnceLimit) seen_once_.insert(key->hash);
      }
    }
    if (entry) {
      shell::Script script = entry->script;
      auto lines = static_cast<int32_t>(key->first_line) - static_cast<int32_t>(entry->first_line);
      auto bytes = static_cast<int64_t>(key->region_begin) - static_cast<int64_t>(entry->region_begin);
      // The same text at the same place (a Dockerfile of the same template): nothing moves.
      if (lines != 0 || bytes != 0) shell::shift_positions(script, lines, bytes);
      return script;
    }
    shell::Script script = shell::parse_shell(file, text, shell::IfBranches::Skipped);
    if (keep) {
      size_t hash = key->hash;
      size_t size = key->bytes.size();
      auto kept = std::make_shared<const Entry>(Entry{std::move(key->bytes), script, key->first_line, key->region_begin});
      std::lock_guard lock(mutex_);
      if (kept_bytes_ + size <= kKeptTextLimit && scripts_.try_emplace(hash, std::move(kept)).second) kept_bytes_ += size;
    }
    return script;
  }
  void clear() {
    std::lock_guard lock(mutex_);
    scripts_.clear();
    seen_once_.clear();
    kept_bytes_ = 0;
  }

 private:
  static constexpr size_t kKeptTextLimit = 1024 * 1024;
  static constexpr size_t kSeenOnceLimit = 64 * 1024;
  struct Entry {
    std::string key;
    shell::Script script;
    uint32_t first_line;
    size_t region_begin;
  };
  std::mutex mutex_;
  // By the key's hash; the entry holds the key's bytes to tell texts with the same hash apart.
  std::unordered_map<size_t, std::shared_ptr<const Entry>> scripts_;
  std::unordered_set<size_t> seen_once_;
  size_t kept_bytes_ = 0;
};

RepeatedInstructionScripts& repeated_instruction_scripts() {
  static RepeatedInstructionScripts scripts;
  return scripts;
}

shell::Script parse_instruction_script(const SourceFile& file, const Instruction& instruction) {
  const Instruction& target = target_of(instruction);
  if (!runs_commands(target)) return {};
  if (target.form == Form::Exec) {
    TextMap text = exec_form_as_shell(instruction);
    return text.empty() ? shell::Script() : repeated_instruction_scripts().parse(file, text);
  }
  // PowerShell or cmd runs it (the stage's SHELL): not sh, so nothing is read from it as sh.
  if (instruction.windows_shell) return {};
  const TextMap& text = instruction_shell_source(file, instruction);
  return text.empty() ? shell::Script() : repeated_instruction_scripts().parse(file, text);
}

// Many rules read the same RUN bodies; parsing each one once per file (not once per rule) is what
// keeps a Dockerfile with ten shell-reading rules as fast as one. The key holds the file's text
// and the instruction's own text, not only addresses, so a stale entry can never answer for a
// later file that happens to reuse the same memory.
struct CacheKey {
  const char* file_text;
  size_t file_size;
  const Instruction* instruction;
  uint32_t line;
  uint32_t column;
  bool operator==(const CacheKey&) const = default;
};
struct CacheKeyHash {
  size_t operator()(const CacheKey& key) const {
    return std::hash<const void*>()(key.file_text) ^ (std::hash<const void*>()(key.instruction) << 1) ^
           (static_cast<size_t>(key.line) << 20) ^ key.column;
  }
};
thread_local std::unordered_map<CacheKey, shell::Script, CacheKeyHash> script_cache;
// The shell text of shell-form instructions, for the parse above and for rules that search the
// text itself before they look at the script (DKR local state: mkdir, chown, install -d).
thread_local std::unordered_map<CacheKey, TextMap, CacheKeyHash> source_cache;

CacheKey cache_key(const SourceFile& file, const Instruction& instruction) {
  return {file.text().data(), file.text().size(), &instruction, instruction.span.begin.line,
          instruction.span.begin.column};
}

// Context scripts by their file's text, where the mapped text starts in it, and the mapped text.
struct ContextKey {
  const char* file_text;
  size_t file_size;
  size_t file_offset;
  std::string_view text;
  bool operator==(const ContextKey&) const = default;
};
struct ContextKeyHash {
  // Where the text lies and how long it is, not its bytes: a script is looked up by every rule that
  // reads it, and hashing a 14 KB entrypoint script each time costs more than comparing it once
  // (the equality above still compares the text).
  size_t operator()(const ContextKey& key) const {
    return std::hash<const void*>()(key.file_text) ^ (key.file_offset << 1) ^ (key.text.size() << 20);
  }
};
// The key's text points into the TextMap kept beside the Script.
struct ContextEntry {
  std::unique_ptr<TextMap> text;
  std::shared_ptr<const shell::Script> script;
};
thread_local std::unordered_map<ContextKey, ContextEntry, ContextKeyHash> context_cache;

// Whole context files with the same bytes, parsed once per run. Repositories copy one entrypoint
// script into many folders (the official images keep a docker-entrypoint.sh per version: 41 copies
// of one script among 997 real Dockerfiles), and a Script holds no path: its spans are lines and
// columns, the same in every copy, and its text lives in its own storage. The cache keeps at most
// kSharedBytesLimit bytes of texts and their scripts for the whole run (shell::approximate_bytes;
// a script takes several times its text), so its memory does not grow with the repository; scripts
// past that are parsed per file as before. The 997 real Dockerfiles keep 79 scripts, 1.3 MB.
class SharedContextScripts {
 public:
  std::shared_ptr<const shell::Script> find(std::string_view content) {
    std::lock_guard lock(mutex_);
    auto found = scripts_.find(content);
    return found == scripts_.end() ? nullptr : found->second.script;
  }
  // Keeps `script` for later copies of `content` while there is room; returns it either way.
  std::shared_ptr<const shell::Script> keep(std::string_view content, std::shared_ptr<const shell::Script> script) {
    size_t cost = content.size() + shell::approximate_bytes(*script);
    std::lock_guard lock(mutex_);
    if (kept_bytes_ + cost > kSharedBytesLimit) return script;
    auto text = std::make_unique<std::string>(content);
    std::string_view key = *text;
    auto [entry, inserted] = scripts_.try_emplace(key, Entry{std::move(text), script});
    if (inserted) kept_bytes_ += cost;
    return entry->second.script;
  }
  void clear() {
    std::lock_guard lock(mutex_);
    scripts_.clear();
    kept_bytes_ = 0;
  }

 private:
  static constexpr size_t kSharedBytesLimit = 4 * 1024 * 1024;
  struct Entry {
    std::unique_ptr<std::string> text;  // the key's bytes
    std::shared_ptr<const shell::Script> script;
  };
  std::mutex mutex_;
  std::unordered_map<std::string_view, Entry, TextHash> scripts_;
  size_t kept_bytes_ = 0;
};

SharedContextScripts& shared_context_scripts() {
  static SharedContextScripts scripts;
  return scripts;
}

// The text is the whole file, byte for byte from its start: only then do its spans hold for every
// file with the same bytes (a heredoc's spans are lines of its Dockerfile).
bool is_whole_file(const ContextText& text) {
  const std::vector<TextMap::Piece>& pieces = text.text.pieces();
  return pieces.size() == 1 && !pieces.front().inserted && pieces.front().file_offset == 0 &&
         text.text.text() == text.file->text();
}
thread_local uint64_t scopes_opened = 0;
thread_local uint64_t open_scope = 0;

}  // namespace

InstructionScriptCache::InstructionScriptCache() {
  script_cache.clear();
  source_cache.clear();
  context_cache.clear();
  open_scope = ++scopes_opened;
}
InstructionScriptCache::~InstructionScriptCache() {
  script_cache.clear();
  source_cache.clear();
  context_cache.clear();
  open_scope = 0;
}

uint64_t instruction_script_scope() { return open_scope; }

void forget_shared_context_scripts() {
  shared_context_scripts().clear();
  repeated_instruction_scripts().clear();
}

const TextMap& instruction_shell_source(const SourceFile& file, const Instruction& instruction) {
  auto [entry, inserted] = source_cache.try_emplace(cache_key(file, instruction));
  if (inserted) entry->second = shell_source(file, instruction);
  return entry->second;
}

const shell::Script& instruction_script(const SourceFile& file, const Instruction& instruction) {
  auto [entry, inserted] = script_cache.try_emplace(cache_key(file, instruction));
  if (inserted) entry->second = parse_instruction_script(file, instruction);
  return entry->second;
}

const shell::Script& context_script(const ContextText& text) { return *shared_context_script(text); }

std::shared_ptr<const shell::Script> shared_context_script(const ContextText& text) {
  std::string_view file_text = text.file->text();
  ContextKey key{file_text.data(), file_text.size(), text.text.empty() ? 0 : text.text.file_offset(0), text.text.text()};
  if (auto found = context_cache.find(key); found != context_cache.end()) return found->second.script;
  ContextEntry entry;
  entry.text = std::make_unique<TextMap>(text.text);
  bool shareable = is_whole_file(text);
  if (shareable) entry.script = shared_context_scripts().find(file_text);
  if (!entry.script) {
    entry.script = std::make_shared<const shell::Script>(shell::parse_shell(*text.file, *entry.text));
    if (shareable) entry.script = shared_context_scripts().keep(file_text, std::move(entry.script));
  }
  key.text = entry.text->text();
  return context_cache.emplace(key, std::move(entry)).first->second.script;
}

}  // namespace shiftlint::docker
