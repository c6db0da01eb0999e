// Print the decoded digit_sum.json as JSON {length: {split: {tokens: [[...]], labels: [...]}}}.
import fs from "node:fs";
import { decodeDigitSum } from "../../book/_static/trainer/data.js";

const dataUrl = new URL("../../book/_static/trainer/digit_sum.json", import.meta.url);
const { splits } = decodeDigitSum(JSON.parse(fs.readFileSync(dataUrl, "utf-8")));
const out = {};
for (const [length, named] of Object.entries(splits)) {
  out[length] = {};
  for (const [name, s] of Object.entries(named)) {
    out[length][name] = { tokens: Array.from({ length: s.n }, (_, e) => Array.from(s.tokens.subarray(e * s.length, (e + 1) * s.length))),
      labels: Array.from(s.labels) };
  }
}
console.log(JSON.stringify(out));
