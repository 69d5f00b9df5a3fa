#include "analyzer/lsp/document_store.h"

#include "analyzer/lsp/uri.h"

namespace shiftlint::lsp {

OpenDocument& DocumentStore::open(std::string uri, std::string language_id, int64_t version, std::string text) {
  OpenDocument document;
  document.path = path_from_file_uri(uri);
  document.uri = uri;
  document.language_id = std::move(language_id);
  document.version = version;
  document.text = std::move(text);
  // Opening an open document again (a client bug) replaces it: the newest text wins.
  return documents_.insert_or_assign(std::move(uri), std::move(document)).first->second;
}

OpenDocument* DocumentStore::change(const std::string& uri, int64_t version, std::string text) {
  OpenDocument* document = find(uri);
  if (!document) return nullptr;
  document->version = version;
  document->text = std::move(text);
  document->needs_lint = true;
  return document;
}

void DocumentStore::close(const std::string& uri) { documents_.erase(uri); }

OpenDocument* DocumentStore::find(const std::string& uri) {
  auto found = documents_.find(uri);
  return found == documents_.end() ? nullptr : &found->second;
}

OpenDocument* DocumentStore::find_by_path(const std::string& path) {
  for (auto& [uri, document] : documents_)
    if (document.path == path) return &document;
  return nullptr;
}

}  // namespace shiftlint::lsp
