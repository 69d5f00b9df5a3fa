#include "analyzer/model/docker/dockerfile.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>

#include "analyzer/detect/base_image_environment.h"
#include "analyzer/source/ascii_case.h"

namespace shiftlint::docker {

namespace {

// A stage inherits ENV from the stage it is built FROM; chains longer than this are not followed.
constexpr int kMaxInheritance = 64;
// Expanded ENV/ARG values kept per file, in bytes; past it, values are recorded as unknown, so a
// hostile file cannot make memory grow with the square of its size.
constexpr size_t kMaxStoredValues = 8 << 20;
// EXPOSE/VOLUME entries an image config keeps (each stage built FROM another copies its config).
constexpr size_t kMaxConfigEntries = 256;

// The ARGs BuildKit defines for every build; their values depend on the machine and --platform.
constexpr std::array<std::string_view, 8> kAutomaticArgs = {"TARGETPLATFORM", "TARGETOS",     "TARGETARCH",
                                                            "TARGETVARIANT",  "BUILDPLATFORM", "BUILDOS",
                                                            "BUILDARCH",      "BUILDVARIANT"};

bool is_automatic_arg(std::string_view name) {
  return std::find(kAutomaticArgs.begin(), kAutomaticArgs.end(), name) != kAutomaticArgs.end();
}

// The word a key is written as, quotes removed (`ENV "A"=1` sets A).
std::string unquoted(std::string_view text, char escape) {
  return expand_word(text, escape, [](std::string_view) { return std::optional<VariableValue>(); }).text;
}

std::string join_path(const std::string& base, const std::string& path) {
  if (!path.empty() && path.front() == '/') return path;
  std::string joined = base.empty() ? "/" : base;
  if (joined.back() != '/') joined += '/';
  return joined + path;
}

// A WORKDIR instruction applied to the folder a stage is in. Relative to a base image's own
// WORKDIR, which this file does not say, the folder is unknown until an absolute one is set.
void apply_workdir(std::string& workdir, bool& known, bool external_base, const Expansion& path) {
  bool relative = path.text.empty() || path.text.front() != '/';
  if (relative && workdir.empty() && external_base) known = false;
  if (!relative) known = true;
  workdir = join_path(workdir, path.text);
  if (!path.ok()) known = false;
}

const Variable* find_binding(const Dockerfile::Scope& scope, std::string_view name, uint32_t limit, bool env_only) {
  auto found = scope.by_name.find(name);
  if (found == scope.by_name.end()) return nullptr;
  const std::vector<uint32_t>& indices = found->second;
  auto end = std::lower_bound(indices.begin(), indices.end(), limit);
  while (end != indices.begin()) {
    const Variable& binding = scope.bindings[*--end];
    if (!env_only || binding.kind == Variable::Kind::Env) return &binding;
  }
  return nullptr;
}

// `SHELL ["powershell", "-Command"]`, `["cmd", "/S", "/C"]`, `["C:\\...\\pwsh.exe", ...]`.
bool is_windows_shell(const Instruction& shell) {
  if (shell.arguments.empty()) return false;
  std::string program = to_lower_ascii(shell.arguments.front().text);
  size_t separator = program.find_last_of("/\\");
  if (separator != std::string::npos) program.erase(0, separator + 1);
  if (program.ends_with(".exe")) program.resize(program.size() - 4);
  return program == "powershell" || program == "pwsh" || program == "cmd";
}

class Builder {
 public:
  Builder(std::shared_ptr<const SourceFile> file, ParsedDockerfile syntax) {
    model_.file = std::move(file);
    model_.syntax = std::move(syntax);
  }

