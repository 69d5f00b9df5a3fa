// Times @cdktf/hcl2json's parse (HashiCorp's HCL parser compiled to WebAssembly) in-process on a
// list of .tf files: parse only, no evaluation, no rules.
//
// Usage: node bench/peers/hcl2json_peer.mjs FILES_LIST [REPETITIONS]
//
// As dockerfile_peers.mjs: every file is read into memory first, one warm-up pass (which also loads
// and instantiates the WebAssembly module), then REPETITIONS timed passes; the best counts. Wall time
// is performance.now() around the pass, CPU time process.cpuUsage() of the whole node process. The
// files are parsed one after another (`await parse(...)` per file), as a CLI converting them would.
// Prints one JSON object: {"peer":"@cdktf/hcl2json","version":..,"files":N,"bytes":B,"best_ms":..,
// "best_cpu_ms":..,"runs_ms":[..],"cpu_runs_ms":[..],"failures":E}
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";

const require = createRequire(import.meta.url);
const [listPath, repetitionsArgument] = process.argv.slice(2);
if (!listPath) {
  console.error("usage: node hcl2json_peer.mjs FILES_LIST [REPETITIONS]");
  process.exit(2);
}
const repetitions = Number(repetitionsArgument ?? 5);
const paths = readFileSync(listPath, "utf8").split("\n").filter((line) => line.length > 0);
const contents = paths.map((path) => readFileSync(path, "utf8"));
const bytes = contents.reduce((sum, content) => sum + Buffer.byteLength(content), 0);
const { parse } = require("@cdktf/hcl2json");

async function parseAll() {
  let failures = 0;
  for (let index = 0; index < contents.length; index++) {
    try {
      await parse(paths[index], contents[index]);
    } catch {
      failures += 1;
    }
  }
  return failures;
}

let failures = await parseAll();  // warm-up
const runs = [];
const cpuRuns = [];
for (let run = 0; run < repetitions; run++) {
  const cpuStarted = process.cpuUsage();
  const started = performance.now();
  failures = await parseAll();
  runs.push(performance.now() - started);
  const cpu = process.cpuUsage(cpuStarted);
  cpuRuns.push((cpu.user + cpu.system) / 1000);
}
const round = (ms) => Math.round(ms * 10) / 10;
console.log(JSON.stringify({
  peer: "@cdktf/hcl2json",
  version: require("@cdktf/hcl2json/package.json").version,
  files: contents.length,
  bytes,
  best_ms: round(Math.min(...runs)),
  best_cpu_ms: round(Math.min(...cpuRuns)),
  runs_ms: runs.map(round),
  cpu_runs_ms: cpuRuns.map(round),
  failures,
}));
