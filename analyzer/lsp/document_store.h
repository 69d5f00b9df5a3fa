#pragma once
// The documents the editor has open, with their text as the editor holds it (not as on disk) and
// the findings of the last lint of that text.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/engine/finding.h"
#include "analyzer/source/classify.h"
#include "analyzer/source/source_file.h"

namespace shiftlint::lsp {

struct OpenDocument {
  std::string uri;                  // exactly as the client sent it: diagnostics go back to it
  std::optional<std::string> path;  // absolute; nullopt for URIs that are not file://
  std::string language_id;
  int64_t version = 0;
  std::string text;

  // The last lint: the text as linted (finding positions refer to it), its kind, its findings.
  // `linted` is null until the document has been linted, or when it is of no kind shiftlint reads.
  std::shared_ptr<const SourceFile> linted;
  int64_t linted_version = -1;
  FileKind kind = FileKind::Unknown;
  std::vector<Finding> findings;
  std::string base_directory;  // what finding paths are relative to (the config's folder)
  // A file that is not linted alone, whose `findings` come from a lint from disk, on open or save,
  // and stay while the buffer is edited: a Helm chart's template (its chart's lint), a file an image
  // gets from its build context (the lint of the Dockerfiles that copy it).
  bool findings_from_disk = false;
  bool needs_lint = true;
  // Whether the client shows diagnostics for this document: keystrokes in a file of no known
  // kind then cost no message at all.
  std::optional<bool> published_nonempty;
};

class DocumentStore {
 public:
  OpenDocument& open(std::string uri, std::string language_id, int64_t version, std::string text);
  // Replaces the text (full sync). nullptr when the document is not open.
  OpenDocument* change(const std::string& uri, int64_t version, std::string text);
  void close(const std::string& uri);
  OpenDocument* find(const std::string& uri);
  OpenDocument* find_by_path(const std::string& path);
  std::map<std::string, OpenDocument>& all() { return documents_; }
  const std::map<std::string, OpenDocument>& all() const { return documents_; }

 private:
  std::map<std::string, OpenDocument> documents_;  // by URI
};

}  // namespace shiftlint::lsp
