#include <algorithm>
#include <array>
#include <string>

#include <fmt/format.h>

#include "analyzer/source/edit_distance.h"
#include "analyzer/engine/rule.h"
#include "analyzer/source/ascii_case.h"

namespace shiftlint {
namespace {

using docker::Dockerfile;
using docker::Flag;
using docker::Form;
using docker::Instruction;

// The flags `docker build` accepts per instruction (BuildKit's instructions package). Instructions
// missing here reject every flag; ARG and STOPSIGNAL (and HEALTHCHECK NONE) ignore them.
enum class FlagType { Boolean, String, Strings };
struct FlagSpec {
  std::string_view instruction;
  std::string_view name;
  FlagType type;
};
constexpr std::array<FlagSpec, 23> kFlags = {{
    {"ADD", "chown", FlagType::String},       {"ADD", "chmod", FlagType::String},
    {"ADD", "link", FlagType::Boolean},       {"ADD", "keep-git-dir", FlagType::Boolean},
    {"ADD", "checksum", FlagType::String},    {"ADD", "unpack", FlagType::Boolean},
    {"ADD", "exclude", FlagType::Strings},    {"COPY", "chown", FlagType::String},
    {"COPY", "from", FlagType::String},       {"COPY", "chmod", FlagType::String},
    {"COPY", "link", FlagType::Boolean},      {"COPY", "exclude", FlagType::Strings},
    {"COPY", "parents", FlagType::Boolean},   {"FROM", "platform", FlagType::String},
    {"RUN", "mount", FlagType::Strings},      {"RUN", "network", FlagType::String},
    {"RUN", "security", FlagType::String},    {"RUN", "device", FlagType::Strings},
    {"HEALTHCHECK", "interval", FlagType::String}, {"HEALTHCHECK", "timeout", FlagType::String},
    {"HEALTHCHECK", "start-period", FlagType::String}, {"HEALTHCHECK", "start-interval", FlagType::String},
    {"HEALTHCHECK", "retries", FlagType::String},
}};

const FlagSpec* find_flag(std::string_view instruction, std::string_view name) {
  for (const FlagSpec& spec : kFlags)
    if (spec.instruction == instruction && spec.name == name) return &spec;
  return nullptr;
}

std::string allowed_flags(std::string_view instruction) {
  std::string names;
  for (const FlagSpec& spec : kFlags) {
    if (spec.instruction != instruction) continue;
    names += names.empty() ? "" : ", ";
    names += fmt::format("--{}", spec.name);
  }
  return names;
}

constexpr std::array<std::string_view, 18> kInstructions = {
    "ADD",   "ARG",        "CMD",     "COPY", "ENTRYPOINT", "ENV",        "EXPOSE", "FROM",   "HEALTHCHECK",
    "LABEL", "MAINTAINER", "ONBUILD", "RUN",  "SHELL",      "STOPSIGNAL", "USER",   "VOLUME", "WORKDIR"};

std::string closest_instruction(std::string_view keyword) {
  if (keyword.size() > 16) return {};
  std::string best;
  size_t best_distance = 3;
  for (std::string_view known : kInstructions) {
    size_t distance = edit_distance(keyword, known);
    if (distance < best_distance) {
      best_distance = distance;
      best = std::string(known);
    }
  }
  return best;
}

// Go's time.ParseDuration, as HEALTHCHECK reads its durations: "30s", "1m30s", "1.5h", "0".
std::optional<double> parse_duration_seconds(std::string_view text) {
  if (text == "0") return 0.0;
  if (text.empty()) return std::nullopt;
  double total = 0;
  size_t pos = 0;
  bool negative = text[0] == '-';
  if (text[0] == '-' || text[0] == '+') ++pos;
  if (pos == text.size()) return std::nullopt;
  while (pos < text.size()) {
    size_t number_begin = pos;
    while (pos < text.size() && (std::isdigit(static_cast<unsigned char>(text[pos])) || text[pos] == '.')) ++pos;
    if (pos == number_begin) return std::nullopt;
    double number = 0;
    try {
      number = std::stod(std::string(text.substr(number_begin, pos - number_begin)));
    } catch (...) {
      return std::nullopt;
    }
    size_t unit_begin = pos;
    while (pos < text.size() && !std::isdigit(static_cast<unsigned char>(text[pos])) && text[pos] != '.') ++pos;
    std::string_view unit = text.substr(unit_begin, pos - unit_begin);
    double scale;
    if (unit == "ns") scale = 1e-9;
    else if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") scale = 1e-6;
    else if (unit == "ms") scale = 1e-3;
    else if (unit == "s") scale = 1;
    else if (unit == "m") scale = 60;
    else if (unit == "h") scale = 3600;
    else return std::nullopt;
    total += number * scale;
  }
  return negative ? -total : total;
}

class Checker {
 public:
  Checker(const Dockerfile& dockerfile, RuleContext& context) : dockerfile_(dockerfile), context_(context) {}

