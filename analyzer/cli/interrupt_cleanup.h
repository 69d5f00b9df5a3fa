#pragma once
// The temporary files a run is writing (a report, a baseline, a file --fix rewrites: output_file.h)
// are removed when the run is interrupted (Ctrl-C, SIGTERM from CI, SIGHUP from a closed terminal),
// so that no `.report.json.shiftlint-XXXXXX` is left beside a user's files. The process then ends by
// the same signal, as it would have without the handler (exit status 128 + signal for a shell).

namespace shiftlint {

// Installs the handlers for SIGINT, SIGTERM and SIGHUP, unless the signal is ignored (a job started
// with `nohup` keeps ignoring SIGHUP). Called once by the command line's entry point.
void remove_temporaries_on_signal();

// Registers a temporary file to remove on a signal; returns its slot, or -1 when every slot is
// taken (the file is then not removed on a signal). Safe from any thread.
int register_temporary(const char* path);
// The file is gone or in place: a signal no longer removes it. -1 does nothing.
void unregister_temporary(int slot);

}  // namespace shiftlint
