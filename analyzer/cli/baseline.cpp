#include "analyzer/cli/baseline.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "analyzer/engine/severity.h"

namespace shiftlint {

std::string render_baseline(const std::vector<Finding>& findings) {
  nlohmann::ordered_json entries = nlohmann::ordered_json::array();
  for (const Finding& finding : findings) {
    // Rule, path and message are for people reading the file in review; only the fingerprint matches.
    entries.push_back({{"fingerprint", finding.fingerprint},
                       {"rule_id", finding.rule_id},
                       {"path", finding.location.path},
                       {"line", finding.location.span.begin.line},
                       {"message", finding.message}});
  }
  nlohmann::ordered_json document = {{"version", 1}, {"tool", "shiftlint"}, {"findings", entries}};
  return document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::variant<Baseline, std::string> load_baseline(const std::string& path) {
  std::ifstream input(path, std::ios::binary);
  if (!input) return path + ": cannot open the baseline file";
  std::stringstream buffer;
  buffer << input.rdbuf();
  nlohmann::json document = nlohmann::json::parse(buffer.str(), nullptr, false);
  if (document.is_discarded() || !document.is_object() || !document.contains("findings") ||
      !document["findings"].is_array())
    return path + ": not a shiftlint baseline (expected a JSON object with a \"findings\" list; "
                  "create one with --write-baseline)";
  Baseline baseline;
  for (const auto& entry : document["findings"]) {
    if (!entry.is_object() || !entry.contains("fingerprint") || !entry["fingerprint"].is_string())
      return path + ": a baseline entry has no \"fingerprint\" string";
    ++baseline.fingerprints[entry["fingerprint"].get<std::string>()];
  }
  return baseline;
}

size_t filter_by_baseline(std::vector<Finding>& findings, const Baseline& baseline) {
  BaselineFilter filter(baseline);
  findings.erase(std::remove_if(findings.begin(), findings.end(), [&](const Finding& finding) { return filter.covers(finding); }),
                 findings.end());
  return filter.stale();
}

bool BaselineFilter::covers(const Finding& finding) {
  auto it = remaining_.find(finding.fingerprint);
  if (it == remaining_.end() || it->second == 0) return false;
  --it->second;
  return true;
}

size_t BaselineFilter::stale() const {
  size_t stale = 0;
  for (const auto& [fingerprint, count] : remaining_) stale += count;
  return stale;
}

}  // namespace shiftlint
