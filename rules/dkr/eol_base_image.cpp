#include <array>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "analyzer/detect/end_of_life.h"
#include "analyzer/detect/image_reference.h"
#include "analyzer/engine/rule.h"
#include "analyzer/model/docker/final_image.h"

namespace shiftlint {
namespace {

using docker::Dockerfile;
using docker::Stage;
using detect::EndedRelease;

// Tag parts that name a flavour every supported release also has (`php:8.4-fpm-alpine`); an OS
// release (`-buster`) is left out of the suggestion, and a pinned Alpine (`-alpine3.12`) becomes
// `-alpine`: the pinned branch may not be built for the newer release.
constexpr std::array<std::string_view, 7> kPortableVariants = {"fpm", "apache", "cli", "zts", "slim", "alpine",
                                                               "windowsservercore"};

std::string image_name(const detect::ImageReference& reference) {
  return reference.registry.empty() ? reference.repository : reference.registry + "/" + reference.repository;
}

// `php:7.4-fpm-alpine3.12` → `php:8.4-fpm-alpine`: the successor with the flavours that carry over.
std::string runtime_successor(const detect::ImageReference& reference, const detect::EndOfLife& entry) {
  std::string tag(entry.image_successor);
  std::string_view rest = reference.tag;
  bool first = true;
  while (!rest.empty() || first) {
    size_t dash = rest.find('-');
    std::string_view part = rest.substr(0, dash);
    if (!first) {
      for (std::string_view variant : kPortableVariants)
        if (part == variant || (variant == "alpine" && part.starts_with("alpine") && part.size() > 6 &&
                                part[6] >= '0' && part[6] <= '9'))
          tag += fmt::format("-{}", variant);
    }
    first = false;
    if (dash == std::string_view::npos) break;
    rest.remove_prefix(dash + 1);
  }
  return fmt::format("{}:{}", image_name(reference), tag);
}

std::string os_successor(const detect::ImageReference& reference, const detect::EndOfLife& entry) {
  std::string image(entry.image_successor);
  // Keep the slim flavour of Debian (`debian:buster-slim` → `debian:trixie-slim`).
  if (reference.tag.find("slim") != std::string::npos && entry.product == detect::Product::Debian) image += "-slim";
  return image;
}

// "PHP 7.4, which reached end of life on 2022-11-28", or for a release older than the table's
// oldest: "PHP 5.6, older than PHP 7.0, which reached end of life on 2019-01-10".
std::string ended_clause(const detect::Release& release, const EndedRelease& ended) {
  if (!ended.older_than_entry)
    return fmt::format("{}, which reached end of life on {}", ended.entry->name, ended.entry->end.to_string());
  return fmt::format("{} {}, older than {}, which reached end of life on {}", detect::product_name(release.product),
                     release.version, ended.entry->name, ended.entry->end.to_string());
}

// The tag that keeps an image's version on a supported release of the OS whose `ended` entry it is
// on. Alpine's pinned form names the table's successor ("alpine:3.24" → "-alpine3.24"), so that it
// moves with the table.
std::string supported_os_tag(const detect::EndOfLife& ended) {
  switch (ended.product) {
    case detect::Product::Ubuntu: return "a \"-noble\" tag";
    case detect::Product::Alpine: {
      std::string_view image = ended.image_successor;
      size_t colon = image.find(':');
      if (colon == std::string_view::npos) return "an \"-alpine\" tag";
      return fmt::format("an \"-alpine\" tag, or \"-alpine{}\"", image.substr(colon + 1));
    }
    default: return "a \"-trixie\" or \"-bookworm\" tag";
  }
}

void check(const Dockerfile& dockerfile, RuleContext& context) {
  detect::CalendarDate today = detect::parse_calendar_date(context.today()).value_or(detect::system_today());
  for (const Stage& stage : dockerfile.stages) {
    if (!stage.image_word || stage.scratch || stage.parent || !stage.image.ok()) continue;
    detect::ImageReference reference = detect::parse_image_reference(stage.image.text);
    if (!reference.known) continue;
    detect::ImageReleases releases = detect::image_releases(reference.registry, reference.repository, reference.tag);
    std::optional<EndedRelease> runtime, os;
    if (releases.runtime) runtime = detect::find_ended_release(*releases.runtime, today);
    if (releases.os) os = detect::find_ended_release(*releases.os, today);
    if (!runtime && !os) continue;

    std::string message;
    if (runtime) {
      std::string on = os ? fmt::format(", on {}", ended_clause(*releases.os, *os)) : std::string();
      message = fmt::format(
          "base image \"{}\" runs {}{}: it gets no security fixes, and the extensions and packages built for it age "
          "with it; move to a supported release such as \"{}\" (supported as of {})",
          stage.image.text, ended_clause(*releases.runtime, *runtime), on,
          runtime_successor(reference, *runtime->entry), detect::kEndOfLifeTableChecked);
    } else if (!releases.runtime_image && !releases.built_on) {
      message = fmt::format(
          "base image \"{}\" is {}: the distribution publishes no more security fixes and its package mirrors move "
          "or vanish; move to a supported release such as \"{}\" ({}, supported as of {})",
          stage.image.text, ended_clause(*releases.os, *os), os_successor(reference, *os->entry), os->entry->successor,
          detect::kEndOfLifeTableChecked);
    } else {
      message = fmt::format(
          "base image \"{}\" is built on {}: {} the distribution under it gets no more security fixes; use the same "
          "version on a supported {} release ({})",
          stage.image.text, ended_clause(*releases.os, *os),
          releases.built_on ? "whatever the image's own release," : "the runtime is current but",
          detect::product_name(releases.os->product),
          supported_os_tag(*os->entry));
    }
    // A build stage is not shipped, but what it builds is: its compilers, package managers and the
    // packages they fetch get no fixes either. Said so, so that "runs" is not read as the image.
    if (!docker::is_in_final_image(dockerfile, stage))
      message = fmt::format("{}: {}", docker::build_stage_label(stage), message);
    context.report(*dockerfile.file, stage.image_word->span, std::move(message));
  }
}

const RuleRegistration registration{{
    .id = "DKR010",
    .slug = "eol-base-image",
    .severity = Severity::Warning,
    .summary = "FROM an operating system or language runtime past its end of life, judged against the run date",
    .check_dockerfile = check,
}};

}  // namespace
}  // namespace shiftlint
