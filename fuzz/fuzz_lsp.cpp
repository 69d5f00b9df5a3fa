// The language server's input side: the Content-Length framing reader fed in uneven chunks, and
// every message it frames handed to the server (JSON-RPC parsing, dispatch, document sync, lint).
#include <string>
#include <string_view>

#include "analyzer/lsp/json_rpc.h"
#include "analyzer/lsp/server.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  shiftlint::lsp::ServerOptions options;
  options.max_message_bytes = 1 << 20;
  options.max_document_bytes = 1 << 20;
  options.deploy_configuration_search_entries = 0;  // a made-up workspace at / must not walk the machine
  options.workspace_lint_entries = 300;      // nor its workspace lint (shiftlint.lintWorkspace)
  shiftlint::lsp::LanguageServer server([](std::string) {}, options);
  shiftlint::lsp::MessageReader reader(options.max_message_bytes);
  // Chunk sizes taken from the input itself, so splits inside headers and bodies are explored.
  size_t position = 0;
  size_t chunk = size ? (static_cast<unsigned char>(bytes[0]) % 64) + 1 : 1;
  while (position < size) {
    size_t take = std::min(chunk, size - position);
    reader.feed(bytes.substr(position, take));
    position += take;
    shiftlint::lsp::FramedEvent event;
    while (reader.next(event)) {
      if (event.kind == shiftlint::lsp::FramedEvent::Kind::Message) server.handle_message(event.body);
      else server.handle_framing_problem(event);
      if (server.exit_requested()) return 0;
    }
    server.lint_pending();
  }
  server.wait_for_background();
  return 0;
}
