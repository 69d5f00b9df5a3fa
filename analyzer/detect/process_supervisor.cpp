#include "analyzer/detect/process_supervisor.h"

#include "analyzer/detect/worker_process.h"

namespace shiftlint::detect {

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
    case Supervisor::None: break;
  }
  return {};
}

}  // namespace shiftlint::detect
