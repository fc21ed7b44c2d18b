#!/usr/bin/env node
// Runs PactFlow's comparator (@pactflow/openapi-pact-comparator, pinned in package.json) on
// pact/OpenAPI pairs and prints its verdict and results as JSON: the oracle of
// tests/provider_contracts/test_oracle.py, which checks that our engine (apps/provider_contracts/
// comparison) agrees with it.
//
//   node compare.mjs OPENAPI_FILE PACT_FILE     one pair: one JSON object on stdout
//   node compare.mjs --jsonl < pairs.jsonl       many pairs, one {"oas": path, "pact": path} a line:
//                                               one JSON object a line, in the same order
//
// Each answer is {"verdict": "compatible" | "incompatible" | "error", "results": [...], "error"?}.
// Documents are read as the package's own CLI reads them (JSON, else YAML with js-yaml 5.3.0, the
// version its CLI bundles). "error" means the comparator threw (a malformed pact or description):
// PactFlow then has no comparison to show, which the test counts as incompatible.
import fs from "node:fs";
import readline from "node:readline";
import { load } from "js-yaml";
import { Comparator } from "@pactflow/openapi-pact-comparator";

const parseContent = (content) => {
  try {
    return JSON.parse(content);
  } catch (error) {
    try {
      return load(content);
    } catch {
      throw error;
    }
  }
};

async function comparePair(oasPath, pactPath) {
  try {
    const oas = parseContent(fs.readFileSync(oasPath, "utf-8"));
    const pact = parseContent(fs.readFileSync(pactPath, "utf-8"));
    const comparator = new Comparator({ oas });
    const results = [];
    for await (const result of comparator.compare(pact)) {
      results.push(result);
    }
    const verdict = results.some((r) => r.type === "error") ? "incompatible" : "compatible";
    return { verdict, results };
  } catch (error) {
    return { verdict: "error", results: [], error: String(error && error.message ? error.message : error) };
  }
}

async function main(argv) {
  if (argv[0] === "--jsonl") {
    const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
    for await (const line of lines) {
      if (!line.trim()) continue;
      const { oas, pact } = JSON.parse(line);
      process.stdout.write(JSON.stringify(await comparePair(oas, pact)) + "\n");
    }
    return 0;
  }
  if (argv.length !== 2) {
    process.stderr.write("usage: node compare.mjs OPENAPI_FILE PACT_FILE | node compare.mjs --jsonl < pairs\n");
    return 2;
  }
  process.stdout.write(JSON.stringify(await comparePair(argv[0], argv[1]), null, 2) + "\n");
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
