#!/usr/bin/env python3
"""Checks action.yml (the composite GitHub Action) and the workflows documented in
docs/github-actions.md, offline: they parse; the action builds from its own source with
scripts/install-deps and cmake and downloads nothing prebuilt; every input, step output and step
id it references exists; every `run` script is valid bash; and the step that runs shiftlint, run
here with bash as the runner would run it, writes the SARIF report and its outputs and exits as
documented (1 on findings, 0 when clean or with fail-on never, 2 on a broken configuration).

Usage: check_action.py SOURCE_DIR SHIFTLINT_BINARY"""
import json
import os
import re
import subprocess
import sys
import tempfile

import yaml

source_dir, binary = sys.argv[1], os.path.abspath(sys.argv[2])
failures = []
checks = 0


def check(condition, what):
    global checks
    checks += 1
    print(("ok - " if condition else "FAIL - ") + what)
    if not condition:
        failures.append(what)


with open(os.path.join(source_dir, "action.yml"), encoding="utf-8") as file:
    action_text = file.read()
action = yaml.safe_load(action_text)

# --- structure -----------------------------------------------------------------------------------
runs = action.get("runs", {})
steps = runs.get("steps", [])
check(runs.get("using") == "composite", "a composite action")
inputs = action.get("inputs", {})
for name in ["paths", "config", "fail-on", "baseline", "upload-sarif", "sarif-file", "working-directory"]:
    check(name in inputs and "description" in inputs[name], f"input {name} is declared and described")
check(inputs["fail-on"].get("default") == "warning", "fail-on defaults to warning, as the CLI does")
step_ids = {step["id"] for step in steps if "id" in step}
for step in steps:
    if "run" in step:
        check(step.get("shell") == "bash", f"step '{step.get('name')}' says its shell (composite actions must)")
for expression in re.findall(r"\$\{\{([^}]*)\}\}", action_text):
    for name in re.findall(r"inputs\.([A-Za-z0-9_-]+)", expression):
        check(name in inputs, f"${{{{ inputs.{name} }}}} is a declared input")
    for step_id in re.findall(r"steps\.([A-Za-z0-9_-]+)\.outputs", expression):
        check(step_id in step_ids, f"steps.{step_id} is a step id")
runs_text = "\n".join(step.get("run", "") for step in steps)
check("$GITHUB_ACTION_PATH/scripts/install-deps" in runs_text, "dependencies come from scripts/install-deps")
check('cmake -S "$GITHUB_ACTION_PATH"' in runs_text, "shiftlint is built from the action's own checkout")
check(not re.search(r"\b(curl|wget)\b|releases/download", action_text), "nothing prebuilt is downloaded")
uploads = [step for step in steps if str(step.get("uses", "")).startswith("github/codeql-action/upload-sarif@")]
check(len(uploads) == 1, "the SARIF report is uploaded with github/codeql-action/upload-sarif")
if uploads:
    check("inputs.upload-sarif == 'true'" in uploads[0].get("if", ""), "the upload can be turned off")
    check("always()" in uploads[0].get("if", ""), "the upload runs even when shiftlint found something")

for step in steps:
    if "run" in step:
        # ${{ }} expressions are substituted by the runner before bash sees the script.
        script = re.sub(r"\$\{\{[^}]*\}\}", "x", step["run"])
        result = subprocess.run(["bash", "-n"], input=script, text=True, capture_output=True)
        check(result.returncode == 0, f"step '{step['name']}' is valid bash {result.stderr.strip()}")

# --- the step that runs shiftlint, as the runner runs it ------------------------------------------
run_step = next(step for step in steps if step.get("id") == "check")


def run_check_step(workspace, **inputs_given):
    values = {name: str(spec.get("default", "")) for name, spec in inputs.items()}
    values.update(inputs_given)
    output_file = os.path.join(workspace, "github-output")
    open(output_file, "w").close()
    environment = dict(os.environ, GITHUB_OUTPUT=output_file, NO_COLOR="1")
    for name, value in run_step["env"].items():
        match = re.fullmatch(r"\$\{\{ *inputs\.([A-Za-z0-9_-]+) *\}\}", value)
        environment[name] = values[match.group(1)] if match else binary  # steps.build.outputs.binary
    # GitHub runs `shell: bash` scripts as `bash --noprofile --norc -eo pipefail FILE`.
    script = os.path.join(workspace, "step.sh")
    with open(script, "w") as file:
        file.write(run_step["run"])
    result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", script],
                            cwd=os.path.join(workspace, values["working-directory"]), env=environment,
                            text=True, capture_output=True)
    outputs = dict(line.split("=", 1) for line in open(output_file).read().splitlines() if "=" in line)
    return result, outputs


