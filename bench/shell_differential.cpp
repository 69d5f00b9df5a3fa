// The differential check of the two shell front ends (analyzer/parse/shell/shell_reader.h and
// tree-sitter-bash): every shell text found in the given Dockerfiles and scripts is parsed with
// both, and the Scripts are compared field by field. Prints the hand-written reader's coverage (the
// share of texts it parsed without handing them to tree-sitter) and every difference.
//
//   build/shell_differential [--show-declined] [--show-trees] [--show-commands] PATH...
//   (a PATH is a file, a folder, or @LIST: a file of paths)
//
// --show-trees prints both trees of each differing text, and with --show-declined tree-sitter's tree
// of each declined one (the shape the reader must produce to cover it); for valid shell tree-sitter
// rejects, how the two Scripts differ. --show-commands prints the reader's commands of each text
// it accepts.
//
// Dockerfiles (by name, as shiftlint finds them) give their RUN, CMD, ENTRYPOINT and HEALTHCHECK
// shell texts (heredoc bodies included) and exec forms; *.sh, *.bash, files named like an
// entrypoint and files starting with a sh/bash shebang are parsed whole. Exit status 1 when any
// difference was found. Texts where the reader departs from tree-sitter on purpose (a pipeline of
// three or more stages followed by `&&` or `||`, which tree-sitter-bash 0.25 nests so that the
// commands after the `&&` look like pipeline stages) are counted apart as known departures, each
// checked against tree-sitter's Script of a twin text where those operators are `; ` (same length,
// same offsets), which must be the reader's but for those commands' connectors.
//
// Texts where tree-sitter reports a syntax error and the reader accepts the text are valid shell
// tree-sitter-bash misparses (`${X:+(a)}`, `if a; then if b; then c; fi fi`): the reader gives what
// the shell means there, so the two Scripts are not compared. They are counted apart, and each must
// pass `bash -n` (bench/bash_syntax.h: bash parses the text, runs none of it); a text bash rejects is
// a difference. Every text where tree-sitter reports no error is still compared field by field.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "analyzer/model/docker/dockerfile.h"
#include "analyzer/model/docker/instruction_script.h"
#include "analyzer/parse/dockerfile_parser.h"
#include "analyzer/parse/shell/shell_parser.h"
#include "analyzer/parse/shell/shell_reader.h"
#include "analyzer/parse/shell/syntax_tree.h"
#include "bench/bash_syntax.h"
#include "bench/script_difference.h"

namespace fs = std::filesystem;
using namespace shiftlint;

