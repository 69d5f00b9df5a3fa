#include "analyzer/cli/commands.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "analyzer/cli/arguments.h"
#include "analyzer/cli/baseline.h"
#include "analyzer/cli/fix_files.h"
#include "analyzer/cli/interrupt_cleanup.h"
#include "analyzer/cli/output_file.h"
#include "analyzer/cli/parity_command.h"
#include "analyzer/cli/render_command.h"
#include "analyzer/cli/streamed_report.h"
#include "analyzer/config/config.h"
#include "analyzer/detect/end_of_life.h"
#include "analyzer/engine/check_run.h"
#include "analyzer/engine/finding_stream.h"
#include "analyzer/engine/rule.h"
#include "analyzer/lsp/stdio_loop.h"
#include "analyzer/report/report.h"
#include "analyzer/report/repository_paths.h"

#ifndef SHIFTLINT_VERSION
#define SHIFTLINT_VERSION "0.0.0"
#endif

namespace shiftlint::cli {

namespace {

constexpr int kExitClean = 0;
constexpr int kExitFindings = 1;
constexpr int kExitError = 2;

constexpr const char* kUsage = R"(shiftlint — lint the hazards of moving workloads from VMs to containers

Usage:
  shiftlint check [PATH...] [options]   lint files and folders (default: .)
  shiftlint rules [--format text|json]  list the rules
  shiftlint explain ID|SLUG             show a rule's documentation
  shiftlint lsp [--stdio]               language server over stdin/stdout (for editors)
  shiftlint render CHART [options]      print a Helm chart as rendered (like `helm template`):
      --values FILE, --set k=v, --release-name N, --namespace NS, --kube-version V,
      --api-versions G/V (values and --set may repeat)
  shiftlint parity [PATH] [options]     per Elastic Beanstalk app: what the old host configured
      (packages, env vars, limits, sysctls, time zone, cron, log shipping, hooks) and where each
      item lives now in the linked Dockerfiles, task definitions and workloads, or that it is
      missing; --format text|json, --config FILE, --output FILE, --jobs N; exit 0 (a report)
  shiftlint --version

Options for check:
  --format FORMAT                   report format: text (default), json, sarif, github, gitlab,
                                    junit or checkstyle
  --output FILE                     write the report to FILE instead of stdout
  --config FILE                     configuration (default: .shiftlint.yaml found from PATH upward)
  --fail-on error|warning|note|never   lowest severity that fails the run (default: warning)
  --select IDS                      only these rules: ids, slugs, families or ALL (comma-separated)
  --ignore IDS                      skip these rules (comma-separated)
  --baseline FILE                   report only findings that are not in the baseline
  --write-baseline FILE             record the current findings as the baseline, then exit 0
  --fix                             apply the fixes rules declare, in place, then report what remains
  --jobs N                          worker threads (default: one per core)
  --today YYYY-MM-DD                judge end-of-life dates against this day (default: the
                                    config's `today:`, else the system date)
  --no-respect-gitignore            walk folders without reading .gitignore files (a tracked
                                    file matched by a pattern is skipped otherwise, as in ruff);
                                    --respect-gitignore overrides the config's `respect_gitignore`
  --color auto|always|never         colour in text output (default: auto, only on a terminal)

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or config error.
)";

struct UsageError {
  std::string message;
};

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::string item;
  for (char c : text) {
    if (c == ',' || c == ' ') {
      if (!item.empty()) items.push_back(item);
      item.clear();
    } else {
      item += c;
    }
  }
  if (!item.empty()) items.push_back(item);
  return items;
}

// Reads `--name VALUE` or `--name=VALUE`. Advances `index` past what it consumed.
std::optional<std::string> option_value(const std::vector<std::string>& args, size_t& index,
                                        std::string_view name) {
  std::string error;
  std::optional<std::string> value = cli::option_value(args, index, name, error);
  if (!error.empty()) throw UsageError{error};
  return value;
}

bool write_output(const std::optional<std::string>& output, const std::string& text) {
  if (!output) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    return true;
  }
  std::string error = write_file_atomically(*output, text);
  if (!error.empty()) {
    std::fprintf(stderr, "shiftlint: cannot write %s: %s\n", output->c_str(), error.c_str());
    return false;
  }
  return true;
}

