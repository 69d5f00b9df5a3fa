"""The mixed repository for whole-run benchmarks: every format shiftlint reads, in the shapes real
repositories have them, about 20,000 files / 100 MB per unit of scale.

The repository is a monorepo of services. Each service folder holds what teams moving off Elastic
Beanstalk or EC2 keep side by side: a Dockerfile with its build context (entrypoint script, nginx,
supervisord and cron configs, Gemfile/package.json), a Helm chart (Chart.yaml, values.yaml, templates
with helpers), plain Kubernetes manifests (Deployment, Service, CronJob, HPA, and a rendered
multi-document manifest such as `kustomize build` output), ECS task definitions (register-task-
definition JSON, describe output, CloudFormation), a Terraform service module, and the old Elastic
Beanstalk configuration (.ebextensions/*.config, Dockerrun.aws.json). About half the services carry
the hazards the rules look for (secrets in environment, cron and supervisord in images, log files,
ulimit in RUN, `:latest`, missing stop timeouts...), the others are clean.

File count and bytes are steered separately: the services give the count, and the rendered
manifest of each service is grown until the bytes written so far are on track for the target, so
the corpus hits both figures at any scale. The same seed gives the same files.
"""
import json
import os
import random

from generate_corpus import (APPS, COMMANDS, IMAGES, REGIONS, SIZES, task_definition, terraform_service,
                             to_cloudformation, TF_SHARED_MODULE)

FILES_PER_SCALE = 20_000
BYTES_PER_SCALE = 100_000_000

BASES = ["ruby:2.7", "ruby:3.3-slim", "python:3.12-slim", "python:3.8", "node:20-alpine", "node:latest",
         "php:8.2-fpm", "php:7.4-apache", "golang:1.22", "eclipse-temurin:21-jre", "debian:bookworm-slim",
         "ubuntu:22.04", "amazonlinux:2", "nginx:1.25", "alpine:3.19"]
PACKAGES = ["curl", "ca-certificates", "git", "build-essential", "libpq-dev", "postgresql-client", "imagemagick",
            "libxml2-dev", "tzdata", "gnupg", "unzip", "jq", "libssl-dev", "netcat-openbsd", "locales"]
HAZARD_PACKAGES = ["cron", "supervisor", "nginx", "logrotate", "openssh-server", "rsyslog"]


def dockerfile(rng, app, hazardous):
    base = rng.choice(BASES)
    lines = [f"# {app}: container image for the {app} service", ""]
    multi_stage = rng.random() < 0.4
    if multi_stage:
        lines += ["FROM node:20-alpine AS assets", "WORKDIR /build", "COPY package.json yarn.lock ./",
                  "RUN yarn install --frozen-lockfile && yarn build", ""]
    lines += [f"FROM {base}", f'LABEL org.opencontainers.image.title="{app}" maintainer="platform@example.com"', ""]
    environment = [f"APP_HOME=/srv/{app}", "LANG=C.UTF-8", f"PORT={rng.choice([3000, 8000, 8080])}"]
    if hazardous and rng.random() < 0.5:
        environment.append(f"SECRET_KEY_BASE={rng.getrandbits(256):064x}")
    if hazardous and rng.random() < 0.5:
        environment.append(f"LOG_FILE=/var/log/{app}/production.log")
    lines.append("ENV " + " \\\n    ".join(environment))
    lines.append("")
    packages = rng.sample(PACKAGES, rng.randint(2, 7))
    if hazardous:
        packages += rng.sample(HAZARD_PACKAGES, rng.randint(1, 3))
    if "alpine" in base:
        lines.append("RUN apk add --no-cache " + " ".join(packages))
    elif "amazonlinux" in base:
        lines.append("RUN yum install -y " + " ".join(packages) + " && yum clean all")
    else:
        lines.append("RUN apt-get update \\\n    && apt-get install -y --no-install-recommends \\\n       "
                     + " \\\n       ".join(packages) + " \\\n    && rm -rf /var/lib/apt/lists/*")
    if hazardous and rng.random() < 0.4:
        lines += ["", "# the open-file limit the instance had", "RUN ulimit -n 65535 \\",
                  f'    && echo "{app} soft nofile 65535" >> /etc/security/limits.conf']
    lines += ["", "WORKDIR $APP_HOME"]
    if base.startswith("ruby"):
        lines += ["COPY Gemfile Gemfile.lock ./", "RUN bundle config set --local without 'development test' \\",
                  "    && bundle install --jobs 4"]
    elif base.startswith("python"):
        lines += ["COPY requirements.txt ./", "RUN pip install --no-cache-dir -r requirements.txt"]
    elif base.startswith("node"):
        lines += ["COPY package.json package-lock.json ./", "RUN npm ci --omit=dev"]
    if multi_stage:
        lines.append("COPY --from=assets /build/dist ./public/assets")
    lines.append("COPY . .")
    copies = ["COPY docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh"]
    if hazardous:
        copies += [f"COPY crontab /etc/cron.d/{app}", f"COPY supervisord.conf /etc/supervisor/conf.d/{app}.conf"]
    if rng.random() < 0.5:
        copies.append(f"COPY nginx.conf /etc/nginx/conf.d/{app}.conf")
    lines += copies
    lines.append("RUN chmod +x /usr/local/bin/docker-entrypoint.sh")
    if not hazardous or rng.random() < 0.5:
        lines += ["RUN groupadd --system app && useradd --system --gid app app", "USER app"]
    if hazardous and rng.random() < 0.3:
        lines.append(f"VOLUME /srv/{app}/public/uploads")
    lines += ["", f"EXPOSE {rng.choice([80, 3000, 8000, 8080])}"]
    if rng.random() < 0.5:
        lines.append("HEALTHCHECK --interval=30s --timeout=5s CMD curl -fsS http://localhost:8080/health || exit 1")
    lines.append('ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]')
    if hazardous:
        lines.append(f"CMD /usr/bin/supervisord -c /etc/supervisor/conf.d/{app}.conf")
    else:
        lines.append("CMD " + json.dumps(rng.choice(COMMANDS)))
    return "\n".join(lines) + "\n"