namespace {

struct Totals {
  uint64_t texts = 0;
  uint64_t accepted = 0;
  uint64_t differing = 0;
  uint64_t departures = 0;
  uint64_t tree_sitter_rejects = 0;  // valid shell (bash -n) tree-sitter reports errors on
  uint64_t nested_hand_written = 0;
  uint64_t nested_tree_sitter = 0;
  double tree_sitter_seconds = 0;
  double hand_written_seconds = 0;
};

bool show_declined = false;
bool show_trees = false;
bool show_commands = false;

// Where, in the reader's tree of `text`, a pipeline of three or more stages is followed by `&&` or
// `||` (`a | b | c && d`): the offsets of those operators. The one shape where the reader departs
// from tree-sitter on purpose (shell_reader.cpp, statement()).
std::vector<size_t> operators_after_long_pipelines(std::string_view text) {
  std::vector<size_t> operators;
  shell::SyntaxTree tree;
  if (!shell::read_shell(text, tree)) return operators;
  std::vector<uint32_t> ends;  // the end index of each open ancestor
  std::vector<shell::NodeKind> kinds;
  for (uint32_t i = 0; i < tree.nodes.size(); ++i) {
    while (!ends.empty() && ends.back() <= i) {
      ends.pop_back();
      kinds.pop_back();
    }
    const shell::SyntaxNode& node = tree.nodes[i];
    if (node.kind == shell::NodeKind::Pipeline && (node.child_count + 1) / 2 >= 3 && !kinds.empty() &&
        kinds.back() == shell::NodeKind::List) {
      size_t after = node.end;
      for (;;) {  // blanks and line continuations
        if (after < text.size() && (text[after] == ' ' || text[after] == '\t')) {
          ++after;
        } else if (text.substr(after, 2) == "\\\n") {
          after += 2;
        } else {
          break;
        }
      }
      std::string_view next = text.substr(after, 2);
      if (next == "&&" || next == "||") operators.push_back(after);
    }
    ends.push_back(i + node.size);
    kinds.push_back(node.kind);
  }
  return operators;
}

bool has_list_after_long_pipeline(std::string_view text) { return !operators_after_long_pipelines(text).empty(); }

// A departure checked against tree-sitter itself: the text with each `&&`/`||` after a long
// pipeline replaced by `; ` (same length, same offsets) is read by tree-sitter without an error and
// without nesting the rest into the pipeline, and its Script must be the reader's but for the
// connector of the commands after those operators (`;` where the reader has `&&`/`||`).
bool matches_sequence_twin(const SourceFile& file, const TextMap& text, const shell::Script& read) {
  std::vector<size_t> operators = operators_after_long_pipelines(text.text());
  if (operators.empty()) return false;
  std::string twin(text.text());
  for (size_t at : operators) twin.replace(at, 2, "; ");
  // The twin mapped into the file as the text is, piece by piece, so that spans compare.
  TextMap twin_map;
  for (const TextMap::Piece& piece : text.pieces()) {
    std::string_view bytes = std::string_view(twin).substr(piece.text_offset, piece.length);
    if (piece.inserted) {
      twin_map.append_inserted(bytes, piece.file_offset);
    } else {
      twin_map.append_copy(bytes, piece.file_offset);
    }
  }
  std::optional<shell::Script> expected = shell::parse_shell_with(file, twin_map, shell::ShellFrontEnd::TreeSitter);
  if (!expected || expected->has_syntax_errors) return false;
  shell::ScriptComparison comparison;
  comparison.script(*expected, read);
  for (const std::string& difference : comparison.differences) {
    bool connector = difference.rfind("commands[", 0) == 0 &&
                     (difference.ends_with("].connector: tree-sitter 1, reader 2") ||
                      difference.ends_with("].connector: tree-sitter 1, reader 3"));
    if (!connector) return false;
  }
  return true;
}

// A difference that is that departure: tree-sitter-bash 0.25 nests `a | b | c && d | e && f` so
// that commands after an `&&` look like pipeline stages; the reader's parse is the shell's.
bool is_known_departure(const std::vector<std::string>& differences, std::string_view text) {
  for (const std::string& difference : differences) {
    if (difference.rfind("commands[", 0) != 0 ||
        difference.find("].in_pipeline: tree-sitter 1, reader 0") == std::string::npos) {
      return false;
    }
  }
  return has_list_after_long_pipeline(text);
}

// Both front ends' trees, indented, for finding where a difference starts.
void print_tree(const shell::SyntaxTree& tree, std::string_view text) {
  std::vector<uint32_t> ends;  // the end index of each open ancestor
  for (uint32_t i = 0; i < tree.nodes.size(); ++i) {
    while (!ends.empty() && ends.back() <= i) ends.pop_back();
    const shell::SyntaxNode& node = tree.nodes[i];
    std::string_view excerpt = text.substr(node.begin, std::min<uint32_t>(node.end - node.begin, 30));
    std::cout << std::string(ends.size() * 2, ' ') << static_cast<int>(node.kind) << " field "
              << static_cast<int>(node.field) << (node.named ? "" : " anonymous") << " [" << node.begin << ","
              << node.end << ") children " << node.child_count << " " << excerpt << "\n";
    ends.push_back(i + node.size);
  }
}

void check_text(const SourceFile& file, const TextMap& text, const std::string& where, Totals& totals) {
  if (text.empty()) return;
  ++totals.texts;
  auto started = std::chrono::steady_clock::now();
  std::optional<shell::Script> expected = shell::parse_shell_with(file, text, shell::ShellFrontEnd::TreeSitter);
  auto middle = std::chrono::steady_clock::now();
  shell::ShellParseStatistics before = shell::thread_statistics();
  std::optional<shell::Script> actual = shell::parse_shell_with(file, text, shell::ShellFrontEnd::HandWrittenOnly);
  auto finished = std::chrono::steady_clock::now();
  totals.tree_sitter_seconds += std::chrono::duration<double>(middle - started).count();
  totals.hand_written_seconds += std::chrono::duration<double>(finished - middle).count();
  if (!actual) {
    if (show_declined) {
      shell::SyntaxTree tree;
      size_t at = 0;
      shell::read_shell(text.text(), tree, &at);
      std::string_view all = text.text();
      size_t from = at >= 20 ? at - 20 : 0;
      std::string excerpt(all.substr(from, at - from));
      excerpt += "<HERE>";
      excerpt += all.substr(at, 20);
      std::replace(excerpt.begin(), excerpt.end(), '\n', ' ');
      std::cout << "declined " << where << " at " << at << ": " << excerpt << "\n";
      if (show_trees) {
        shell::parse_with_tree_sitter(text.text(), tree);
        std::cout << "tree-sitter" << (tree.has_error ? " (reports an error)" : "") << ":\n";
        print_tree(tree, text.text());
      }
    }
    return;
  }
  ++totals.accepted;
  if (expected->has_syntax_errors && !actual->has_syntax_errors) {
    std::optional<bool> valid = shell::bash_accepts_syntax(text.text());
    if (valid.value_or(false)) {
      ++totals.tree_sitter_rejects;
      std::cout << "tree-sitter rejects, the reader accepts (bash -n: valid) " << where << ": commands: tree-sitter "
                << expected->commands.size() << ", reader " << actual->commands.size() << "\n";
      if (show_trees) {  // how tree-sitter's recovery from its error differs from the shell's reading
        shell::ScriptComparison comparison;
        comparison.script(*expected, *actual);
        for (const std::string& difference : comparison.differences) std::cout << "  " << difference << "\n";
      }
      return;
    }
    ++totals.differing;
    std::cout << "DIFFERENT " << where << "\n" << text.text() << "\n  tree-sitter reports an error, the reader accepts, "
              << (valid ? "bash -n rejects the text" : "bash could not be run") << "\n----\n";
    return;
  }
  if (show_commands) {
    std::cout << "commands of " << where << (expected->has_syntax_errors ? " (tree-sitter reports an error)" : "")
              << ":\n";
    for (const shell::Command& command : actual->commands) {
      std::cout << "  " << shell::describe_span(command.span) << " " << command.name.value << " arguments "
                << command.arguments.size() << " redirections " << command.redirections.size() << " connector "
                << static_cast<int>(command.connector) << (command.in_pipeline ? " in_pipeline" : "")
                << (command.in_condition ? " in_condition" : "") << (command.in_branch ? " in_branch" : "")
                << (command.in_command_substitution ? " in_command_substitution" : "") << "\n";
    }
  }
  const shell::ShellParseStatistics& after = shell::thread_statistics();
  totals.nested_hand_written += after.hand_written_texts - before.hand_written_texts - 1;
  totals.nested_tree_sitter += after.tree_sitter_texts - before.tree_sitter_texts;
  shell::ScriptComparison comparison;
  comparison.script(*expected, *actual);
  if (comparison.differences.empty()) return;
  if (has_list_after_long_pipeline(text.text())) {
    if (!matches_sequence_twin(file, text, *actual)) {
      ++totals.differing;
      std::cout << "DIFFERENT (a departure its `; ` twin does not confirm) " << where << "\n" << text.text() << "\n";
      for (const std::string& difference : comparison.differences) std::cout << "  " << difference << "\n";
      std::cout << "----\n";
      return;
    }
    ++totals.departures;
    std::cout << "departure (" << comparison.differences.size() << " fields where tree-sitter nests the list after a "
              << "long pipeline" << (is_known_departure(comparison.differences, text.text()) ? ", in_pipeline only" : "")
              << "; the `; ` twin agrees with the reader) " << where << "\n";
    return;
  }
  ++totals.differing;
  std::cout << "DIFFERENT " << where << "\n" << text.text() << "\n";
  size_t shown = 0;
  for (const std::string& difference : comparison.differences) {
    if (++shown > 12) break;
    std::cout << "  " << difference << "\n";
  }
  if (show_trees) {
    shell::SyntaxTree tree;
    shell::parse_with_tree_sitter(text.text(), tree);
    std::cout << "tree-sitter:\n";
    print_tree(tree, text.text());
    shell::read_shell(text.text(), tree);
    std::cout << "reader:\n";
    print_tree(tree, text.text());
  }
  std::cout << "----\n";
}

bool is_dockerfile_name(const std::string& name) {
  std::string lower = name;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return lower == "dockerfile" || lower == "containerfile" || lower.rfind("dockerfile.", 0) == 0 ||
         (lower.size() > 11 && lower.substr(lower.size() - 11) == ".dockerfile");
}

bool is_script(const fs::path& path, std::string_view text) {
  std::string name = path.filename().string();
  std::string extension = path.extension().string();
  if (extension == ".sh" || extension == ".bash") return true;
  if (name.find("entrypoint") != std::string::npos && extension.empty()) return true;
  if (text.rfind("#!", 0) == 0) {
    std::string_view first_line = text.substr(0, text.find('\n'));
    return first_line.find("sh") != std::string_view::npos &&
           (first_line.find("/sh") != std::string_view::npos || first_line.find("bash") != std::string_view::npos ||
            first_line.find("/dash") != std::string_view::npos || first_line.find("/ash") != std::string_view::npos);
  }
  return false;
}

void check_file(const fs::path& path, Totals& totals) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream) return;
  std::string text((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
  if (text.size() > 2'000'000) return;
  std::string name = path.filename().string();
  if (is_dockerfile_name(name)) {
    SourceFile file(path.string(), path.string(), text);
    docker::ParsedDockerfile parsed = docker::parse_dockerfile(file);
    for (const docker::Instruction& written : parsed.instructions) {
      const docker::Instruction& instruction = written.is("ONBUILD") && written.trigger ? *written.trigger : written;
      if (!(instruction.is("RUN") || instruction.is("CMD") || instruction.is("ENTRYPOINT") ||
            instruction.is("HEALTHCHECK"))) {
        continue;
      }
      std::string where = path.string() + ":" + std::to_string(written.keyword_span.begin.line);
      if (instruction.form == docker::Form::Exec) {
        check_text(file, docker::exec_form_as_shell(written), where, totals);
      } else {
        check_text(file, docker::shell_source(file, written), where, totals);
      }
    }
    return;
  }
  if (!is_script(path, text)) return;
  SourceFile file(path.string(), path.string(), text);
  check_text(file, shell::text_map_of_range(file, 0, file.text().size()), path.string(), totals);
}

void check_path(const fs::path& path, Totals& totals) {
  std::error_code error;
  if (fs::is_directory(path, error)) {
    for (auto it = fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, error);
         it != fs::recursive_directory_iterator(); it.increment(error)) {
      if (error) break;
      std::string name = it->path().filename().string();
      if (it->is_directory(error) && (name == ".git" || name == "node_modules")) {
        it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file(error) && !it->is_symlink(error)) check_file(it->path(), totals);
    }
  } else if (fs::is_regular_file(path, error)) {
    check_file(path, totals);
  }
}

}  // namespace