// The process ends right after the report: freeing tens of thousands of findings one by one would
// only delay the exit, the system takes the memory back at once. Sanitized builds free them, so
// that LeakSanitizer still tells every other leak.
void keep_until_exit(std::vector<Finding>&& findings) {
#ifndef SHIFTLINT_SANITIZED_BUILD
  static std::vector<Finding>* kept = nullptr;
  if (!kept) kept = new std::vector<Finding>(std::move(findings));
#else
  (void)findings;
#endif
}

// "Fixed 3 findings (2 files); 1 remaining", as ruff says it.
std::string fix_summary_line(const FixOutcome& fixed, size_t remaining) {
  auto plural = [](size_t count, std::string_view word) {
    return fmt::format("{} {}{}", count, word, count == 1 ? "" : "s");
  };
  if (fixed.fixed_findings == 0) return fmt::format("No fixes applied; {} remaining", remaining);
  return fmt::format("Fixed {} ({}); {} remaining", plural(fixed.fixed_findings, "finding"),
                     plural(fixed.fixed_files.size(), "file"), remaining);
}

int run_check_command(const std::vector<std::string>& args) {
  CheckRequest request;
  std::string format = "text";
  std::optional<std::string> output, config_path, baseline_path, write_baseline_path;
  std::string fail_on = "warning";
  std::string color = "auto";
  bool fix = false;

  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (auto value = option_value(args, i, "--format")) format = *value;
    else if (auto value = option_value(args, i, "--output")) output = *value;
    else if (auto value = option_value(args, i, "--config")) config_path = *value;
    else if (auto value = option_value(args, i, "--fail-on")) fail_on = *value;
    else if (auto value = option_value(args, i, "--select")) {
      for (auto& item : split_list(*value)) request.select.push_back(item);
    } else if (auto value = option_value(args, i, "--ignore")) {
      for (auto& item : split_list(*value)) request.ignore.push_back(item);
    } else if (auto value = option_value(args, i, "--baseline")) baseline_path = *value;
    else if (auto value = option_value(args, i, "--write-baseline")) write_baseline_path = *value;
    else if (auto value = option_value(args, i, "--color")) color = *value;
    else if (auto value = option_value(args, i, "--jobs")) {
      char* end = nullptr;
      long jobs = std::strtol(value->c_str(), &end, 10);
      if (value->empty() || *end != '\0' || jobs < 1 || jobs > 256)
        throw UsageError{fmt::format("--jobs takes a number from 1 to 256, not '{}'", *value)};
      request.jobs = static_cast<unsigned>(jobs);
    } else if (auto value = option_value(args, i, "--today")) {
      if (!detect::parse_calendar_date(*value))
        throw UsageError{fmt::format("--today takes a date written YYYY-MM-DD, not '{}'", *value)};
      request.today = *value;
    } else if (arg == "--fix") {
      fix = true;
    } else if (arg == "--respect-gitignore" || arg == "--no-respect-gitignore") {
      request.respect_gitignore = arg == "--respect-gitignore";
    } else if (arg == "--no-color") {
      color = "never";
    } else if (arg.size() > 1 && arg[0] == '-' && arg != "-") {
      throw UsageError{fmt::format("unknown option '{}' (see shiftlint --help)", arg)};
    } else {
      request.paths.push_back(arg);
    }
  }

  std::optional<ReportFormat> report_format;
  if (format == "text") report_format = ReportFormat::Text;
  else if (format == "json") report_format = ReportFormat::Json;
  else if (format == "sarif") report_format = ReportFormat::Sarif;
  else if (format == "github") report_format = ReportFormat::Github;
  else if (format == "gitlab") report_format = ReportFormat::Gitlab;
  else if (format == "junit") report_format = ReportFormat::Junit;
  else if (format == "checkstyle") report_format = ReportFormat::Checkstyle;
  else throw UsageError{fmt::format("--format must be text, json, sarif, github, gitlab, junit or checkstyle, not '{}'", format)};

  std::optional<Severity> fail_threshold;
  if (fail_on != "never") {
    fail_threshold = parse_severity(fail_on);
    if (!fail_threshold || fail_on == "info")
      throw UsageError{fmt::format("--fail-on must be error, warning, note or never, not '{}'", fail_on)};
  }
  if (color != "auto" && color != "always" && color != "never")
    throw UsageError{fmt::format("--color must be auto, always or never, not '{}'", color)};

  for (const std::string& token : request.select) {
    bool known = false;
    for (const Rule* rule : registered_rules()) known = known || rule_matches_token(*rule, token);
    if (!known) throw UsageError{fmt::format("--select: no rule matches '{}' (see shiftlint rules)", token)};
  }
  for (const std::string& token : request.ignore) {
    bool known = false;
    for (const Rule* rule : registered_rules()) known = known || rule_matches_token(*rule, token);
    if (!known) throw UsageError{fmt::format("--ignore: no rule matches '{}' (see shiftlint rules)", token)};
  }

  Config config;
  std::string found_config = config_path ? *config_path
                                         : find_config_file(request.paths.empty() ? "." : request.paths.front());
  if (config_path && !std::filesystem::exists(*config_path)) {
    std::fprintf(stderr, "shiftlint: config file %s does not exist\n", config_path->c_str());
    return kExitError;
  }
  if (!found_config.empty()) {
    auto loaded = load_config_file(found_config);
    if (auto* error = std::get_if<ConfigError>(&loaded)) {
      std::fprintf(stderr, "shiftlint: %s\n", error->to_string().c_str());
      return kExitError;
    }
    config = std::move(std::get<Config>(loaded));
  }
  request.config = &config;

  std::optional<Baseline> baseline;
  if (baseline_path) {
    auto loaded = load_baseline(*baseline_path);
    if (auto* error = std::get_if<std::string>(&loaded)) {
      std::fprintf(stderr, "shiftlint: %s\n", error->c_str());
      return kExitError;
    }
    baseline = std::move(std::get<Baseline>(loaded));
  }

  // A plain run's report is written as its findings are read back in order (cli/streamed_report.h).
  request.stream_findings = !fix && !write_baseline_path;
  std::optional<FixOutcome> fixed;
  if (fix) fixed = fix_files(request, baseline ? &*baseline : nullptr);
  CheckOutcome outcome = fixed ? std::move(fixed->final_check) : run_check(request);
  for (const std::string& warning : outcome.warnings)
    std::fprintf(stderr, "shiftlint: warning: %s\n", warning.c_str());
  RunSummary& summary = outcome.summary;
  summary.tool_version = SHIFTLINT_VERSION;
  TextStyle style;
  style.color = color == "always" || (color == "auto" && !output && isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR"));
  unsigned jobs = request.jobs ? request.jobs : std::thread::hardware_concurrency();

  // The text and JSON reports name files from the working directory (report/repository_paths.h);
  // the forge formats name them from the repository's root, SARIF from %SRCROOT%.
  std::optional<WorkingDirectoryPaths> working_paths;
  if (*report_format == ReportFormat::Text || *report_format == ReportFormat::Json) {
    std::error_code error;
    std::filesystem::path working_directory = std::filesystem::current_path(error);
    if (!error) working_paths.emplace(summary.root_directory, working_directory.string());
    if (working_paths && working_paths->unchanged()) working_paths.reset();
  }
  std::function<void(Finding&)> rename;
  if (working_paths)
    rename = [&](Finding& finding) {
      finding.location.path = working_paths->name(finding.location.path);
      for (RelatedLocation& related : finding.related) related.location.path = working_paths->name(related.location.path);
    };

  if (outcome.findings) {
    ReportSettings settings{summary.tool_version, summary.root_directory, style, jobs};
    std::unique_ptr<ReportWriter> writer = make_report_writer(*report_format, settings);
    OutputFile file;  // with --output: written in pieces, put in place once complete
    auto cannot_write = [&](const std::string& error) {
      std::fprintf(stderr, "shiftlint: cannot write %s: %s\n", output->c_str(), error.c_str());
      return kExitError;
    };
    if (output)
      if (std::string error = file.open(*output); !error.empty()) return cannot_write(error);
    auto write = [&](std::string_view piece) -> std::string {
      if (output) return file.write(piece);
      std::fwrite(piece.data(), 1, piece.size(), stdout);
      return {};
    };
    StreamedReport report = write_streamed_report(*outcome.findings, *writer, baseline ? &*baseline : nullptr,
                                                  fail_threshold, summary.files_analyzed, jobs, write, rename);
    if (report.unreadable)
      std::fprintf(stderr, "shiftlint: warning: %s\n", unreadable_findings_warning(report.unreadable).c_str());
    if (!report.error.empty()) return cannot_write(report.error);
    if (!output) std::fflush(stdout);
    else if (std::string error = file.commit(); !error.empty()) return cannot_write(error);
    return report.fails ? kExitFindings : kExitClean;
  }

  if (baseline && !write_baseline_path) summary.stale_baseline_entries = filter_by_baseline(summary.findings, *baseline);
  if (fixed) {
    for (const std::string& warning : fixed->warnings) std::fprintf(stderr, "shiftlint: warning: %s\n", warning.c_str());
    for (const std::string& error : fixed->errors) std::fprintf(stderr, "shiftlint: error: %s\n", error.c_str());
    std::fprintf(stderr, "%s\n", fix_summary_line(*fixed, summary.findings.size()).c_str());
  }
  if (write_baseline_path) {
    std::string error = write_file_atomically(*write_baseline_path, render_baseline(summary.findings));
    if (!error.empty()) {
      std::fprintf(stderr, "shiftlint: cannot write %s: %s\n", write_baseline_path->c_str(), error.c_str());
      return kExitError;
    }
    std::fprintf(stderr, "shiftlint: wrote %zu finding%s to the baseline %s\n", summary.findings.size(),
                 summary.findings.size() == 1 ? "" : "s", write_baseline_path->c_str());
    return fixed && !fixed->errors.empty() ? kExitError : kExitClean;
  }

  if (rename)
    for (Finding& finding : summary.findings) rename(finding);
  std::string text;
  switch (*report_format) {
    case ReportFormat::Text: text = render_text(summary, style); break;
    case ReportFormat::Json: text = render_json(summary, jobs); break;
    case ReportFormat::Sarif: text = render_sarif(summary); break;
    case ReportFormat::Github: text = render_github(summary); break;
    case ReportFormat::Gitlab: text = render_gitlab(summary); break;
    case ReportFormat::Junit: text = render_junit(summary); break;
    case ReportFormat::Checkstyle: text = render_checkstyle(summary); break;
  }
  if (!write_output(output, text)) return kExitError;
  if (fixed && !fixed->errors.empty()) return kExitError;

  bool failed = fail_threshold && std::any_of(summary.findings.begin(), summary.findings.end(), [&](const Finding& finding) {
    return finding.severity <= *fail_threshold;
  });
  keep_until_exit(std::move(summary.findings));
  return failed ? kExitFindings : kExitClean;
}