  void run() {
    const std::vector<Instruction>& instructions = dockerfile_.instructions();
    if (dockerfile_.stages.empty() && !instructions.empty()) {
      // Most likely a fragment another file includes: one finding says it all.
      report(instructions.front().keyword_span,
             "the Dockerfile has no FROM: docker build fails with \"dockerfile contains no stages to build\"");
      return;
    }
    for (size_t i = 0; i < instructions.size(); ++i) {
      const Instruction& instruction = instructions[i];
      if (!instruction.valid) continue;  // already an SL001
      check(instruction, i > 0 ? &instructions[i - 1] : nullptr, false);
    }
    for (const Instruction* early : dockerfile_.before_first_stage) {
      if (!docker::is_known_instruction(early->keyword)) continue;  // reported as unknown
      report(early->keyword_span,
             fmt::format("{} before the first FROM: only ARG may come before FROM, docker build fails with "
                         "\"no build stage in current context\"",
                         early->keyword));
    }
  }

 private:
  void report(Span span, std::string message) { context_.report(*dockerfile_.file, span, std::move(message)); }

  void check(const Instruction& instruction, const Instruction* previous, bool trigger) {
    std::string_view keyword = instruction.keyword;  // compared by length first, unlike std::string == "..."
    if (!docker::is_known_instruction(keyword)) {
      report_unknown(instruction, previous);
      return;
    }
    check_flags(instruction);
    if (keyword == "FROM") check_from(instruction);
    else if (keyword == "COPY" || keyword == "ADD") check_copy(instruction);
    else if (keyword == "HEALTHCHECK") check_healthcheck(instruction);
    else if (keyword == "ONBUILD") check_onbuild(instruction, trigger);
    else if (keyword == "SHELL") check_shell(instruction);
    else check_argument_count(instruction);
  }

  void report_unknown(const Instruction& instruction, const Instruction* previous) {
    std::string suggestion = closest_instruction(to_upper_ascii(instruction.keyword));
    const SourceFile& file = *dockerfile_.file;
    size_t begin = file.offset_of(instruction.keyword_span.begin);
    std::string_view as_written = file.text().substr(begin, file.offset_of(instruction.keyword_span.end) - begin);
    std::string hint;
    if (!suggestion.empty()) {
      hint = fmt::format("; did you mean {}?", suggestion);
    } else if (previous && (previous->is("RUN") || previous->is("CMD") || previous->is("ENTRYPOINT"))) {
      hint = fmt::format("; if it continues the {} on line {}, end that line with {}", previous->keyword,
                         previous->span.end.line, dockerfile_.syntax.escape);
    }
    report(instruction.keyword_span,
           fmt::format("unknown instruction \"{}\": docker build fails on it{}", as_written, hint));
  }

