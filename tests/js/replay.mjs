// Run the JS engine on jobs from labkit and write what it recorded (for tests/test_js_engine.py).
// usage: node replay.mjs jobs.json out.json
//   jobs.json: [{config, init?, order?}]   out.json: [{records, summary, seconds, initialRho}]
// Non-finite numbers are written as the strings "NaN", "Infinity", "-Infinity".
import fs from "node:fs";
import { decodeDigitSum } from "../../book/_static/trainer/data.js";
import { createRun } from "../../book/_static/trainer/engine.js";

const dataUrl = new URL("../../book/_static/trainer/digit_sum.json", import.meta.url);
const data = decodeDigitSum(JSON.parse(fs.readFileSync(dataUrl, "utf-8")));
const jobs = JSON.parse(fs.readFileSync(process.argv[2], "utf-8"));

const results = jobs.map(({ config, init, order }) => {
  const started = performance.now();
  const run = createRun(config, data.splits[config.length], { init, order });
  const records = [];
  while (!run.done) {
    const record = run.step();
    if (record) records.push(record);
  }
  const summary = run.finish();
  return { records, summary, seconds: (performance.now() - started) / 1000, initialRho: run.initialRho };
});
const finite = (key, value) => (typeof value === "number" && !Number.isFinite(value) ? String(value) : value);
fs.writeFileSync(process.argv[3], JSON.stringify(results, finite));
