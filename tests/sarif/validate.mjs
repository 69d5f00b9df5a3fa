#!/usr/bin/env node
// Validates SARIF files against the official SARIF 2.1.0 schema (offline) and against the limits
// GitHub code scanning enforces on upload.
//
//   node validate.mjs FILE...                   exit 0 when every file is valid, 1 otherwise
//   node validate.mjs --expect-invalid FILE...  exit 0 when every file is rejected (tests the test)
//
// Needs `npm ci --ignore-scripts` next to this script (CMake does it in the build tree).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";

const require = createRequire(import.meta.url);
const schemaPath = require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
const schema = JSON.parse(readFileSync(schemaPath, "utf8"));

// The schema is draft-04; its patterns are ECMAScript regexes without the `u` flag.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validateSchema = ajv.compile(schema);

// https://docs.github.com/en/code-security/code-scanning/troubleshooting-sarif-uploads/results-exceed-limit
const GITHUB_LIMITS = { runs: 20, resultsPerRun: 25000, rulesPerRun: 25000, locationsPerResult: 1000, tagsPerRule: 20 };

// What GitHub code scanning needs beyond the schema, and what shiftlint promises (DESIGN.md).
function githubProblems(log) {
  const problems = [];
  const runs = Array.isArray(log.runs) ? log.runs : [];
  if (runs.length > GITHUB_LIMITS.runs) problems.push(`${runs.length} runs (GitHub accepts ${GITHUB_LIMITS.runs})`);
  runs.forEach((run, r) => {
    const rules = run?.tool?.driver?.rules ?? [];
    const results = run?.results ?? [];
    if (rules.length > GITHUB_LIMITS.rulesPerRun) problems.push(`/runs/${r}: ${rules.length} rules`);
    if (results.length > GITHUB_LIMITS.resultsPerRun) problems.push(`/runs/${r}: ${results.length} results`);
    rules.forEach((rule, i) => {
      const tags = rule?.properties?.tags ?? [];
      if (tags.length > GITHUB_LIMITS.tagsPerRule) problems.push(`/runs/${r}/tool/driver/rules/${i}: ${tags.length} tags`);
    });
    results.forEach((result, i) => {
      const where = `/runs/${r}/results/${i}`;
      if (typeof result.ruleId !== "string" || result.ruleId === "") problems.push(`${where}: no ruleId`);
      if (result.ruleIndex !== undefined && rules[result.ruleIndex]?.id !== result.ruleId)
        problems.push(`${where}: ruleIndex ${result.ruleIndex} does not name rule ${result.ruleId}`);
      const locations = result.locations ?? [];
      if (locations.length === 0) problems.push(`${where}: no location (GitHub cannot show the alert)`);
      if (locations.length > GITHUB_LIMITS.locationsPerResult) problems.push(`${where}: ${locations.length} locations`);
      const all = [...locations, ...(result.relatedLocations ?? [])];
      all.forEach((location) => {
        const physical = location.physicalLocation;
        const uri = physical?.artifactLocation?.uri;
        if (typeof uri !== "string") return;
        if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(uri)) problems.push(`${where}: absolute URI ${JSON.stringify(uri)}`);
        if (/[\s#?\\]/.test(uri)) problems.push(`${where}: URI not percent-encoded: ${JSON.stringify(uri)}`);
        if (physical.region && !Number.isInteger(physical.region.startLine))
          problems.push(`${where}: a region without startLine`);
      });
      if (!result.partialFingerprints || Object.keys(result.partialFingerprints).length === 0)
        problems.push(`${where}: no partialFingerprints`);
    });
  });
  return problems;
}

function check(file) {
  let log;
  try {
    log = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    return [`not JSON: ${error.message}`];
  }
  const problems = [];
  if (!validateSchema(log)) {
    for (const error of validateSchema.errors) {
      const where = error.instancePath || "/";
      const details = error.params && Object.keys(error.params).length ? ` ${JSON.stringify(error.params)}` : "";
      problems.push(`${where}: ${error.message}${details}`);
    }
  }
  return problems.concat(githubProblems(log));
}

const args = process.argv.slice(2);
const expectInvalid = args[0] === "--expect-invalid";
const files = expectInvalid ? args.slice(1) : args;
if (files.length === 0) {
  console.error("usage: validate.mjs [--expect-invalid] FILE...");
  process.exit(2);
}

let failed = false;
for (const file of files) {
  const problems = check(file);
  const name = path.relative(process.cwd(), file) || file;
  if (expectInvalid) {
    if (problems.length === 0) {
      console.error(`${name}: accepted, but it should have been rejected`);
      failed = true;
    } else {
      console.log(`${name}: rejected as expected (${problems.length} problems):`);
      for (const problem of problems) console.log(`  ${problem}`);
    }
  } else if (problems.length > 0) {
    console.error(`${name}: invalid SARIF (${problems.length} problems):`);
    for (const problem of problems) console.error(`  ${problem}`);
    failed = true;
  } else {
    console.log(`${name}: valid SARIF 2.1.0`);
  }
}
process.exit(failed ? 1 : 0);
