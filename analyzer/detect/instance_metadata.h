#pragma once
// Mentions of the EC2 instance metadata service (IMDS) in commands, scripts and env values. On
// Fargate there is no IMDS; on EC2 a container that reaches it gets the instance's identity and
// role instead of the task's. The ECS task metadata endpoint (169.254.170.2,
// ECS_CONTAINER_METADATA_URI[_V4]) is the container-native replacement and is never matched.
#include <optional>
#include <string_view>

namespace shiftlint::detect {

struct InstanceMetadataMention {
  std::string_view marker;       // what was found, as written in the text: "169.254.169.254"
  std::string_view description;  // "the IMDS IPv4 address", "the ec2-metadata tool", ...
};

// The first mention of the instance metadata service in text, or nullopt.
std::optional<InstanceMetadataMention> find_instance_metadata_mention(std::string_view text);

// False when neither `text` nor any part of it can hold a mention (no marker's literal core is in
// it): a cheap test of a whole script before asking about each of its words.
bool might_mention_instance_metadata(std::string_view text);

}  // namespace shiftlint::detect
