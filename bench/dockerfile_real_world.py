#!/usr/bin/env python3
"""Real-world Dockerfile check: how many Dockerfiles in a folder parse without SL001.

Runs shiftlint once over FOLDER (all rules, JSON report) and prints:
  - the Dockerfiles analysed (shiftlint's own count) and the time it took;
  - how many have an SL001, split into templates (a `%%PLACEHOLDER%%` or `{{ }}` line: not meant
    to be built as they are) and real Dockerfiles;
  - every SL001 message on a real Dockerfile, to review by hand;
  - findings per rule.

The folder is whatever you gathered (e.g. Dockerfiles exported from docker-library repositories);
nothing from it is committed. Usage: bench/dockerfile_real_world.py FOLDER [BINARY]
"""
import collections
import json
import os
import re
import subprocess
import sys
import time

PLACEHOLDER = re.compile(r"%%[A-Za-z0-9_]+%%|\{\{.*\}\}")


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    folder = sys.argv[1]
    binary = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", "build", "shiftlint")
    started = time.monotonic()
    run = subprocess.run([binary, "check", folder, "--format", "json", "--fail-on", "never", "--jobs", "1"],
                         capture_output=True, text=True)
    elapsed = time.monotonic() - started
    if run.returncode != 0:
        print(run.stderr, file=sys.stderr)
        return 2
    report = json.loads(run.stdout)
    analysed = report["summary"]["files_analyzed"]

    parse_errors = collections.defaultdict(list)
    per_rule = collections.Counter()
    for finding in report["findings"]:
        per_rule[finding["rule_id"]] += 1
        if finding["rule_id"] == "SL001":
            parse_errors[finding["path"]].append(finding)

    templates, real = [], []
    for path in sorted(parse_errors):
        with open(os.path.join(folder, path), encoding="utf-8", errors="replace") as file:
            text = file.read()
        (templates if PLACEHOLDER.search(text) else real).append(path)

    clean = analysed - len(parse_errors)
    print(f"Dockerfiles analysed: {analysed} in {elapsed:.2f} s ({analysed / elapsed:.0f} files/s, one job)")
    print(f"without SL001: {clean} ({100.0 * clean / max(analysed, 1):.2f}%)")
    print(f"with SL001: {len(real)} real, {len(templates)} templates (%%PLACEHOLDER%% or {{{{ }}}} lines)")
    non_template = analysed - len(templates)
    print(f"real Dockerfiles without SL001: {non_template - len(real)}/{non_template} "
          f"({100.0 * (non_template - len(real)) / max(non_template, 1):.2f}%)")
    for path in real:
        for finding in parse_errors[path]:
            print(f"  {path}:{finding['line']}:{finding['column']}: {finding['message']}")
    print("findings per rule: " + ", ".join(f"{rule} {count}" for rule, count in sorted(per_rule.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
