#!/usr/bin/env python3
"""Generates a realistic corpus for whole-run benchmarks.

Usage: bench/generate_corpus.py OUT_DIR [--task-definitions N] [--terraform N] [--mixed SCALE] [--seed S]

--mixed SCALE writes only the mixed repository of every format (bench/mixed_corpus.py): 20,000 files
and 100 MB at scale 1, proportionally more at 2 and 4.

Task definitions come in the carriers users have (register-task-definition JSON, describe output,
CloudFormation YAML), with 1-4 containers each (app, FireLens router, workers, sidecars), realistic
environment blocks and a mix of hazards, so rules do real work. The same seed gives the same files.

--terraform N adds N .tf files under OUT_DIR/terraform: one folder per service (task definition
with container definitions built in locals and jsonencode(), or a JSON template, variables,
tfvars, IAM, networking, the ECS service), plus a shared local module that some services call, so
the evaluator does real work (locals, for expressions, merge, templatefile, module inputs).
"""
import argparse
import json
import os
import random

IMAGES = [
    "123456789012.dkr.ecr.{region}.amazonaws.com/{app}:{tag}",
    "public.ecr.aws/nginx/nginx:1.25",
    "{app}:latest",
    "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.2",
    "datadog/agent:7",
]
REGIONS = ["us-east-1", "eu-west-1", "ap-northeast-1", "eu-central-1"]
APPS = ["billing", "checkout", "catalog", "search", "accounts", "reports", "notifier", "media"]
SIZES = [("256", "512"), ("512", "1024"), ("1024", "2048"), ("2048", "4096"), ("512", "512"), ("4096", "8192")]
COMMANDS = [
    ["bundle", "exec", "puma", "-C", "config/puma.rb"],
    ["bundle", "exec", "sidekiq", "-t", "60"],
    ["celery", "-A", "app", "worker", "--loglevel=info"],
    ["php", "artisan", "queue:work", "--timeout=90"],
    ["node", "server.js"],
    ["gunicorn", "app.wsgi", "-b", "0.0.0.0:8000", "-w", "4"],
]


def environment(rng, app):
    entries = [{"name": "APP_NAME", "value": app}, {"name": "LOG_LEVEL", "value": rng.choice(["info", "debug"])}]
    for index in range(rng.randint(1, 6)):
        entries.append({"name": f"FEATURE_FLAG_{index}", "value": rng.choice(["on", "off", "42", "https://api.example.com/v2"])})
    if rng.random() < 0.2:
        entries.append({"name": "DATABASE_PASSWORD", "value": "hunter2-" + str(rng.randint(1000, 9999))})
    return entries


def container(rng, app, region, index):
    image = rng.choice(IMAGES).format(region=region, app=app, tag=f"{rng.randint(1, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 9)}")
    definition = {
        "name": f"{app}-{index}",
        "image": image,
        "essential": index == 0 or rng.random() < 0.5,
        "command": rng.choice(COMMANDS),
        "portMappings": [{"containerPort": 8000 + index, "protocol": "tcp"}],
        "environment": environment(rng, app),
        "secrets": [{"name": "API_TOKEN", "valueFrom": f"arn:aws:secretsmanager:{region}:123456789012:secret:{app}/token"}],
        "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": f"/ecs/{app}", "awslogs-region": region, "awslogs-stream-prefix": app}},
        
    }
    if rng.random() < 0.6:
        definition["ulimits"] = [{"name": "nofile", "softLimit": rng.choice([1024, 65535]), "hardLimit": 65535}]
    if rng.random() < 0.3:
        definition["stopTimeout"] = rng.choice([30, 90, 200])
    return definition


def task_definition(rng, number):
    app = rng.choice(APPS)
    region = rng.choice(REGIONS)
    cpu, memory = rng.choice(SIZES)
    containers = [container(rng, app, region, index) for index in range(rng.choice([1, 1, 2, 2, 3]))]
    return {
        "family": f"{app}-{number}",
        "taskRoleArn": f"arn:aws:iam::123456789012:role/{app}-task",
        "executionRoleArn": "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
        "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"],
        "cpu": cpu,
        "memory": memory,
        "containerDefinitions": containers,
    }


