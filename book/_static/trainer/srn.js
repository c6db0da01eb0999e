// The digit-sum classifier of labkit.models.RNNClassifier, in float64 with a hand-written BPTT.
//
//   x_t = embedding[token_t]                       embedding [10, D]
//   h_t = tanh(x_t W + h_{t-1} U + b), h_0 = 0      W [D, H], U [H, H], b [1, H]
//   logits = h_T linear.weight^T + linear.bias      linear.weight [19, H], linear.bias [19]
//   loss = cross-entropy, summed or averaged over the batch (torch.nn.CrossEntropyLoss)
//
// Every matrix is a row-major Float64Array with labkit's shape. All buffers are allocated once,
// so a training step allocates nothing; the products run in kernels.js. This module computes; it knows nothing of optimizers,
// clipping, data files or the page.

import { addMatmulNT, transpose } from "./kernels.js";

export const NUM_DIGITS = 10;
export const NUM_CLASSES = 19;
export const PARAM_NAMES = ["embedding", "rnn_model.W", "rnn_model.U", "rnn_model.b",
  "linear.weight", "linear.bias"];

/** Each parameter's shape, as in labkit's state_dict. */
export function paramShapes(inputSize, hiddenSize) {
  return {
    "embedding": [NUM_DIGITS, inputSize],
    "rnn_model.W": [inputSize, hiddenSize],
    "rnn_model.U": [hiddenSize, hiddenSize],
    "rnn_model.b": [1, hiddenSize],
    "linear.weight": [NUM_CLASSES, hiddenSize],
    "linear.bias": [NUM_CLASSES],
  };
}

/** One zero-filled Float64Array per parameter, keyed by labkit's names. */
export function zerosLike(shapes) {
  const out = {};
  for (const name of PARAM_NAMES) out[name] = new Float64Array(shapes[name].reduce((a, b) => a * b, 1));
  return out;
}

/** The model's parameters, gradients and scratch buffers for batches of <= maxBatch sequences of <= maxLength. */
export class SRNClassifier {
  constructor(inputSize, hiddenSize, maxBatch, maxLength) {
    const D = inputSize, H = hiddenSize, BH = maxBatch * H;
    Object.assign(this, { D, H, maxBatch });
    this.shapes = paramShapes(D, H);
    this.params = zerosLike(this.shapes);
    this.grads = zerosLike(this.shapes);
    this.states = new Float64Array((maxLength + 1) * BH);   // h_0..h_T, [T+1, B, H]
    this.stateGrads = new Float64Array((maxLength + 1) * BH);  // dL/dh_t, then dL/da_t in place, [T+1, B, H]
    this.statesT = new Float64Array(maxLength * BH);          // h_1..h_{T-1} transposed, [H, (T-1) B]
    this.stateGradsT = new Float64Array(maxLength * BH);      // da_2..da_T transposed, [H, (T-1) B]
    this.UT = new Float64Array(H * H);                        // U transposed: row j is column j of U
    this.inputTable = new Float64Array(NUM_DIGITS * H);      // embedding[d] W + b for each digit d, [10, H]
    this.digitGrad = new Float64Array(NUM_DIGITS * H);       // dL/da_t summed over the steps reading digit d, [10, H]
    this.logits = new Float64Array(NUM_CLASSES);
    this.iota = new Int32Array(0);                            // 0, 1, 2, ...: the order of an evaluation
  }

  /** inputTable[d] = embedding[d] W + b: the input term of the recurrence for digit d. */
  _fillInputTable(params) {
    const { D, H } = this, E = params["embedding"], W = params["rnn_model.W"], b = params["rnn_model.b"];
    const table = this.inputTable;
    for (let d = 0; d < NUM_DIGITS; d++) {
      const row = d * H;
      for (let j = 0; j < H; j++) table[row + j] = 0;
      for (let i = 0; i < D; i++) {
        const e = E[d * D + i], wRow = i * H;
        for (let j = 0; j < H; j++) table[row + j] += e * W[wRow + j];
      }
      for (let j = 0; j < H; j++) table[row + j] += b[j];
    }
  }

  /** h_1..h_T into this.states for the sequences order[start .. start + count) of tokens [N, T]. */
  _forward(params, tokens, T, order, start, count) {
    const { H } = this, hs = this.states, BH = count * H, table = this.inputTable;
    this._fillInputTable(params);
    transpose(params["rnn_model.U"], 0, H, H, this.UT);
    for (let t = 1; t <= T; t++) {
      const at = t * BH;
      for (let k = 0; k < count; k++) {  // a_t = embedding[token] W + b, then + h_{t-1} U below
        const row = tokens[order[start + k] * T + t - 1] * H, o = at + k * H;
        for (let j = 0; j < H; j++) hs[o + j] = table[row + j];
      }
      if (t > 1) addMatmulNT(hs, at - BH, this.UT, 0, hs, at, count, H, H);  // h_0 = 0 adds nothing
      for (let j = at; j < at + BH; j++) hs[j] = Math.tanh(hs[j]);
    }
  }

