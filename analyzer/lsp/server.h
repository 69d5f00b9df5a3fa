#pragma once
// The language server: LSP messages in, LSP messages out. It knows nothing of pipes: the stdio
// loop (stdio_loop.h) feeds it message bodies and writes what it sends, and tests drive it in
// process the same way.
//
// What it does: lints each open document's editor buffer on open and change (single-file rules),
// publishes the findings as diagnostics, offers quick fixes and suppressions as code actions,
// shows a rule's documentation on hover, follows .shiftlint.yaml changes, and lints the whole
// workspace on the `shiftlint.lintWorkspace` command.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "analyzer/lsp/json_rpc.h"
#include "analyzer/project/deploy_configurations.h"

namespace shiftlint::lsp {

struct ServerOptions {
  size_t max_message_bytes = MessageReader::kDefaultMaxMessageBytes;
  // Larger documents are not linted (their diagnostics are cleared and a message logged): an
  // editor must stay responsive, and `shiftlint check` still covers them.
  size_t max_document_bytes = size_t{8} << 20;
  // Folder entries listed, at most, when looking for the kustomization and Skaffold files around a
  // manifest (a walk of its config or workspace folder, once); 0: not looked for (the fuzz target's choice:
  // its made-up paths must not walk the machine).
  size_t deploy_configuration_search_entries = kDeployConfigurationSearchEntries;
  // Folder entries the workspace lint may list, at most (0: no bound, as `shiftlint check`; the
  // editor can cancel it). The fuzz target bounds it: its made-up workspace may be /.
  size_t workspace_lint_entries = 0;
  // Called on the workspace lint's thread before it starts (tests hold it there until a cancel has
  // arrived, so that what they check does not depend on how fast the lint is).
  std::function<void()> before_workspace_lint;
};

inline constexpr std::string_view kLintWorkspaceCommand = "shiftlint.lintWorkspace";

class LanguageServer {
 public:
  // `send` receives each outgoing message as JSON text (unframed).
  using Send = std::function<void(std::string)>;
  LanguageServer(Send send, ServerOptions options = {});
  ~LanguageServer();
  LanguageServer(const LanguageServer&) = delete;
  LanguageServer& operator=(const LanguageServer&) = delete;

  // One message body as framed on the wire. Never throws: every problem becomes a JSON-RPC error
  // response (requests) or a log line on stderr (notifications).
  void handle_message(std::string_view body);
  // A framing problem the reader found: answered with an error whose id is null.
  void handle_framing_problem(const FramedEvent& event);

  // Lints the documents changed since the last call. The stdio loop calls it when no input is
  // waiting, so a burst of keystrokes is linted once, for its last text.
  void lint_pending();
  bool has_pending_lint() const;
  // When the oldest unlinted change arrived (for the loop's upper bound on coalescing).
  std::chrono::steady_clock::time_point pending_since() const;

  // The workspace lint runs on a worker thread; its results are published from the thread that
  // calls this (the read loop), never concurrently with message handling.
  void poll_background();
  bool background_busy() const;
  void wait_for_background();

  bool exit_requested() const;
  // 0 after shutdown then exit; 1 for an exit (or end of input) without shutdown first.
  int exit_code() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace shiftlint::lsp