def to_cloudformation(task):
    def pascal(value):
        if isinstance(value, dict):
            return {key[0].upper() + key[1:]: pascal(item) for key, item in value.items()}
        if isinstance(value, list):
            return [pascal(item) for item in value]
        return value
    properties = pascal(task)
    lines = ['AWSTemplateFormatVersion: "2010-09-09"', "Resources:", "  TaskDefinition:",
             "    Type: AWS::ECS::TaskDefinition", "    Properties:"]
    # JSON is valid YAML flow style; block style for the top, flow for the nested parts.
    for key, value in properties.items():
        lines.append(f"      {key}: {json.dumps(value)}")
    return "\n".join(lines) + "\n"


TF_VARIABLES = """variable "environment" {{
  type        = string
  description = "Deployment environment"
}}

variable "region" {{
  type    = string
  default = "{region}"
}}

variable "image_tag" {{
  type    = string
  default = "{tag}"
}}

variable "desired_count" {{
  type    = number
  default = {desired}
}}

variable "cpu" {{
  type    = number
  default = {cpu}
}}

variable "memory" {{
  type    = number
  default = {memory}
}}

variable "stop_timeout" {{
  type    = number
  default = {stop_timeout}
}}

variable "extra_environment" {{
  type    = map(string)
  default = {{
{extra_environment}
  }}
}}

variable "tags" {{
  type    = map(string)
  default = {{
    Team    = "{app}"
    Service = "{app}-{number}"
  }}
}}

variable "health_check_path" {{
  type        = string
  default     = "/health"
  description = "Path the load balancer probes; must answer 200 within the timeout."
  validation {{
    condition     = startswith(var.health_check_path, "/")
    error_message = "The health check path must start with a slash."
  }}
}}

variable "alarm_thresholds" {{
  type        = map(number)
  description = "CloudWatch alarm thresholds per metric."
  default = {{
    CPUUtilization    = 80
    MemoryUtilization = 85
    HTTPCode_5XX      = 10
    TargetLatency     = 2
  }}
}}

variable "log_retention_days" {{
  type        = number
  default     = 30
  description = "How long the service's logs are kept."
  validation {{
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 180, 365], var.log_retention_days)
    error_message = "Retention must be one of the values CloudWatch Logs accepts."
  }}
}}

variable "secrets" {{
  type        = list(string)
  default     = ["DATABASE_URL", "API_TOKEN", "SIGNING_KEY"]
  description = "Names of the Secrets Manager secrets given to the app as environment variables."
}}

variable "deployment" {{
  type = object({{
    minimum_healthy_percent = number
    maximum_percent         = number
  }})
  default = {{
    minimum_healthy_percent = 100
    maximum_percent         = 200
  }}
  description = "Rolling deployment settings of the ECS service."
}}

variable "autoscaling" {{
  type = object({{
    min_capacity = number
    max_capacity = number
    cpu_target   = number
  }})
  default = {{
    min_capacity = 1
    max_capacity = 8
    cpu_target   = 60
  }}
  description = "Target tracking on average CPU; the service never scales below min_capacity."
}}

variable "allowed_cidrs" {{
  type        = list(string)
  default     = ["10.0.0.0/8", "172.16.0.0/12"]
  description = "Networks allowed to reach the service's port through the load balancer."
}}
"""

