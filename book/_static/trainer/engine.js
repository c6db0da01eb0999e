// The training engine: labkit.train's loop for the digit-sum SRN, in float64, one step at a time.
//
// Each step, in labkit's Runner order: forward and loss on the next mini-batch; stop with
// "diverged at step k" if the loss is not finite; backward (BPTT); record the raw gradient norms
// (stop, step not taken, if one is not finite or above OVERFLOW); clip; record the clipped norms;
// optimizer step (stop after it, without evaluating, if a weight norm is not finite or above
// OVERFLOW: labkit.runner's one divergence rule); every `evalSteps` steps and at the last step,
// evaluate on dev and keep the best weights. `finish()` scores the best weights on test.
// No DOM, no timers: the Web Worker (worker.js, driver.js) calls `step()` in time slices.

import { CLIP_MODES, OPTIMIZERS, clipGradients, createOptimizer, norm, norms, total } from "./optim.js";
import { INITS, Rng, STREAM_SHUFFLE, initialWeights } from "./rng.js";
import { spectralRadius } from "./spectral.js";
import { PARAM_NAMES, SRNClassifier, paramShapes } from "./srn.js";

export const OVERFLOW = 1e15;  // labkit.runner.OVERFLOW: a gradient or weight norm above this has diverged

/** True if any of the norms is not finite or above OVERFLOW (as labkit.runner.overflowing). */
function overflowing(values) {
  for (const v of values) if (!(v <= OVERFLOW)) return true;  // NaN <= x is false
  return false;
}

export { PARAM_NAMES };
export const REDUCTIONS = ["sum", "mean"];
export const DEFAULTS = Object.freeze({
  length: 20, lr: 0.2, batchSize: 64, steps: 250, optimizer: "sgd", lossReduction: "sum",
  clipMode: "global", maxNorm: null, seed: 0, evalSteps: 100, hiddenSize: 32, inputSize: 32,
  init: "xavier", shuffle: true, rhoEvery: 10,
});

/** The config with defaults filled in, or an Error naming the first bad field. */
export function checkConfig(config) {
  const c = { ...DEFAULTS, ...config };
  const need = (ok, message) => { if (!ok) throw new Error(`config: ${message}`); };
  const show = JSON.stringify;
  for (const key of Object.keys(config)) need(key in DEFAULTS, `unknown field ${show(key)}`);
  need(typeof c.lr === "number" && c.lr > 0 && Number.isFinite(c.lr), `lr must be a number > 0, got ${show(c.lr)}`);
  need(c.maxNorm === null || (typeof c.maxNorm === "number" && c.maxNorm > 0),
    `maxNorm must be a number > 0 or null (no clipping), got ${show(c.maxNorm)}`);
  need(CLIP_MODES.includes(c.clipMode), `clipMode must be one of ${CLIP_MODES.join(", ")}, got ${show(c.clipMode)}`);
  need(OPTIMIZERS.includes(c.optimizer), `optimizer must be one of ${OPTIMIZERS.join(", ")}, got ${show(c.optimizer)}`);
  need(REDUCTIONS.includes(c.lossReduction), `lossReduction must be one of ${REDUCTIONS.join(", ")}, got ${show(c.lossReduction)}`);
  need(INITS.includes(c.init), `init must be one of ${INITS.join(", ")}, got ${show(c.init)}`);
  need(typeof c.shuffle === "boolean", `shuffle must be true or false, got ${show(c.shuffle)}`);
  for (const key of ["length", "batchSize", "steps", "evalSteps", "hiddenSize", "inputSize", "rhoEvery"]) {
    need(Number.isInteger(c[key]) && c[key] >= 1, `${key} must be an integer >= 1, got ${show(c[key])}`);
  }
  need(Number.isSafeInteger(c.seed) && c.seed >= 0, `seed must be an integer >= 0, got ${show(c.seed)}`);
  return c;
}

function checkSplits(splits, length) {
  for (const name of ["train", "dev", "test"]) {
    const s = splits && splits[name];
    if (!s || !(s.tokens instanceof Int32Array) || !(s.labels instanceof Int32Array)) {
      throw new Error(`splits.${name} must be {tokens: Int32Array, labels: Int32Array, n, length}`);
    }
    if (s.length !== length) throw new Error(`splits.${name} has sequences of length ${s.length}, config.length is ${length}`);
    if (s.tokens.length !== s.n * s.length || s.labels.length !== s.n || s.n < 1) {
      throw new Error(`splits.${name}: tokens [${s.tokens.length}] and labels [${s.labels.length}] do not fit n = ${s.n}`);
    }
  }
}

function copyWeights(init, shapes) {
  const out = {};
  for (const name of PARAM_NAMES) {
    const size = shapes[name].reduce((a, b) => a * b, 1);
    if (!init[name] || init[name].length !== size) {
      throw new Error(`init.${name} must hold ${size} numbers (shape [${shapes[name]}]), got ${init[name] ? init[name].length : "nothing"}`);
    }
    out[name] = Float64Array.from(init[name]);
  }
  return out;
}

/** One training run. `init`: labkit's initial weights by name; `order`: each epoch's example order. */
export function createRun(config, splits, { init = null, order = null } = {}) {
  return new Run(checkConfig(config), splits, init, order);
}

