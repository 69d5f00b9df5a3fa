#pragma once
// Text that a deploy pipeline substitutes before the file reaches AWS or Kubernetes: envsubst and
// Terraform templatefile (`${IMAGE}`, `$IMAGE`), Go/Helm/ecspresso/CloudFormation dynamic references
// (`{{ .Values.tag }}`, `{{resolve:ssm:...}}`), CodePipeline (`<IMAGE1_NAME>`), batch files and
// Octopus/Azure DevOps token replacement (`%TAG%`, `#{Tag}`, `__TAG__`), shell (`$(git rev-parse)`).
// What such a value will be is unknown, so rules must not judge it as a literal.
#include <string_view>

namespace shiftlint::detect {

// Whether text contains such a placeholder anywhere. A bare `$NAME` counts only in upper case
// (`$IMAGE_TAG`), so a password like `Pa$$word` is not mistaken for one.
bool contains_template_placeholder(std::string_view text);

// Whether a whole file's text holds a template engine's action: `{{` (Go, Helm, gomplate, Jinja
// expressions) or `{%` (Jinja statements). CloudFormation's own dynamic references
// (`{{resolve:ssm:...}}`) are not one: they sit in files that are already valid YAML or JSON.
bool contains_template_action(std::string_view text);

}  // namespace shiftlint::detect
