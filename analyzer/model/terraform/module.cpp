#include "analyzer/model/terraform/module.h"

#include <fmt/format.h>

namespace shiftlint::terraform {

namespace {

void declare(std::map<std::string, Declared, std::less<>>& into, std::string_view kind, std::string name,
             Declared declared, Span span, ModuleSource& module) {
  auto [at, inserted] = into.emplace(std::move(name), declared);
  if (inserted) return;
  const Declared& first = at->second;
  Span first_span = first.block ? first.block->span : first.attribute->span;
  module.diagnostics.push_back(
      {declared.file, span,
       fmt::format("duplicate {} \"{}\": it is already declared at {}:{}; Terraform refuses the module, the first "
                   "declaration is used here",
                   kind, at->first, first.file->display_path(), first_span.begin.line)});
}

}  // namespace

ModuleSource index_module(std::string directory, std::vector<hcl::File> files) {
  ModuleSource module;
  module.directory = std::move(directory);
  module.files = std::move(files);
  for (const hcl::File& file : module.files) {
    const SourceFile* source = file.source.get();
    for (const hcl::Block& block : file.body.blocks) {
      Declared declared{source, &block, nullptr};
      if (block.type == "locals") {
        for (const hcl::Attribute& attribute : block.body.attributes)
          declare(module.locals, "local value", attribute.name, {source, nullptr, &attribute}, attribute.name_span,
                  module);
      } else if (block.type == "variable" && block.labels.size() == 1) {
        declare(module.variables, "variable", block.labels[0], declared, block.span, module);
      } else if (block.type == "output" && block.labels.size() == 1) {
        declare(module.outputs, "output", block.labels[0], declared, block.span, module);
      } else if (block.type == "module" && block.labels.size() == 1) {
        declare(module.module_calls, "module call", block.labels[0], declared, block.span, module);
      } else if ((block.type == "resource" || block.type == "data") && block.labels.size() == 2) {
        module.resources.push_back(declared);
      } else if (block.type == "terraform") {
        module.settings.push_back(declared);
      }
    }
  }
  return module;
}

const Node* json_structure(const Node& value) {
  // An unknown template's one child is its text with the unknown parts left in, not JSON.
  if ((value.kind == NodeKind::String || value.kind == NodeKind::Unknown) && value.children.size() == 1 &&
      value.tag != kTemplateWithUnknownPartsTag)
    return &value.children.front();
  return nullptr;
}

}  // namespace shiftlint::terraform
