#include "analyzer/engine/rule.h"

#include <algorithm>
#include <cctype>
#include <deque>

#include "analyzer/engine/rule_docs.h"
#include "analyzer/source/ascii_case.h"

namespace shiftlint {

namespace {
std::vector<const Rule*>& registry() {
  static std::vector<const Rule*> rules;
  return rules;
}

// Registrations pass their Rule as a temporary: the registry keeps its own copies, in a deque so
// that pointers to them stay valid as more rules register.
std::deque<Rule>& storage() {
  static std::deque<Rule> rules;
  return rules;
}

const RuleDoc* doc_for(std::string_view id) {
  for (const RuleDoc& doc : embedded_rule_docs())
    if (doc.id == id) return &doc;
  return nullptr;
}
}  // namespace

std::string_view Rule::family() const {
  // Ids are a family and a three-digit number; families may hold digits themselves (K8S001).
  return id.size() > 3 ? id.substr(0, id.size() - 3) : id;
}

std::string_view Rule::doc() const {
  const RuleDoc* doc = doc_for(id);
  return doc ? doc->markdown : std::string_view();
}

std::string_view Rule::doc_path() const {
  const RuleDoc* doc = doc_for(id);
  return doc ? doc->path : std::string_view();
}

RuleRegistration::RuleRegistration(const Rule& rule) {
  const Rule* stored = &storage().emplace_back(rule);
  auto& rules = registry();
  auto position = std::lower_bound(rules.begin(), rules.end(), stored,
                                   [](const Rule* a, const Rule* b) { return a->id < b->id; });
  rules.insert(position, stored);
}

const std::vector<const Rule*>& registered_rules() { return registry(); }

const Rule* find_rule(std::string_view id_or_slug) {
  for (const Rule* rule : registry())
    if (equal_ignoring_case(rule->id, id_or_slug) || rule->slug == id_or_slug) return rule;
  return nullptr;
}

int64_t RuleOptions::integer(std::string_view name, int64_t fallback) const {
  const Node* value = node(name);
  if (!value) return fallback;
  auto number = value->as_integer();
  return number ? *number : fallback;
}

bool RuleOptions::boolean(std::string_view name, bool fallback) const {
  const Node* value = node(name);
  if (!value) return fallback;
  auto flag = value->as_boolean();
  return flag ? *flag : fallback;
}

std::vector<std::string> RuleOptions::strings(std::string_view name) const {
  std::vector<std::string> result;
  const Node* value = node(name);
  if (!value) return result;
  if (value->is_list()) {
    for (const Node& item : value->children)
      if (auto text = item.as_string()) result.emplace_back(*text);
  } else if (auto text = value->as_string()) {
    result.emplace_back(*text);
  }
  return result;
}

const Node* RuleOptions::node(std::string_view name) const {
  return options_ ? options_->find(name) : nullptr;
}

Finding& RuleContext::report(const Node& at, std::string message) {
  return relate_own_source(report(*at.file, at.span, std::move(message)), at);
}

Finding& RuleContext::report_key(const Node& at, std::string message) {
  return relate_own_source(report(*at.file, at.key_or_value_span(), std::move(message)), at);
}

Finding& RuleContext::relate_own_source(Finding& finding, const Node& at) const {
  // A scalar printed from values.yaml: its own values line, named now while the node is at hand.
  // After the rules, a template place printed by several renders (a range's iterations, a helper
  // called for two workloads) only knows all of their values, and would name every one of them.
  if (!at.is_scalar()) return finding;
  if (const Node* source = value_source(at))
    finding.related.push_back({make_location(*source->file, source->span), std::string(kOwnSourceMessage)});
  return finding;
}

Finding& RuleContext::report(const SourceFile& file, Span span, std::string message) {
  Finding finding;
  finding.rule_id = std::string(rule_.id);
  finding.severity = severity_;
  finding.message = std::move(message);
  finding.location = make_location(file, span);
  findings_.push_back(std::move(finding));
  return findings_.back();
}

Finding& RuleContext::report(const Location& at, std::string message) {
  Finding finding;
  finding.rule_id = std::string(rule_.id);
  finding.severity = severity_;
  finding.message = std::move(message);
  finding.location = at;
  findings_.push_back(std::move(finding));
  return findings_.back();
}

void RuleContext::relate(Finding& finding, const Node& at, std::string message) {
  finding.related.push_back({make_location(*at.file, at.key_or_value_span()), std::move(message)});
}

void RuleContext::relate(Finding& finding, const Location& at, std::string message) {
  finding.related.push_back({at, std::move(message)});
}

const Node* RuleContext::value_source(const Node& value) const {
  if (!value_sources_) return nullptr;
  auto found = value_sources_->find(&value);
  return found == value_sources_->end() || !found->second->file ? nullptr : found->second;
}

const Node* RuleContext::chart_value_with_text(std::string_view text) const {
  if (!chart_values_ || text.empty()) return nullptr;
  // Only asked for the rare value a rule reports without a source: a walk each time, no index.
  constexpr int kMaxDepth = 64;
  const Node* found = nullptr;
  bool several = false;
  auto walk = [&](auto& self, const Node& node, int depth) -> void {
    if (depth > kMaxDepth || several) return;
    if (node.is_string()) {
      if (node.text == text) {
        several = found != nullptr;
        found = &node;
      }
      return;
    }
    for (const Node& child : node.children) self(self, child, depth + 1);
  };
  walk(walk, *chart_values_, 0);
  return several || !found || !found->file ? nullptr : found;
}

bool RuleContext::relate_value_source(Finding& finding, const Node& value, std::string message) const {
  const Node* found = value_source(value);
  if (!found) return false;
  const Node& source = *found;
  // `initialDelaySeconds: 10`, key and value: the line as the user reads it.
  Span span = source.key_span.empty() ? source.span : Span{source.key_span.begin, source.span.end};
  // The rule's words replace the general ones `report` gave the same value.
  std::erase_if(finding.related, [&](const RelatedLocation& related) {
    return related.message == kOwnSourceMessage && related.location.path == source.file->display_path() &&
           related.location.span.begin == source.span.begin;
  });
  finding.related.push_back({make_location(*source.file, span), std::move(message)});
  return true;
}

bool RuleContext::runs_on_fargate(const ecs::TaskDefinition& task) const {
  // Elastic Beanstalk runs Dockerrun v2 containers on its own EC2 instances, whatever the target.
  if (task.carrier == ecs::Carrier::DockerrunV2) return false;
  if (task.requires_compatibilities && task.requires_compatibilities->is_list())
    return task.requires_fargate();
  return target_ == Target::Fargate;
}

}  // namespace shiftlint
