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
    this.logits = new Float64Array(maxBatch * NUM_CLASSES);  // [B, C]
    this.dz = new Float64Array(maxBatch * NUM_CLASSES);      // dL/dlogits, [B, C]
    this.dzT = new Float64Array(NUM_CLASSES * maxBatch);     // [C, B]
    this.headT = new Float64Array(H * NUM_CLASSES);          // linear.weight transposed, [H, C]
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

  /** logits = h_T linear.weight^T + linear.bias for the `count` last states at offset `last`: [count, C]. */
  _logits(params, count, last) {
    const z = this.logits, bias = params["linear.bias"];
    for (let k = 0; k < count; k++) z.set(bias, k * NUM_CLASSES);
    addMatmulNT(this.states, last, params["linear.weight"], 0, z, 0, count, NUM_CLASSES, this.H);
    return z;
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
    const C = NUM_CLASSES, last = T * BH, z = this._logits(P, count, last), dz = this.dz;
    const scale = reduction === "mean" ? 1 / count : 1, dbl = G["linear.bias"];
    let loss = 0;
    for (let k = 0; k < count; k++) {
      const o = k * C, y = labels[order[start + k]];
      let max = -Infinity, sum = 0;
      for (let c = 0; c < C; c++) if (z[o + c] > max) max = z[o + c];
      for (let c = 0; c < C; c++) { dz[o + c] = Math.exp(z[o + c] - max); sum += dz[o + c]; }
      loss += Math.log(sum) - (z[o + y] - max);  // -log_softmax(z)[y]
      for (let c = 0; c < C; c++) {
        dz[o + c] = (dz[o + c] / sum - (c === y ? 1 : 0)) * scale;
        dbl[c] += dz[o + c];
      }
    }
    // d linear.weight = dz^T h_T: [C, B] x [B, H];  dL/dh_T = dz linear.weight: [B, C] x [C, H]
    transpose(dz, 0, count, C, this.dzT);
    transpose(hs, last, count, H, this.statesT);
    addMatmulNT(this.dzT, 0, this.statesT, 0, G["linear.weight"], 0, C, H, count);
    transpose(P["linear.weight"], 0, C, H, this.headT);
    this.stateGrads.fill(0, last, last + BH);
    addMatmulNT(dz, 0, this.headT, 0, this.stateGrads, last, count, H, C);
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
    const { H } = this, T = split.length, C = NUM_CLASSES;
    if (this.iota.length < split.n) this.iota = Int32Array.from({ length: split.n }, (_, i) => i);
    let correct = 0;
    for (let start = 0; start < split.n; start += this.maxBatch) {
      const count = Math.min(this.maxBatch, split.n - start);
      this._forward(params, split.tokens, T, this.iota, start, count);
      const z = this._logits(params, count, T * count * H);
      for (let k = 0; k < count; k++) {
        let best = 0;  // torch.argmax: the first maximum, and the first NaN beats any number
        for (let c = 1; c < C; c++) {
          const v = z[k * C + c], b = z[k * C + best];
          if (v > b || (Number.isNaN(v) && !Number.isNaN(b))) best = c;
        }
        if (best === split.labels[start + k]) correct++;
      }
    }
    return correct;
  }
}