TF_MAIN = """# {app} service {number}: the ECS task definition and service, its IAM roles, its load balancer
# wiring and its alarms. Generated for shiftlint's benchmark: shapes follow what teams write when
# they move a VM-hosted app to Fargate (locals building container definitions, jsonencode, merge,
# for expressions, dynamic blocks, templatefile for the JSON-template camp).

locals {{
  name      = "{app}-{number}-${{var.environment}}"
  image     = "123456789012.dkr.ecr.${{var.region}}.amazonaws.com/{app}:${{var.image_tag}}"
  log_group = "/ecs/${{local.name}}"

  base_environment = {{
    APP_NAME  = "{app}"
    LOG_LEVEL = var.environment == "prod" ? "info" : "debug"
    REGION    = var.region
  }}
  environment = [for name, value in merge(local.base_environment, var.extra_environment) : {{ name = name, value = value }}]

  log_configuration = {{
    logDriver = "awslogs"
    options = {{
      awslogs-group         = local.log_group
      awslogs-region        = var.region
      awslogs-stream-prefix = "{app}"
    }}
  }}

  containers = [
{containers}
  ]

  xray = {{
    name         = "xray-daemon"
    image        = "public.ecr.aws/xray/aws-xray-daemon:3.3.9"
    essential    = false
    cpu          = 32
    memoryReservation = 256
    portMappings = [{{ containerPort = 2000, protocol = "udp" }}]
    logConfiguration = local.log_configuration
    ulimits      = [{{ name = "nofile", softLimit = 65535, hardLimit = 65535 }}]
  }}
}}

resource "aws_cloudwatch_log_group" "this" {{
  name              = local.log_group
  retention_in_days = 30
  tags              = var.tags
}}

resource "aws_ecs_task_definition" "this" {{
  family                   = local.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.cpu
  memory                   = var.memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn
{definitions}
  runtime_platform {{
    operating_system_family = "LINUX"
    cpu_architecture        = "{arch}"
  }}

  tags = merge(var.tags, {{ Name = local.name }})
}}
"""

TF_CONTAINER = """    {{
      name             = "{name}"
      image            = {image}
      essential        = {essential}
      command          = {command}
      environment      = local.environment
      logConfiguration = local.log_configuration
      portMappings     = [{{ containerPort = {port}, protocol = "tcp" }}]
      secrets          = [for name in var.secrets : {{ name = name, valueFrom = "arn:aws:secretsmanager:${{var.region}}:123456789012:secret:{name}/${{lower(name)}}" }}]
      healthCheck = {{
        command     = ["CMD-SHELL", "curl -fsS http://localhost:{port}${{var.health_check_path}} || exit 1"]
        interval    = 15
        timeout     = 5
        retries     = 3
        startPeriod = 30
      }}{extra}
    }},
"""

TF_IAM = """data "aws_iam_policy_document" "assume" {{
  statement {{
    actions = ["sts:AssumeRole"]
    principals {{
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }}
  }}
}}

resource "aws_iam_role" "execution" {{
  name               = "${{local.name}}-execution"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}}

resource "aws_iam_role" "task" {{
  name               = "${{local.name}}-task"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}}

resource "aws_iam_role_policy" "task" {{
  name = "${{local.name}}-task"
  role = aws_iam_role.task.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [
      {{
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject", "s3:ListBucket"]
        Resource = ["arn:aws:s3:::{app}-${{var.environment}}", "arn:aws:s3:::{app}-${{var.environment}}/*"]
      }},
      {{
        Effect   = "Allow"
        Action   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
        Resource = "arn:aws:sqs:${{var.region}}:123456789012:{app}-*"
      }},
      {{
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue"]
        Resource = "arn:aws:secretsmanager:${{var.region}}:123456789012:secret:{app}/*"
      }},
    ]
  }})
}}

data "aws_iam_policy_document" "execution" {{
  statement {{
    sid       = "PullImages"
    actions   = ["ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"]
    resources = ["*"]
  }}
  statement {{
    sid       = "WriteLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["arn:aws:logs:${{var.region}}:123456789012:log-group:${{local.log_group}}:*"]
  }}
  statement {{
    sid       = "ReadSecrets"
    actions   = ["secretsmanager:GetSecretValue", "kms:Decrypt"]
    resources = local.secret_arns
  }}
}}

resource "aws_iam_role_policy" "execution" {{
  name   = "${{local.name}}-execution"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}}
"""

