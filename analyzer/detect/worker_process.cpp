#include "analyzer/detect/worker_process.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <string.h>  // memrchr (glibc)

#include "analyzer/parse/shell/effective_command.h"

namespace shiftlint::detect {

namespace {

// Seconds beyond this are written and compared as this: far past every platform's grace period,
// far inside int64 (and exact in a double).
constexpr double kLargestSeconds = 1e15;


// ---------------------------------------------------------------------------------------------
// Shell words

struct Token {
  std::string text;
  bool is_operator = false;
};

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// Tokenizes a shell script into words and command separators. Not a full shell grammar: enough to
// find the programs a container runs (quotes, escapes, $(...), redirections, comments, operators).
void tokenize_shell(std::string_view script, std::vector<Token>& out) {
  std::string word;
  bool in_word = false;
  auto finish_word = [&] {
    if (in_word) out.push_back({word, false});
    word.clear();
    in_word = false;
  };
  auto push_operator = [&](std::string op) {
    finish_word();
    out.push_back({std::move(op), true});
  };
  // Drops the target of a redirection (`> /dev/null`, `2>&1`, `<<EOF`).
  auto skip_redirection = [&](size_t& i) {
    // A file descriptor number written right before the operator belongs to it.
    bool digits_only = in_word && !word.empty();
    for (char c : word) digits_only = digits_only && std::isdigit(static_cast<unsigned char>(c));
    if (digits_only) {
      word.clear();
      in_word = false;
    } else {
      finish_word();
    }
    while (i < script.size() && (script[i] == '>' || script[i] == '<' || script[i] == '|')) ++i;
    if (i < script.size() && script[i] == '&') {
      ++i;
      while (i < script.size() && (std::isdigit(static_cast<unsigned char>(script[i])) || script[i] == '-')) ++i;
      return;
    }
    while (i < script.size() && is_blank(script[i])) ++i;
    while (i < script.size() && !is_blank(script[i]) && script[i] != '\n' && script[i] != ';' &&
           script[i] != '&' && script[i] != '|')
      ++i;
  };

  size_t i = 0;
  while (i < script.size()) {
    char c = script[i];
    if (is_blank(c)) {
      finish_word();
      ++i;
    } else if (c == '\n') {
      push_operator(";");
      ++i;
    } else if (c == '#' && !in_word) {
      while (i < script.size() && script[i] != '\n') ++i;
    } else if (c == '\\') {
      if (i + 1 < script.size() && script[i + 1] == '\n') {
        i += 2;  // line continuation
      } else {
        if (i + 1 < script.size()) word += script[i + 1];
        in_word = true;
        i += 2;
      }
    } else if (c == '\'') {
      in_word = true;
      ++i;
      while (i < script.size() && script[i] != '\'') word += script[i++];
      ++i;
    } else if (c == '"') {
      in_word = true;
      ++i;
      while (i < script.size() && script[i] != '"') {
        if (script[i] == '\\' && i + 1 < script.size() &&
            (script[i + 1] == '"' || script[i + 1] == '\\' || script[i + 1] == '$' || script[i + 1] == '`')) {
          word += script[i + 1];
          i += 2;
        } else if (script[i] == '\\' && i + 1 < script.size() && script[i + 1] == '\n') {
          i += 2;
        } else {
          word += script[i++];
        }
      }
      ++i;
    } else if (c == '$' && i + 1 < script.size() && script[i + 1] == '(') {
      // Command substitution stays part of the word, parentheses balanced.
      in_word = true;
      int depth = 0;
      while (i < script.size()) {
        char d = script[i];
        word += d;
        ++i;
        if (d == '(') ++depth;
        if (d == ')' && --depth == 0) break;
      }
    } else if (c == '`') {
      in_word = true;
      word += script[i++];
      while (i < script.size() && script[i] != '`') word += script[i++];
      if (i < script.size()) word += script[i++];
    } else if (c == '>' || c == '<') {
      skip_redirection(i);
    } else if (c == '&' && i + 1 < script.size() && script[i + 1] == '>') {
      finish_word();
      ++i;
      skip_redirection(i);
    } else if (c == ';' || c == '&' || c == '|') {
      std::string op(1, c);
      if (i + 1 < script.size() && (script[i + 1] == c || (c == '|' && script[i + 1] == '&'))) op += script[++i];
      ++i;
      push_operator(op);
    } else if ((c == '(' || c == ')' || c == '{' || c == '}') && !in_word) {
      // Subshells and groups: their contents are commands like any other.
      push_operator(std::string(1, c));
      ++i;
    } else {
      word += c;
      in_word = true;
      ++i;
    }
  }
  finish_word();
}

bool is_shell(std::string_view word) { return shell::is_shell(program_basename(word)); }

bool needs_shell_split(std::string_view word) {
  for (char c : word)
    if (is_blank(c) || c == '\n' || c == ';' || c == '&' || c == '|' || c == '>' || c == '<') return true;
  return false;
}

bool is_assignment(std::string_view word) {
  if (word.empty() || !(std::isalpha(static_cast<unsigned char>(word[0])) || word[0] == '_')) return false;
  for (size_t i = 1; i < word.size(); ++i) {
    char c = word[i];
    if (c == '=') return true;
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Environment and flag values

struct Environment {
  std::vector<EnvironmentVariable> variables;  // later entries win

  const EnvironmentVariable* find(std::string_view name) const {
    for (auto it = variables.rbegin(); it != variables.rend(); ++it)
      if (it->name == name) return &*it;
    return nullptr;
  }
};

// Resolves `60`, `$TIMEOUT`, `${TIMEOUT}`, `${TIMEOUT:-60}` against the environment. nullopt when the
// value depends on something shiftlint cannot read.
std::optional<std::string> resolve(std::string_view raw, const Environment& environment) {
  if (raw.find('$') == std::string_view::npos && raw.find('`') == std::string_view::npos) return std::string(raw);
  if (raw.size() < 2 || raw[0] != '$') return std::nullopt;
  std::string_view name;
  std::optional<std::string_view> fallback;
  bool fallback_when_empty = false;
  if (raw[1] == '{') {
    if (raw.back() != '}') return std::nullopt;
    std::string_view inner = raw.substr(2, raw.size() - 3);
    size_t end = 0;
    while (end < inner.size() && (std::isalnum(static_cast<unsigned char>(inner[end])) || inner[end] == '_')) ++end;
    name = inner.substr(0, end);
    std::string_view rest = inner.substr(end);
    if (rest.rfind(":-", 0) == 0) {
      fallback = rest.substr(2);
      fallback_when_empty = true;
    } else if (rest.rfind("-", 0) == 0) {
      fallback = rest.substr(1);
    } else if (!rest.empty()) {
      return std::nullopt;
    }
  } else {
    name = raw.substr(1);
    for (char c : name)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return std::nullopt;
  }
  if (name.empty()) return std::nullopt;
  if (fallback && fallback->find('$') != std::string_view::npos) return std::nullopt;
  const EnvironmentVariable* variable = environment.find(name);
  if (!variable) return fallback ? std::optional<std::string>(std::string(*fallback)) : std::nullopt;
  if (!variable->value) return std::nullopt;
  if (variable->value->empty() && fallback && fallback_when_empty) return std::string(*fallback);
  if (variable->value->find('$') != std::string::npos) return std::nullopt;
  return *variable->value;
}

std::optional<double> parse_number(std::string_view text) {
  while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  size_t i = 0;
  if (text[0] == '-' || text[0] == '+') ++i;
  bool digits = false, dot = false;
  for (; i < text.size(); ++i) {
    if (std::isdigit(static_cast<unsigned char>(text[i]))) {
      digits = true;
    } else if (text[i] == '.' && !dot) {
      dot = true;
    } else {
      return std::nullopt;
    }
  }
  if (!digits) return std::nullopt;
  return std::strtod(std::string(text).c_str(), nullptr);
}

struct FlagValue {
  std::string raw;      // the value as written
  std::string setting;  // the flag as written: "-t 60", "--timeout=60"
};

// The last occurrence of a flag among `args`: `-t 60`, `--timeout 60`, `--timeout=60`, and `-t60`
// for single-letter flags when the rest is a number or a variable.
std::optional<FlagValue> find_flag(const std::vector<std::string>& args, std::initializer_list<std::string_view> names) {
  std::optional<FlagValue> found;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    for (std::string_view name : names) {
      if (arg == name) {
        if (i + 1 < args.size()) found = FlagValue{args[i + 1], arg + " " + args[i + 1]};
      } else if (name.size() > 2 && arg.size() > name.size() + 1 && arg.compare(0, name.size(), name) == 0 &&
                 arg[name.size()] == '=') {
        found = FlagValue{arg.substr(name.size() + 1), arg};
      } else if (name.size() == 2 && arg.size() > 2 && arg.compare(0, 2, name) == 0) {
        std::string rest = arg.substr(2);
        if (rest[0] == '=') rest = rest.substr(1);
        if (!rest.empty() && (parse_number(rest) || rest[0] == '$')) found = FlagValue{rest, arg};
      }
    }
  }
  return found;
}

// The first word after `start` that does not look like a flag, or "".
std::string_view first_operand(const std::vector<std::string>& args) {
  for (const std::string& arg : args)
    if (!arg.empty() && arg[0] != '-' && !is_assignment(arg)) return arg;
  return {};
}

bool contains_word(const std::vector<std::string>& args, std::string_view word) {
  for (const std::string& arg : args)
    if (arg == word) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Timeouts per worker

ShutdownTimeout from_flag(const FlagValue& flag, const Environment& environment, double scale = 1.0) {
  ShutdownTimeout timeout;
  timeout.setting = flag.setting;
  auto resolved = resolve(flag.raw, environment);
  auto number = resolved ? parse_number(*resolved) : std::nullopt;
  if (!number) {
    timeout.origin = TimeoutOrigin::Unresolved;
    return timeout;
  }
  timeout.origin = TimeoutOrigin::CommandLine;
  timeout.seconds = *number * scale;
  return timeout;
}

ShutdownTimeout by_default(double seconds, std::string may_be_overridden_by = {}) {
  ShutdownTimeout timeout;
  timeout.origin = TimeoutOrigin::Default;
  timeout.seconds = seconds;
  timeout.may_be_overridden_by = std::move(may_be_overridden_by);
  return timeout;
}

ShutdownTimeout unbounded(std::string may_be_overridden_by = {}, std::string setting = {}) {
  ShutdownTimeout timeout;
  timeout.origin = TimeoutOrigin::Unbounded;
  timeout.setting = std::move(setting);
  timeout.may_be_overridden_by = std::move(may_be_overridden_by);
  return timeout;
}

WorkerProcess sidekiq(const std::vector<std::string>& args, const Environment& environment) {
  WorkerProcess worker{WorkerKind::Sidekiq, "sidekiq", {}, "-t"};
  if (auto flag = find_flag(args, {"-t", "--timeout"})) {
    worker.timeout = from_flag(*flag, environment);
    return worker;
  }
  std::string config = "config/sidekiq.yml";
  if (auto flag = find_flag(args, {"-C", "--config"})) config = flag->raw;
  worker.timeout = by_default(25, "a :timeout: in " + config);
  return worker;
}

WorkerProcess celery(const std::vector<std::string>& args, const Environment& environment) {
  WorkerProcess worker{WorkerKind::Celery, "celery worker", {}, "--time-limit"};
  if (auto flag = find_flag(args, {"--time-limit"})) {
    worker.timeout = from_flag(*flag, environment);
  } else if (auto soft = find_flag(args, {"--soft-time-limit"})) {
    worker.timeout = from_flag(*soft, environment);
  } else {
    worker.timeout = unbounded("task_time_limit in the Celery app's configuration, if set");
  }
  return worker;
}

// Resque's parent process waits RESQUE_PRE_SHUTDOWN_TIMEOUT for the job, then sends it TERM and
// waits RESQUE_TERM_TIMEOUT (4 s by default) before KILL.
WorkerProcess resque(const Environment& environment) {
  WorkerProcess worker{WorkerKind::Resque, "resque", {}, "RESQUE_TERM_TIMEOUT"};
  double total = 0;
  bool from_environment = false;
  bool unresolved = false;
  std::string setting;
  for (auto [name, fallback] : {std::pair<std::string_view, double>{"RESQUE_PRE_SHUTDOWN_TIMEOUT", 0.0},
                                std::pair<std::string_view, double>{"RESQUE_TERM_TIMEOUT", 4.0}}) {
    const EnvironmentVariable* variable = environment.find(name);
    if (!variable) {
      total += fallback;
      continue;
    }
    if (!setting.empty()) setting += " ";
    setting += std::string(name) + "=" + (variable->value ? *variable->value : std::string("?"));
    auto resolved = variable->value ? resolve(*variable->value, environment) : std::nullopt;
    auto number = resolved ? parse_number(*resolved) : std::nullopt;
    if (!number) {
      unresolved = true;
      continue;
    }
    total += *number;
    from_environment = true;
  }
  if (unresolved) {
    worker.timeout.origin = TimeoutOrigin::Unresolved;
    worker.timeout.setting = setting;
  } else if (from_environment) {
    worker.timeout.origin = TimeoutOrigin::Environment;
    worker.timeout.seconds = total;
    worker.timeout.setting = setting;
  } else {
    worker.timeout = by_default(total);
  }
  return worker;
}

WorkerProcess good_job(const std::vector<std::string>& args, const Environment& environment) {
  WorkerProcess worker{WorkerKind::GoodJob, "good_job", {}, "--shutdown-timeout"};
  const std::string rails_config = "config.good_job.shutdown_timeout in the Rails app";
  ShutdownTimeout timeout;
  if (auto flag = find_flag(args, {"--shutdown-timeout"})) {
    timeout = from_flag(*flag, environment);
  } else if (const EnvironmentVariable* variable = environment.find("GOOD_JOB_SHUTDOWN_TIMEOUT")) {
    timeout.setting = "GOOD_JOB_SHUTDOWN_TIMEOUT=" + (variable->value ? *variable->value : std::string("?"));
    auto resolved = variable->value ? resolve(*variable->value, environment) : std::nullopt;
    auto number = resolved ? parse_number(*resolved) : std::nullopt;
    timeout.origin = number ? TimeoutOrigin::Environment : TimeoutOrigin::Unresolved;
    timeout.seconds = number;
    // The Rails configuration takes precedence over the environment variable.
    timeout.may_be_overridden_by = rails_config;
  } else {
    // GoodJob's default, -1, waits for running jobs forever.
    worker.timeout = unbounded(rails_config + ", if set");
    return worker;
  }
  if (timeout.seconds && *timeout.seconds < 0) {
    worker.timeout = unbounded(timeout.may_be_overridden_by.empty() ? "" : timeout.may_be_overridden_by + ", if set",
                               timeout.setting);
    return worker;
  }
  worker.timeout = timeout;
  return worker;
}

WorkerProcess laravel_queue(std::string_view command, const std::vector<std::string>& args,
                            const Environment& environment) {
  WorkerProcess worker{WorkerKind::LaravelQueue,
                       command == "queue:listen" ? "php artisan queue:listen" : "php artisan queue:work",
                       {},
                       "--timeout"};
  if (auto flag = find_flag(args, {"--timeout"})) {
    worker.timeout = from_flag(*flag, environment);
    // --timeout=0 turns the job time limit off: the worker waits for the job, however long.
    if (worker.timeout.seconds && *worker.timeout.seconds <= 0)
      worker.timeout = unbounded({}, worker.timeout.setting);
  } else {
    worker.timeout = by_default(60);
  }
  return worker;
}

WorkerProcess dramatiq(const std::vector<std::string>& args, const Environment& environment) {
  WorkerProcess worker{WorkerKind::Dramatiq, "dramatiq", {}, "--worker-shutdown-timeout"};
  // Milliseconds, 600000 by default.
  if (auto flag = find_flag(args, {"--worker-shutdown-timeout"}))
    worker.timeout = from_flag(*flag, environment, 0.001);
  else
    worker.timeout = by_default(600);
  return worker;
}

std::vector<std::string> rest_of(const std::vector<std::string>& words, size_t position) {
  return std::vector<std::string>(words.begin() + static_cast<std::ptrdiff_t>(position) + 1, words.end());
}

// The worker a simple command runs, if any. The program may sit behind wrappers (`bundle exec`,
// `exec`, `dumb-init --`, `gosu app`, `python -m`), so every word is a candidate.
std::optional<WorkerProcess> worker_in(const std::vector<std::string>& words, const Environment& environment) {
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    if (is_assignment(word) || (!word.empty() && word[0] == '-')) continue;
    std::string_view program = program_basename(word);
    std::vector<std::string> args = rest_of(words, i);

    if (program == "sidekiq" || program == "sidekiqswarm") return sidekiq(args, environment);
    if (program == "celery" && contains_word(args, "worker")) return celery(args, environment);
    if ((program == "rq" && (first_operand(args) == "worker" || first_operand(args) == "worker-pool")) ||
        program == "rqworker")
      return WorkerProcess{WorkerKind::Rq, "rq worker",
                           unbounded("each job's job_timeout, 180 s by default"), "job_timeout"};
    if (word == "jobs:work" ||
        (program == "delayed_job" && (first_operand(args) == "run" || first_operand(args) == "start")))
      return WorkerProcess{WorkerKind::DelayedJob, "delayed_job",
                           unbounded("Delayed::Worker.max_run_time, 4 hours by default"), "max_run_time"};
    if (word == "resque:work" || word == "resque:workers" || program == "resque-pool") return resque(environment);
    if (program == "shoryuken") {
      // `start` is the default subcommand; `sqs`, `version` and `help` are not workers.
      std::string_view operand = first_operand(args);
      if (operand != "sqs" && operand != "version" && operand != "help") {
        std::string config = "its config file";
        if (auto flag = find_flag(args, {"-C", "--config-file", "--config"})) config = flag->raw;
        return WorkerProcess{WorkerKind::Shoryuken, "shoryuken", by_default(8, "a timeout: in " + config),
                             "timeout"};
      }
    }
    if (program == "good_job" && first_operand(args) == "start") return good_job(args, environment);
    if (word == "solid_queue:start" || (program == "jobs" && word.find("bin/jobs") != std::string::npos &&
                                        (first_operand(args).empty() || first_operand(args) == "start")))
      return WorkerProcess{WorkerKind::SolidQueue, "solid_queue",
                           by_default(5, "config.solid_queue.shutdown_timeout in the Rails app"),
                           "shutdown_timeout"};
    if (program == "artisan") {
      std::string_view command = first_operand(args);
      if (command == "queue:work" || command == "queue:listen") return laravel_queue(command, args, environment);
      if (command == "horizon")
        return WorkerProcess{WorkerKind::LaravelHorizon, "php artisan horizon",
                             by_default(60, "the supervisors' timeout in config/horizon.php"), "timeout"};
    }
    if (program == "dramatiq" || program == "dramatiq-gevent") return dramatiq(args, environment);
  }
  return std::nullopt;
}

std::string format_seconds(double seconds) {
  char buffer[32];
  if (std::fabs(seconds) < kLargestSeconds && std::fabs(seconds - std::round(seconds)) < 1e-9)
    std::snprintf(buffer, sizeof buffer, "%lld", static_cast<long long>(std::llround(seconds)));
  else
    std::snprintf(buffer, sizeof buffer, "%g", seconds);
  return buffer;
}

}  // namespace

std::string_view program_basename(std::string_view word) {
  // glibc's memrchr, not a byte loop: every word of every command a rule looks at is asked.
  if (word.empty()) return word;
  const void* slash = memrchr(word.data(), '/', word.size());
  return slash ? word.substr(static_cast<size_t>(static_cast<const char*>(slash) - word.data()) + 1) : word;
}

std::vector<std::vector<std::string>> split_simple_commands(const std::vector<std::string>& command_words) {
  std::vector<Token> tokens;
  for (size_t i = 0; i < command_words.size(); ++i) {
    const std::string& word = command_words[i];
    if (is_shell(word)) {
      // `sh -c SCRIPT [NAME ARGS...]`, also `bash -lc`, `sh -ec`, `bash -o pipefail -c`.
      size_t j = i + 1;
      bool has_script = false;
      while (j < command_words.size() && command_words[j].size() > 1 &&
             (command_words[j][0] == '-' || command_words[j][0] == '+')) {
        const std::string& option = command_words[j];
        if (option == "-o" || option == "+o") {
          j += 2;
          continue;
        }
        if (option[1] != '-' && option.find('c') != std::string::npos) has_script = true;
        ++j;
        if (has_script) break;
      }
      if (has_script && j < command_words.size()) {
        tokens.push_back({";", true});
        tokenize_shell(command_words[j], tokens);
        break;
      }
    }
    if (needs_shell_split(word)) {
      tokenize_shell(word, tokens);
    } else {
      tokens.push_back({word, false});
    }
  }

  std::vector<std::vector<std::string>> commands;
  std::vector<std::string> current;
  for (Token& token : tokens) {
    if (token.is_operator) {
      if (!current.empty()) commands.push_back(std::move(current));
      current.clear();
    } else {
      current.push_back(std::move(token.text));
    }
  }
  if (!current.empty()) commands.push_back(std::move(current));
  return commands;
}

std::optional<WorkerProcess> detect_worker_process(const std::vector<std::string>& command_words,
                                                   const std::vector<EnvironmentVariable>& environment) {
  for (const std::vector<std::string>& command : split_simple_commands(command_words)) {
    Environment scope{environment};
    // Inline assignments: `QUEUE=* rake ...`, `env X=1 ...`, and rake's `resque:work TERM_CHILD=1`.
    for (const std::string& word : command) {
      if (!is_assignment(word)) continue;
      size_t equals = word.find('=');
      scope.variables.push_back({word.substr(0, equals), word.substr(equals + 1)});
    }
    if (auto worker = worker_in(command, scope)) return worker;
  }
  return std::nullopt;
}

std::optional<int64_t> required_stop_seconds(const ShutdownTimeout& timeout, int64_t margin_seconds) {
  if (!timeout.seconds || std::isnan(*timeout.seconds)) return std::nullopt;
  // A timeout past any platform's limit (`-t 99999999999999999999`) is clamped before the cast: a
  // double beyond int64's range makes it undefined (found by fuzz_yaml under UBSan).
  double seconds = std::clamp(*timeout.seconds, -kLargestSeconds, kLargestSeconds);
  return static_cast<int64_t>(std::ceil(seconds - 1e-9)) + margin_seconds;
}

std::string describe_shutdown(const WorkerProcess& worker) {
  std::string text(worker.name);
  const ShutdownTimeout& timeout = worker.timeout;
  switch (timeout.origin) {
    case TimeoutOrigin::CommandLine:
    case TimeoutOrigin::Environment:
      text += " with " + timeout.setting;
      if (!timeout.may_be_overridden_by.empty())
        text += " (unless " + timeout.may_be_overridden_by + " sets another value)";
      break;
    case TimeoutOrigin::Default:
      text += " (shutdown timeout " + format_seconds(timeout.seconds.value_or(0)) + " s by default";
      if (!timeout.may_be_overridden_by.empty()) text += "; " + timeout.may_be_overridden_by + " would change it";
      text += ")";
      break;
    case TimeoutOrigin::Unbounded:
      if (!timeout.setting.empty()) text += " with " + timeout.setting;
      text += ", which waits for running jobs to finish";
      text += timeout.may_be_overridden_by.empty() ? " with no time limit"
                                                   : " (bounded only by " + timeout.may_be_overridden_by + ")";
      break;
    case TimeoutOrigin::Unresolved:
      text += " with " + timeout.setting + " (a value shiftlint cannot read)";
      break;
  }
  return text;
}

std::string_view to_string(WorkerKind kind) {
  switch (kind) {
    case WorkerKind::Sidekiq: return "sidekiq";
    case WorkerKind::Celery: return "celery";
    case WorkerKind::Rq: return "rq";
    case WorkerKind::DelayedJob: return "delayed_job";
    case WorkerKind::Resque: return "resque";
    case WorkerKind::Shoryuken: return "shoryuken";
    case WorkerKind::GoodJob: return "good_job";
    case WorkerKind::SolidQueue: return "solid_queue";
    case WorkerKind::LaravelQueue: return "laravel-queue";
    case WorkerKind::LaravelHorizon: return "laravel-horizon";
    case WorkerKind::Dramatiq: return "dramatiq";
  }
  return "";
}

std::string_view to_string(TimeoutOrigin origin) {
  switch (origin) {
    case TimeoutOrigin::CommandLine: return "command line";
    case TimeoutOrigin::Environment: return "environment";
    case TimeoutOrigin::Default: return "default";
    case TimeoutOrigin::Unbounded: return "unbounded";
    case TimeoutOrigin::Unresolved: return "unresolved";
  }
  return "";
}

}  // namespace shiftlint::detect
