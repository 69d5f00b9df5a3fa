// Times the peer Dockerfile linters' engines in-process on a list of Dockerfiles.
//
// Usage: node bench/peers/dockerfile_peers.mjs FILES_LIST [REPETITIONS]
//        node bench/peers/dockerfile_peers.mjs FILES_LIST --serve
//   FILES_LIST: a file with one Dockerfile path per line.
//   --serve: warms every engine up, prints "ready" and the engines' names, then times one pass of
//   the engine named on each line of stdin (after an untimed pass, which warms the caches the tools
//   run in between used) and answers with one JSON line {"peer", "wall_ms", "cpu_ms"}; at the end of
//   stdin it prints the summaries below over those passes. dockerfile_bench.sh uses it to interleave
//   the peers' passes with shiftlint's runs, so that both sample the same moments of a shared machine.
//
// Every file is read into memory first, so only the engines are timed (no process start-up, no module
// loading, no I/O of the inputs). Each engine is warmed up on the whole list (so V8 has compiled its
// hot paths), then timed REPETITIONS times (default 5); the best repetition counts, as for shiftlint.
// Wall time is performance.now() around the loop; CPU time is process.cpuUsage() (user + system of
// the whole node process, so V8's garbage-collector and compiler threads count too, as shiftlint's
// threads do under /usr/bin/time). Prints one JSON object per peer on stdout:
//   {"peer":"dockerfilelint","version":"1.8.0","files":N,"bytes":B,"best_ms":..,"median_ms":..,
//    "best_cpu_ms":..,"runs_ms":[..],"cpu_runs_ms":[..],"findings":F,"failures":E}
//
// The engines:
//   - dockerfilelint: `run(configDirectory, content)` from its main module, the call its CLI makes
//     per file. It looks for `.dockerfilelintrc` in configDirectory on every call (one failed lstat);
//     we pass an empty folder so the default rules apply, as the CLI does with no config.
//   - dockerfile-utils: `validate(content)`, which parses with dockerfile-ast and runs the validator
//     with default settings (the engine behind the Docker language server's diagnostics).
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

const require = createRequire(import.meta.url);

const [listPath, repetitionsArgument] = process.argv.slice(2);
if (!listPath) {
  console.error("usage: node dockerfile_peers.mjs FILES_LIST [REPETITIONS]");
  process.exit(2);
}
const serve = repetitionsArgument === "--serve";
const repetitions = serve ? 0 : Number(repetitionsArgument ?? 5);

const paths = readFileSync(listPath, "utf8").split("\n").filter((line) => line.length > 0);
const contents = paths.map((path) => readFileSync(path, "utf8"));
const bytes = contents.reduce((sum, content) => sum + Buffer.byteLength(content), 0);

const emptyConfigDirectory = mkdtempSync(join(tmpdir(), "dockerfilelint-config-"));
const dockerfilelint = require("dockerfilelint");
const dockerfileUtils = require("dockerfile-utils");

const peers = [
  {
    name: "dockerfilelint",
    version: require("dockerfilelint/package.json").version,
    lint: (content) => dockerfilelint.run(emptyConfigDirectory, content).length,
  },
  {
    name: "dockerfile-utils",
    version: require("dockerfile-utils/package.json").version,
    lint: (content) => dockerfileUtils.validate(content).length,
  },
];

// A peer that throws on a file (dockerfilelint does on some HEALTHCHECK forms) is counted as having
// failed on it; the time until the throw still counts, and the next file goes on, as a per-file CLI
// run would.
function lintAll(lint) {
  let findings = 0;
  let failures = 0;
  for (const content of contents) {
    try {
      findings += lint(content);
    } catch {
      failures += 1;
    }
  }
  return { findings, failures };
}

// One timed pass of `peer` over every file, recorded in its runs.
function timePass(peer) {
  const cpuStarted = process.cpuUsage();
  const started = performance.now();
  ({ findings: peer.findings, failures: peer.failures } = lintAll(peer.lint));
  const wall = performance.now() - started;
  const cpu = process.cpuUsage(cpuStarted);
  peer.runs.push(wall);
  peer.cpuRuns.push((cpu.user + cpu.system) / 1000);
  return { wall, cpu: (cpu.user + cpu.system) / 1000 };
}

const round = (ms) => Math.round(ms * 10) / 10;

function printSummary(peer) {
  const sorted = [...peer.runs].sort((a, b) => a - b);
  console.log(JSON.stringify({
    peer: peer.name,
    version: peer.version,
    files: contents.length,
    bytes,
    best_ms: round(sorted[0]),
    median_ms: round(sorted[Math.floor(sorted.length / 2)]),
    best_cpu_ms: round(Math.min(...peer.cpuRuns)),
    runs_ms: peer.runs.map(round),
    cpu_runs_ms: peer.cpuRuns.map(round),
    findings: peer.findings,
    failures: peer.failures,
  }));
}

for (const peer of peers) {
  ({ findings: peer.findings, failures: peer.failures } = lintAll(peer.lint));  // warm-up
  peer.runs = [];
  peer.cpuRuns = [];
  for (let run = 0; run < repetitions; run++) timePass(peer);
  if (!serve) printSummary(peer);
}

if (serve) {
  const { createInterface } = await import("node:readline");
  console.log(["ready", ...peers.map((peer) => peer.name)].join(" "));
  for await (const line of createInterface({ input: process.stdin })) {
    const peer = peers.find((candidate) => candidate.name === line.trim());
    if (!peer) {
      console.log(JSON.stringify({ error: `no peer named ${line.trim()}` }));
      continue;
    }
    // An untimed pass first: the tools run in between have taken the caches, and the engine's time
    // is measured warm, as back-to-back passes measure it.
    lintAll(peer.lint);
    const { wall, cpu } = timePass(peer);
    console.log(JSON.stringify({ peer: peer.name, wall_ms: round(wall), cpu_ms: round(cpu) }));
  }
  for (const peer of peers) if (peer.runs.length > 0) printSummary(peer);
}

rmSync(emptyConfigDirectory, { recursive: true, force: true });