TF_SERVICE = """resource "aws_security_group" "service" {{
  name   = "${{local.name}}-service"
  vpc_id = data.aws_vpc.main.id

  dynamic "ingress" {{
    for_each = toset([{ports}])
    content {{
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = ["10.0.0.0/8"]
    }}
  }}

  egress {{
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }}
}}

data "aws_vpc" "main" {{
  tags = {{ Name = "main-${{var.environment}}" }}
}}

data "aws_subnets" "private" {{
  filter {{
    name   = "vpc-id"
    values = [data.aws_vpc.main.id]
  }}
}}

resource "aws_lb_target_group" "this" {{
  name        = substr(replace(local.name, "_", "-"), 0, 32)
  port        = {port}
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = data.aws_vpc.main.id

  health_check {{
    path                = "/health"
    healthy_threshold   = 2
    unhealthy_threshold = 3
    interval            = 15
  }}
}}

resource "aws_ecs_service" "this" {{
  name            = local.name
  cluster         = "arn:aws:ecs:${{var.region}}:123456789012:cluster/main"
  task_definition = aws_ecs_task_definition.this.arn
  desired_count   = var.desired_count
  launch_type     = "FARGATE"

  network_configuration {{
    subnets          = data.aws_subnets.private.ids
    security_groups  = [aws_security_group.service.id]
    assign_public_ip = false
  }}

  load_balancer {{
    target_group_arn = aws_lb_target_group.this.arn
    container_name   = "{app}-0"
    container_port   = {port}
  }}

  deployment_circuit_breaker {{
    enable   = true
    rollback = true
  }}
}}

resource "aws_lb_listener_rule" "this" {{
  listener_arn = "arn:aws:elasticloadbalancing:${{var.region}}:123456789012:listener/app/main/50dc6c495c0c9188/f2f7dc8efc522ab2"
  priority     = {priority}

  action {{
    type             = "forward"
    target_group_arn = aws_lb_target_group.this.arn
  }}

  condition {{
    host_header {{
      values = ["{app}-{number}.${{var.environment}}.example.com"]
    }}
  }}

  condition {{
    path_pattern {{
      values = ["/api/{app}/*", "/{app}/*"]
    }}
  }}
}}

resource "aws_route53_record" "this" {{
  zone_id = "Z0123456789ABCDEFGHIJ"
  name    = "{app}-{number}.${{var.environment}}.example.com"
  type    = "A"

  alias {{
    name                   = "main-alb-1234567890.${{var.region}}.elb.amazonaws.com"
    zone_id                = "Z35SXDOTRQ7X7K"
    evaluate_target_health = true
  }}
}}

resource "aws_service_discovery_service" "this" {{
  name = local.name

  dns_config {{
    namespace_id   = "ns-abcdefghijklmnop"
    routing_policy = "MULTIVALUE"
    dns_records {{
      ttl  = 10
      type = "A"
    }}
  }}

  health_check_custom_config {{
    failure_threshold = 1
  }}
}}

resource "aws_ssm_parameter" "environment" {{
  for_each    = var.extra_environment
  name        = "/${{var.environment}}/{app}/${{each.key}}"
  type        = "String"
  value       = each.value
  description = "Feature flag ${{each.key}} of ${{local.name}}, mirrored for the operations runbooks."
  tags        = merge(var.tags, {{ Parameter = each.key }})
}}

resource "aws_appautoscaling_target" "this" {{
  count              = var.environment == "prod" ? 1 : 0
  max_capacity       = var.desired_count * 4
  min_capacity       = var.desired_count
  resource_id        = "service/main/${{aws_ecs_service.this.name}}"
  scalable_dimension = "ecs:service:DesiredCount"
  service_namespace  = "ecs"
}}

locals {{
  alarm_metrics = {{
    for metric, threshold in var.alarm_thresholds : metric => {{
      threshold = threshold
      namespace = startswith(metric, "HTTPCode") || metric == "TargetLatency" ? "AWS/ApplicationELB" : "AWS/ECS"
      statistic = metric == "TargetLatency" ? "Average" : "Maximum"
    }}
  }}
  secret_arns = [for name in var.secrets : "arn:aws:secretsmanager:${{var.region}}:123456789012:secret:{app}/${{lower(name)}}"]
}}

resource "aws_cloudwatch_metric_alarm" "this" {{
  for_each            = local.alarm_metrics
  alarm_name          = "${{local.name}}-${{lower(each.key)}}"
  namespace           = each.value.namespace
  metric_name         = each.key
  statistic           = each.value.statistic
  threshold           = each.value.threshold
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = 3
  period              = 60
  dimensions = {{
    ClusterName = "main"
    ServiceName = local.name
  }}
  alarm_description = format("%s of %s above %d for 3 minutes", each.key, local.name, each.value.threshold)
  tags              = var.tags
}}

resource "aws_appautoscaling_policy" "cpu" {{
  count              = var.environment == "prod" ? 1 : 0
  name               = "${{local.name}}-cpu"
  policy_type        = "TargetTrackingScaling"
  resource_id        = aws_appautoscaling_target.this[0].resource_id
  scalable_dimension = aws_appautoscaling_target.this[0].scalable_dimension
  service_namespace  = aws_appautoscaling_target.this[0].service_namespace

  target_tracking_scaling_policy_configuration {{
    target_value       = 60
    scale_in_cooldown  = 120
    scale_out_cooldown = 60
    predefined_metric_specification {{
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }}
  }}
}}

resource "aws_cloudwatch_dashboard" "this" {{
  dashboard_name = local.name
  dashboard_body = jsonencode({{
    widgets = [for index, metric in keys(local.alarm_metrics) : {{
      type   = "metric"
      x      = (index % 2) * 12
      y      = floor(index / 2) * 6
      width  = 12
      height = 6
      properties = {{
        title   = "${{local.name}} ${{metric}}"
        region  = var.region
        metrics = [[local.alarm_metrics[metric].namespace, metric, "ServiceName", local.name]]
        stat    = local.alarm_metrics[metric].statistic
      }}
    }}]
  }})
}}

output "task_definition_arn" {{
  value = aws_ecs_task_definition.this.arn
}}

output "service_name" {{
  value = aws_ecs_service.this.name
}}
"""