  Dockerfile build() {
    const std::vector<Instruction>& instructions = model_.syntax.instructions;
    model_.placement.assign(instructions.size(), {Dockerfile::kNoStage, 0});
    // The stages, and below each one its instructions, are counted first: their vectors are sized
    // once instead of growing instruction by instruction.
    size_t stage_count = 0;
    for (const Instruction& instruction : instructions) stage_count += instruction.is("FROM");
    model_.stages.reserve(stage_count);
    model_.scopes.reserve(stage_count);
    for (size_t index = 0; index < instructions.size(); ++index) {
      const Instruction& instruction = instructions[index];
      if (instruction.is("FROM")) {
        size_t next_from = index + 1;
        size_t binding_count = 0;  // of the stage's ENV and ARG: its scope is sized once too
        for (; next_from < instructions.size() && !instructions[next_from].is("FROM"); ++next_from)
          if (instructions[next_from].is("ENV") || instructions[next_from].is("ARG"))
            binding_count += instructions[next_from].pairs.size();
        open_stage(instruction, next_from - index - 1, binding_count);
      } else if (model_.stages.empty()) {
        if (instruction.is("ARG")) add_global_args(instruction);
        else model_.before_first_stage.push_back(&instruction);
        continue;
      } else {
        // The SHELL in force so far (the stage's own, or its parent stage's) runs this one.
        const Instruction* shell = model_.stages.back().config.shell;
        if (shell && is_windows_shell(*shell)) model_.syntax.instructions[index].windows_shell = true;
        add_to_stage(instruction);
      }
      // FROM sits at position 0 of its own stage: nothing of the stage is in scope yet.
      Stage& stage = model_.stages.back();
      uint32_t position = instruction.is("FROM") ? 0 : static_cast<uint32_t>(stage.instructions.size() - 1);
      model_.placement[index] = {static_cast<uint32_t>(stage.index), position};
    }
    return std::move(model_);
  }

 private:
  char escape() const { return model_.syntax.escape; }

  void add_global_args(const Instruction& instruction) {
    for (const KeyValue& pair : instruction.pairs) {
      Variable variable;
      variable.name = unquoted(pair.key.text, escape());
      variable.kind = Variable::Kind::Arg;
      variable.instruction = &instruction;
      variable.pair = &pair;
      if (pair.has_value) {
        Expansion value = model_.expand_global(pair.value.text);
        variable.value = std::move(value.text);
        variable.known = value.ok();
      } else {
        variable.known = false;  // only --build-arg can give it a value
      }
      stored_ += variable.value.size();
      if (stored_ > kMaxStoredValues) {
        variable.value.clear();
        variable.known = false;
      }
      model_.global_arg_index[variable.name] = model_.global_args.size();
      model_.global_args.push_back(std::move(variable));
    }
  }

  // `instruction_count`: the instructions the stage holds after its FROM; `binding_count`: the
  // variables they set.
  void open_stage(const Instruction& from, size_t instruction_count, size_t binding_count) {
    Stage stage;
    stage.index = model_.stages.size();
    stage.from = &from;
    stage.platform = from.flag("platform");
    if (!from.arguments.empty()) {
      stage.image_word = &from.arguments[0];
      stage.image = model_.expand_global(stage.image_word->text);
    }
    if (from.arguments.size() == 3 && equal_ignoring_case(from.arguments[1].text, "AS")) {
      stage.name_word = &from.arguments[2];
      stage.name = to_lower_ascii(stage.name_word->text);
    }
    if (stage.image_word && stage.image.ok()) {
      // BuildKit matches the expanded base name against the names of earlier stages.
      auto earlier = stage_names_.find(to_lower_ascii(stage.image.text));
      if (earlier != stage_names_.end()) stage.parent = earlier->second;
      stage.scratch = !stage.parent && stage.image.text == "scratch";
    }
    if (stage.parent) {
      const Stage& parent = model_.stages[*stage.parent];
      stage.config = parent.config;
      stage.config.cmd_reset = false;
      stage.external_base = parent.external_base;
    } else {
      stage.external_base = !stage.scratch;
    }
    if (!stage.name.empty()) stage_names_[stage.name] = stage.index;
    stage.instructions.reserve(instruction_count);
    model_.stages.push_back(std::move(stage));
    Dockerfile::Scope& scope = model_.scopes.emplace_back();
    scope.visible.reserve(instruction_count);
    scope.bindings.reserve(binding_count);
    scope.by_name.reserve(binding_count);
    cmd_set_in_stage_ = false;
  }

