// Unit tests of the trainer engine's own parts (node --test). The comparison with labkit itself
// is in tests/test_js_engine.py; these check what labkit cannot: our gradient against finite
// differences, our PRNG and initialisation, clipping and Adam on known numbers, bad input.
import assert from "node:assert/strict";
import fs from "node:fs";
import { test } from "node:test";
import { decodeDigitSum, decodeSplit } from "../../book/_static/trainer/data.js";
import { checkConfig, createRun, PARAM_NAMES } from "../../book/_static/trainer/engine.js";
import { Adam, clipGradients, EPS, norm } from "../../book/_static/trainer/optim.js";
import { initialWeights, Rng, xavierBound } from "../../book/_static/trainer/rng.js";
import { SRNClassifier } from "../../book/_static/trainer/srn.js";

const dataUrl = new URL("../../book/_static/trainer/digit_sum.json", import.meta.url);
const data = decodeDigitSum(JSON.parse(fs.readFileSync(dataUrl, "utf-8")));

test("the hand-written BPTT gradient equals central finite differences of the loss", () => {
  const D = 3, H = 5, T = 6, n = 7;
  const rng = new Rng(11);
  const tokens = Int32Array.from({ length: n * T }, () => rng.below(10));
  const labels = Int32Array.from({ length: n }, () => rng.below(19));
  const order = Int32Array.from([4, 0, 6, 2, 5, 1, 3]);
  for (const reduction of ["sum", "mean"]) {
    const model = new SRNClassifier(D, H, n, T);
    for (const name of PARAM_NAMES) rng.fillUniform(model.params[name], 0.8);
    const loss = () => model.lossAndGrad(tokens, labels, T, order, 1, 5, reduction);
    loss();
    const grads = Object.fromEntries(PARAM_NAMES.map((name) => [name, model.grads[name].slice()]));
    for (const name of PARAM_NAMES) {
      const w = model.params[name];
      for (let i = 0; i < w.length; i++) {
        const keep = w[i], h = 1e-6;
        w[i] = keep + h; const up = loss();
        w[i] = keep - h; const down = loss();
        w[i] = keep;
        const numeric = (up - down) / (2 * h);
        assert.ok(Math.abs(numeric - grads[name][i]) <= 1e-7 * Math.max(1, Math.abs(numeric)),
          `${reduction} ${name}[${i}]: BPTT ${grads[name][i]}, finite differences ${numeric}`);
      }
    }
  }
});

test("global, per-tensor and value clipping follow labkit's formulas, with EPS = 1e-6", () => {
  const make = () => [Float64Array.from([3, 4]), Float64Array.from([0, 12])];  // norms 5 and 12, total 13
  const pre = Float64Array.from([5, 12]);
  let g = make();
  assert.equal(clipGradients(g, "global", 6.5, pre), true);
  const s = 6.5 / (13 + EPS);
  assert.deepEqual(Array.from(g[0]), [3 * s, 4 * s]);
  g = make();
  assert.equal(clipGradients(g, "global", 13.5, pre), false);  // scale capped at 1: untouched
  assert.deepEqual(Array.from(g[1]), [0, 12]);
  g = make();
  assert.equal(clipGradients(g, "per_tensor", 6, pre), true);
  assert.deepEqual(Array.from(g[0]), [3, 4]);  // norm 5 <= 6: untouched
  assert.deepEqual(Array.from(g[1]), [0, 12 * (6 / (12 + EPS))]);
  g = make();
  assert.equal(clipGradients(g, "value", 3.5, pre), true);
  assert.deepEqual(g.map((x) => Array.from(x)), [[3, 3.5], [0, 3.5]]);
  const zero = [new Float64Array(3)];
  assert.equal(clipGradients(zero, "global", 1, Float64Array.from([0])), false);  // EPS: no 0/0
  assert.deepEqual(Array.from(zero[0]), [0, 0, 0]);
  assert.throws(() => clipGradients(make(), "norm", 1, pre), /clip mode must be one of/);
});

test("Adam's first step moves each weight by lr * g / (|g| + eps): bias correction at work", () => {
  const w = Float64Array.from([1, -2, 0.5]), g = Float64Array.from([0.3, -1e-3, 0]);
  const adam = new Adam([w], 0.1);
  adam.step([g]);
  const expected = [1 - 0.1 * 0.3 / (0.3 + 1e-8), -2 + 0.1 * 1e-3 / (1e-3 + 1e-8), 0.5];
  expected.forEach((x, i) => assert.ok(Math.abs(w[i] - x) < 1e-15, `w[${i}] = ${w[i]}, expected ${x}`));
});