TF_TEMPLATE = """[
  {{
    "name": "${{name}}",
    "image": "${{image}}",
    "essential": true,
    "stopTimeout": ${{stop_timeout}},
    "portMappings": [{{"containerPort": {port}, "protocol": "tcp"}}],
    "environment": [
%{{ for key, value in environment ~}}
      {{"name": "${{key}}", "value": "${{value}}"}},
%{{ endfor ~}}
      {{"name": "TEMPLATE", "value": "yes"}}
    ],
    "logConfiguration": {{
      "logDriver": "awslogs",
      "options": {{"awslogs-group": "${{log_group}}", "awslogs-region": "${{region}}", "awslogs-stream-prefix": "{app}"}}
    }}
  }}
]
"""

TF_SHARED_MODULE = """variable "name" {
  type = string
}

variable "image" {
  type = string
}

variable "command" {
  type    = list(string)
  default = []
}

variable "stop_timeout" {
  type    = number
  default = 30
}

variable "nofile" {
  type    = number
  default = 65535
}

locals {
  container = {
    name        = var.name
    image       = var.image
    essential   = true
    command     = var.command
    stopTimeout = var.stop_timeout
    ulimits     = [{ name = "nofile", softLimit = var.nofile, hardLimit = var.nofile }]
  }
}

resource "aws_ecs_task_definition" "this" {
  family                   = var.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 512
  memory                   = 1024
  container_definitions    = jsonencode([local.container])
}

output "arn" {
  value = aws_ecs_task_definition.this.arn
}
"""