int run_rules_command(const std::vector<std::string>& args) {
  std::string format = "text";
  for (size_t i = 0; i < args.size(); ++i) {
    if (auto value = option_value(args, i, "--format")) format = *value;
    else throw UsageError{fmt::format("unknown argument '{}' for rules", args[i])};
  }
  if (format == "json") {
    std::string out = "[\n";
    bool first = true;
    for (const Rule* rule : registered_rules()) {
      auto quote = [](std::string_view text) {
        std::string quoted = "\"";
        for (char c : text) {
          if (c == '"' || c == '\\') quoted += '\\';
          quoted += c;
        }
        return quoted + "\"";
      };
      out += fmt::format("{}  {{\"id\": {}, \"slug\": {}, \"family\": {}, \"severity\": {}, \"summary\": {}, "
                         "\"help_uri\": {}}}",
                         first ? "" : ",\n", quote(rule->id), quote(rule->slug), quote(rule->family()),
                         quote(to_string(rule->severity)), quote(rule->summary), quote(rule_help_uri(*rule)));
      first = false;
    }
    out += "\n]\n";
    std::fputs(out.c_str(), stdout);
    return kExitClean;
  }
  if (format != "text") throw UsageError{fmt::format("--format must be text or json, not '{}'", format)};
  size_t slug_width = 4;
  for (const Rule* rule : registered_rules()) slug_width = std::max(slug_width, rule->slug.size());
  auto row = [&](std::string_view id, std::string_view slug, std::string_view severity, std::string_view summary) {
    std::string line = fmt::format("{:<7} {}", id, slug);
    line.append(slug_width - slug.size() + 1, ' ');
    return line + fmt::format("{:<8} {}\n", severity, summary);
  };
  std::string out = row("ID", "SLUG", "SEVERITY", "SUMMARY");
  for (const Rule* rule : registered_rules())
    out += row(rule->id, rule->slug, to_string(rule->severity), rule->summary);
  std::fputs(out.c_str(), stdout);
  return kExitClean;
}