class Run {
  constructor(config, splits, init, order) {
    checkSplits(splits, config.length);
    this.config = config;
    this.splits = splits;
    const { train } = splits;
    this.batchesPerEpoch = Math.ceil(train.n / config.batchSize);
    this.model = new SRNClassifier(config.inputSize, config.hiddenSize, Math.min(config.batchSize, train.n), config.length);
    const shapes = paramShapes(config.inputSize, config.hiddenSize);
    const weights = init ? copyWeights(init, shapes) : initialWeights(config.seed, config);
    for (const name of PARAM_NAMES) this.model.params[name].set(weights[name]);
    this._initialU = weights["rnn_model.U"];
    this.paramList = PARAM_NAMES.map((name) => this.model.params[name]);
    this.gradList = PARAM_NAMES.map((name) => this.model.grads[name]);
    this.optimizer = createOptimizer(config.optimizer, this.paramList, config.lr);
    this.order = order;
    if (order) {
      const epochs = Math.ceil(config.steps / this.batchesPerEpoch);
      if (order.length < epochs) throw new Error(`order holds ${order.length} epochs, the run needs ${epochs}`);
    }
    this.shuffler = new Rng(config.seed, STREAM_SHUFFLE);
    this.epochOrder = null;
    this.preNorms = new Float64Array(PARAM_NAMES.length);
    this.postNorms = new Float64Array(PARAM_NAMES.length);
    this.best = Object.fromEntries(PARAM_NAMES.map((name) => [name, this.model.params[name].slice()]));
    this.stepCount = 0;               // optimizer steps taken
    this.done = false;
    this.divergedAt = null;           // the first step that could not be taken (labkit's diverged_at)
    this.bestDev = null;              // best dev accuracy so far (null before the first evaluation)
    this.bestStep = null;
    this._initialRho = null;
  }

  /** rho(U) before the first step (computed on first use: a cold start stays short). */
  get initialRho() {
    if (this._initialRho === null) this._initialRho = spectralRadius(this._initialU, this.config.hiddenSize);
    return this._initialRho;
  }

  /** rho(U) of the current weights. */
  rho() {
    return spectralRadius(this.model.params["rnn_model.U"], this.config.hiddenSize);
  }

  /** The example order of epoch `epoch`: labkit's if given, else a fresh seeded permutation (or 0..n-1). */
  _orderOf(epoch) {
    const n = this.splits.train.n;
    if (this.order) {
      const o = Int32Array.from(this.order[epoch]);
      if (o.length !== n || o.some((i) => i < 0 || i >= n)) {
        throw new Error(`order[${epoch}] must hold ${n} indices in 0..${n - 1} (the train split's examples)`);
      }
      return o;
    }
    if (!this.config.shuffle) return Int32Array.from({ length: n }, (_, i) => i);
    return this.shuffler.permutation(n);
  }

  /** Take one optimizer step; return its record, or null if the run is over (done, or diverged now). */
  step() {
    if (this.done) return null;
    const { config, model } = this, train = this.splits.train, B = config.batchSize;
    const epoch = Math.floor(this.stepCount / this.batchesPerEpoch), batch = this.stepCount % this.batchesPerEpoch;
    if (batch === 0) this.epochOrder = this._orderOf(epoch);
    const start = batch * B, count = Math.min(B, train.n - start);
    const loss = model.lossAndGrad(train.tokens, train.labels, train.length, this.epochOrder, start, count,
      config.lossReduction);
    if (!Number.isFinite(loss)) {  // labkit's Runner: no step is taken or logged
      this.divergedAt = this.stepCount + 1;
      this.done = true;
      return null;
    }
    norms(this.gradList, this.preNorms);
    if (overflowing(this.preNorms)) {  // labkit: the gradients are not finite or overflow; no step
      this.divergedAt = this.stepCount + 1;
      this.done = true;
      return null;
    }
    let clipped = false;
    if (config.maxNorm !== null) clipped = clipGradients(this.gradList, config.clipMode, config.maxNorm, this.preNorms);
    norms(this.gradList, this.postNorms);
    this.optimizer.step(this.gradList);
    const step = ++this.stepCount;
    const record = {
      step, loss, clipped,
      preTotal: total(this.preNorms), postTotal: total(this.postNorms),
      pre: this._named(this.preNorms), post: this._named(this.postNorms),
      rho: step % config.rhoEvery === 0 ? this.rho() : null,
      dev: null,
    };
    if (overflowing(PARAM_NAMES.map((name) => norm(model.params[name])))) {
      this.divergedAt = step + 1;  // labkit: the update left overflowing weights; the step is logged, not evaluated
      this.done = true;
      return record;
    }
    if (step % config.evalSteps === 0 || step === config.steps) record.dev = this._validate(step);
    if (step === config.steps) this.done = true;
    return record;
  }

  _named(values) {
    const out = {};
    PARAM_NAMES.forEach((name, p) => { out[name] = values[p]; });
    return out;
  }

  _validate(step) {
    const dev = this.splits.dev, score = this.model.countCorrect(dev, this.model.params) / dev.n;
    if (this.bestDev === null || score > this.bestDev) {
      this.bestDev = score;
      this.bestStep = step;
      for (const name of PARAM_NAMES) this.best[name].set(this.model.params[name]);
    }
    return score;
  }

  /** Accuracy of the current weights (or of `params`) on a split: "train", "dev" or "test". */
  accuracy(splitName, params = this.model.params) {
    const split = this.splits[splitName];
    return this.model.countCorrect(split, params) / split.n;
  }

  /** The summary of a finished run: test accuracy of the best dev weights (NaN if never evaluated). */
  finish() {
    if (!this.done) throw new Error(`finish(): the run is not done (step ${this.stepCount} of ${this.config.steps})`);
    const testAccuracy = this.bestStep === null ? NaN : this.accuracy("test", this.best);
    return { testAccuracy, bestDev: this.bestDev ?? 0, bestStep: this.bestStep,
      divergedAt: this.divergedAt, steps: this.stepCount };
  }
}