hazard = """{
  "family": "web",
  "networkMode": "awsvpc",
  "requiresCompatibilities": ["FARGATE"],
  "cpu": "512",
  "memory": "1024",
  "containerDefinitions": [
    {
      "name": "web",
      "image": "registry.example.com/web:1.2.3",
      "essential": true,
      "portMappings": [{"containerPort": 80}]
    }
  ]
}
"""
with tempfile.TemporaryDirectory() as workspace:
    os.makedirs(os.path.join(workspace, "ecs"))
    with open(os.path.join(workspace, "ecs", "web.json"), "w") as file:
        file.write(hazard)
    with open(os.path.join(workspace, "README.md"), "w") as file:
        file.write("# app\n")

    result, outputs = run_check_step(workspace)
    sarif_path = os.path.join(workspace, "shiftlint.sarif")
    check(result.returncode == 0, "findings: the run step itself succeeds, so the upload can follow")
    check(outputs.get("exit-code") == "1", f"findings: exit-code output is 1 (got {outputs.get('exit-code')})")
    check(outputs.get("sarif-file") == os.path.realpath(sarif_path), "sarif-file output is the report's absolute path")
    check("ecs/web.json:8:5: warning: container \"web\" has no \"nofile\" ulimit" in result.stdout,
          "the job log shows the findings as text")
    if os.path.exists(sarif_path):
        with open(sarif_path) as file:
            sarif = json.load(file)
        results = sarif["runs"][0]["results"]
        check(sarif["version"] == "2.1.0" and [r["ruleId"] for r in results] == ["ECS001"],
              "the SARIF report holds the finding")
    else:
        check(False, "the SARIF report was written")

    result, outputs = run_check_step(workspace, **{"fail-on": "never", "sarif-file": "out/report.sarif",
                                                   "paths": "ecs README.md"})
    check(result.returncode == 0 and outputs.get("exit-code") == "0", "fail-on never: exit-code 0")
    check(os.path.exists(os.path.join(workspace, "out", "report.sarif")), "sarif-file input honoured (folder created)")

    subprocess.run([binary, "check", "--write-baseline", "baseline.json"], cwd=workspace, check=True,
                   capture_output=True)
    result, outputs = run_check_step(workspace, baseline="baseline.json")
    check(outputs.get("exit-code") == "0", "baseline: recorded findings do not fail")

    with open(os.path.join(workspace, ".shiftlint.yaml"), "w") as file:
        file.write("selct: [ALL]\n")
    result, outputs = run_check_step(workspace)
    check(result.returncode == 2 and outputs.get("exit-code") == "2" and "sarif-file" not in outputs,
          "a broken configuration fails the step at once, with no report to upload")

# --- the documented workflows use the action as it is ---------------------------------------------
with open(os.path.join(source_dir, "docs", "github-actions.md"), encoding="utf-8") as file:
    document = file.read()
blocks = re.findall(r"```yaml\n(.*?)```", document, re.S)
workflows = [yaml.safe_load(block) for block in blocks]
check(len(workflows) >= 2, "docs/github-actions.md has the example workflows")
used = 0
for workflow in workflows:
    if not isinstance(workflow, dict) or "jobs" not in workflow:
        continue
    for job in workflow["jobs"].values():
        for step in job.get("steps", []):
            if str(step.get("uses", "")).startswith("shiftlint/shiftlint@"):
                used += 1
                for name in step.get("with", {}):
                    check(name in inputs, f"documented input {name} exists")
                check(job.get("permissions", {}).get("security-events") == "write" or
                      step.get("with", {}).get("upload-sarif") == "false",
                      "a job that uploads SARIF has security-events: write")
check(used >= 1, "a documented workflow uses the action")

print(f"{checks} checks, {len(failures)} failed")
sys.exit(1 if failures else 0)
