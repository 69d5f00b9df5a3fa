#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "analyzer/detect/secret_file.h"
#include "analyzer/detect/secret_like.h"
#include "analyzer/engine/rule.h"
#include "analyzer/model/docker/final_image.h"
#include "analyzer/model/docker/build_context.h"

namespace shiftlint {
namespace {

using docker::Dockerfile;
using docker::Instruction;
using docker::Stage;
using docker::Variable;

// A value made of one repeated character (`00000000-0000-0000-0000-000000000000`, `xxxxxxxx`): a
// filler that says "put yours here", not a credential.
bool is_filler(std::string_view value) {
  char seen = 0;
  for (char c : value) {
    if (!std::isalnum(static_cast<unsigned char>(c))) continue;
    if (seen && c != seen) return false;
    seen = c;
  }
  return true;
}

// ENV/ARG bindings written with a literal value: the secret is on that line. A value taken from
// another variable (`ENV TOKEN=$NPM_TOKEN`) is reported where the literal is, if anywhere.
void check_variable(const Dockerfile& dockerfile, const Variable& variable, RuleContext& context,
                    const Stage* build_stage = nullptr) {
  if (variable.kind == Variable::Kind::Automatic || !variable.pair || !variable.pair->has_value || !variable.known)
    return;
  const docker::Word& written = variable.pair->value;
  if (written.text.find('$') != std::string::npos || written.span.empty()) return;
  auto secret = detect::find_plaintext_secret(variable.name, variable.value);
  if (!secret || is_filler(variable.value)) return;
  std::string shown = secret->secret.empty() ? "" : fmt::format(" ({})", detect::mask_secret(secret->secret));
  std::string message;
  if (variable.kind == Variable::Kind::Env && build_stage) {
    // Not shipped: the final image does not carry the stage's ENV, but the Dockerfile and the build
    // cache do.
    message = fmt::format(
        "ENV {} in {} holds {} in plain text{}: the shipped image does not carry it, but the repository and every "
        "build cache do; give the build step the secret with RUN --mount=type=secret (docker build --secret), or a "
        "dummy value if the build only needs one to be set, and rotate it if it is real",
        variable.name, docker::build_stage_label(*build_stage), secret->kind, shown);
  } else if (variable.kind == Variable::Kind::Env) {
    message = fmt::format(
        "ENV {} holds {} in plain text{}: every layer from here on carries it, and anyone who can pull the image reads "
        "it with docker inspect; pass it at run time instead (ECS \"secrets\" from Secrets Manager or SSM, a "
        "Kubernetes Secret) and rotate it",
        variable.name, secret->kind, shown);
  } else {
    message = fmt::format(
        "ARG {} defaults to {} in plain text{}: build arguments are recorded in the image history (docker history) "
        "and the default sits in the repository; give build steps secrets with RUN --mount=type=secret "
        "(docker build --secret) and rotate it",
        variable.name, secret->kind, shown);
  }
  Finding& finding = context.report(*dockerfile.file, written.span, std::move(message));
  // The report must not leak what it warns about: code frames and snippets show it masked.
  finding.sensitive = true;
}

constexpr std::string_view kCopyWhy =
    "everyone who can pull the image can extract it from its layer, even if a later step deletes it; keep it out of "
    "the image (.dockerignore), mount it at build time with RUN --mount=type=secret, or pass it at run time from a "
    "secret store, and rotate it";

// The secret files a COPY/ADD takes from the build context, as found on disk (after .dockerignore).
struct CopiedSecret {
  std::string path;  // as the context names it, or the image path for a heredoc
  std::string_view what;
};

// What a copied file holds, when it is a credential file: its text decides where it can be read and
// the kind wants it, else its name (context path, then where it lands: `COPY key /root/.ssh/id_rsa`).
std::optional<std::string_view> judge_copied(const docker::BuildContext& build_context,
                                             const docker::ContextFile& file) {
  std::string_view name = file.context_path.empty() ? std::string_view(file.image_path) : file.context_path;
  auto kind = detect::secret_file(name);
  if (!kind) {
    // The name it lands under decides, and so reads the text: `COPY docker/app.env /srv/.env` is a
    // .env file, whose lines say whether it holds a secret.
    name = file.image_path;
    kind = detect::secret_file(name);
  }
  if (!kind) return std::nullopt;
  if (kind->content_decides) {
    if (auto text = build_context.text(file))
      return detect::secret_file_content(name, text->text.text()) ? std::optional(kind->what) : std::nullopt;
  }
  return kind->name_is_enough ? std::optional(kind->what) : std::nullopt;
}

// The source word of `instruction` a context file came from: the one naming it or a folder above it.
const docker::Word* source_word(const Dockerfile& dockerfile, const Stage& stage, size_t position,
                                const docker::CopyArguments& arguments, const docker::ContextFile& file) {
  const docker::Word* fallback = nullptr;
  for (const docker::CopySource& source : arguments.sources) {
    if (!source.word) continue;
    if (source.heredoc) {
      if (source.heredoc == file.heredoc) return source.word;
      continue;
    }
    if (!fallback) fallback = source.word;
    docker::Expansion expanded = dockerfile.expand(stage, position, source.word->text);
    std::string path = expanded.text;
    while (path.starts_with("./")) path.erase(0, 2);
    while (path.size() > 1 && path.back() == '/') path.pop_back();
    if (path.empty() || path == "." || path == "/" || file.context_path == path ||
        (file.context_path.size() > path.size() && file.context_path.starts_with(path) &&
         file.context_path[path.size()] == '/'))
      return source.word;
  }
  return fallback;
}

void check_copy(const Dockerfile& dockerfile, const Stage& stage, size_t position, const Instruction& instruction,
                const std::vector<docker::ContextFile>& context_files, RuleContext& context) {
  auto arguments = docker::copy_arguments(instruction);
  if (!arguments || arguments->from) return;  // --from: another stage or image, not the context

  // What the build context holds decides, where it can be read.
  const docker::BuildContext* build_context = dockerfile.build_context;
  bool found_on_disk = false;
  std::vector<std::pair<const docker::Word*, CopiedSecret>> secrets;
  for (const docker::ContextFile& file : context_files) {
    if (file.instruction != &instruction) continue;
    found_on_disk = true;
    auto what = judge_copied(*build_context, file);
    if (!what) continue;
    const docker::Word* word = source_word(dockerfile, stage, position, *arguments, file);
    if (!word) continue;
    secrets.push_back({word, {file.context_path.empty() ? file.image_path : file.context_path, *what}});
  }
  if (found_on_disk) {
    // One finding per source word, naming up to three files.
    for (size_t i = 0; i < secrets.size(); ++i) {
      const docker::Word* word = secrets[i].first;
      bool first = true;
      for (size_t j = 0; j < i; ++j) first = first && secrets[j].first != word;
      if (!first) continue;
      std::vector<const CopiedSecret*> same;
      for (const auto& [other, secret] : secrets)
        if (other == word) same.push_back(&secret);
      std::string names;
      for (size_t k = 0; k < same.size() && k < 3; ++k)
        names += fmt::format("{}\"{}\" ({})", k ? ", " : "", same[k]->path, same[k]->what);
      if (same.size() > 3) names += fmt::format(" and {} more", same.size() - 3);
      context.report(*dockerfile.file, word->span,
                     fmt::format("{} copies {} from the build context into the image: {}", instruction.keyword, names,
                                 kCopyWhy));
    }
    return;
  }

  // Not on disk (a file CI writes, a context this run cannot see): judge by name.
  auto report = [&](const docker::Word& word, std::string_view path, const detect::SecretFile& kind, bool as_source) {
    std::string where = as_source ? fmt::format("copies \"{}\"", path) : fmt::format("writes \"{}\"", path);
    context.report(*dockerfile.file, word.span,
                   fmt::format("{} {} into the image, which looks like {}: {}", instruction.keyword, where, kind.what,
                               kCopyWhy));
  };
  for (const docker::CopySource& source : arguments->sources) {
    if (!source.word || source.heredoc) continue;
    docker::Expansion path = dockerfile.expand(stage, position, source.word->text);
    if (!path.ok() || path.text.find("://") != std::string::npos) continue;
    auto kind = detect::secret_file(path.text);
    if (!kind || !kind->name_is_enough) continue;
    report(*source.word, path.text, *kind, true);
    return;
  }
  // `COPY deploy-key /root/.ssh/id_rsa`: the destination names what it is.
  if (arguments->destination && arguments->sources.size() == 1) {
    docker::Expansion path = dockerfile.expand(stage, position, arguments->destination->text);
    auto kind = path.ok() ? detect::secret_file(path.text) : std::nullopt;
    if (kind && kind->name_is_enough && !kind->content_decides) report(*arguments->destination, path.text, *kind, false);
  }
}

void check(const Dockerfile& dockerfile, RuleContext& context) {
  for (const Variable& variable : dockerfile.global_args) check_variable(dockerfile, variable, context);
  std::vector<const Stage*> shipped = docker::final_image_stages(dockerfile);
  for (size_t index = 0; index < dockerfile.scopes.size() && index < dockerfile.stages.size(); ++index) {
    const Stage& stage = dockerfile.stages[index];
    const Stage* build_stage = std::find(shipped.begin(), shipped.end(), &stage) == shipped.end() ? &stage : nullptr;
    for (const Variable& variable : dockerfile.scopes[index].bindings)
      check_variable(dockerfile, variable, context, build_stage);
  }

  static const std::vector<docker::ContextFile> kNoFiles;
  const std::vector<docker::ContextFile>& context_files =
      dockerfile.build_context ? dockerfile.build_context->files_ever_copied(dockerfile.final_stage()) : kNoFiles;
  // Files copied into a build stage that only hands on artifacts are not shipped.
  for (const Stage* stage : docker::final_image_stages(dockerfile)) {
    for (size_t position = 0; position < stage->instructions.size(); ++position) {
      const Instruction& instruction = *stage->instructions[position];
      if (instruction.is("COPY") || instruction.is("ADD"))
        check_copy(dockerfile, *stage, position, instruction, context_files, context);
    }
  }
}

const RuleRegistration registration{{
    .id = "DKR013",
    .slug = "secret-in-image",
    .severity = Severity::Error,
    .summary = "A secret is baked into the image: an ENV/ARG with a literal secret, or a key or credentials file copied in",
    .check_dockerfile = check,
}};

}  // namespace
}  // namespace shiftlint