test("the PRNG is seeded, uniform, and shuffles into permutations", () => {
  const draws = (seed, stream) => { const r = new Rng(seed, stream); return Array.from({ length: 5 }, () => r.uint32()); };
  assert.deepEqual(draws(3, 0), draws(3, 0));
  assert.notDeepEqual(draws(3, 0), draws(4, 0));
  assert.notDeepEqual(draws(3, 0), draws(3, 1));
  assert.notDeepEqual(draws(0, 0), draws(2 ** 32, 0));  // the seed's high bits count too
  const r = new Rng(1), n = 200000;
  let sum = 0, sq = 0, min = 1, max = 0;
  for (let i = 0; i < n; i++) { const u = r.uniform(); sum += u; sq += u * u; min = Math.min(min, u); max = Math.max(max, u); }
  assert.ok(Math.abs(sum / n - 0.5) < 0.005 && Math.abs(sq / n - 1 / 3) < 0.005 && min >= 0 && max < 1);
  const firstPlace = new Array(5).fill(0);
  for (let i = 0; i < 50000; i++) {
    const p = r.permutation(5);
    assert.deepEqual(Array.from(p).sort(), [0, 1, 2, 3, 4]);
    firstPlace[p[0]] += 1;
  }
  firstPlace.forEach((count) => assert.ok(Math.abs(count - 10000) < 500, `element counts at place 0: ${firstPlace}`));
  assert.throws(() => new Rng(-1), /seed must be a non-negative integer/);
});

test("initial weights follow labkit's distributions (xavier, nn.Linear's uniform, zeros)", () => {
  const w = initialWeights(7);
  const check = (name, bound) => {
    const x = w[name], n = x.length;
    const mean = x.reduce((a, b) => a + b, 0) / n, variance = x.reduce((a, b) => a + b * b, 0) / n;
    assert.ok(x.every((v) => Math.abs(v) <= bound), `${name} exceeds its bound ${bound}`);
    assert.ok(Math.max(...x.map(Math.abs)) > 0.9 * bound, `${name} does not fill U(-${bound}, ${bound})`);
    assert.ok(Math.abs(mean) < 4 * bound / Math.sqrt(3 * n), `${name} mean ${mean}`);
    assert.ok(Math.abs(variance / (bound * bound / 3) - 1) < 0.25, `${name} variance ${variance}`);
  };
  check("embedding", xavierBound(10, 32));
  check("rnn_model.W", Math.sqrt(6 / 64));
  check("rnn_model.U", Math.sqrt(6 / 64));
  check("linear.weight", 1 / Math.sqrt(32));
  assert.ok(w["linear.bias"].every((v) => Math.abs(v) <= 1 / Math.sqrt(32)));
  assert.ok(w["rnn_model.b"].every((v) => v === 0));
  const zeros = initialWeights(7, { init: "zeros" });
  assert.ok(zeros["rnn_model.W"].every((v) => v === 0) && zeros["rnn_model.U"].every((v) => v === 0));
  assert.deepEqual(zeros["embedding"], w["embedding"]);
  assert.notDeepEqual(initialWeights(8)["rnn_model.U"], w["rnn_model.U"]);
});

test("a run without labkit's weights is reproducible from its seed, and shuffles every epoch", () => {
  const losses = (config) => {
    const run = createRun({ length: 5, steps: 12, ...config }, data.splits[5]);
    return Array.from({ length: 12 }, () => run.step().loss);
  };
  assert.deepEqual(losses({ seed: 3 }), losses({ seed: 3 }));
  assert.notDeepEqual(losses({ seed: 3 }), losses({ seed: 4 }));
  const run = createRun({ length: 5, seed: 3 }, data.splits[5]);
  const [e0, e1] = [run._orderOf(0), run._orderOf(1)];
  assert.deepEqual(Array.from(e0).sort((a, b) => a - b), Array.from({ length: 300 }, (_, i) => i));
  assert.notDeepEqual(e0, e1);
  const identity = [Array.from({ length: 300 }, (_, i) => i)];
  const inOrder = createRun({ length: 5, seed: 3, shuffle: false, steps: 3 }, data.splits[5]);
  const replayed = createRun({ length: 5, seed: 3, steps: 3 }, data.splits[5], { order: identity });
  for (let k = 0; k < 3; k++) assert.equal(inOrder.step().loss, replayed.step().loss);
});

