#include "analyzer/cli/parity_command.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>

#include <fmt/format.h>

#include "analyzer/cli/arguments.h"
#include "analyzer/cli/output_file.h"
#include "analyzer/config/config.h"
#include "analyzer/engine/check_run.h"
#include "analyzer/project/parity.h"
#include "analyzer/report/parity_report.h"

#ifndef SHIFTLINT_VERSION
#define SHIFTLINT_VERSION "0.0.0"
#endif

namespace shiftlint::cli {

namespace {

constexpr int kExitReport = 0;
constexpr int kExitError = 2;

int usage_error(const std::string& message) {
  std::fprintf(stderr, "shiftlint: %s\n", message.c_str());
  return kExitError;
}

}  // namespace

int run_parity_command(const std::vector<std::string>& args) {
  std::optional<std::string> path, config_path, output;
  std::string format = "text";
  unsigned jobs = 0;
  std::string error;
  for (size_t i = 0; i < args.size() && error.empty(); ++i) {
    const std::string& arg = args[i];
    if (auto value = option_value(args, i, "--format", error)) format = *value;
    else if (auto value = option_value(args, i, "--config", error)) config_path = *value;
    else if (auto value = option_value(args, i, "--output", error)) output = *value;
    else if (auto value = option_value(args, i, "--jobs", error)) {
      char* end = nullptr;
      long count = std::strtol(value->c_str(), &end, 10);
      if (value->empty() || *end != '\0' || count < 1 || count > 256)
        error = fmt::format("--jobs takes a number from 1 to 256, not '{}'", *value);
      else jobs = static_cast<unsigned>(count);
    } else if (!error.empty()) break;
    else if (arg.size() > 1 && arg[0] == '-') error = fmt::format("unknown option '{}' for parity (see shiftlint --help)", arg);
    else if (path) error = "parity takes one folder: shiftlint parity [PATH]";
    else path = arg;
  }
  if (!error.empty()) return usage_error(error);
  if (format != "text" && format != "json") return usage_error(fmt::format("--format must be text or json, not '{}'", format));
  std::string scanned = path.value_or(".");
  std::error_code filesystem_error;
  if (!std::filesystem::exists(scanned, filesystem_error))
    return usage_error(fmt::format("{} does not exist", scanned));

  Config config;
  if (config_path && !std::filesystem::exists(*config_path, filesystem_error))
    return usage_error(fmt::format("config file {} does not exist", *config_path));
  std::string found = config_path ? *config_path : find_config_file(scanned);
  if (!found.empty()) {
    auto loaded = load_config_file(found);
    if (auto* problem = std::get_if<ConfigError>(&loaded)) return usage_error(problem->to_string());
    config = std::move(std::get<Config>(loaded));
  }

  // The same run as `check` (discovery with .gitignore and `exclude:`, every file's facts, the
  // links), keeping the project; the findings are `check`'s business, not this report's.
  CheckRequest request;
  request.paths = {scanned};
  request.config = &config;
  request.jobs = jobs;
  request.build_project = true;
  CheckOutcome outcome = run_check(request);
  for (const std::string& warning : outcome.warnings) std::fprintf(stderr, "shiftlint: warning: %s\n", warning.c_str());
  if (!outcome.project) return usage_error("internal error: the run kept no project");

  // A file that does not parse contributes nothing to the table: say so, or a missing item could
  // be the parse error's doing.
  size_t unparsed = 0;
  for (const Finding& finding : outcome.summary.findings) unparsed += finding.rule_id == "SL001";
  if (unparsed)
    std::fprintf(stderr, "shiftlint: warning: %zu file%s could not be parsed and %s left out (see shiftlint check)\n",
                 unparsed, unparsed == 1 ? "" : "s", unparsed == 1 ? "is" : "are");

  ParityReportOptions options;
  options.tool_version = SHIFTLINT_VERSION;
  options.scanned = scanned;
  std::string text = format == "json" ? render_parity_json(*outcome.project, options)
                                      : render_parity_text(*outcome.project, options);
  if (!output) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    return kExitReport;
  }
  std::string write_error = write_file_atomically(*output, text);
  if (!write_error.empty()) return usage_error(fmt::format("cannot write {}: {}", *output, write_error));
  return kExitReport;
}

}  // namespace shiftlint::cli