def entrypoint(rng, app, hazardous):
    lines = ["#!/bin/bash", f"# Entrypoint of the {app} image.", "set -euo pipefail", ""]
    if hazardous:
        lines += ['export AWS_REGION=$(curl -s http://169.254.169.254/latest/meta-data/placement/region)',
                  "service cron start", ""]
    lines += ['if [ "${1:-}" = "migrate" ]; then', "  shift", "  bundle exec rake db:migrate", "fi", "",
              'for file in /docker-entrypoint.d/*.sh; do', '  [ -f "$file" ] && . "$file"', "done", "",
              f': "${{PORT:={rng.choice([3000, 8000, 8080])}}}"', 'echo "starting on port $PORT"']
    if hazardous and rng.random() < 0.5:
        lines.append(f'"$@" >> /var/log/{app}/app.log 2>&1')
    else:
        lines.append('exec "$@"')
    return "\n".join(lines) + "\n"


def nginx_conf(rng, app):
    return (f"upstream {app} {{\n  server 127.0.0.1:{rng.choice([3000, 8000])};\n  keepalive 32;\n}}\n\n"
            "server {\n  listen 80;\n  client_max_body_size 20m;\n"
            f"  access_log /var/log/nginx/{app}.access.log;\n  error_log /var/log/nginx/{app}.error.log;\n\n"
            f"  location / {{\n    proxy_pass http://{app};\n    proxy_set_header Host $host;\n"
            "    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n  }\n\n"
            "  location /health {\n    return 200 'ok';\n  }\n}\n")


def supervisord_conf(app):
    return ("[supervisord]\nnodaemon=true\n\n"
            f"[program:web]\ncommand=bundle exec puma -C config/puma.rb\nautorestart=true\n"
            f"stdout_logfile=/var/log/{app}/web.log\n\n"
            f"[program:worker]\ncommand=bundle exec sidekiq\nautorestart=true\nstdout_logfile=/var/log/{app}/worker.log\n\n"
            "[program:nginx]\ncommand=nginx -g 'daemon off;'\n")


def crontab(app):
    return (f"# {app} nightly jobs\nSHELL=/bin/bash\n"
            f"0 3 * * * root cd /srv/{app} && bundle exec rake reports:nightly >> /var/log/{app}/cron.log 2>&1\n"
            f"*/15 * * * * root cd /srv/{app} && bundle exec rake cache:warm\n")


