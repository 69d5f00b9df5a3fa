#include "analyzer/parse/shell/path_write.h"

#include <algorithm>

#include "analyzer/parse/shell/arguments.h"
#include "analyzer/parse/shell/effective_command.h"
#include "analyzer/parse/shell/script_findings.h"

namespace shiftlint::shell {

namespace {

const Heredoc* first_heredoc(const Command& command) {
  return command.heredocs.empty() ? nullptr : &command.heredocs.front();
}

// cp/mv/install/ln: `SOURCE... DEST` or `-t DIR SOURCE...`.
void destination_and_sources(std::vector<PathWrite>& writes, uint32_t index, WriteMethod method,
                             const ParsedArguments& parsed, const Word* target_directory) {
  if (target_directory) {
    PathWrite write{method, index, target_directory};
    if (parsed.operands.size() == 1) write.source = parsed.operands.front();
    writes.push_back(write);
    return;
  }
  if (parsed.operands.size() < 2) return;  // `ln -s target` links into the working directory
  PathWrite write{method, index, parsed.operands.back()};
  if (parsed.operands.size() == 2) write.source = parsed.operands.front();
  writes.push_back(write);
}

// Whether program_writes reads commands of this program (keep the two in step): most commands are
// none of these, and asking by first letter spares building their EffectiveCommand.
bool may_write_paths(std::string_view name) {
  if (name.empty()) return false;
  switch (name[0]) {
    case 'c': return name == "cp" || name == "curl";
    case 'i': return name == "install";
    case 'l': return name == "ln";
    case 'm': return name == "mv" || name == "mkdir";
    case 'p': return name == "perl";
    case 's': return name == "sed";
    case 't': return name == "tee" || name == "touch";
    case 'w': return name == "wget";
    default: return false;
  }
}

void program_writes(std::vector<PathWrite>& writes, uint32_t index, const Command& command,
                    const EffectiveCommand& effective) {
  std::string_view name = effective.program_name();
  std::span<const Word> arguments = effective.arguments;
  if (name == "tee") {
    ParsedArguments parsed = parse_arguments(arguments, {"--output-error"});
    bool appends = parsed.has("-a") || parsed.has("--append") || parsed.has_letter('a');
    for (const Word* path : parsed.operands) {
      writes.push_back({WriteMethod::Tee, index, path, nullptr, appends, first_heredoc(command)});
    }
  } else if (name == "cp" || name == "mv") {
    ParsedArguments parsed = parse_arguments(arguments, {"-t", "--target-directory", "-S", "--suffix"});
    const Word* directory = parsed.value_of("-t") ? parsed.value_of("-t") : parsed.value_of("--target-directory");
    destination_and_sources(writes, index, name == "cp" ? WriteMethod::Copy : WriteMethod::Move, parsed, directory);
  } else if (name == "install") {
    ParsedArguments parsed = parse_arguments(
        arguments, {"-m", "--mode", "-o", "--owner", "-g", "--group", "-t", "--target-directory", "-S", "--suffix"});
    if (parsed.has("-d") || parsed.has("--directory") || parsed.has_letter('d')) {
      for (const Word* path : parsed.operands) writes.push_back({WriteMethod::MakeDirectory, index, path});
      return;
    }
    const Word* directory = parsed.value_of("-t") ? parsed.value_of("-t") : parsed.value_of("--target-directory");
    destination_and_sources(writes, index, WriteMethod::Copy, parsed, directory);
  } else if (name == "ln") {
    ParsedArguments parsed = parse_arguments(arguments, {"-t", "--target-directory", "-S", "--suffix"});
    const Word* directory = parsed.value_of("-t") ? parsed.value_of("-t") : parsed.value_of("--target-directory");
    destination_and_sources(writes, index, WriteMethod::Link, parsed, directory);
  } else if (name == "mkdir") {
    ParsedArguments parsed = parse_arguments(arguments, {"-m", "--mode", "--context"});
    for (const Word* path : parsed.operands) writes.push_back({WriteMethod::MakeDirectory, index, path});
  } else if (name == "touch") {
    ParsedArguments parsed = parse_arguments(arguments, {"-d", "--date", "-t", "-r", "--reference"});
    for (const Word* path : parsed.operands) writes.push_back({WriteMethod::Touch, index, path});
  } else if (name == "sed") {
    ParsedArguments parsed = parse_arguments(arguments, {"-e", "--expression", "-f", "--file", "-l", "--line-length"});
    bool in_place = std::any_of(parsed.options.begin(), parsed.options.end(), [](const ParsedArguments::Option& o) {
      std::string_view v = o.word->value;
      return v.starts_with("-i") || v.starts_with("--in-place") || (v.size() > 1 && v[0] == '-' && v[1] != '-' && v.find('i') != std::string_view::npos);
    });
    if (!in_place) return;
    bool script_in_option = parsed.has("-e") || parsed.has("--expression") || parsed.has("-f") || parsed.has("--file");
    for (size_t i = script_in_option ? 0 : 1; i < parsed.operands.size(); ++i) {
      writes.push_back({WriteMethod::EditInPlace, index, parsed.operands[i]});
    }
  } else if (name == "perl") {
    ParsedArguments parsed = parse_arguments(arguments, {"-e", "-E", "-I", "-M", "-m"});
    if (!parsed.has_letter('i')) return;
    bool script_in_option = parsed.has("-e") || parsed.has("-E") || parsed.has_letter('e');
    for (size_t i = script_in_option ? 0 : 1; i < parsed.operands.size(); ++i) {
      writes.push_back({WriteMethod::EditInPlace, index, parsed.operands[i]});
    }
  } else if (name == "curl") {
    ParsedArguments parsed = parse_arguments(arguments, {"-o", "--output", "-H", "--header", "-d", "--data", "-u",
                                                         "--user", "-X", "--request", "-A", "--user-agent", "-e",
                                                         "--referer", "-m", "--max-time", "--retry", "-w",
                                                         "--write-out", "-x", "--proxy", "--connect-timeout"});
    for (const ParsedArguments::Option& option : parsed.options) {
      if ((option.word->value == "-o" || option.word->value == "--output") && option.value) {
        writes.push_back({WriteMethod::Download, index, option.value});
      }
    }
  } else if (name == "wget") {
    ParsedArguments parsed = parse_arguments(arguments, {"-O", "--output-document", "-P", "--directory-prefix",
                                                         "--header", "-U", "--user-agent", "-T", "--timeout",
                                                         "-t", "--tries"});
    for (const ParsedArguments::Option& option : parsed.options) {
      bool output = option.word->value == "-O" || option.word->value == "--output-document" ||
                    option.word->value == "-P" || option.word->value == "--directory-prefix";
      if (output && option.value) writes.push_back({WriteMethod::Download, index, option.value});
    }
  }
}

}  // namespace

std::string_view write_method_name(WriteMethod method) {
  switch (method) {
    case WriteMethod::Redirection: return "redirection";
    case WriteMethod::Tee: return "tee";
    case WriteMethod::Copy: return "copy";
    case WriteMethod::Move: return "move";
    case WriteMethod::Link: return "link";
    case WriteMethod::MakeDirectory: return "mkdir";
    case WriteMethod::Touch: return "touch";
    case WriteMethod::EditInPlace: return "edit in place";
    case WriteMethod::Download: return "download";
  }
  return "";
}

namespace {

std::vector<PathWrite> find_path_writes_in(const Script& script) {
  std::vector<PathWrite> writes;
  std::vector<Span> group_redirections;  // `{ a; b; } > log` is one write, not one per command
  for (uint32_t index = 0; index < script.commands.size(); ++index) {
    const Command& command = script.commands[index];
    for (const Redirection& redirection : command.redirections) {
      if (!redirection.writes_file()) continue;
      if (redirection.from_enclosing_group) {
        if (std::find(group_redirections.begin(), group_redirections.end(), redirection.span) !=
            group_redirections.end()) {
          continue;
        }
        group_redirections.push_back(redirection.span);
      }
      writes.push_back({WriteMethod::Redirection, index, &redirection.target, nullptr, redirection.appends(),
                        first_heredoc(command)});
    }
    if (!may_write_paths(effective_program_name(command))) continue;
    EffectiveCommand effective = effective_command(command);
    if (effective.program && !effective.shell_string) program_writes(writes, index, command, effective);
  }
  return writes;
}

}  // namespace

const std::vector<PathWrite>& find_path_writes(const Script& script) {
  ScriptFindings::Slots& slots = script.findings.slots();
  slots.path_writes_found.call([&] { slots.path_writes = find_path_writes_in(script); });
  return slots.path_writes;
}

}  // namespace shiftlint::shell
