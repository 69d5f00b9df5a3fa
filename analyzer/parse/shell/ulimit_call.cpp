#include "analyzer/parse/shell/ulimit_call.h"

#include "analyzer/parse/shell/effective_command.h"

namespace shiftlint::shell {

std::string_view ulimit_resource(char option) {
  switch (option) {
    case 'b': return "sbsize";
    case 'c': return "core";
    case 'd': return "data";
    case 'e': return "nice";
    case 'f': return "fsize";
    case 'i': return "sigpending";
    case 'k': return "kqueues";
    case 'l': return "memlock";
    case 'm': return "rss";
    case 'n': return "nofile";
    case 'p': return "pipe";
    case 'q': return "msgqueue";
    case 'r': return "rtprio";
    case 's': return "stack";
    case 't': return "cpu";
    case 'u': return "nproc";
    case 'v': return "as";
    case 'x': return "locks";
    case 'P': return "npts";
    case 'R': return "rttime";
    case 'T': return "threads";
    default: return "";
  }
}

std::vector<UlimitCall> find_ulimit_calls(const Script& script) {
  std::vector<UlimitCall> calls;
  for (uint32_t index = 0; index < script.commands.size(); ++index) {
    if (effective_program_name(script.commands[index]) != "ulimit") continue;
    EffectiveCommand effective = effective_command(script.commands[index]);
    UlimitCall call{index, {}};
    bool soft = false, hard = false;
    std::span<const Word> arguments = effective.arguments;
    for (size_t i = 0; i < arguments.size(); ++i) {
      const Word& word = arguments[i];
      std::string_view value = word.value;
      if (value.size() > 1 && value[0] == '-' && !word.has_expansion) {
        // A cluster: -S/-H choose the limits, every other letter names a resource; the value after
        // the cluster belongs to its last resource.
        std::vector<char> resources;
        for (char letter : value.substr(1)) {
          if (letter == 'S') soft = true;
          else if (letter == 'H') hard = true;
          else if (letter != 'a' && !ulimit_resource(letter).empty()) resources.push_back(letter);
        }
        const Word* limit = nullptr;
        if (!resources.empty() && i + 1 < arguments.size() && arguments[i + 1].value.rfind('-', 0) != 0) {
          limit = &arguments[++i];
        }
        for (size_t r = 0; r < resources.size(); ++r) {
          bool both = !soft && !hard;
          call.settings.push_back({resources[r], ulimit_resource(resources[r]), both || soft, both || hard,
                                   r + 1 == resources.size() ? limit : nullptr, &word});
        }
      } else {
        // `ulimit 1000`, `ulimit -S 1000`: the file size limit.
        bool both = !soft && !hard;
        call.settings.push_back({'f', ulimit_resource('f'), both || soft, both || hard, &word, &word});
      }
    }
    calls.push_back(std::move(call));
  }
  return calls;
}

}  // namespace shiftlint::shell
