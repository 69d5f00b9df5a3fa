#include "analyzer/detect/process_supervisor.h"

#include <algorithm>
#include <initializer_list>

#include "analyzer/detect/worker_process.h"

namespace shiftlint::detect {
namespace {

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && text.substr(0, prefix.size()) == prefix;
}

// Options of the Procfile runners that take a value as the next word, besides those read below.
// forego's `-r` (restart) is a flag; overmind's is `--auto-restart`, a value.
bool takes_value(std::string_view runner, std::string_view option) {
  for (std::string_view known : {"-e", "--env", "-p", "--port", "-c", "--concurrency", "-m", "--formation", "-t",
                                 "--timeout", "-s", "--socket", "-x", "--ignored-processes", "-q", "--quiet",
                                 "--auto-restart", "-P", "--port-step", "-N", "--title"})
    if (option == known) return true;
  return runner == "overmind" && option == "-r";
}

}  // namespace

Supervisor supervisor_of(std::string_view first_word) {
  std::string_view name = program_basename(first_word);
  if (name == "supervisord") return Supervisor::Supervisord;
  if (name == "runsvdir" || name == "my_init" || name == "runit" || name == "runit-init") return Supervisor::Runit;
  if (name == "s6-svscan" || name == "s6-overlay-suexec" || first_word == "/init") return Supervisor::S6;
  if (name == "monit") return Supervisor::Monit;
  if (name == "circusd") return Supervisor::Circus;
  if (name == "god") return Supervisor::God;
  if (name == "pm2-runtime" || name == "pm2-docker") return Supervisor::Pm2Runtime;
  if (name == "pm2") return Supervisor::Pm2;
  if (name == "forego" || name == "foreman" || name == "honcho" || name == "overmind" || name == "hivemind")
    return Supervisor::ProcfileRunner;
  return Supervisor::None;
}

std::string_view supervisor_name(Supervisor supervisor) {
  switch (supervisor) {
    case Supervisor::Supervisord: return "supervisord";
    case Supervisor::Runit: return "runit";
    case Supervisor::S6: return "s6";
    case Supervisor::Monit: return "monit";
    case Supervisor::Circus: return "circus";
    case Supervisor::God: return "god";
    case Supervisor::Pm2Runtime: return "pm2-runtime";
    case Supervisor::Pm2: return "pm2";
    case Supervisor::ProcfileRunner: return "Procfile runner";
    case Supervisor::None: break;
  }
  return {};
}

std::optional<ProcfileRun> procfile_run(std::span<const std::string_view> words) {
  if (words.empty() || supervisor_of(words[0]) != Supervisor::ProcfileRunner) return std::nullopt;
  std::string_view runner = program_basename(words[0]);
  bool started = runner == "hivemind";  // hivemind has no subcommand
  ProcfileRun run;
  size_t positional = 0;
  for (size_t i = 1; i < words.size(); ++i) {
    std::string_view word = words[i];
    std::string_view value;
    bool has_value = false;
    std::string_view option = word;
    if (starts_with(word, "--") && word.find('=') != std::string_view::npos) {
      option = word.substr(0, word.find('='));
      value = word.substr(word.find('=') + 1);
      has_value = true;
    }
    if (option == "-f" || option == "--procfile" || option == "-d" || option == "--root" || option == "--app-root" ||
        option == "-l" || option == "--processes") {
      if (!has_value) {
        if (i + 1 >= words.size()) break;
        value = words[++i];
      }
      if (option == "-f" || option == "--procfile") run.procfile = std::string(value);
      else if (option == "-l" || option == "--processes")
        run.named_processes = static_cast<size_t>(std::count(value.begin(), value.end(), ',')) + 1;
      else run.root = std::string(value);
      continue;
    }
    if (starts_with(word, "-")) {
      if ((runner == "forego" || runner == "overmind") && (option == "-r" || option == "--auto-restart"))
        run.restarts = true;
      if (!has_value && takes_value(runner, word)) ++i;
      continue;
    }
    if (!started) {
      // `honcho -f Procfile start`: options may come before the subcommand.
      if (word != "start" && !(runner == "overmind" && word == "s")) return std::nullopt;
      started = true;
      continue;
    }
    if (runner == "hivemind") run.procfile = std::string(word);
    else ++positional;
  }
  if (!started) return std::nullopt;
  if (positional > 0) run.named_processes = positional;
  return run;
}

}  // namespace shiftlint::detect