def terraform_service(rng, number):
    """The .tf files (and extra files) of one service folder: {relative path: text}."""
    app = rng.choice(APPS)
    region = rng.choice(REGIONS)
    cpu, memory = rng.choice(SIZES)
    port = 8000 + number % 1000
    extra_environment = "\n".join(
        f'    FEATURE_FLAG_{index} = "{rng.choice(["on", "off", "42", "https://api.example.com/v2"])}"'
        for index in range(rng.randint(1, 6)))
    files = {
        "variables.tf": TF_VARIABLES.format(region=region, tag=f"{rng.randint(1, 9)}.{rng.randint(0, 30)}.0",
                                            desired=rng.choice([1, 2, 3]), cpu=cpu, memory=memory,
                                            stop_timeout=rng.choice([30, 90, 200]), extra_environment=extra_environment,
                                            app=app, number=number),
        "terraform.tfvars": f'environment = "{rng.choice(["prod", "staging"])}"\n',
        "service.tf": TF_SERVICE.format(app=app, number=number, port=port, priority=100 + number % 50000,
                                        ports=", ".join(str(port + i) for i in range(3))),
    }
    if number % 4 == 3:
        files["templates/containers.json.tpl"] = TF_TEMPLATE.format(app=app, port=port)
        definitions = ('  container_definitions = templatefile("${path.module}/templates/containers.json.tpl", {\n'
                       f'    name = "{app}-0", image = local.image, stop_timeout = var.stop_timeout,\n'
                       '    environment = merge(local.base_environment, var.extra_environment),\n'
                       '    log_group = local.log_group, region = var.region\n  })\n')
        containers = ""
    else:
        blocks = []
        for index in range(rng.choice([1, 1, 2, 3])):
            extra = ""
            if rng.random() < 0.6:
                extra += f'\n      ulimits          = [{{ name = "nofile", softLimit = {rng.choice([1024, 65535])}, hardLimit = 65535 }}]'
            if rng.random() < 0.3:
                extra += "\n      stopTimeout      = var.stop_timeout"
            image = "local.image" if index == 0 else f'"{rng.choice(IMAGES[1:]).format(app=app, region=region, tag="1")}"'
            blocks.append(TF_CONTAINER.format(name=f"{app}-{index}", image=image, essential=str(index == 0).lower(),
                                              command=json.dumps(rng.choice(COMMANDS)), port=port + index, extra=extra))
        containers = "".join(blocks)
        definitions = "  container_definitions    = jsonencode(local.containers)\n"
    files["main.tf"] = TF_MAIN.format(app=app, number=number, containers=containers, definitions=definitions,
                                      arch=rng.choice(["X86_64", "ARM64"])) + "\n" + TF_IAM.format(app=app)
    if number % 5 == 0:
        files["worker.tf"] = (f'module "worker" {{\n  source       = "../../modules/ecs-task"\n'
                              f'  name         = "{app}-{number}-worker"\n  image        = local.image\n'
                              f'  command      = {json.dumps(rng.choice(COMMANDS))}\n'
                              f'  stop_timeout = var.stop_timeout\n}}\n')
    return files


def write_terraform(out_dir, rng, count):
    """Writes about `count` .tf files; returns (files, bytes)."""
    root = os.path.join(out_dir, "terraform")
    written, total, number = 0, 0, 0
    shared = os.path.join(root, "modules", "ecs-task", "main.tf")
    os.makedirs(os.path.dirname(shared), exist_ok=True)
    with open(shared, "w") as handle:
        handle.write(TF_SHARED_MODULE)
    written, total = 1, len(TF_SHARED_MODULE)
    while written < count:
        folder = os.path.join(root, "services", f"service-{number:04d}")
        for relative, text in terraform_service(rng, number).items():
            if relative.endswith(".tf"):
                if written >= count:
                    continue
                written += 1
            path = os.path.join(folder, relative)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as handle:
                handle.write(text)
            total += len(text)
        number += 1
    return written, total


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out_dir")
    parser.add_argument("--task-definitions", type=int, default=2000)
    parser.add_argument("--terraform", type=int, default=0, help="also write about N .tf files")
    parser.add_argument("--mixed", type=float, default=0, help="write the mixed repository at this scale instead")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.mixed:
        from mixed_corpus import write_mixed
        files, size, largest = write_mixed(args.out_dir, args.mixed, args.seed)
        print(f"{files} files, {size / 1e6:.1f} MB (largest {largest / 1e3:.0f} KB) in {args.out_dir}")
        return
    rng = random.Random(args.seed)
    total = 0
    for number in range(args.task_definitions):
        task = task_definition(rng, number)
        folder = os.path.join(args.out_dir, "services", task["family"].split("-")[0])
        os.makedirs(folder, exist_ok=True)
        kind = number % 10
        if kind < 7:
            path, text = os.path.join(folder, f"{task['family']}-task-definition.json"), json.dumps(task, indent=2) + "\n"
        elif kind < 9:
            described = dict(task, revision=rng.randint(1, 200), status="ACTIVE")
            path, text = os.path.join(folder, f"{task['family']}.json"), json.dumps({"taskDefinition": described}, indent=4) + "\n"
        else:
            path, text = os.path.join(folder, f"{task['family']}.yaml"), to_cloudformation(task)
        with open(path, "w") as handle:
            handle.write(text)
        total += len(text)
    print(f"{args.task_definitions} files, {total / 1e6:.1f} MB in {args.out_dir}")
    if args.terraform:
        files, size = write_terraform(args.out_dir, random.Random(args.seed), args.terraform)
        print(f"{files} .tf files, {size / 1e6:.1f} MB (with tfvars and templates) in {args.out_dir}/terraform")


if __name__ == "__main__":
    main()