  void check_flags(const Instruction& instruction) {
    std::string_view keyword = instruction.keyword;
    if (keyword == "ARG" || keyword == "STOPSIGNAL") return;  // BuildKit ignores their flags
    if (keyword == "HEALTHCHECK" && !instruction.arguments.empty() &&
        equal_ignoring_case(instruction.arguments[0].text, "NONE"))
      return;
    std::vector<std::string_view> seen;
    for (const Flag& flag : instruction.flags) {
      const FlagSpec* spec = find_flag(keyword, flag.name);
      if (!spec) {
        std::string allowed = allowed_flags(keyword);
        report(flag.name_span, fmt::format("unknown flag --{} for {}: docker build fails on it ({})", flag.name,
                                           keyword, allowed.empty() ? std::string("it takes no flags")
                                                                    : "it takes " + allowed));
        return;  // BuildKit stops at the first bad flag
      }
      if (spec->type != FlagType::Strings &&
          std::find(seen.begin(), seen.end(), std::string_view(flag.name)) != seen.end()) {
        report(flag.name_span, fmt::format("--{} is given twice: docker build fails on a repeated flag", flag.name));
        return;
      }
      seen.push_back(flag.name);
      if (spec->type == FlagType::Boolean) {
        if (flag.value && flag.value->empty()) {
          report(flag.span, fmt::format("--{}= has no value: write --{} or --{}=true|false", flag.name, flag.name,
                                        flag.name));
          return;
        }
        if (flag.value && !equal_ignoring_case(*flag.value, "true") && !equal_ignoring_case(*flag.value, "false")) {
          report(flag.value_span,
                 fmt::format("--{} takes true or false, not \"{}\": docker build fails on it", flag.name, *flag.value));
          return;
        }
      } else if (!flag.value) {
        report(flag.span, fmt::format("--{} needs a value (--{}=...): docker build fails on a flag without one",
                                      flag.name, flag.name));
        return;
      }
      if (keyword == "RUN" && flag.name == "network" && *flag.value != "default" && *flag.value != "none" &&
          *flag.value != "host") {
        report(flag.value_span, fmt::format("RUN --network takes default, none or host, not \"{}\"", *flag.value));
      } else if (keyword == "RUN" && flag.name == "security" && *flag.value != "sandbox" &&
                 *flag.value != "insecure") {
        report(flag.value_span, fmt::format("RUN --security takes sandbox or insecure, not \"{}\"", *flag.value));
      } else if (keyword == "HEALTHCHECK" && flag.name != "retries") {
        std::optional<double> seconds = parse_duration_seconds(*flag.value);
        if (!seconds || *seconds < 0) {
          report(flag.value_span, fmt::format("--{}={} is not a duration such as 30s or 1m30s", flag.name, *flag.value));
        } else if (*seconds > 0 && *seconds < 0.001) {
          report(flag.value_span, fmt::format("--{}={} is shorter than 1ms, which docker build rejects", flag.name,
                                              *flag.value));
        }
      } else if (keyword == "HEALTHCHECK" && flag.name == "retries") {
        const std::string& value = *flag.value;
        bool integer = !value.empty() && std::all_of(value.begin() + (value[0] == '-' ? 1 : 0), value.end(),
                                                     [](char c) { return c >= '0' && c <= '9'; }) &&
                       value != "-";
        if (!integer || value[0] == '-')
          report(flag.value_span, fmt::format("--retries={} is not a non-negative whole number", value));
      }
    }
  }

  void check_from(const Instruction& from) {
    const auto& arguments = from.arguments;
    if (arguments.empty()) {
      report(from.keyword_span, "FROM needs an image: docker build fails on FROM alone");
      return;
    }
    bool named = arguments.size() == 3 && equal_ignoring_case(arguments[1].text, "AS");
    if (arguments.size() != 1 && !named) {
      report(arguments.size() > 1 ? arguments[1].span : from.keyword_span,
             "FROM takes an image and optionally AS and a stage name (FROM image [AS name]): docker build fails on "
             "this one");
      return;
    }
    if (named) {
      std::string name = to_lower_ascii(arguments[2].text);
      bool valid = !name.empty() && name[0] >= 'a' && name[0] <= 'z' &&
                   std::all_of(name.begin(), name.end(), [](char c) {
                     return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
                   });
      if (!valid)
        report(arguments[2].span, fmt::format("invalid stage name \"{}\": it must start with a letter and hold only "
                                              "letters, digits, '-', '_' and '.'",
                                              arguments[2].text));
    }
  }

  void check_copy(const Instruction& copy) {
    if (copy.arguments.size() < 2) {
      report(copy.arguments.empty() ? copy.keyword_span : copy.arguments[0].span,
             fmt::format("{} needs a source and a destination: docker build fails when the destination is missing",
                         copy.keyword));
      return;
    }
    const docker::Word& destination = copy.arguments.back();
    for (const docker::Heredoc& heredoc : copy.heredocs) {
      if (heredoc.word_span == destination.span)
        report(destination.span, fmt::format("{} cannot take a heredoc as its destination", copy.keyword));
    }
  }