def container_env(rng, app, hazardous, indent):
    pad = " " * indent
    lines = [f"{pad}- name: APP_NAME", f"{pad}  value: {app}", f"{pad}- name: LOG_LEVEL", f"{pad}  value: info"]
    for index in range(rng.randint(1, 5)):
        lines += [f"{pad}- name: FEATURE_FLAG_{index}", f'{pad}  value: "{rng.choice(["on", "off", "42"])}"']
    if hazardous and rng.random() < 0.4:
        lines += [f"{pad}- name: DATABASE_PASSWORD", f'{pad}  value: "{app}-prod-{rng.randint(1000, 9999)}!"']
    lines += [f"{pad}- name: REDIS_URL", f"{pad}  valueFrom:", f"{pad}    secretKeyRef: {{name: {app}-redis, key: url}}"]
    return "\n".join(lines)


def deployment(rng, app, name, hazardous, image):
    sidecars = ""
    if hazardous and rng.random() < 0.5:
        sidecars += ("        - name: nginx\n          image: nginx:latest\n          ports:\n"
                     "            - containerPort: 80\n")
    if hazardous and rng.random() < 0.4:
        sidecars += ("        - name: fluentd\n          image: fluent/fluentd:v1.16-1\n          volumeMounts:\n"
                     "            - {name: logs, mountPath: /app/log, readOnly: true}\n")
    lifecycle = ""
    if not hazardous:
        lifecycle = ('          lifecycle:\n            preStop:\n              exec: {command: ["sleep", "10"]}\n'
                     "          resources:\n            requests: {cpu: 250m, memory: 512Mi}\n"
                     "            limits: {memory: 512Mi}\n")
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: {app}
  labels: {{app: {name}, team: platform}}
spec:
  replicas: {rng.randint(1, 6)}
  selector:
    matchLabels: {{app: {name}}}
  template:
    metadata:
      labels: {{app: {name}}}
    spec:
      terminationGracePeriodSeconds: {rng.choice([30, 60, 120])}
      containers:
        - name: {name}
          image: {image}
          command: {json.dumps(rng.choice(COMMANDS))}
          ports:
            - containerPort: {rng.choice([3000, 8000, 8080])}
          env:
{container_env(rng, app, hazardous, 12)}
          readinessProbe:
            httpGet: {{path: /health, port: http}}
            periodSeconds: 10
{lifecycle}          volumeMounts:
            - {{name: logs, mountPath: /app/log}}
{sidecars}      volumes:
        - name: logs
          emptyDir: {{}}
"""


def service_manifest(app, name):
    return (f"apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\n  namespace: {app}\nspec:\n"
            f"  selector: {{app: {name}}}\n  ports:\n    - name: http\n      port: 80\n      targetPort: 8080\n")


def cronjob(rng, app, image, hazardous):
    policy = "" if hazardous else "  concurrencyPolicy: Forbid\n  startingDeadlineSeconds: 300\n"
    return f"""apiVersion: batch/v1
kind: CronJob
metadata:
  name: {app}-nightly
  namespace: {app}
spec:
  schedule: "{rng.randint(0, 59)} {rng.randint(0, 23)} * * *"
{policy}  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: nightly
              image: {image}
              command: ["bundle", "exec", "rake", "reports:nightly"]