int run_explain_command(const std::vector<std::string>& args) {
  if (args.size() != 1) throw UsageError{"explain takes one rule id or slug, e.g. shiftlint explain ECS001"};
  const Rule* rule = find_rule(args[0]);
  if (!rule) {
    std::fprintf(stderr, "shiftlint: no rule '%s' (see shiftlint rules)\n", args[0].c_str());
    return kExitError;
  }
  std::string_view doc = rule->doc();
  if (doc.empty()) {
    std::printf("%.*s %.*s\n\n%.*s\n", static_cast<int>(rule->id.size()), rule->id.data(),
                static_cast<int>(rule->slug.size()), rule->slug.data(), static_cast<int>(rule->summary.size()),
                rule->summary.data());
  } else {
    std::fwrite(doc.data(), 1, doc.size(), stdout);
    if (doc.back() != '\n') std::fputc('\n', stdout);
  }
  return kExitClean;
}

// `shiftlint lsp`: editors start it with `--stdio` (vscode-languageclient always adds it) and may
// pass `--clientProcessId=N`; both are accepted. The limits are for tests and unusual setups.
int run_lsp_command(const std::vector<std::string>& args) {
  lsp::ServerOptions options;
  auto byte_count = [](const std::string& name, const std::string& value) {
    char* end = nullptr;
    unsigned long long bytes = std::strtoull(value.c_str(), &end, 10);
    if (value.empty() || *end != '\0' || bytes < 1024 || value[0] == '-')
      throw UsageError{fmt::format("{} takes a number of bytes (at least 1024), not '{}'", name, value)};
    return static_cast<size_t>(bytes);
  };
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--stdio") continue;
    if (auto value = option_value(args, i, "--clientProcessId")) continue;
    if (auto value = option_value(args, i, "--max-message-bytes")) options.max_message_bytes = byte_count("--max-message-bytes", *value);
    else if (auto value = option_value(args, i, "--max-document-bytes")) options.max_document_bytes = byte_count("--max-document-bytes", *value);
    else throw UsageError{fmt::format("unknown argument '{}' for lsp (the server speaks over stdin/stdout)", arg)};
  }
  return lsp::run_language_server_on_stdio(options);
}

}  // namespace

