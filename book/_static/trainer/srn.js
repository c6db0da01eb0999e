// The digit-sum classifier of labkit.models.RNNClassifier, in float64 with a hand-written BPTT.
//
//   x_t = embedding[token_t]                       embedding [10, D]
//   h_t = tanh(x_t W + h_{t-1} U + b), h_0 = 0      W [D, H], U [H, H], b [1, H]
//   logits = h_T linear.weight^T + linear.bias      linear.weight [19, H], linear.bias [19]
//   loss = cross-entropy, summed or averaged over the batch (torch.nn.CrossEntropyLoss)
//
// Every matrix is a row-major Float64Array with labkit's shape. All buffers are allocated once,
// so a training step allocates nothing. This module computes; it knows nothing of optimizers,
// clipping, data files or the page.

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
    const D = inputSize, H = hiddenSize;
    this.D = D; this.H = H;
    this.shapes = paramShapes(D, H);
    this.params = zerosLike(this.shapes);
    this.grads = zerosLike(this.shapes);
    this.states = new Float64Array((maxLength + 1) * maxBatch * H); // h_0..h_T, [T+1, B, H]
    this.inputTable = new Float64Array(NUM_DIGITS * H);  // embedding W + b for each digit, [10, H]
    this.digitGrad = new Float64Array(NUM_DIGITS * H);   // dL/d(x W) summed per digit, [10, H]
    this.dz = new Float64Array(maxBatch * NUM_CLASSES);  // dL/dlogits, [B, C]
    this.dh = new Float64Array(maxBatch * H);             // dL/dh_t, [B, H]
    this.dhPrev = new Float64Array(maxBatch * H);         // dL/dh_{t-1}, [B, H]
    this.logits = new Float64Array(NUM_CLASSES);
    this.h = new Float64Array(H);
    this.hNext = new Float64Array(H);
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

  /** h = tanh(inputTable[digit] + hPrev U) for one sequence (hPrev is ignored when `first`: h_0 = 0). */
  _cell(U, digit, hPrev, prevOffset, first, h, offset) {
    const H = this.H, table = this.inputTable, row = digit * H;
    for (let j = 0; j < H; j++) h[offset + j] = table[row + j];
    if (!first) {
      for (let i = 0; i < H; i++) {
        const hi = hPrev[prevOffset + i], uRow = i * H;
        for (let j = 0; j < H; j++) h[offset + j] += hi * U[uRow + j];
      }
    }
    for (let j = 0; j < H; j++) h[offset + j] = Math.tanh(h[offset + j]);
  }

  /**
   * Loss of one batch and its gradient (into this.grads).
   * tokens [N, T], labels [N]; the batch is examples order[start .. start + count).
   * Returns the summed or mean cross-entropy (a non-finite number if the model has blown up).
   */
  lossAndGrad(tokens, labels, T, order, start, count, reduction) {
    const { H } = this, P = this.params, G = this.grads, hs = this.states, BH = count * H;
    const U = P["rnn_model.U"], Wl = P["linear.weight"], bl = P["linear.bias"];
    this._fillInputTable(P);
    // forward: h_1 .. h_T for every sequence of the batch, kept for the backward pass
    for (let t = 1; t <= T; t++) {
      for (let k = 0; k < count; k++) {
        const e = order[start + k];
        this._cell(U, tokens[e * T + t - 1], hs, (t - 1) * BH + k * H, t === 1, hs, t * BH + k * H);
      }
    }
    // head and cross-entropy; dz = d loss / d logits
    for (const name of PARAM_NAMES) G[name].fill(0);
    const scale = reduction === "mean" ? 1 / count : 1;
    const dz = this.dz, z = this.logits, dWl = G["linear.weight"], dbl = G["linear.bias"];
    const dh = this.dh, last = T * BH;
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
      const y = labels[order[start + k]], logSum = Math.log(sum);
      loss += logSum - (z[y] - max);  // -log_softmax(z)[y]
      for (let c = 0; c < NUM_CLASSES; c++) {
        const g = (Math.exp(z[c] - max) / sum - (c === y ? 1 : 0)) * scale;
        dz[k * NUM_CLASSES + c] = g;
        dbl[c] += g;
        for (let j = 0; j < H; j++) dWl[c * H + j] += g * hs[hT + j];
      }
      for (let j = 0; j < H; j++) {
        let s = 0;
        for (let c = 0; c < NUM_CLASSES; c++) s += dz[k * NUM_CLASSES + c] * Wl[c * H + j];
        dh[k * H + j] = s;
      }
    }
    loss *= scale;
    this._backwardThroughTime(tokens, T, order, start, count);
    return loss;
  }

  /** BPTT from dL/dh_T (in this.dh) down to h_1; fills the gradients of U, b, W and the embedding. */
  _backwardThroughTime(tokens, T, order, start, count) {
    const { D, H } = this, P = this.params, G = this.grads, hs = this.states, BH = count * H;
    const U = P["rnn_model.U"], E = P["embedding"], W = P["rnn_model.W"];
    const dU = G["rnn_model.U"], db = G["rnn_model.b"], dW = G["rnn_model.W"], dE = G["embedding"];
    const digitGrad = this.digitGrad;
    digitGrad.fill(0);
    let dh = this.dh, dhPrev = this.dhPrev;
    for (let t = T; t >= 1; t--) {
      for (let k = 0; k < count; k++) {
        const ht = t * BH + k * H, hp = (t - 1) * BH + k * H, o = k * H;
        for (let j = 0; j < H; j++) {  // da_t = dh_t * (1 - h_t^2), kept in dh
          const h = hs[ht + j];
          dh[o + j] *= 1 - h * h;
        }
        const row = tokens[order[start + k] * T + t - 1] * H;
        for (let j = 0; j < H; j++) {
          db[j] += dh[o + j];
          digitGrad[row + j] += dh[o + j];
        }
        if (t > 1) {  // h_0 = 0 contributes nothing to dU and needs no gradient
          for (let i = 0; i < H; i++) {
            const hi = hs[hp + i], uRow = i * H;
            let s = 0;
            for (let j = 0; j < H; j++) {
              dU[uRow + j] += hi * dh[o + j];
              s += dh[o + j] * U[uRow + j];
            }
            dhPrev[o + i] = s;
          }
        }
      }
      const swap = dh; dh = dhPrev; dhPrev = swap;
    }
    // x_t W with x_t = embedding[digit]: dW = embedding^T digitGrad, d embedding = digitGrad W^T
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
    this._fillInputTable(params);
    const { H } = this, T = split.length, U = params["rnn_model.U"];
    const Wl = params["linear.weight"], bl = params["linear.bias"];
    let h = this.h, hNext = this.hNext, correct = 0;
    for (let e = 0; e < split.n; e++) {
      for (let t = 0; t < T; t++) {
        this._cell(U, split.tokens[e * T + t], h, 0, t === 0, hNext, 0);
        const swap = h; h = hNext; hNext = swap;
      }
      let best = 0, bestValue = -Infinity;
      for (let c = 0; c < NUM_CLASSES; c++) {
        let s = bl[c];
        for (let j = 0; j < H; j++) s += h[j] * Wl[c * H + j];
        if (c === 0 || s > bestValue) { best = c; bestValue = s; }  // the first maximum, as torch.argmax
      }
      if (best === split.labels[e]) correct++;
    }
    return correct;
  }
}
