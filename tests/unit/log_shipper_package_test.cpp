#include <catch2/catch.hpp>

#include "analyzer/detect/log_shipper.h"

using namespace shiftlint::detect;

TEST_CASE("log_shipper_package: OS package names") {
  CHECK(log_shipper_from_package("td-agent")->kind == LogShipperKind::Fluentd);
  CHECK(log_shipper_from_package("fluent-package")->kind == LogShipperKind::Fluentd);
  CHECK(log_shipper_from_package("td-agent-bit")->kind == LogShipperKind::FluentBit);
  CHECK(log_shipper_from_package("fluent-bit")->kind == LogShipperKind::FluentBit);
  CHECK(log_shipper_from_package("filebeat")->kind == LogShipperKind::Filebeat);
  CHECK(log_shipper_from_package("awslogs")->kind == LogShipperKind::AwslogsAgent);
  auto agent = log_shipper_from_package("amazon-cloudwatch-agent");
  REQUIRE(agent);
  CHECK(agent->kind == LogShipperKind::CloudWatchAgent);
  CHECK(agent->product == "CloudWatch agent");
  CHECK_FALSE(log_shipper_from_package("fluent-logger"));
  CHECK_FALSE(log_shipper_from_package("vector-clock"));
  CHECK_FALSE(log_shipper_from_package("awslogs-exporter"));
  CHECK_FALSE(log_shipper_from_package("nginx"));
}

TEST_CASE("log_shipper_package: package files and URLs") {
  CHECK(log_shipper_from_package("filebeat-8.13.4-amd64.deb")->kind == LogShipperKind::Filebeat);
  CHECK(log_shipper_from_package("./td-agent_4.5.2-1_amd64.deb")->kind == LogShipperKind::Fluentd);
  CHECK(log_shipper_from_package("https://s3.amazonaws.com/amazoncloudwatch-agent/amazon_linux/amd64/latest/"
                                 "amazon-cloudwatch-agent.rpm")
            ->kind == LogShipperKind::CloudWatchAgent);
  CHECK(log_shipper_from_package("promtail-linux-amd64.zip")->kind == LogShipperKind::Promtail);
}

TEST_CASE("log_shipper_package: language packages count only for the fluentd gem") {
  CHECK(log_shipper_from_package("fluentd", true)->kind == LogShipperKind::Fluentd);
  CHECK_FALSE(log_shipper_from_package("vector", true));
  CHECK_FALSE(log_shipper_from_package("awslogs", true));  // the pip CLI that reads CloudWatch Logs
  CHECK_FALSE(log_shipper_from_package("fluent-plugin-s3", true));
}

TEST_CASE("log_shipper_package: install scripts and downloads") {
  CHECK(log_shipper_from_url("https://toolbelt.treasuredata.com/sh/install-ubuntu-jammy-fluent-package5-lts.sh")->kind ==
        LogShipperKind::Fluentd);
  CHECK(log_shipper_from_url("https://raw.githubusercontent.com/fluent/fluent-bit/master/install.sh")->kind ==
        LogShipperKind::FluentBit);
  CHECK(log_shipper_from_url("https://sh.vector.dev")->kind == LogShipperKind::Vector);
  CHECK(log_shipper_from_url("https://s3.amazonaws.com/aws-cloudwatch/downloads/latest/awslogs-agent-setup.py")->kind ==
        LogShipperKind::AwslogsAgent);
  auto download = log_shipper_from_url("https://artifacts.elastic.co/downloads/beats/filebeat/filebeat-8.13.4-amd64.deb");
  REQUIRE(download);
  CHECK(download->kind == LogShipperKind::Filebeat);
  CHECK(download->evidence.starts_with("download "));
  CHECK_FALSE(log_shipper_from_url("filebeat-8.13.4-amd64.deb"));  // not a URL
  CHECK_FALSE(log_shipper_from_url("https://github.com/fluent/fluent-logger-ruby"));
}

TEST_CASE("log_shipper_package: the CloudWatch agent's programs, kept apart from log shippers") {
  CHECK(cloudwatch_agent_from_program("/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl"));
  CHECK(cloudwatch_agent_from_program("start-amazon-cloudwatch-agent"));
  CHECK_FALSE(log_shipper_from_program("amazon-cloudwatch-agent"));
  // As an ECS sidecar image it stays a metrics collector (ECS005).
  CHECK_FALSE(log_shipper_from_image("public.ecr.aws/cloudwatch-agent/cloudwatch-agent:1.300037.1b602"));
}
