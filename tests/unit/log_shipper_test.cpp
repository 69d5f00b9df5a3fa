#include <catch2/catch.hpp>

#include "analyzer/detect/log_shipper.h"

using namespace shiftlint::detect;

TEST_CASE("log_shipper: images with registries, tags and digests") {
  auto aws = log_shipper_from_image("public.ecr.aws/aws-observability/aws-for-fluent-bit:stable");
  REQUIRE(aws);
  CHECK(aws->kind == LogShipperKind::AwsForFluentBit);
  CHECK(aws->evidence == "image public.ecr.aws/aws-observability/aws-for-fluent-bit:stable");

  auto regional = log_shipper_from_image("906394416424.dkr.ecr.us-east-1.amazonaws.com/aws-for-fluent-bit:2.32.0");
  REQUIRE(regional);
  CHECK(regional->kind == LogShipperKind::AwsForFluentBit);

  auto fluent_bit = log_shipper_from_image("cr.fluentbit.io/fluent/fluent-bit:3.0@sha256:0123abcd");
  REQUIRE(fluent_bit);
  CHECK(fluent_bit->kind == LogShipperKind::FluentBit);
  CHECK(is_fluent_bit(fluent_bit->kind));

  auto fluentd = log_shipper_from_image("fluent/fluentd:v1.16-debian-1");
  REQUIRE(fluentd);
  CHECK(fluentd->kind == LogShipperKind::Fluentd);
  CHECK(log_shipper_from_image("localhost:5000/td-agent")->kind == LogShipperKind::Fluentd);
  CHECK(log_shipper_from_image("timberio/vector:0.38.0-debian")->kind == LogShipperKind::Vector);
  CHECK(log_shipper_from_image("docker.elastic.co/beats/filebeat:8.13.0")->kind == LogShipperKind::Filebeat);
  CHECK(log_shipper_from_image("docker.elastic.co/logstash/logstash:8.13.0")->kind == LogShipperKind::Logstash);
  CHECK(log_shipper_from_image("grafana/promtail:2.9.4")->kind == LogShipperKind::Promtail);

  CHECK_FALSE(log_shipper_from_image("nginx:1.25"));
  CHECK_FALSE(log_shipper_from_image("123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/shop/web:2024.05.1"));
  CHECK_FALSE(log_shipper_from_image("myorg/vectorizer:1.0"));
  CHECK_FALSE(log_shipper_from_image("myorg/catalog:1.0"));
  CHECK_FALSE(log_shipper_from_image(""));
}

TEST_CASE("log_shipper: commands") {
  auto bit = log_shipper_from_command({"/fluent-bit/bin/fluent-bit", "-c", "/fluent-bit/etc/fluent-bit.conf"});
  REQUIRE(bit);
  CHECK(bit->kind == LogShipperKind::FluentBit);
  auto fluentd = log_shipper_from_command({"sh", "-c", "exec gosu fluent fluentd -c /fluentd/etc/fluent.conf"});
  REQUIRE(fluentd);
  CHECK(fluentd->kind == LogShipperKind::Fluentd);
  CHECK(log_shipper_from_command({"vector", "--config", "/etc/vector/vector.toml"})->kind == LogShipperKind::Vector);

  CHECK_FALSE(log_shipper_from_command({"bundle", "exec", "puma", "--log", "fluentd"}));
  CHECK_FALSE(log_shipper_from_command({"python", "vector.py"}));
}

TEST_CASE("log_shipper: FireLens router versus sidecar") {
  auto router = classify_log_container("amazon/aws-for-fluent-bit:stable", {}, true);
  CHECK(router.role == LogContainerRole::FireLensRouter);
  REQUIRE(router.shipper);
  CHECK(router.shipper->kind == LogShipperKind::AwsForFluentBit);

  auto custom_router = classify_log_container("123456789012.dkr.ecr.us-east-1.amazonaws.com/log-router:7", {}, true);
  CHECK(custom_router.role == LogContainerRole::FireLensRouter);
  CHECK_FALSE(custom_router.shipper);

  auto sidecar = classify_log_container("fluent/fluentd:v1.16-1", {}, false);
  CHECK(sidecar.role == LogContainerRole::LogShipperSidecar);

  auto app = classify_log_container("shop/web:1.2", {"bundle", "exec", "puma"}, false);
  CHECK(app.role == LogContainerRole::Application);
  CHECK(accepts_fluent_forward(LogShipperKind::Fluentd));
  CHECK_FALSE(accepts_fluent_forward(LogShipperKind::Filebeat));
}

TEST_CASE("log_shipper: environment pointing at a shipper") {
  CHECK(environment_points_at_log_shipper("FLUENT_URL", "tcp://localhost:24224", {}));
  CHECK(environment_points_at_log_shipper("ANYTHING", "fluentd:24224", {}));
  CHECK(environment_points_at_log_shipper("FLUENTD_HOST", "localhost", {}));
  CHECK(environment_points_at_log_shipper("LOG_HOST", "fluentd", {"fluentd"}));
  CHECK(environment_points_at_log_shipper("SYSLOG_ADDRESS", "udp://127.0.0.1:5140", {}));
  CHECK_FALSE(environment_points_at_log_shipper("DATABASE_HOST", "localhost", {}));
  CHECK_FALSE(environment_points_at_log_shipper("LOGIN_URL", "http://localhost:3000/login", {}));
  CHECK_FALSE(environment_points_at_log_shipper("LOG_LEVEL", "info", {"fluentd"}));
  CHECK_FALSE(environment_points_at_log_shipper("LOG_HOST", "fluentd-aggregator.internal", {"fluentd"}));
}

TEST_CASE("log_shipper: program names") {
  CHECK(log_shipper_from_program("/opt/td-agent/bin/td-agent")->kind == LogShipperKind::Fluentd);
  CHECK(log_shipper_from_program("td-agent-bit")->kind == LogShipperKind::FluentBit);
  CHECK(log_shipper_from_program("awslogsd")->kind == LogShipperKind::AwslogsAgent);
  CHECK(log_shipper_from_program("/usr/local/bin/Fluent-Bit")->kind == LogShipperKind::FluentBit);
  CHECK(cloudwatch_agent_from_program("/opt/aws/Amazon-CloudWatch-Agent-Ctl"));
  CHECK_FALSE(cloudwatch_agent_from_program("amazon-cloudwatch-agent.json"));
  CHECK(log_shipper_from_url("HTTPS://toolbelt.TreasureData.com/sh/install.sh")->kind == LogShipperKind::Fluentd);
  CHECK_FALSE(log_shipper_from_url("toolbelt.treasuredata.com/sh/install.sh"));  // no scheme: not a URL
  CHECK(log_shipper_from_package("Filebeat-8.13.0-amd64.deb")->kind == LogShipperKind::Filebeat);
  CHECK_FALSE(log_shipper_from_package("nginx"));
  CHECK_FALSE(log_shipper_from_program("fluent-bit.conf"));
  CHECK_FALSE(log_shipper_from_program("nginx"));
  // Template placeholders say nothing about the image.
  CHECK_FALSE(log_shipper_from_image("${LOG_ROUTER_IMAGE}"));
  CHECK(log_shipper_from_image("${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/aws-for-fluent-bit:2.32.2")->kind ==
        LogShipperKind::AwsForFluentBit);
}
