#!/usr/bin/env python3
"""Checks the .vsix that `npm run package` made: a zip with the manifest VS Code reads, the
bundled extension and nothing else (no sources, tests or node_modules: the bundle carries its
dependencies). Prints its size. Usage: check_vsix.py FILE.vsix"""
import json
import os
import sys
import zipfile

path = sys.argv[1]
problems = []
with zipfile.ZipFile(path) as vsix:
    names = sorted(vsix.namelist())
    required = ["extension.vsixmanifest", "extension/package.json", "extension/readme.md",
                "extension/dist/extension.js"]
    for name in required:
        if name not in names:
            problems.append(f"missing {name}")
    allowed = set(required) | {"[Content_Types].xml", "extension/bin/shiftlint"}
    for name in names:
        if name not in allowed:
            problems.append(f"unexpected {name}")
    if "extension/package.json" in names:
        manifest = json.loads(vsix.read("extension/package.json"))
        if manifest.get("main") != "./dist/extension.js":
            problems.append(f"package.json main is {manifest.get('main')!r}")
        if manifest.get("engines", {}).get("vscode") != "^1.91.0":
            problems.append("engines.vscode is not ^1.91.0")
    if "extension/dist/extension.js" in names:
        bundle = vsix.read("extension/dist/extension.js").decode("utf-8")
        # The language client is bundled, `vscode` is left to the editor.
        if 'require("vscode-languageclient' in bundle:
            problems.append("the bundle requires vscode-languageclient at run time")
        if 'require("vscode")' not in bundle:
            problems.append("the bundle does not load the vscode module")
    manifest_xml = vsix.read("extension.vsixmanifest").decode("utf-8") if "extension.vsixmanifest" in names else ""
    if 'Id="shiftlint"' not in manifest_xml:
        problems.append("extension.vsixmanifest does not name the extension shiftlint")

for problem in problems:
    print(f"{path}: {problem}")
if problems:
    sys.exit(1)
print(f"{path}: {len(names)} entries, {os.path.getsize(path)} bytes")