  void bind(Dockerfile::Scope& scope, Variable variable) {
    stored_ += variable.value.size();
    if (stored_ > kMaxStoredValues) {
      variable.value.clear();
      variable.known = false;
    }
    scope.by_name[variable.name].push_back(static_cast<uint32_t>(scope.bindings.size()));
    scope.bindings.push_back(std::move(variable));
  }

  void add_to_stage(const Instruction& instruction) {
    Stage& stage = model_.stages.back();
    Dockerfile::Scope& scope = model_.scopes.back();
    size_t position = stage.instructions.size();
    stage.instructions.push_back(&instruction);
    scope.visible.push_back(static_cast<uint32_t>(scope.bindings.size()));
    ImageConfig& config = stage.config;
    auto expand = [&](std::string_view word) { return model_.expand(stage, position, word); };

    std::string_view keyword = instruction.keyword;  // compared with literals of known length: no strlen per test
    if (keyword == "ENV" || keyword == "ARG") {
      // All values of one instruction are expanded with the scope before it (`ENV a=1 b=$a` gives
      // b the previous a), which `visible` already guarantees.
      for (const KeyValue& pair : instruction.pairs) {
        Variable variable;
        variable.name = unquoted(pair.key.text, escape());
        variable.kind = keyword == "ENV" ? Variable::Kind::Env : Variable::Kind::Arg;
        variable.instruction = &instruction;
        variable.pair = &pair;
        if (pair.has_value) {
          Expansion value = expand(pair.value.text);
          variable.value = std::move(value.text);
          variable.known = value.ok();
        } else {
          // `ARG NAME` in a stage takes the global ARG's default, if any.
          auto global = model_.global_arg_index.find(variable.name);
          if (global != model_.global_arg_index.end()) {
            variable.value = model_.global_args[global->second].value;
            variable.known = model_.global_args[global->second].known;
          } else {
            variable.known = false;
          }
        }
        bind(scope, std::move(variable));
      }
    } else if (keyword == "CMD") {
      config.cmd = &instruction;
      config.cmd_reset = false;
      cmd_set_in_stage_ = true;
    } else if (keyword == "ENTRYPOINT") {
      config.entrypoint = &instruction;
      if (!cmd_set_in_stage_) {
        config.cmd = nullptr;
        config.cmd_reset = true;
      }
    } else if (keyword == "USER") {
      config.user = &instruction;
    } else if (keyword == "STOPSIGNAL") {
      config.stopsignal = &instruction;
    } else if (keyword == "HEALTHCHECK") {
      config.healthcheck = &instruction;
    } else if (keyword == "SHELL") {
      config.shell = &instruction;
    } else if (keyword == "EXPOSE") {
      if (config.expose.size() < kMaxConfigEntries) config.expose.push_back(&instruction);
    } else if (keyword == "WORKDIR" && !instruction.arguments.empty()) {
      apply_workdir(config.workdir, config.workdir_known, stage.external_base, expand(instruction.arguments[0].text));
    } else if (keyword == "VOLUME") {
      if (config.volume_instructions.size() < kMaxConfigEntries) config.volume_instructions.push_back(&instruction);
      for (const Word& word : instruction.arguments) {
        if (config.volumes.size() >= kMaxConfigEntries) break;
        config.volumes.push_back(expand(word.text).text);  // in either form: `VOLUME ["${DATA_DIR}"]`
      }
    }
  }

