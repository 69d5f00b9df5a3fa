#include "analyzer/detect/instance_metadata.h"

#include <array>
#include <cstring>

#include <re2/re2.h>

namespace shiftlint::detect {

namespace {
struct Marker {
  const char* pattern;  // group 1 is the marker as written
  std::string_view description;
};

// Boundaries keep 169.254.169.2540 and `my-ec2-metadata-cache` out; the IMDS paths
// (/latest/meta-data, /latest/api/token, ...) are only ever served by IMDS.
constexpr std::array<Marker, 5> kMarkers{{
    {R"((?:^|[^0-9.])(169\.254\.169\.254)(?:$|[^0-9]))", "the instance metadata IPv4 address"},
    {R"((?i)(?:^|[^0-9a-f:])(fd00:ec2::254)(?:$|[^0-9a-f:]))", "the instance metadata IPv6 address"},
    {R"((?:^|[^A-Za-z0-9_.-])(ec2-?metadata)(?:$|[^A-Za-z0-9_-]))", "the EC2 metadata command"},
    {R"((/latest/(?:meta-data|api/token|user-data|dynamic/instance-identity)))", "an instance metadata path"},
    {R"((?:^|[^A-Za-z0-9_.-])(instance-data\.ec2\.internal)(?:$|[^A-Za-z0-9_-]))",
     "the instance metadata host name"},
}};

const std::array<RE2*, kMarkers.size()>& compiled() {
  static const std::array<RE2*, kMarkers.size()> patterns = [] {
    std::array<RE2*, kMarkers.size()> result{};
    for (size_t i = 0; i < kMarkers.size(); ++i) result[i] = new RE2(kMarkers[i].pattern);
    return result;
  }();
  return patterns;
}
}  // namespace

// Every marker contains one of these: checking them first keeps RE2 off ordinary values.
bool might_mention_instance_metadata(std::string_view text) {
  // The literal cores "169.254.169.254", "ec2", "EC2" and ":254" each hold a '2' at a known place:
  // one memchr walk over the '2's tells them all (whole scripts are asked, not only words); then
  // "/latest/".
  if (text.empty()) return false;  // an empty view may hold no pointer: memchr must not see it
  const char* data = text.data();
  size_t size = text.size();
  for (const void* found = std::memchr(data, '2', size); found;) {
    size_t at = static_cast<size_t>(static_cast<const char*>(found) - data);
    std::string_view before = text.substr(at >= 4 ? at - 4 : 0, at >= 4 ? 4 : at);
    std::string_view from = text.substr(at);
    if (before.ends_with("ec") || before.ends_with("EC")) return true;
    if (from.starts_with("254") && (before.ends_with(":") || (before == "169." && from.starts_with("254.169.254"))))
      return true;
    found = at + 1 < size ? std::memchr(data + at + 1, '2', size - at - 1) : nullptr;
  }
  return text.find("/latest/") != std::string_view::npos;
}

std::optional<InstanceMetadataMention> find_instance_metadata_mention(std::string_view text) {
  if (!might_mention_instance_metadata(text)) return std::nullopt;
  re2::StringPiece input(text.data(), text.size());
  for (size_t i = 0; i < kMarkers.size(); ++i) {
    re2::StringPiece found;
    if (RE2::PartialMatch(input, *compiled()[i], &found))
      return InstanceMetadataMention{std::string_view(found.data(), found.size()), kMarkers[i].description};
  }
  return std::nullopt;
}

}  // namespace shiftlint::detect
