#include <catch2/catch.hpp>

#include "analyzer/detect/instance_metadata.h"

using namespace shiftlint::detect;

TEST_CASE("instance_metadata: IMDS addresses, paths and tools") {
  auto ipv4 = find_instance_metadata_mention("curl -s http://169.254.169.254/latest/meta-data/instance-id");
  REQUIRE(ipv4);
  CHECK(ipv4->marker == "169.254.169.254");
  CHECK(ipv4->description == "the instance metadata IPv4 address");

  auto ipv6 = find_instance_metadata_mention("http://[FD00:EC2::254]/latest/api/token");
  REQUIRE(ipv6);
  CHECK(ipv6->marker == "FD00:EC2::254");

  CHECK(find_instance_metadata_mention("ec2-metadata --instance-id")->marker == "ec2-metadata");
  CHECK(find_instance_metadata_mention("REGION=$(ec2metadata --availability-zone)")->marker == "ec2metadata");
  CHECK(find_instance_metadata_mention("TOKEN=$(curl -X PUT localhost/latest/api/token)")->marker == "/latest/api/token");
  CHECK(find_instance_metadata_mention("http://instance-data.ec2.internal/latest")->marker ==
        "instance-data.ec2.internal");
  CHECK(find_instance_metadata_mention("169.254.169.254"));
}

TEST_CASE("instance_metadata: the whole-script pre-test never misses a mention") {
  for (std::string_view text : {"curl -s http://169.254.169.254/latest/meta-data/instance-id",
                                "http://[FD00:EC2::254]/latest/api/token", "ec2-metadata --instance-id",
                                "ec2metadata", "localhost/latest/api/token", "instance-data.ec2.internal"}) {
    CHECK(find_instance_metadata_mention(text));
    CHECK(might_mention_instance_metadata(text));
  }
  CHECK_FALSE(might_mention_instance_metadata("apt-get install -y nginx && rm -rf /var/lib/apt/lists"));
  CHECK_FALSE(might_mention_instance_metadata("npm ci --omit=dev"));
  // Each literal core, alone or inside other text, and near misses.
  for (std::string_view text : {"169.254.169.254", "x=169.254.169.254;", "ec2", "EC2", "[::254]", "/latest/", "2ec2"})
    CHECK(might_mention_instance_metadata(text));
  for (std::string_view text : {"", "2", "254", "69.254.169.254", "e c2", "Ec2", "/latest", "169.254.169.25", "22222"})
    CHECK_FALSE(might_mention_instance_metadata(text));
  // An empty view with no pointer behind it (an empty word's value): found by fuzz_dockerfile, where
  // UndefinedBehaviorSanitizer stopped on memchr(nullptr, ...).
  CHECK_FALSE(might_mention_instance_metadata(std::string_view()));
  CHECK_FALSE(find_instance_metadata_mention(std::string_view()));
}

TEST_CASE("instance_metadata: the ECS task metadata endpoint and look-alikes are not IMDS") {
  CHECK_FALSE(find_instance_metadata_mention("curl ${ECS_CONTAINER_METADATA_URI_V4}/task"));
  CHECK_FALSE(find_instance_metadata_mention("http://169.254.170.2/v2/metadata"));
  CHECK_FALSE(find_instance_metadata_mention("$ECS_CONTAINER_METADATA_URI"));
  CHECK_FALSE(find_instance_metadata_mention("10.169.254.169.2540"));
  CHECK_FALSE(find_instance_metadata_mention("AWS_EC2_METADATA_DISABLED=true"));
  CHECK_FALSE(find_instance_metadata_mention("my-ec2-metadata-cache"));
  CHECK_FALSE(find_instance_metadata_mention("bundle exec puma -C config/puma.rb"));
  CHECK_FALSE(find_instance_metadata_mention(""));
}