  Dockerfile model_;
  bool cmd_set_in_stage_ = false;
  size_t stored_ = 0;
  std::unordered_map<std::string, size_t> stage_names_;  // name → index of the latest stage so named
};

}  // namespace

const Stage* Dockerfile::find_stage(std::string_view name_or_index) const {
  bool digits = !name_or_index.empty() && std::all_of(name_or_index.begin(), name_or_index.end(),
                                                      [](char c) { return c >= '0' && c <= '9'; });
  if (digits) {
    size_t index = 0;
    for (char c : name_or_index) {
      index = index * 10 + static_cast<size_t>(c - '0');
      if (index >= stages.size()) return nullptr;
    }
    return &stages[index];
  }
  std::string name = to_lower_ascii(name_or_index);
  for (const Stage& stage : stages)
    if (!stage.name.empty() && stage.name == name) return &stage;
  return nullptr;
}

const Stage* Dockerfile::stage_of(const Instruction& instruction, size_t* position) const {
  const std::vector<Instruction>& all = syntax.instructions;
  if (all.empty() || &instruction < all.data() || &instruction >= all.data() + all.size()) return nullptr;
  auto [stage, at] = placement[static_cast<size_t>(&instruction - all.data())];
  if (stage == kNoStage) return nullptr;
  if (position) *position = at;
  return &stages[stage];
}

const Variable* Dockerfile::variable(const Stage& stage, size_t position, std::string_view name) const {
  const Scope& scope = scopes[stage.index];
  uint32_t limit = position < scope.visible.size() ? scope.visible[position]
                                                   : static_cast<uint32_t>(scope.bindings.size());
  if (const Variable* own = find_binding(scope, name, limit, false)) return own;
  // ENV (not ARG) carries over into a stage built FROM this one.
  const Stage* current = &stage;
  for (int hops = 0; current->parent && hops < kMaxInheritance; ++hops) {
    current = &stages[*current->parent];
    const Scope& parent = scopes[current->index];
    if (const Variable* inherited =
            find_binding(parent, name, static_cast<uint32_t>(parent.bindings.size()), true))
      return inherited;
  }
  return nullptr;
}

std::optional<std::string> Dockerfile::workdir_at(const Stage& stage, size_t position) const {
  std::string workdir;
  bool known = true;
  if (stage.parent) {
    workdir = stages[*stage.parent].config.workdir;
    known = stages[*stage.parent].config.workdir_known;
  }
  for (size_t index = 0; index < position && index < stage.instructions.size(); ++index) {
    const Instruction& instruction = *stage.instructions[index];
    if (instruction.is("WORKDIR") && !instruction.arguments.empty())
      apply_workdir(workdir, known, stage.external_base, expand(stage, index, instruction.arguments[0].text));
  }
  if (!known || (workdir.empty() && stage.external_base)) return std::nullopt;
  return workdir.empty() ? std::string("/") : workdir;
}

Expansion Dockerfile::expand(const Stage& stage, size_t position, std::string_view word) const {
  // expand_word returns a word without '$', quote or escape as it is; asking needs_expansion here
  // first scanned every word that has one twice. One reference captured: the lookup fits in
  // std::function's own storage (three would be allocated, once per word expanded).
  struct Where {
    const Dockerfile& dockerfile;
    const Stage& stage;
    size_t position;
  } where{*this, stage, position};
  return expand_word(word, syntax.escape, [&where](std::string_view name) -> std::optional<VariableValue> {
    if (const Variable* found = where.dockerfile.variable(where.stage, where.position, name))
      return VariableValue{found->value, found->known};
    // Not set in this file: the base image may set it (PATH, HOME, its own ENV).
    if (where.stage.external_base) {
      const Stage* root = &where.stage;
      for (int hops = 0; root->parent && hops < kMaxInheritance; ++hops) root = &where.dockerfile.stages[*root->parent];
      if (root->image.ok())
        if (std::optional<std::string_view> inherited = detect::official_image_environment(root->image.text, name))
          return VariableValue{*inherited, true};
      return VariableValue{"", false};
    }
    return std::nullopt;
  });
}

Expansion Dockerfile::expand_global(std::string_view word) const {
  if (!needs_expansion(word, syntax.escape)) return {std::string(word), true, {}};
  return expand_word(word, syntax.escape, [&](std::string_view name) -> std::optional<VariableValue> {
    auto found = global_arg_index.find(name);
    if (found != global_arg_index.end()) {
      const Variable& arg = global_args[found->second];
      return VariableValue{arg.value, arg.known};
    }
    if (is_automatic_arg(name)) return VariableValue{"", false};
    return std::nullopt;
  });
}

namespace {
// Template syntax, line by line: `{{`, `{%` or `<%` outside quotes (a quoted `'{{.State.Health}}'` is
// a Go template handed to a command, not the file's own templating; `<%` opens ERB, EJS and Groovy
// SimpleTemplate code, as xwiki's generator uses), or a `%%NAME%%` token. One line of the text.
bool line_has_template_markers(std::string_view text) {
  char quote = 0;
  for (size_t at = 0; at + 1 < text.size(); ++at) {
    char c = text[at];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if ((c == '{' && (text[at + 1] == '{' || text[at + 1] == '%')) || (c == '<' && text[at + 1] == '%')) {
      return true;
    } else if (c == '%' && text[at + 1] == '%') {
      size_t end = at + 2;
      while (end < text.size() && (std::isupper(static_cast<unsigned char>(text[end])) ||
                                   std::isdigit(static_cast<unsigned char>(text[end])) || text[end] == '_'))
        ++end;
      if (end > at + 2 && text.substr(end, 2) == "%%") return true;
      at = end - 1;
    }
  }
  return false;
}

// Whether a line of `text` has template syntax. Quotes end at the end of a line, so each line is
// judged alone, and only a line with a marker's two bytes in it needs the quote-tracking walk:
// the lines are found at memchr's speed by the marker's second byte (`{` or `%`, the first of
// `{{` `{%` `%%` `<%` being `{`, `%` or `<`), where four searches of the whole file for each
// marker, and a walk of every byte when one was anywhere, cost 4 M instructions on 997 files.
bool has_template_markers(std::string_view text) {
  auto any_line = [&](char second, std::string_view firsts) {
    size_t at = 1;
    while (at < text.size()) {
      const void* found = std::memchr(text.data() + at, second, text.size() - at);
      if (!found) return false;
      size_t pair = static_cast<size_t>(static_cast<const char*>(found) - text.data());
      if (firsts.find(text[pair - 1]) == std::string_view::npos) {
        at = pair + 1;
        continue;
      }
      size_t line_begin = text.rfind('\n', pair - 1);
      line_begin = line_begin == std::string_view::npos ? 0 : line_begin + 1;
      size_t line_end = std::min(text.find('\n', pair), text.size());
      if (line_has_template_markers(text.substr(line_begin, line_end - line_begin))) return true;
      at = line_end + 1;
    }
    return false;
  };
  return any_line('{', "{") || any_line('%', "{%<");
}
}  // namespace

Dockerfile build_dockerfile(std::shared_ptr<const SourceFile> file, ParsedDockerfile syntax) {
  bool is_template = has_template_markers(file->text());
  Dockerfile dockerfile = Builder(std::move(file), std::move(syntax)).build();
  dockerfile.is_template = is_template;
  return dockerfile;
}

std::optional<CopyArguments> copy_arguments(const Instruction& instruction) {
  const Instruction& target = instruction.is("ONBUILD") && instruction.trigger ? *instruction.trigger : instruction;
  if (!target.is("COPY") && !target.is("ADD")) return std::nullopt;
  CopyArguments result;
  result.from = target.flag("from");
  if (target.arguments.empty()) return result;
  result.destination = &target.arguments.back();
  result.sources.reserve(target.arguments.size() - 1);
  for (size_t i = 0; i + 1 < target.arguments.size(); ++i) {
    const Word& word = target.arguments[i];
    CopySource source;
    source.word = &word;
    for (const Heredoc& heredoc : target.heredocs)
      if (heredoc.word_span == word.span) source.heredoc = &heredoc;
    result.sources.push_back(source);
  }
  return result;
}

TextMap shell_source(const SourceFile& file, const Instruction& instruction) {
  const Instruction& target = instruction.is("ONBUILD") && instruction.trigger ? *instruction.trigger : instruction;
  if (target.form != Form::Shell) return {};
  TextMap script;
  if (target.is("RUN") || target.is("CMD") || target.is("ENTRYPOINT")) {
    if (target.arguments.empty()) return {};
    // `RUN <<EOF` alone: BuildKit runs the body as the script.
    if (target.is("RUN") && target.heredocs.size() == 1 && target.heredocs[0].word_span == target.arguments[0].span)
      return target.heredocs[0].body;
    script = target.arguments_map();
  } else if (target.is("HEALTHCHECK") && target.arguments.size() >= 2) {
    return target.word_map(target.arguments[1]);
  } else {
    return {};
  }
  for (const Heredoc& heredoc : target.heredocs) {
    script.append_inserted("\n", script.file_end_offset(script.text().size()));
    script.append(heredoc.body);
    if (!heredoc.terminator_span.empty()) {
      size_t terminator = file.offset_of(heredoc.terminator_span.begin);
      script.append_copy(file.text().substr(terminator, heredoc.name.size()), terminator);
    }
  }
  return script;
}

namespace {
// Whether `needle` occurs in `text`, searched by the needle's byte that is rarest in Dockerfiles:
// memchr stops at each occurrence of the byte it looks for, and std::string::find looks for the
// first one, so `install` stopped at every 'i' of a RUN line and `save_handler` at every 's'.
// Rules ask this of every RUN with several needles (10,800 times on 997 Dockerfiles, 6.4 M
// instructions with find).
// The bytes of the 997 benchmark Dockerfiles from the most to the least frequent, to the 40th,
// as a rank per byte: higher is rarer; a byte not listed is rarer than all of them.
constexpr std::array<uint8_t, 256> kByteRarity = [] {
  constexpr std::string_view kCommonBytes = " etsra-oi\nnpl/cd\t\\u#hmg.b\"fERk;N_yAvPOwI";
  std::array<uint8_t, 256> rarity{};
  rarity.fill(static_cast<uint8_t>(kCommonBytes.size()));
  for (size_t rank = 0; rank < kCommonBytes.size(); ++rank) rarity[static_cast<unsigned char>(kCommonBytes[rank])] = static_cast<uint8_t>(rank);
  return rarity;
}();

bool contains(std::string_view text, std::string_view needle) {
  if (needle.empty()) return true;
  if (needle.size() > text.size()) return false;
  size_t rare = 0;
  uint8_t rare_rank = kByteRarity[static_cast<unsigned char>(needle[0])];
  for (size_t index = 1; index < needle.size(); ++index) {
    uint8_t rank = kByteRarity[static_cast<unsigned char>(needle[index])];
    if (rank > rare_rank) {
      rare = index;
      rare_rank = rank;
    }
  }
  // The needle's rare byte can only stand where a whole needle fits around it.
  const char* search = text.data() + rare;
  const char* search_end = text.data() + (text.size() - needle.size() + rare + 1);
  while (search < search_end) {
    const auto* found = static_cast<const char*>(std::memchr(search, needle[rare], static_cast<size_t>(search_end - search)));
    if (!found) return false;
    if (std::memcmp(found - rare, needle.data(), needle.size()) == 0) return true;
    search = found + 1;
  }
  return false;
}
}  // namespace

bool shell_source_may_contain(const Instruction& instruction, std::string_view needle) {
  const Instruction& target = instruction.is("ONBUILD") && instruction.trigger ? *instruction.trigger : instruction;
  // shell_source joins slices of the line, heredoc bodies (each line ending in its break) and
  // delimiters with line breaks: a needle without one lies inside a single piece.
  if (contains(target.line.text(), needle)) return true;
  for (const Heredoc& heredoc : target.heredocs)
    if (contains(heredoc.body.text(), needle) || heredoc.name.find(needle) != std::string::npos) return true;
  return false;
}

std::vector<std::pair<std::string, std::string>> flag_fields(std::string_view value) {
  std::vector<std::pair<std::string, std::string>> fields;
  std::string field;
  bool quoted = false;
  auto flush = [&] {
    size_t equals = field.find('=');
    if (!field.empty())
      fields.emplace_back(field.substr(0, equals), equals == std::string::npos ? "" : field.substr(equals + 1));
    field.clear();
  };
  for (char c : value) {
    if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      flush();
    } else {
      field += c;
    }
  }
  flush();
  return fields;
}

}  // namespace shiftlint::docker
