#include "analyzer/model/docker/supervisord_config.h"

#include <fnmatch.h>

#include <algorithm>

#include "analyzer/source/ascii_case.h"

namespace shiftlint::dkr {
namespace {

std::string_view trimmed(std::string_view text) {
  size_t first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  size_t last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

std::string absolute(std::string_view path, std::string_view folder) {
  if (!path.empty() && path.front() == '/') return std::string(path);
  std::string result(folder);
  if (result.empty() || result.back() != '/') result += '/';
  result += path;
  return result;
}

}  // namespace

std::optional<std::string> supervisord_config_option(std::span<const std::string_view> words,
                                                     const docker::Stage* stage) {
  std::optional<std::string> config;
  for (size_t i = 1; i < words.size(); ++i) {
    if ((words[i] == "-c" || words[i] == "--configuration") && i + 1 < words.size()) config = std::string(words[i + 1]);
    if (words[i].starts_with("--configuration=")) config = std::string(words[i].substr(16));
  }
  if (config && !config->empty() && config->front() != '/' && stage)
    *config = absolute(*config, stage->config.workdir.empty() ? std::string_view("/") : stage->config.workdir);
  return config;
}

bool is_default_supervisord_path(std::string_view path) {
  return path.starts_with("/etc/supervisor/") || path.starts_with("/etc/supervisord") ||
         path.starts_with("/etc/supervisor.d/") || path == "/usr/local/etc/supervisord.conf" ||
         path.starts_with("/usr/local/etc/supervisor.d/");
}

std::vector<SupervisordSetting> supervisord_settings(std::string_view text) {
  std::vector<SupervisordSetting> settings;
  std::string_view section;
  size_t line_begin = 0;
  while (line_begin < text.size()) {
    size_t line_end = text.find('\n', line_begin);
    if (line_end == std::string_view::npos) line_end = text.size();
    std::string_view line = text.substr(line_begin, line_end - line_begin);
    size_t offset = line_begin;
    line_begin = line_end + 1;
    size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos || line[first] == ';' || line[first] == '#') continue;
    if (line[first] == '[') {
      size_t close = line.find(']', first);
      section = line.substr(first + 1, close == std::string_view::npos ? 0 : close - first - 1);
      continue;
    }
    size_t equals = line.find('=');
    if (equals == std::string_view::npos || equals == first) continue;
    size_t value_begin = line.find_first_not_of(" \t", equals + 1);
    size_t value_end = value_begin == std::string_view::npos ? equals + 1 : line.find_first_of(" \t;\r", value_begin);
    if (value_begin == std::string_view::npos) value_begin = equals + 1;
    if (value_end == std::string_view::npos) value_end = line.size();
    SupervisordSetting setting;
    setting.section = section;
    setting.key = to_lower_ascii(line.substr(first, line.find_last_not_of(" \t", equals - 1) + 1 - first));
    setting.value = line.substr(value_begin, value_end - value_begin);
    setting.value_begin = offset + value_begin;
    setting.value_end = offset + value_end;
    settings.push_back(std::move(setting));
  }
  return settings;
}

bool supervisord_true(std::string_view value) {
  std::string lower = to_lower_ascii(value);
  return lower == "true" || lower == "yes" || lower == "on" || lower == "1";
}

std::vector<std::string> supervisord_include_patterns(std::string_view text, std::string_view folder) {
  std::vector<std::string> patterns;
  bool in_include = false, in_files = false;
  size_t line_begin = 0;
  while (line_begin < text.size()) {
    size_t line_end = text.find('\n', line_begin);
    if (line_end == std::string_view::npos) line_end = text.size();
    std::string_view line = text.substr(line_begin, line_end - line_begin);
    line_begin = line_end + 1;
    std::string_view content = trimmed(line);
    // A value goes on over the following indented lines (Python's configparser).
    bool continuation = !line.empty() && (line.front() == ' ' || line.front() == '\t') && !content.empty();
    if (content.empty() || content.front() == ';' || content.front() == '#') {
      if (content.empty()) in_files = false;
      continue;
    }
    if (content.front() == '[') {
      size_t close = content.find(']');
      in_include = close != std::string_view::npos && trimmed(content.substr(1, close - 1)) == "include";
      in_files = false;
      continue;
    }
    if (!in_include) continue;
    std::string_view value;
    if (in_files && continuation) {
      value = content;
    } else {
      size_t equals = content.find_first_of("=:");
      in_files = equals != std::string_view::npos && trimmed(content.substr(0, equals)) == "files";
      if (!in_files) continue;
      value = content.substr(equals + 1);
    }
    for (size_t at = 0; at < value.size();) {
      while (at < value.size() && (value[at] == ' ' || value[at] == '\t')) ++at;
      size_t begin = at;
      while (at < value.size() && value[at] != ' ' && value[at] != '\t') ++at;
      if (at == begin) continue;
      std::string pattern(value.substr(begin, at - begin));
      for (size_t here = pattern.find("%(here)s"); here != std::string::npos; here = pattern.find("%(here)s"))
        pattern.replace(here, 8, folder);
      patterns.push_back(absolute(pattern, folder));
    }
  }
  return patterns;
}

std::vector<docker::ContextFile> supervisord_config_files(const docker::Dockerfile& dockerfile, const docker::Stage* stage,
                                                          const std::optional<std::string>& config) {
  std::vector<docker::ContextFile> files;
  const docker::BuildContext* context = dockerfile.build_context;
  if (!context) return files;
  const std::vector<docker::ContextFile>& copied = context->copied_files(stage);
  std::vector<bool> taken(copied.size(), false);
  auto take = [&](size_t index) {
    if (taken[index]) return;
    taken[index] = true;
    files.push_back(copied[index]);
  };
  if (config) {
    for (const docker::ContextFile& file : context->files_copied_to(*config, stage)) {
      auto at = std::find_if(copied.begin(), copied.end(), [&](const docker::ContextFile& other) {
        return other.image_path == file.image_path && other.context_path == file.context_path;
      });
      if (at != copied.end()) take(static_cast<size_t>(at - copied.begin()));
      else files.push_back(file);
    }
  }
  // Without a config of its own the image provides, supervisord reads its default file, which
  // includes the distribution's folder.
  if (files.empty()) {
    for (size_t index = 0; index < copied.size(); ++index)
      if (is_default_supervisord_path(copied[index].image_path)) take(index);
  }
  size_t read = 0;
  bool fill_at_start = false;
  for (int level = 0; level < 2 && read < files.size(); ++level) {
    std::vector<std::string> patterns;
    for (size_t end = files.size(); read < end; ++read) {
      std::optional<docker::ContextText> text = context->text(files[read]);
      if (!text) continue;
      std::string_view path = files[read].image_path;
      std::string_view folder = path.substr(0, path.rfind('/') == std::string_view::npos ? 0 : path.rfind('/'));
      for (std::string& pattern : supervisord_include_patterns(text->text.text(), folder))
        patterns.push_back(std::move(pattern));
    }
    if (patterns.empty()) break;
    for (const std::string& pattern : patterns) {
      bool matched = false;
      for (size_t index = 0; index < copied.size(); ++index) {
        if (fnmatch(pattern.c_str(), copied[index].image_path.c_str(), FNM_PATHNAME) == 0) {
          take(index);
          matched = true;
        }
      }
      // An include folder the image fills at start (iredmail links conf-available/*.conf into
      // conf.d, Weblate copies its programs to /run/supervisor.conf.d): what it will hold is not
      // known, so the programs copied to supervisord's usual places are taken for it.
      if (!matched) fill_at_start = true;
    }
  }
  if (fill_at_start) {
    for (size_t index = 0; index < copied.size(); ++index)
      if (is_default_supervisord_path(copied[index].image_path)) take(index);
  }
  return files;
}

}  // namespace shiftlint::dkr
