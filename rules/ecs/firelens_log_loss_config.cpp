// ECS012: a Fluent Bit FireLens router running with Fluent Bit's default 5 s Grace and no config file.
#include <fmt/format.h>

#include <strings.h>

#include "analyzer/detect/image_reference.h"
#include "analyzer/detect/log_shipper.h"
#include "analyzer/detect/template_text.h"
#include "analyzer/engine/rule.h"
#include "analyzer/source/ascii_case.h"

namespace shiftlint {
namespace {

// The image reference; for a CloudFormation Fn::Sub, its template, whose repository part is literal
// (`${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/aws-for-fluent-bit:2.32.2`).
// The image's literal text, a CloudFormation `!Sub` template included (placeholders left in).
std::string image_template(const ecs::ContainerDefinition& container) {
  if (!container.image) return {};
  return std::string(detect::text_with_placeholders(*container.image).value_or(std::string_view()));
}

// The images Fluent Bit and AWS publish (fluent/fluent-bit, amazon/aws-for-fluent-bit,
// public.ecr.aws/aws-observability/aws-for-fluent-bit, a mirror under the same name), not an image
// built on them (`newrelic/logging-firelens-fluentbit`, `acme/custom-fluent-bit`), whose own
// config may set Grace.
bool is_stock_fluent_bit_image(std::string_view image) {
  detect::ImageReference reference = detect::parse_image_reference(image);
  if (!reference.known) return false;
  std::string_view repository = reference.repository;
  std::string_view name = repository.substr(repository.find_last_of('/') + 1);
  return equal_ignoring_case(name, "aws-for-fluent-bit") || equal_ignoring_case(name, "fluent-bit");
}

void check(const ecs::TaskDefinition& task, RuleContext& context) {
  const bool cloudformation = task.carrier == ecs::Carrier::CloudFormation;
  for (const ecs::ContainerDefinition& container : task.containers) {
    const Node* firelens = container.firelens_configuration;
    if (!firelens || !firelens->is_map()) continue;
    const Node* type = firelens->find_any_case("type");
    auto type_text = type ? type->as_string() : std::nullopt;
    if (!type_text || strcasecmp(std::string(*type_text).c_str(), "fluentbit") != 0) continue;

    // Only the stock images are known to start without Grace set; a custom image may bake it in.
    std::string image_text = image_template(container);
    auto image = detect::log_shipper_from_image(image_text);
    if (!image || !detect::is_fluent_bit(image->kind) || !is_stock_fluent_bit_image(image_text)) continue;
    // A custom command may pass its own config file.
    if (container.command || container.entry_point) continue;

    const Node* options = firelens->find_any_case("options");
    if (options && !options->is_null() && !options->is_map()) continue;  // unknown
    if (options && options->is_map() && options->find_any_case("config-file-value")) continue;
    // The aws-for-fluent-bit init image takes extra config files from aws_fluent_bit_init_* variables.
    bool init_config = false;
    for (const ecs::NameValue& entry : container.environment_entries) {
      auto name = entry.name ? entry.name->as_string() : std::nullopt;
      constexpr std::string_view prefix = "aws_fluent_bit_init_";
      init_config = init_config || !name ||
                    (name->size() >= prefix.size() && strncasecmp(name->data(), prefix.data(), prefix.size()) == 0);
    }
    if (init_config) continue;

    const bool aws_image = image->kind == detect::LogShipperKind::AwsForFluentBit;
    std::string config_options =
        cloudformation ? "config-file-type: file, config-file-value: /fluent-bit/configs/minimize-log-loss.conf"
                       : R"("config-file-type": "file", "config-file-value": "/fluent-bit/configs/minimize-log-loss.conf")";
    std::string fix =
        aws_image ? fmt::format("add {} to its {} (the image ships that file: Flush 1, Grace 30)", config_options,
                                cloudformation ? "FirelensConfiguration Options" : "firelensConfiguration options")
                  : "bake a config file with `[SERVICE] Flush 1, Grace 30` into the image and point "
                    "firelensConfiguration's config-file-value at it, or switch to aws-for-fluent-bit and its "
                    "/fluent-bit/configs/minimize-log-loss.conf";
    const Node& at = options && options->is_map() ? *options : *firelens;
    context.report_key(at, fmt::format("FireLens log router \"{}\" runs Fluent Bit with no config file, so its "
                                       "Grace stays at the default 5 s: at task stop, records still buffered after 5 s "
                                       "are dropped although ECS waits 30 s; {}",
                                       container.name_text(), fix));
  }
}

const RuleRegistration registration{{
    .id = "ECS012",
    .slug = "firelens-log-loss-config",
    .severity = Severity::Note,
    .summary = "A Fluent Bit FireLens router runs without a grace/flush config (minimize-log-loss.conf)",
    .check_task_definition = check,
}};

}  // namespace
}  // namespace shiftlint
