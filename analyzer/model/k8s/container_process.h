#pragma once
// What the shared detectors (analyzer/detect) need from a pod container, and where in the manifest
// their answers point.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/detect/worker_process.h"
#include "analyzer/model/k8s/workload.h"

namespace shiftlint::k8s {

// The container's env as the detectors read it: `value:` literals known, `valueFrom:` (a secret, a
// ConfigMap key, a field) unknown.
std::vector<detect::EnvironmentVariable> environment_of(const Container& container);

// The simple commands the container's command + args run (`sh -c` scripts split), each with the
// wrappers that do not change the program stripped: `exec`, `env NAME=value`, inline assignments,
// `gosu USER`, `su-exec USER`, `tini --`, `dumb-init`, `nohup`, `bundle exec`. Empty when the
// container runs the image's own ENTRYPOINT and CMD or a word is not a literal.
std::vector<std::vector<std::string>> commands_run(const Container& container);

// How long the container's preStop hook waits before the container gets SIGTERM: the `sleep`
// action's seconds, or an exec hook that is a single `sleep N` (also inside `sh -c`). nullopt when it
// has no preStop or the wait cannot be read (a script, an HTTP call).
std::optional<int64_t> pre_stop_sleep_seconds(const Container& container);

// The command or args item whose text contains `text` (a program name, a task such as
// "db:migrate"); nullptr when none does.
const Node* command_item_containing(const Container& container, std::string_view text);

// Where a finding about what the container runs belongs: the item naming `text`, else `command`,
// else `args`, else the container itself.
const Node& command_location(const Container& container, std::string_view text);

// `container "web" of Deployment "shop"`, `init container "migrate" of Job "db"`,
// `native sidecar "fluent-bit" of ...`, for messages.
std::string describe_container(const Workload& workload, const Container& container);

}  // namespace shiftlint::k8s
