#include "analyzer/parse/json_loader.h"
namespace shiftlint {
Document load_json(std::shared_ptr<const SourceFile> file, const LoadLimits&) { return Document{file, {}, {}}; }
}
