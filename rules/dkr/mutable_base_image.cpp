#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "analyzer/detect/image_reference.h"
#include "analyzer/model/docker/build_context.h"
#include "analyzer/engine/rule.h"

namespace shiftlint {
namespace {

using docker::Dockerfile;
using docker::Stage;

// A global ARG the FROM word takes its value from, and where in the word it is referenced.
struct FeedingArgument {
  const docker::Variable* argument = nullptr;
  size_t at = 0;
};

// The global ARGs that the FROM word takes its value from (`FROM ${BASE}` with `ARG BASE=ruby`,
// `FROM ${NAMESPACE}/base:${VERSION}`), each once, in the order the word names them. The last
// declaration of a name wins, as in BuildKit.
std::vector<FeedingArgument> feeding_arguments(const Dockerfile& dockerfile, std::string_view word) {
  std::vector<FeedingArgument> found;
  for (const docker::Variable& argument : dockerfile.global_args) {
    if (argument.kind != docker::Variable::Kind::Arg || !argument.pair) continue;
    // `$BASE` or `${BASE}` (`${BASE:-alpine}`), but not `$BASE_TAG` or `${BASE_COMMON}`.
    bool referenced = false;
    size_t where = 0;
    for (std::string_view opening : {std::string_view("$"), std::string_view("${")}) {
      std::string reference = std::string(opening) + argument.name;
      for (size_t at = word.find(reference); !referenced && at != std::string_view::npos;
           at = word.find(reference, at + 1)) {
        size_t after = at + reference.size();
        char next = after < word.size() ? word[after] : '\0';
        referenced = opening.size() == 2 ? next == '}' || next == ':'
                                         : !(std::isalnum(static_cast<unsigned char>(next)) || next == '_');
        where = at;
      }
    }
    if (!referenced) continue;
    auto same = std::find_if(found.begin(), found.end(),
                             [&](const FeedingArgument& other) { return other.argument->name == argument.name; });
    if (same != found.end()) *same = {&argument, where};
    else found.push_back({&argument, where});
  }
  std::sort(found.begin(), found.end(), [](const FeedingArgument& a, const FeedingArgument& b) { return a.at < b.at; });
  return found;
}

bool is_sentinel_default(std::string_view name) {
  for (std::string_view sentinel : {"unknown", "undefined", "unset", "notset", "none", "null", "nil", "placeholder",
                                    "changeme", "required", "override", "invalid"})
    if (name == sentinel) return true;
  return false;
}

void check(const Dockerfile& dockerfile, RuleContext& context) {
  for (const Stage& stage : dockerfile.stages) {
    // FROM scratch has nothing to pull; FROM an earlier stage is built here.
    if (!stage.image_word || stage.scratch || stage.parent || !stage.image.ok()) continue;
    detect::ImageReference reference = detect::parse_image_reference(stage.image.text);
    if (!reference.is_mutable()) continue;
    // Repository names are lower case: `FROM REPLACE-ME` is a template's filler, not an image.
    if (std::any_of(reference.repository.begin(), reference.repository.end(),
                    [](char c) { return c >= 'A' && c <= 'Z'; }))
      continue;

    // `FROM base` where a bake target names a context `base` (another target, a folder, a pinned
    // image): the build provides it, no registry tag is pulled. Looked for only for a bare name
    // that no official image has (the bake files are searched for on disk).
    if (dockerfile.build_context && reference.registry.empty() && !reference.has_tag() &&
        reference.repository.find('/') == std::string::npos && !detect::is_official_image_name(reference.repository)) {
      const std::vector<std::string>& named = dockerfile.build_context->bake_contexts();
      if (std::binary_search(named.begin(), named.end(), stage.image.text)) continue;
    }
    std::string name = reference.registry.empty() ? reference.repository
                                                   : reference.registry + "/" + reference.repository;
    bool expanded = stage.image_word->text != stage.image.text;
    // `ARG BASEIMAGE=unknown`: a default that only says the build must pass the image (jlesage's
    // images), not an image anyone pulls.
    if (expanded && !reference.has_tag() && reference.registry.empty() && is_sentinel_default(reference.repository))
      continue;
    // `ARG distro=""` and `FROM docker.io/library/${distro}`: with the default the reference is not
    // valid (an empty path component), so every build passes the image (synapse's packaging).
    if (expanded && (reference.repository.empty() || reference.repository.back() == '/' ||
                     reference.repository.front() == '/' || reference.repository.find("//") != std::string::npos))
      continue;
    std::string shown = expanded ? fmt::format("\"{}\" (\"{}\")", stage.image_word->text, stage.image.text)
                                 : fmt::format("\"{}\"", stage.image.text);
    std::string what = reference.has_tag() ? "uses the tag \"latest\"" : "has no tag, so it means \"latest\"";
    Finding& finding = context.report(
        *dockerfile.file, stage.image_word->span,
        fmt::format("base image {} {}: each build pulls whatever the tag points to that day, so two builds of the same "
                    "commit can get a different OS or runtime and a rebuild for an unrelated fix can ship a major "
                    "upgrade; pin a version tag (\"{}:<version>\") or a digest (\"{}@sha256:<digest>\")",
                    shown, what, name, name));
    if (expanded) {
      std::string_view word = stage.image_word->text;
      std::vector<FeedingArgument> arguments = feeding_arguments(dockerfile, word);
      // With several, each is named for its part: the tag's after the ':' that follows the last '/'.
      size_t slash = word.rfind('/');
      size_t colon = word.find(':', slash == std::string_view::npos ? 0 : slash);
      for (const FeedingArgument& feeding : arguments) {
        std::string_view part = arguments.size() == 1                                      ? "image"
                                : colon != std::string_view::npos && feeding.at > colon ? "tag"
                                                                                          : "image name";
        finding.related.push_back({make_location(*dockerfile.file, feeding.argument->pair->span),
                                   fmt::format("the {} comes from the default of ARG {}", part, feeding.argument->name)});
      }
    }
  }
}

const RuleRegistration registration{{
    .id = "DKR011",
    .slug = "mutable-base-image",
    .severity = Severity::Warning,
    .summary = "FROM an image without a tag or with :latest: the base changes under the same Dockerfile",
    .check_dockerfile = check,
}};

}  // namespace
}  // namespace shiftlint