"""


def hpa(app, name):
    return (f"apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: {name}\n  namespace: {app}\n"
            f"spec:\n  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: {name}}}\n"
            "  minReplicas: 2\n  maxReplicas: 20\n  metrics:\n    - type: Resource\n      resource:\n"
            "        name: cpu\n        target: {type: Utilization, averageUtilization: 70}\n")


def configmap(rng, app, entries):
    lines = [f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {app}-settings-{rng.randint(0, 99999)}\n"
             f"  namespace: {app}\ndata:"]
    for index in range(entries):
        lines.append(f'  SETTING_{index}: "{rng.choice(["enabled", "disabled", "https://api.example.com/v2", "300"])}"')
    return "\n".join(lines) + "\n"


CHART_HELPERS = """{{/* Common names and labels. */}}
{{- define "CHART.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "CHART.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}
"""

CHART_DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "CHART.fullname" . }}
  labels:
    {{- include "CHART.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicaCount }}
  selector:
    matchLabels:
      app.kubernetes.io/name: {{ .Chart.Name }}
  template:
    metadata:
      labels:
        {{- include "CHART.labels" . | nindent 8 }}
    spec:
      containers:
        - name: {{ .Chart.Name }}
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
          ports:
            - name: http
              containerPort: {{ .Values.service.targetPort }}
          env:
            {{- toYaml .Values.extraEnv | nindent 12 }}
          {{- with .Values.resources }}
          resources:
            {{- toYaml . | nindent 12 }}
          {{- end }}
        {{- if .Values.worker.enabled }}
        - name: worker
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          command: {{ toJson .Values.worker.command }}
        {{- end }}
"""

CHART_SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: {{ include "CHART.fullname" . }}
spec:
  type: {{ .Values.service.type }}
  ports:
    - port: {{ .Values.service.port }}
      targetPort: http
  selector:
    app.kubernetes.io/name: {{ .Chart.Name }}
"""


def chart(rng, app, hazardous):
    values = [f"replicaCount: {rng.randint(1, 4)}", "image:", f"  repository: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/{app}",
              f'  tag: "{rng.choice(["latest", "2024.06.3", "1.4.2"])}"', "service:", "  type: ClusterIP", "  port: 80",
              "  targetPort: 8080", "worker:", f"  enabled: {str(rng.random() < 0.5).lower()}",
              f"  command: {json.dumps(rng.choice(COMMANDS))}", "extraEnv:", "  - name: RAILS_ENV", "    value: production"]
    if hazardous:
        values += ["  - name: STRIPE_API_KEY", f"    value: sk_live_{rng.getrandbits(96):024x}",
                   "postgresql:", "  auth:", "    username: app", f"    password: s3cr3t-{rng.randint(100, 999)}"]
    else:
        values += ["resources:", "  requests: {cpu: 250m, memory: 256Mi}", "  limits: {memory: 256Mi}"]
    return {
        "Chart.yaml": f'apiVersion: v2\nname: {app}\nversion: 0.{rng.randint(1, 20)}.0\nappVersion: "2024.06.3"\n',
        "values.yaml": "\n".join(values) + "\n",
        "templates/_helpers.tpl": CHART_HELPERS.replace("CHART", app),
        "templates/deployment.yaml": CHART_DEPLOYMENT.replace("CHART", app),
        "templates/service.yaml": CHART_SERVICE.replace("CHART", app),
    }


def ebextensions(rng, app, hazardous):
    files = {
        ".ebextensions/01-options.config": (
            "option_settings:\n  aws:elasticbeanstalk:application:environment:\n    RAILS_ENV: production\n"
            f"    APP_NAME: {app}\n" + (f"    SECRET_KEY_BASE: {rng.getrandbits(128):032x}\n" if hazardous else "")
            + "  aws:autoscaling:launchconfiguration:\n    InstanceType: t3.medium\n"
            "  aws:elasticbeanstalk:environment:proxy:\n    ProxyServer: nginx\n"),
    }
    if hazardous:
        files[".ebextensions/02-limits.config"] = (
            "commands:\n  01_nofile:\n    command: echo '* soft nofile 65535' >> /etc/security/limits.conf\n"
            "files:\n  /etc/cron.d/nightly:\n    mode: \"000644\"\n    owner: root\n    group: root\n"
            f"    content: |\n      0 3 * * * root /opt/{app}/bin/nightly >> /var/log/{app}-cron.log 2>&1\n")
    files["Dockerrun.aws.json"] = json.dumps({
        "AWSEBDockerrunVersion": 1,
        "Image": {"Name": f"123456789012.dkr.ecr.eu-west-1.amazonaws.com/{app}:latest", "Update": "true"},
        "Ports": [{"ContainerPort": 8080}],
        "Logging": f"/var/log/{app}"}, indent=2) + "\n"
    return files


def app_files(rng, app):
    if rng.random() < 0.5:
        return {"Gemfile": "source 'https://rubygems.org'\ngem 'rails', '~> 7.1'\ngem 'puma'\ngem 'sidekiq'\n",
                "Gemfile.lock": "GEM\n  remote: https://rubygems.org/\n  specs:\n    puma (6.4.2)\n    rails (7.1.3)\n"}
    return {"package.json": json.dumps({"name": app, "version": "1.0.0", "scripts": {"start": "node server.js"},
                                        "dependencies": {"express": "^4.19.2", "pino": "^9.0.0"}}, indent=2) + "\n"}


def service_files(rng, number):
    """Every file of one service folder: {relative path: text}, about 40 files."""
    app = f"{rng.choice(APPS)}{number}"
    hazardous = rng.random() < 0.5
    image = (f"123456789012.dkr.ecr.{rng.choice(REGIONS)}.amazonaws.com/{app}:"
             + ("latest" if hazardous and rng.random() < 0.5 else f"1.{rng.randint(0, 40)}.{rng.randint(0, 9)}"))
    files = {}
    docker = {"Dockerfile": dockerfile(rng, app, hazardous), "docker-entrypoint.sh": entrypoint(rng, app, hazardous),
              "nginx.conf": nginx_conf(rng, app), "supervisord.conf": supervisord_conf(app), "crontab": crontab(app)}
    docker.update(app_files(rng, app))
    files.update({f"docker/{name}": text for name, text in docker.items()})
    if rng.random() < 0.3:
        files["docker/Dockerfile.worker"] = dockerfile(rng, app + "-worker", hazardous)
    files.update({f"chart/{name}": text for name, text in chart(rng, app, hazardous).items()})
    files["k8s/deployment.yaml"] = deployment(rng, app, app, hazardous, image)
    files["k8s/service.yaml"] = service_manifest(app, app)
    files["k8s/cronjob.yaml"] = cronjob(rng, app, image, hazardous)
    files["k8s/hpa.yaml"] = hpa(app, app)
    files["k8s/configmap.yaml"] = configmap(rng, app, rng.randint(5, 40))
    for index in range(2):
        task = task_definition(rng, number * 10 + index)
        files[f"ecs/{task['family']}-task-definition.json"] = json.dumps(task, indent=2) + "\n"
    described = task_definition(rng, number * 10 + 2)
    files[f"ecs/{described['family']}.json"] = json.dumps({"taskDefinition": dict(described, revision=7, status="ACTIVE")}, indent=4) + "\n"
    files["cloudformation/task-definition.yaml"] = to_cloudformation(task_definition(rng, number * 10 + 3))
    for relative, text in terraform_service(rng, number).items():
        files[f"terraform/{relative}"] = text
    files.update({f"eb/{name}": text for name, text in ebextensions(rng, app, hazardous).items()})
    return app, files


def rendered_manifest(rng, app, image, target_bytes):
    """A `kustomize build`-style multi-document manifest of about target_bytes: what fills the corpus to
    its byte budget (real repositories hold such rendered manifests, CRDs and generated configs)."""
    documents, size, index = [], 0, 0
    while size < target_bytes:
        kind = index % 4
        name = f"{app}-part-{index}"
        if kind == 0:
            text = deployment(rng, app, name, rng.random() < 0.5, image)
        elif kind == 1:
            text = service_manifest(app, name)
        elif kind == 2:
            text = configmap(rng, app, rng.randint(20, 120))
        else:
            text = hpa(app, name)
        documents.append(text)
        size += len(text) + 4
        index += 1
    return "---\n".join(documents)


def write_mixed(out_dir, scale, seed):
    """Writes the mixed repository at `scale` (1.0 = 20,000 files / 100 MB); returns (files, bytes, largest)."""
    rng = random.Random(seed)
    target_files = int(FILES_PER_SCALE * scale)
    target_bytes = int(BYTES_PER_SCALE * scale)
    written, total, largest, number = 0, 0, 0, 0

    def write(path, text):
        nonlocal written, total, largest
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as handle:
            handle.write(text)
        written += 1
        total += len(text)
        largest = max(largest, len(text))

    write(os.path.join(out_dir, "terraform-modules", "ecs-task", "main.tf"), TF_SHARED_MODULE)
    while written < target_files:
        app, files = service_files(rng, number)
        folder = os.path.join(out_dir, "services", f"{number:05d}-{app}")
        for relative, text in files.items():
            text = text.replace("../../modules/ecs-task", "../../../terraform-modules/ecs-task")
            write(os.path.join(folder, relative), text)
        # The bytes this service should bring the corpus to, given how many files it has written so far.
        on_track = target_bytes * min(1.0, (written + 1) / target_files)
        if on_track > total:
            write(os.path.join(folder, "k8s", "rendered.yaml"),
                  rendered_manifest(rng, app, f"123456789012.dkr.ecr.eu-west-1.amazonaws.com/{app}:1.0.0",
                                    int(on_track - total)))
        number += 1
    return written, total, largest