  void check_healthcheck(const Instruction& healthcheck) {
    const auto& arguments = healthcheck.arguments;
    if (arguments.empty()) {
      report(healthcheck.keyword_span, "HEALTHCHECK needs CMD <command> or NONE: docker build fails on it alone");
      return;
    }
    std::string type = to_upper_ascii(arguments[0].text);
    if (type == "NONE") {
      if (arguments.size() > 1) report(arguments[1].span, "HEALTHCHECK NONE takes no arguments");
      return;
    }
    if (type != "CMD") {
      report(arguments[0].span,
             fmt::format("HEALTHCHECK takes CMD <command> or NONE, not \"{}\": docker build fails on it "
                         "(write HEALTHCHECK CMD {})",
                         arguments[0].text, healthcheck.arguments_text()));
      return;
    }
    bool empty = arguments.size() < 2 || (healthcheck.form == Form::Shell && arguments[1].text.empty());
    if (empty) report(arguments[0].span, "HEALTHCHECK CMD needs a command");
  }

  void check_onbuild(const Instruction& onbuild, bool nested) {
    if (!onbuild.trigger) {
      if (!nested) report(onbuild.keyword_span, "ONBUILD needs an instruction to run later");
      return;
    }
    const Instruction& trigger = *onbuild.trigger;
    if (trigger.is("ONBUILD")) {
      report(trigger.keyword_span, "ONBUILD ONBUILD is not allowed: docker build fails on chained triggers");
      return;
    }
    if (trigger.is("FROM") || trigger.is("MAINTAINER")) {
      report(trigger.keyword_span, fmt::format("{} is not allowed as an ONBUILD trigger", trigger.keyword));
      return;
    }
    check(trigger, nullptr, true);
  }

  void check_shell(const Instruction& shell) {
    if (shell.arguments.empty()) {
      report(shell.keyword_span, "SHELL needs at least one argument, in JSON form: SHELL [\"/bin/bash\", \"-c\"]");
    } else if (shell.form != Form::Exec) {
      report(shell.arguments[0].span, "SHELL must be written in JSON form, e.g. SHELL [\"/bin/bash\", \"-c\"]: "
                                      "docker build fails otherwise");
    }
  }

  void check_argument_count(const Instruction& instruction) {
    std::string_view keyword = instruction.keyword;
    bool takes_pairs = keyword == "ENV" || keyword == "LABEL" || keyword == "ARG";
    bool required = keyword == "EXPOSE" || keyword == "VOLUME" || keyword == "WORKDIR" || keyword == "USER" ||
                    keyword == "STOPSIGNAL" || keyword == "MAINTAINER" || takes_pairs;
    bool missing = takes_pairs ? instruction.pairs.empty() : instruction.arguments.empty();
    if (required && missing) {
      report(instruction.keyword_span, fmt::format("{} needs an argument: docker build fails on it alone", keyword));
      return;
    }
    for (const docker::KeyValue& pair : instruction.pairs) {
      if (pair.key.text.empty()) {
        report(pair.span, fmt::format("{} with an empty name: docker build fails on it", keyword));
        return;
      }
    }
    if (keyword == "VOLUME" && instruction.form == Form::Exec) {
      for (const docker::Word& word : instruction.arguments)
        if (word.text.empty()) report(word.span, "VOLUME with an empty path: docker build fails on it");
    }
  }

  const Dockerfile& dockerfile_;
  RuleContext& context_;
};

void check(const Dockerfile& dockerfile, RuleContext& context) {
  if (dockerfile.is_template) return;  // rendered before it is built: judge the output instead
  Checker(dockerfile, context).run();
}

const RuleRegistration registration{{
    .id = "DKR019",
    .slug = "unknown-instruction",
    .severity = Severity::Error,
    .summary = "An instruction docker build rejects although the Dockerfile parses (unknown keyword or flag, "
               "HEALTHCHECK without CMD/NONE, FROM/ONBUILD misuse, missing arguments)",
    .check_task_definition = nullptr,
    .check_dockerfile = check,
}};

}  // namespace
}  // namespace shiftlint
