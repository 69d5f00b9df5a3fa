#include "analyzer/cli/fix_files.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "analyzer/cli/output_file.h"
#include "analyzer/edit/apply_fixes.h"

namespace shiftlint {

namespace fs = std::filesystem;

namespace {

std::optional<std::string> read_bytes(const std::string& path) {
  std::ifstream input(path, std::ios::binary);
  if (!input) return std::nullopt;
  std::stringstream buffer;
  buffer << input.rdbuf();
  if (input.bad()) return std::nullopt;
  return buffer.str();
}

size_t parse_errors(const std::string& path, const std::string& display_path, std::string text, const Config& config,
                    const RuleSelection& parse_only) {
  auto findings = lint_source(std::make_shared<const SourceFile>(path, display_path, std::move(text)), config, parse_only);
  return findings ? findings->size() : 0;
}

}  // namespace

FixOutcome fix_files(const CheckRequest& request, const Baseline* baseline, size_t max_passes) {
  FixOutcome outcome;
  const Config& config = *request.config;
  // The parse check: SL001 alone, whatever the run selects.
  RuleSelection parse_only = select_rules(Config{}, {"SL001"}, {});
  std::set<std::string> left_alone;  // on-disk paths: not touched again in later passes

  for (size_t pass = 0;; ++pass) {
    outcome.final_check = run_check(request);
    outcome.passes = pass + 1;
    if (pass == max_passes) break;
    std::vector<Finding> findings = outcome.final_check.summary.findings;
    if (baseline) filter_by_baseline(findings, *baseline);

    // Fixes by file, in report order.
    std::map<std::string, std::vector<const Finding*>> by_file;
    for (const Finding& finding : findings)
      if (finding.fix && !finding.fix->edits.empty()) by_file[finding.location.path].push_back(&finding);

    size_t applied_this_pass = 0;
    for (const auto& [display_path, fixable] : by_file) {
      fs::path on_disk = fs::path(display_path).is_absolute()
                             ? fs::path(display_path)
                             : fs::path(outcome.final_check.summary.root_directory) / display_path;
      std::string path = on_disk.lexically_normal().string();
      if (left_alone.count(path)) continue;
      std::error_code error;
      if (fs::is_symlink(path, error)) {
        outcome.warnings.push_back(fmt::format("{}: a symbolic link; not fixed (run --fix on the file it points to)",
                                               display_path));
        left_alone.insert(path);
        continue;
      }
      std::optional<std::string> bytes = read_bytes(path);
      if (!bytes) {
        outcome.errors.push_back(fmt::format("{}: cannot read: {}", display_path, std::strerror(errno)));
        left_alone.insert(path);
        continue;
      }
      SourceFile file(path, display_path, *bytes);
      // Fixes were computed on the text linted a moment ago: it must still be what is on disk.
      std::vector<const Fix*> fixes;
      bool changed_on_disk = false;
      for (const Finding* finding : fixable) {
        if (file.line(finding->location.span.begin.line) != finding->location.begin_line_text) changed_on_disk = true;
        fixes.push_back(&*finding->fix);
      }
      if (changed_on_disk) {
        outcome.warnings.push_back(fmt::format("{}: changed while it was being fixed; not fixed", display_path));
        left_alone.insert(path);
        continue;
      }
      edit::AppliedFixes applied = edit::apply_fixes(file, fixes);
      if (applied.applied == 0 || applied.text == file.text()) continue;

      // A file that does not parse is not touched at all; a fix must not make one.
      if (parse_errors(path, display_path, std::string(file.text()), config, parse_only) > 0) {
        outcome.warnings.push_back(fmt::format("{}: has syntax errors (SL001); not fixed", display_path));
        left_alone.insert(path);
        continue;
      }
      if (parse_errors(path, display_path, applied.text, config, parse_only) > 0) {
        outcome.warnings.push_back(fmt::format(
            "{}: the fixed text would not parse; left unchanged (please report this with the file)", display_path));
        left_alone.insert(path);
        continue;
      }
      // A file without any write permission is read-only on purpose, even for root.
      std::string not_writable;
      struct stat status {};
      if (access(path.c_str(), W_OK) != 0 || stat(path.c_str(), &status) != 0) not_writable = std::strerror(errno);
      else if ((status.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) == 0) not_writable = "the file is read-only";
      if (!not_writable.empty()) {
        outcome.errors.push_back(fmt::format("{}: cannot write: {}", display_path, not_writable));
        left_alone.insert(path);
        continue;
      }
      std::string content = file.had_byte_order_mark() ? "\xEF\xBB\xBF" + applied.text : applied.text;
      std::string write_error = write_file_atomically(path, content);
      if (!write_error.empty()) {
        outcome.errors.push_back(fmt::format("{}: cannot write: {}", display_path, write_error));
        left_alone.insert(path);
        continue;
      }
      outcome.fixed_findings += applied.applied;
      outcome.fixed_files.insert(display_path);
      applied_this_pass += applied.applied;
    }
    if (applied_this_pass == 0) break;
  }
  return outcome;
}

}  // namespace shiftlint