int main(int argc, char** argv) {
  Totals totals;
  for (int i = 1; i < argc; ++i) {
    std::string argument = argv[i];
    if (argument == "--show-declined") {
      show_declined = true;
    } else if (argument == "--show-trees") {
      show_trees = true;
    } else if (argument == "--show-commands") {
      show_commands = true;
    } else if (!argument.empty() && argument[0] == '@') {
      std::ifstream list(argument.substr(1));
      std::string line;
      while (std::getline(list, line)) {
        if (!line.empty()) check_path(line, totals);
      }
    } else {
      check_path(argument, totals);
    }
  }
  double coverage = totals.texts ? 100.0 * static_cast<double>(totals.accepted) / static_cast<double>(totals.texts) : 0;
  std::printf("texts: %llu, parsed by the reader: %llu (%.1f%%), differing: %llu, known departures: %llu\n",
              static_cast<unsigned long long>(totals.texts), static_cast<unsigned long long>(totals.accepted),
              coverage, static_cast<unsigned long long>(totals.differing),
              static_cast<unsigned long long>(totals.departures));
  std::printf("reader accepts valid shell tree-sitter rejects (bash -n): %llu\n",
              static_cast<unsigned long long>(totals.tree_sitter_rejects));
  std::printf("sh -c strings inside accepted texts: %llu by the reader, %llu by tree-sitter\n",
              static_cast<unsigned long long>(totals.nested_hand_written),
              static_cast<unsigned long long>(totals.nested_tree_sitter));
  std::printf("time: tree-sitter %.1f ms, the reader alone (declined texts cost their attempt only) %.1f ms\n",
              totals.tree_sitter_seconds * 1000, totals.hand_written_seconds * 1000);
  return totals.differing == 0 ? 0 : 1;
}
