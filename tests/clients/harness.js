// A tiny check runner shared by the Node client flows.
//
// Each flow is an async function registered with `check("name", fn)`; `runChecks()`
// runs them in order, prints ok/FAIL per flow with the reason, then the closing line
// `N passed, M failed`, and exits 1 when any flow failed.
//
// `record(name, value)` keeps what a flow was answered; when GATECHECK_ANSWERS names a
// file, `runChecks()` writes the records there as canonical JSON (sorted keys, the same
// text Python's json.dumps(sort_keys=True, indent=1) writes), so that `run` can
// compare what two clients of one gateway were told.
"use strict";

const fs = require("fs");

const checks = [];
const answers = {};

function record(name, value) {
  answers[name] = value;
}

// Sorted keys at every level, so that both languages write the same text.
function canonical(value) {
  if (Array.isArray(value)) {
    return value.map(canonical);
  }
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical(value[k])])
    );
  }
  return value;
}

function check(name, fn) {
  checks.push([name, fn]);
}

function expect(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

function equal(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) {
    throw new Error(`${what}: expected ${e}, got ${a}`);
  }
}

function baseUrl() {
  const url = process.env.GATECHECK_URL;
  if (!url) {
    console.error("GATECHECK_URL is not set: run this through tests/clients/run");
    process.exit(2);
  }
  return new URL(url);
}

async function runChecks(label) {
  let passed = 0;
  let failed = 0;
  for (const [name, fn] of checks) {
    try {
      await fn();
      passed += 1;
      console.log(`ok   ${label}: ${name}`);
    } catch (e) {
      failed += 1;
      console.log(`FAIL ${label}: ${name}: ${e && e.stack ? e.stack : JSON.stringify(e)}`);
    }
  }
  console.log(`${label}: ${passed} passed, ${failed} failed`);
  if (process.env.GATECHECK_ANSWERS) {
    fs.writeFileSync(process.env.GATECHECK_ANSWERS, JSON.stringify(canonical(answers), null, 1) + "\n");
  }
  process.exit(failed ? 1 : 0);
}

module.exports = { check, expect, equal, record, baseUrl, runChecks };
