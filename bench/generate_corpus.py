#!/usr/bin/env python3
"""Generates a realistic corpus for whole-run benchmarks.

Usage: bench/generate_corpus.py OUT_DIR [--task-definitions N] [--seed S]

Task definitions come in the carriers users have (register-task-definition JSON, describe output,
CloudFormation YAML), with 1-4 containers each (app, FireLens router, workers, sidecars), realistic
environment blocks and a mix of hazards, so rules do real work. The same seed gives the same files.
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


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out_dir")
    parser.add_argument("--task-definitions", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
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


if __name__ == "__main__":
    main()
