// The parity report in text and JSON (report/parity_report.h). The JSON shape is documented in
// docs/parity-output.md and only ever grows while "version" stays "1".
#include "analyzer/report/parity_report.h"

#include <algorithm>
#include <array>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "analyzer/project/parity.h"
#include "analyzer/report/columns.h"

namespace shiftlint {

namespace {

using project::App;
using project::AppParity;
using project::HostItem;
using project::HostItemCategory;
using project::NewSidePlace;
using project::ParityItem;
using project::ParityStatus;
using project::Project;

// Long cron commands and hook names would push the table off a terminal; JSON keeps them whole.
constexpr size_t kItemColumnWidth = 40;

// The category as a table cell: short, so the columns that matter (where it was, where it is now)
// keep the width. JSON spells them out (project::to_string).
std::string_view category_cell(HostItemCategory category) {
  switch (category) {
    case HostItemCategory::Package: return "package";
    case HostItemCategory::EnvironmentVariable: return "env var";
    case HostItemCategory::NofileLimit: return "nofile";
    case HostItemCategory::KernelParameter: return "sysctl";
    case HostItemCategory::TimeZone: return "time zone";
    case HostItemCategory::CronJob: return "cron job";
    case HostItemCategory::LogShipping: return "log shipping";
    case HostItemCategory::Hook: return "hook";
  }
  return "item";
}

struct StatusCounts {
  std::array<size_t, 5> by_status{};  // indexed by ParityStatus
  size_t total = 0;
  void add(ParityStatus status) {
    ++by_status[static_cast<size_t>(status)];
    ++total;
  }
  void add(const StatusCounts& other) {
    for (size_t i = 0; i < by_status.size(); ++i) by_status[i] += other.by_status[i];
    total += other.total;
  }
  size_t of(ParityStatus status) const { return by_status[static_cast<size_t>(status)]; }
};

StatusCounts count(const AppParity& parity) {
  StatusCounts counts;
  for (const ParityItem& item : parity.items) counts.add(item.status);
  return counts;
}

const AppParity* parity_of(const Project& project, size_t app) {
  for (const AppParity& parity : project.parity)
    if (parity.app == app) return &parity;
  return nullptr;
}

// What the item is, in a few words: the name, and the value when it is part of what was set.
// Environment variable values are left out: they may be secrets (EB009 reports those).
std::string item_text(const HostItem& item) {
  switch (item.category) {
    case HostItemCategory::Package: {
      std::string text = item.value.empty() ? item.name : fmt::format("{} {}", item.name, item.value);
      return item.detail.empty() ? text : fmt::format("{} ({})", text, item.detail);
    }
    case HostItemCategory::EnvironmentVariable: return item.name;
    case HostItemCategory::NofileLimit: {
      if (item.value.empty() && item.detail.empty()) return "nofile";
      if (item.detail.empty() || item.detail == item.value) return fmt::format("nofile {}", item.value.empty() ? item.detail : item.value);
      return fmt::format("nofile {}/{}", item.value.empty() ? "-" : item.value, item.detail);
    }
    case HostItemCategory::KernelParameter:
      return item.value.empty() ? item.name : fmt::format("{} = {}", item.name, item.value);
    case HostItemCategory::TimeZone: return item.name.empty() ? "(a zone set at run time)" : item.name;
    case HostItemCategory::CronJob: {
      std::string command = item.name.empty() ? "(a crontab not visible here)" : item.name;
      return item.value.empty() ? command : fmt::format("{} {}", item.value, command);
    }
    case HostItemCategory::LogShipping: return item.name;
    case HostItemCategory::Hook: return item.value.empty() ? item.name : fmt::format("{}: {}", item.name, item.value);
  }
  return item.name;
}

// Terminal cells of UTF-8 text: one per code point (no wide characters in what this prints).
size_t display_width(std::string_view text) {
  size_t width = 0;
  for (size_t at = 0; at < text.size(); at += decode_utf8(text, at).length) ++width;
  return width;
}

std::string truncated(const std::string& text, size_t width) {
  if (display_width(text) <= width) return text;
  size_t at = 0;
  for (size_t cells = 0; cells + 1 < width && at < text.size(); ++cells) at += decode_utf8(text, at).length;
  return text.substr(0, at) + "…";
}

// Commands keep their start (the schedule) and their end (what runs), the middle is elided.
std::string truncated_in_middle(const std::string& text, size_t width) {
  if (display_width(text) <= width) return text;
  std::vector<size_t> starts;  // byte offset of every code point
  for (size_t at = 0; at < text.size(); at += decode_utf8(text, at).length) starts.push_back(at);
  size_t head = width / 3, tail = width - head - 1;
  return text.substr(0, starts[head]) + "…" + text.substr(starts[starts.size() - tail]);
}

std::string padded(const std::string& text, size_t width) {
  size_t used = display_width(text);
  return used >= width ? text : text + std::string(width - used, ' ');
}

std::string place(const Location& location) {
  if (location.span.empty() || location.span.begin.line == 0) return location.path;
  return fmt::format("{}:{}", location.path, location.span.begin.line);
}

std::string new_side_text(const NewSidePlace& where) {
  std::string text = place(where.location);
  // The path already says it is a Dockerfile; a task definition or workload is named.
  std::string about = where.subject == "Dockerfile" ? std::string() : where.subject;
  if (!where.detail.empty()) about = about.empty() ? where.detail : fmt::format("{}: {}", about, where.detail);
  return about.empty() ? text : fmt::format("{} ({})", text, about);
}

std::string more(size_t others) { return others == 0 ? "" : fmt::format(" and {} more", others); }

std::string status_text(ParityStatus status) {
  switch (status) {
    case ParityStatus::Carried: return "carried";
    case ParityStatus::Missing: return "MISSING";
    case ParityStatus::Weaker: return "WEAKER";
    case ParityStatus::Differs: return "differs";
    case ParityStatus::Review: return "review";
  }
  return "review";
}

// Where the item is now, or where it should be.
std::string now_text(const ParityItem& item) {
  switch (item.status) {
    case ParityStatus::Carried:
    case ParityStatus::Differs: {
      std::string text = item.carried_at.empty() ? std::string() : new_side_text(item.carried_at.front()) +
                                                                       more(item.carried_at.size() - 1);
      if (item.status == ParityStatus::Differs && !item.note.empty())
        text = text.empty() ? item.note : fmt::format("{}; {}", text, item.note);
      return text;
    }
    case ParityStatus::Missing:
    case ParityStatus::Weaker: {
      std::string where = item.belongs_in.empty() ? "the new side" : item.belongs_in;
      // Nothing linked has a place for it (no scheduled task runs this command, no image): the
      // item needs a new file of that kind.
      if (item.missing_at.empty()) return fmt::format("belongs in {}", where);
      std::string lead = item.status == ParityStatus::Missing ? fmt::format("belongs in {}: ", where) : "";
      return lead + new_side_text(item.missing_at.front()) + more(item.missing_at.size() - 1);
    }
    case ParityStatus::Review: return item.note.empty() ? "no automatic answer: check by hand" : item.note;
  }
  return "";
}

std::string plural(size_t count, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", count, count == 1 ? one : many);
}

std::string counts_text(const StatusCounts& counts) {
  std::vector<std::string> parts;
  parts.push_back(fmt::format("{} carried over", counts.of(ParityStatus::Carried)));
  parts.push_back(fmt::format("{} missing", counts.of(ParityStatus::Missing)));
  if (counts.of(ParityStatus::Weaker)) parts.push_back(fmt::format("{} weaker", counts.of(ParityStatus::Weaker)));
  if (counts.of(ParityStatus::Differs))
    parts.push_back(plural(counts.of(ParityStatus::Differs), "differs", "differ"));
  if (counts.of(ParityStatus::Review)) parts.push_back(fmt::format("{} to review", counts.of(ParityStatus::Review)));
  std::string text = plural(counts.total, "item", "items") + ": ";
  for (size_t i = 0; i < parts.size(); ++i) text += (i ? ", " : "") + parts[i];
  return text;
}

std::string app_origin(const App& app) {
  std::string origin;
  if (app.has_bundle)
    origin = app.bundle_root.empty() ? "Elastic Beanstalk bundle at the scan root"
                                     : fmt::format("Elastic Beanstalk bundle at {}/", app.bundle_root);
  if (!app.configured_by.empty()) origin += (origin.empty() ? "" : ", ") + app.configured_by;
  return origin;
}

// The old host's files: .ebextensions folders as one entry each (they hold many files), the
// others by path.
std::vector<std::string> host_file_lines(const App& app, const Project& project) {
  std::vector<std::string> lines;
  std::map<std::string, size_t> extension_folders;
  std::vector<std::string> folder_order;
  for (size_t index : app.host_files) {
    const project::HostFileFacts& file = project.facts.host_files[index];
    if (file.role == ".ebextensions") {
      std::string folder = file.path.substr(0, file.path.rfind('/') + 1);
      if (extension_folders[folder]++ == 0) folder_order.push_back(folder);
      continue;
    }
    lines.push_back(fmt::format("{} ({})", file.path, file.role));
  }
  std::vector<std::string> result;
  for (const std::string& folder : folder_order)
    result.push_back(fmt::format("{}*.config ({})", folder, plural(extension_folders[folder], "file", "files")));
  result.insert(result.end(), lines.begin(), lines.end());
  return result;
}

struct LinkLine {
  std::string path, what, reason;
};

std::vector<LinkLine> link_lines(const App& app, const Project& project) {
  std::vector<LinkLine> lines;
  for (const project::LinkedFile& link : app.images)
    lines.push_back({project.facts.images[link.index].path, "Dockerfile", link.reason});
  for (const project::LinkedFile& link : app.deployments) {
    const project::DeploymentFacts& deployment = project.facts.deployments[link.index];
    lines.push_back({deployment.path, deployment.label, link.reason});
  }
  for (const project::LinkedFile& link : app.scheduled_runs) {
    const project::ScheduledRunFacts& run = project.facts.scheduled_runs[link.index];
    lines.push_back({run.path, run.label, link.reason});
  }
  return lines;
}

void render_app_text(const App& app, const AppParity* parity, const Project& project, std::string& out) {
  out += fmt::format("App {} ({})\n", app.name, app_origin(app));
  std::vector<std::string> host_files = host_file_lines(app, project);
  if (!host_files.empty()) {
    out += "  Old host:\n";
    for (const std::string& line : host_files) out += "    " + line + "\n";
  }
  std::vector<LinkLine> links = link_lines(app, project);
  if (!links.empty()) {
    size_t path_width = 0, what_width = 0;
    for (const LinkLine& line : links) {
      path_width = std::max(path_width, display_width(line.path));
      what_width = std::max(what_width, display_width(line.what));
    }
    out += "  Linked (why):\n";
    for (const LinkLine& line : links) {
      std::string row = "    " + padded(line.path, path_width) + "  " + padded(line.what, what_width);
      if (!line.reason.empty()) row += "  " + line.reason;
      while (!row.empty() && row.back() == ' ') row.pop_back();
      out += row + "\n";
    }
  }
  if (!parity || parity->items.empty()) {
    if (!app.migrating())
      out += "  No Dockerfile, task definition or Kubernetes workload is linked to this app yet: nothing to\n"
             "  compare. Put them in the bundle's folder, name the image after the app, or list them under\n"
             "  `apps:` in .shiftlint.yaml.\n";
    else
      out += "  The old host configured nothing that a container has to carry over.\n";
    out += "\n";
    return;
  }

  struct Row {
    std::string category, item, old_host, status, now;
  };
  std::vector<Row> rows;
  rows.push_back({"CATEGORY", "ITEM", "OLD HOST", "STATUS", "NOW"});
  for (const ParityItem& item : parity->items) {
    bool command = item.item.category == HostItemCategory::CronJob || item.item.category == HostItemCategory::Hook;
    std::string text = item_text(item.item);
    rows.push_back({std::string(category_cell(item.item.category)),
                    command ? truncated_in_middle(text, kItemColumnWidth) : truncated(text, kItemColumnWidth),
                    place(item.item.location), status_text(item.status), now_text(item)});
  }
  std::array<size_t, 4> widths{};
  for (const Row& row : rows) {
    widths[0] = std::max(widths[0], display_width(row.category));
    widths[1] = std::max(widths[1], display_width(row.item));
    widths[2] = std::max(widths[2], display_width(row.old_host));
    widths[3] = std::max(widths[3], display_width(row.status));
  }
  out += "\n";
  for (const Row& row : rows) {
    std::string line = "  " + padded(row.category, widths[0]) + "  " + padded(row.item, widths[1]) + "  " +
                       padded(row.old_host, widths[2]) + "  " + padded(row.status, widths[3]) + "  " + row.now;
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  out += fmt::format("\n  {}: {}\n\n", app.name, counts_text(count(*parity)));
}

// --- JSON ---

using Json = nlohmann::ordered_json;

Json location_json(const Location& location) {
  Json object = Json::object();
  object["path"] = location.path;
  if (location.span.empty() || location.span.begin.line == 0) {
    object["line"] = nullptr;
    object["column"] = nullptr;
    object["end_line"] = nullptr;
    object["end_column"] = nullptr;
  } else {
    object["line"] = location.span.begin.line;
    object["column"] = location.span.begin.column;
    object["end_line"] = location.span.end.line;
    object["end_column"] = location.span.end.column;
  }
  return object;
}

Json place_json(const NewSidePlace& where) {
  Json object = location_json(where.location);
  object["subject"] = where.subject;
  object["detail"] = where.detail;
  return object;
}

Json counts_json(const StatusCounts& counts) {
  Json object = Json::object();
  object["items"] = counts.total;
  object["carried"] = counts.of(ParityStatus::Carried);
  object["missing"] = counts.of(ParityStatus::Missing);
  object["weaker"] = counts.of(ParityStatus::Weaker);
  object["differs"] = counts.of(ParityStatus::Differs);
  object["review"] = counts.of(ParityStatus::Review);
  return object;
}

Json item_json(const ParityItem& item) {
  Json object = Json::object();
  object["category"] = std::string(project::to_string(item.item.category));
  object["name"] = item.item.name;
  // Environment values may be secrets: the report names variables, never their values.
  if (item.item.category == HostItemCategory::EnvironmentVariable) object["value"] = nullptr;
  else object["value"] = item.item.value;
  object["detail"] = item.item.detail;
  object["origin"] = item.item.origin;
  object["old_host"] = location_json(item.item.location);
  object["status"] = std::string(project::to_string(item.status));
  Json now = Json::array();
  for (const NewSidePlace& where : item.carried_at) now.push_back(place_json(where));
  object["now"] = std::move(now);
  Json missing = Json::array();
  for (const NewSidePlace& where : item.missing_at) missing.push_back(place_json(where));
  object["missing_at"] = std::move(missing);
  object["belongs_in"] = item.belongs_in;
  object["note"] = item.note;
  return object;
}

}  // namespace

std::string render_parity_text(const Project& project, const ParityReportOptions& options) {
  std::string scanned = options.scanned.empty() ? "." : options.scanned;
  if (project.apps.empty())
    return fmt::format(
        "No Elastic Beanstalk app found in {}: there is no old host to compare with.\n"
        "`shiftlint parity` compares an Elastic Beanstalk source bundle (.ebextensions/, .platform/, Procfile,\n"
        "cron.yaml, Dockerrun.aws.json) with the Dockerfiles, task definitions and Kubernetes workloads that\n"
        "replace it; an app can also be named under `apps:` in .shiftlint.yaml.\n",
        scanned);
  std::string out = fmt::format("Parity of {} in {}: what the old host configured, and where it is now\n\n",
                                plural(project.apps.size(), "app", "apps"), scanned);
  StatusCounts total;
  for (size_t index = 0; index < project.apps.size(); ++index) {
    const AppParity* parity = parity_of(project, index);
    render_app_text(project.apps[index], parity, project, out);
    if (parity) total.add(count(*parity));
  }
  if (project.apps.size() > 1) out += fmt::format("All apps: {}\n", counts_text(total));
  return out;
}

std::string render_parity_json(const Project& project, const ParityReportOptions& options) {
  Json root = Json::object();
  root["version"] = "1";
  Json tool = Json::object();
  tool["name"] = "shiftlint";
  tool["version"] = options.tool_version;
  root["tool"] = std::move(tool);
  Json apps = Json::array();
  StatusCounts total;
  for (size_t index = 0; index < project.apps.size(); ++index) {
    const App& app = project.apps[index];
    const AppParity* parity = parity_of(project, index);
    Json object = Json::object();
    object["name"] = app.name;
    object["bundle_root"] = app.has_bundle ? Json(app.bundle_root) : Json(nullptr);
    object["configured_by"] = app.configured_by.empty() ? Json(nullptr) : Json(app.configured_by);
    object["migrating"] = app.migrating();
    Json old_host = Json::array();
    for (size_t file : app.host_files) {
      Json entry = Json::object();
      entry["path"] = project.facts.host_files[file].path;
      entry["role"] = project.facts.host_files[file].role;
      old_host.push_back(std::move(entry));
    }
    object["old_host_files"] = std::move(old_host);
    Json linked = Json::array();
    auto link = [&](std::string_view kind, const std::string& path, const std::string& label, const std::string& reason) {
      Json entry = Json::object();
      entry["kind"] = std::string(kind);
      entry["path"] = path;
      entry["label"] = label;
      entry["reason"] = reason;
      linked.push_back(std::move(entry));
    };
    for (const project::LinkedFile& file : app.images)
      link("dockerfile", project.facts.images[file.index].path, "Dockerfile", file.reason);
    for (const project::LinkedFile& file : app.deployments) {
      const project::DeploymentFacts& deployment = project.facts.deployments[file.index];
      link(deployment.kind == project::DeploymentFacts::Kind::TaskDefinition ? "task_definition" : "kubernetes_workload",
           deployment.path, deployment.label, file.reason);
    }
    for (const project::LinkedFile& file : app.scheduled_runs)
      link("scheduled_task", project.facts.scheduled_runs[file.index].path, project.facts.scheduled_runs[file.index].label,
           file.reason);
    object["linked_files"] = std::move(linked);
    StatusCounts counts = parity ? count(*parity) : StatusCounts{};
    total.add(counts);
    object["summary"] = counts_json(counts);
    Json items = Json::array();
    if (parity)
      for (const ParityItem& item : parity->items) items.push_back(item_json(item));
    object["items"] = std::move(items);
    apps.push_back(std::move(object));
  }
  root["apps"] = std::move(apps);
  Json summary = counts_json(total);
  summary["apps"] = project.apps.size();
  root["summary"] = std::move(summary);
  return root.dump(2) + "\n";
}

}  // namespace shiftlint