  /**
   * Loss of one batch and its gradient (into this.grads).
   * tokens [N, T], labels [N]; the batch is examples order[start .. start + count).
   * Returns the summed or mean cross-entropy (a non-finite number if the model has blown up).
   */
  lossAndGrad(tokens, labels, T, order, start, count, reduction) {
    const { H } = this, P = this.params, G = this.grads, hs = this.states, BH = count * H;
    this._forward(P, tokens, T, order, start, count);
    for (const name of PARAM_NAMES) G[name].fill(0);
    // head and cross-entropy; dz = dL/dlogits = (softmax - one-hot) * scale
    const Wl = P["linear.weight"], bl = P["linear.bias"], dWl = G["linear.weight"], dbl = G["linear.bias"];
    const scale = reduction === "mean" ? 1 / count : 1, z = this.logits, dh = this.stateGrads, last = T * BH;
    let loss = 0;
    for (let k = 0; k < count; k++) {
      const hT = last + k * H;
      let max = -Infinity;
      for (let c = 0; c < NUM_CLASSES; c++) {
        let s = bl[c];
        for (let j = 0; j < H; j++) s += hs[hT + j] * Wl[c * H + j];
        z[c] = s;
        if (s > max) max = s;
      }
      let sum = 0;
      for (let c = 0; c < NUM_CLASSES; c++) sum += Math.exp(z[c] - max);
      const y = labels[order[start + k]];
      loss += Math.log(sum) - (z[y] - max);  // -log_softmax(z)[y]
      for (let j = 0; j < H; j++) dh[hT + j] = 0;
      for (let c = 0; c < NUM_CLASSES; c++) {
        const g = (Math.exp(z[c] - max) / sum - (c === y ? 1 : 0)) * scale;
        dbl[c] += g;
        for (let j = 0; j < H; j++) {
          dWl[c * H + j] += g * hs[hT + j];
          dh[hT + j] += g * Wl[c * H + j];
        }
      }
    }
    this._backwardThroughTime(tokens, T, order, start, count);
    return loss * scale;
  }

  /** BPTT from dL/dh_T (in this.stateGrads) down to h_1; fills the gradients of U, b, W and the embedding. */
  _backwardThroughTime(tokens, T, order, start, count) {
    const { D, H } = this, P = this.params, G = this.grads, hs = this.states, ds = this.stateGrads;
    const BH = count * H, db = G["rnn_model.b"], digitGrad = this.digitGrad;
    digitGrad.fill(0);
    for (let t = T; t >= 1; t--) {
      const at = t * BH;
      for (let k = 0; k < count; k++) {
        const o = at + k * H, row = tokens[order[start + k] * T + t - 1] * H;
        for (let j = 0; j < H; j++) {
          const h = hs[o + j], da = ds[o + j] * (1 - h * h);  // through tanh: da_t = dh_t (1 - h_t^2)
          ds[o + j] = da;
          db[j] += da;
          digitGrad[row + j] += da;
        }
      }
      if (t > 1) {  // dh_{t-1} = da_t U^T
        ds.fill(0, at - BH, at);
        addMatmulNT(ds, at, P["rnn_model.U"], 0, ds, at - BH, count, H, H);
      }
    }
    if (T > 1) {  // dU = sum over t >= 2 of h_{t-1}^T da_t, as one product over all (t, sequence) rows
      const rows = (T - 1) * count;
      transpose(hs, BH, rows, H, this.statesT);
      transpose(ds, 2 * BH, rows, H, this.stateGradsT);
      addMatmulNT(this.statesT, 0, this.stateGradsT, 0, G["rnn_model.U"], 0, H, H, rows);
    }
    // x_t W with x_t = embedding[digit]: dW = embedding^T digitGrad, d embedding = digitGrad W^T
    const E = P["embedding"], W = P["rnn_model.W"], dW = G["rnn_model.W"], dE = G["embedding"];
    for (let d = 0; d < NUM_DIGITS; d++) {
      const gRow = d * H;
      for (let i = 0; i < D; i++) {
        const e = E[d * D + i], wRow = i * H;
        let s = 0;
        for (let j = 0; j < H; j++) {
          dW[wRow + j] += e * digitGrad[gRow + j];
          s += digitGrad[gRow + j] * W[wRow + j];
        }
        dE[d * D + i] = s;
      }
    }
  }

  /** Number of examples of a split that `params` classifies correctly (arg-max logit = label). */
  countCorrect(split, params) {
    const { H } = this, T = split.length, Wl = params["linear.weight"], bl = params["linear.bias"];
    if (this.iota.length < split.n) this.iota = Int32Array.from({ length: split.n }, (_, i) => i);
    let correct = 0;
    for (let start = 0; start < split.n; start += this.maxBatch) {
      const count = Math.min(this.maxBatch, split.n - start), last = T * count * H;
      this._forward(params, split.tokens, T, this.iota, start, count);
      for (let k = 0; k < count; k++) {
        const hT = last + k * H;
        let best = 0, bestValue = -Infinity;
        for (let c = 0; c < NUM_CLASSES; c++) {
          let s = bl[c];
          for (let j = 0; j < H; j++) s += this.states[hT + j] * Wl[c * H + j];
          if (c === 0 || s > bestValue) { best = c; bestValue = s; }  // the first maximum, as torch.argmax
        }
        if (best === split.labels[start + k]) correct++;
      }
    }
    return correct;
  }
}