int run(int argc, char** argv) {
  remove_temporaries_on_signal();  // Ctrl-C while a report or a fixed file is written leaves no temporary file
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
      std::fputs(kUsage, args.empty() ? stderr : stdout);
      return args.empty() ? kExitError : kExitClean;
    }
    if (args[0] == "--version" || args[0] == "version") {
      std::printf("shiftlint %s\n", SHIFTLINT_VERSION);
      return kExitClean;
    }
    std::string command = args[0];
    std::vector<std::string> rest(args.begin() + 1, args.end());
    for (const std::string& arg : rest) {
      if (arg == "--help" || arg == "-h") {
        std::fputs(kUsage, stdout);
        return kExitClean;
      }
    }
    if (command == "check") return run_check_command(rest);
    if (command == "rules") return run_rules_command(rest);
    if (command == "explain") return run_explain_command(rest);
    if (command == "lsp") return run_lsp_command(rest);
    if (command == "render") return run_render_command(rest);
    if (command == "parity") return run_parity_command(rest);
    throw UsageError{fmt::format("unknown command '{}' (see shiftlint --help)", command)};
  } catch (const UsageError& error) {
    std::fprintf(stderr, "shiftlint: %s\n", error.message.c_str());
    return kExitError;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "shiftlint: internal error: %s\n", error.what());
    return kExitError;
  }
}

}  // namespace shiftlint::cli
