// Eigenvalues and spectral radius of matrices from labkit (for tests/test_js_engine.py).
// usage: node eigenvalues.mjs in.json out.json   in: [{n, a: row-major}]   out: [{re, im, rho}]
import fs from "node:fs";
import { eigenvalues, spectralRadius } from "../../book/_static/trainer/spectral.js";

const cases = JSON.parse(fs.readFileSync(process.argv[2], "utf-8"));
const results = cases.map(({ n, a }) => {
  const { re, im } = eigenvalues(Float64Array.from(a), n);
  return { re: Array.from(re), im: Array.from(im), rho: spectralRadius(Float64Array.from(a), n) };
});
fs.writeFileSync(process.argv[3], JSON.stringify(results));