test("records carry every field of the contract; evaluation and rho come when due", () => {
  const run = createRun({ length: 5, steps: 7, evalSteps: 3, rhoEvery: 2, maxNorm: 1 }, data.splits[5]);
  const records = [];
  while (!run.done) records.push(run.step());
  assert.deepEqual(records.map((r) => r.step), [1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(records.map((r) => r.dev !== null), [false, false, true, false, false, true, true]);
  assert.deepEqual(records.map((r) => r.rho !== null), [false, true, false, true, false, true, false]);
  for (const r of records) {
    assert.deepEqual(Object.keys(r.pre), PARAM_NAMES);
    assert.ok(Math.abs(r.preTotal - norm(Object.values(r.pre))) < 1e-12 * r.preTotal);
    assert.ok(r.postTotal <= 1 + 1e-12 && r.clipped === r.preTotal > 1);
  }
  assert.equal(run.step(), null);
  const summary = run.finish();
  assert.equal(summary.bestDev, Math.max(...records.filter((r) => r.dev !== null).map((r) => r.dev)));
  assert.ok(summary.testAccuracy >= 0 && summary.testAccuracy <= 1 && summary.divergedAt === null);
  assert.ok(run.initialRho > 0);
});

test("a non-finite loss stops the run: 'diverged at step k', no record, NaN test accuracy", () => {
  const run = createRun({ length: 5, steps: 50, lr: 1e300 }, data.splits[5]);
  assert.equal(run.step().step, 1);
  assert.equal(run.step(), null);
  assert.equal(run.done, true);
  assert.equal(run.divergedAt, 2);
  const summary = run.finish();
  assert.ok(Number.isNaN(summary.testAccuracy));
  assert.equal(summary.bestDev, 0);
  assert.equal(summary.bestStep, null);
});

test("bad configs, splits, weights and data are refused with a message naming the field", () => {
  const bad = [[{ lr: 0 }, /lr must be/], [{ lr: "0.1" }, /lr must be/], [{ maxNorm: 0 }, /maxNorm must be/],
    [{ clipMode: "norm" }, /clipMode must be/], [{ optimizer: "rmsprop" }, /optimizer must be/],
    [{ lossReduction: "avg" }, /lossReduction must be/], [{ steps: 0 }, /steps must be/],
    [{ batchSize: 2.5 }, /batchSize must be/], [{ seed: -1 }, /seed must be/], [{ init: "he" }, /init must be/],
    [{ learningRate: 0.1 }, /unknown field "learningRate"/], [{ shuffle: 1 }, /shuffle must be/]];
  for (const [config, message] of bad) assert.throws(() => checkConfig(config), message);
  assert.throws(() => createRun({ length: 10 }, data.splits[5]), /length 5, config.length is 10/);
  assert.throws(() => createRun({ length: 5 }, data.splits[5], { init: { embedding: [1, 2] } }), /init.embedding must hold 320/);
  assert.throws(() => createRun({ length: 5, steps: 20 }, data.splits[5], { order: [[0]] }), /order holds 1 epochs, the run needs 4/);
  assert.throws(() => decodeSplit("00037 0004", 5), /example 1 is "0004"/);
  assert.throws(() => decodeSplit("00097", 5), /position 9, outside 2..4/);
  assert.throws(() => decodeDigitSum({ format: "v0" }), /expected format/);
});

test("accuracy takes the arg-max as torch does: the first maximum, a NaN logit wins", () => {
  const model = new SRNClassifier(2, 2, 4, 3);
  const split = { tokens: new Int32Array(3), labels: Int32Array.from([1]), n: 1, length: 3 };
  const bias = model.params["linear.bias"];  // weights all 0: the logits are the bias
  bias.fill(0); bias[1] = 2; bias[4] = 2;
  assert.equal(model.countCorrect(split, model.params), 1);
  bias[0] = NaN; bias[3] = NaN;
  assert.equal(model.countCorrect(split, model.params), 0);
  split.labels[0] = 0;
  assert.equal(model.countCorrect(split, model.params), 1);
});
