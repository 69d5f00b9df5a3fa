#include <cctype>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "analyzer/detect/secret_file.h"
#include "analyzer/detect/secret_like.h"
#include "analyzer/engine/rule.h"
#include "rules/dkr/final_image.h"

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
void check_variable(const Dockerfile& dockerfile, const Variable& variable, RuleContext& context) {
  if (variable.kind == Variable::Kind::Automatic || !variable.pair || !variable.pair->has_value || !variable.known)
    return;
  const docker::Word& written = variable.pair->value;
  if (written.text.find('$') != std::string::npos || written.span.empty()) return;
  auto secret = detect::find_plaintext_secret(variable.name, variable.value);
  if (!secret || is_filler(variable.value)) return;
  std::string shown = secret->secret.empty() ? "" : fmt::format(" ({})", detect::mask_secret(secret->secret));
  std::string message;
  if (variable.kind == Variable::Kind::Env) {
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

void check_copy(const Dockerfile& dockerfile, const Stage& stage, size_t position, const Instruction& instruction,
                RuleContext& context) {
  auto arguments = docker::copy_arguments(instruction);
  if (!arguments || arguments->from) return;  // --from: another stage or image, not the context
  auto report = [&](const docker::Word& word, std::string_view path, const detect::SecretFile& kind, bool as_source) {
    std::string where = as_source ? fmt::format("copies \"{}\"", path) : fmt::format("writes \"{}\"", path);
    context.report(*dockerfile.file, word.span,
                   fmt::format("{} {} into the image, which looks like {}: everyone who can pull the image can "
                               "extract it from its layer, even if a later step deletes it; keep it out of the image "
                               "(.dockerignore), mount it at build time with RUN --mount=type=secret, or pass it at "
                               "run time from a secret store, and rotate it",
                               instruction.keyword, where, kind.what));
  };
  for (const docker::CopySource& source : arguments->sources) {
    if (!source.word) continue;
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
  for (const Dockerfile::Scope& scope : dockerfile.scopes)
    for (const Variable& variable : scope.bindings) check_variable(dockerfile, variable, context);

  // Files copied into a build stage that only hands on artifacts are not shipped.
  for (const Stage* stage : dkr::final_image_stages(dockerfile)) {
    for (size_t position = 0; position < stage->instructions.size(); ++position) {
      const Instruction& instruction = *stage->instructions[position];
      if (instruction.is("COPY") || instruction.is("ADD")) check_copy(dockerfile, *stage, position, instruction, context);
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
