// Seeded randomness for the trainer: a small PRNG, labkit's initial weights, shuffled epochs.
//
// The generator is sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, public domain),
// seeded through splitmix32 from (seed, stream). The numbers differ from torch's Mersenne
// Twister, but each parameter is drawn from the same distribution as in labkit.models:
//   embedding [10, D], W [D, H], U [H, H]: xavier_uniform, U(-a, a), a = sqrt(6 / (fan_in + fan_out))
//   b [1, H]: zeros;  init "zeros": W and U zeros too (the blog post's bug, kept to reproduce it)
//   linear.weight [19, H], linear.bias [19]: U(-1/sqrt(H), 1/sqrt(H)) (nn.Linear's default)
// Initialisation and shuffling use separate streams, as labkit uses separate torch Generators.

import { paramShapes, zerosLike } from "./srn.js";

export const INITS = ["xavier", "zeros"];
export const STREAM_INIT = 1;
export const STREAM_SHUFFLE = 2;

/** splitmix32: one well-mixed 32-bit word from a 32-bit state (used only for seeding). */
function splitmix32(state) {
  let z = (state + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** A generator for `seed` (a non-negative safe integer) and `stream` (a small integer). */
export class Rng {
  constructor(seed, stream = 0) {
    if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`seed must be a non-negative integer, got ${seed}`);
    const lo = seed >>> 0, hi = Math.floor(seed / 2 ** 32) >>> 0;
    this.a = splitmix32(lo);
    this.b = splitmix32(this.a ^ hi);
    this.c = splitmix32(this.b ^ stream);
    this.d = 1;  // sfc32's counter
    for (let i = 0; i < 12; i++) this.uint32();  // warm up, as sfc32's authors recommend
  }

  /** The next 32-bit unsigned integer. */
  uint32() {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A double uniform in [0, 1) with 53 random bits. */
  uniform() {
    return ((this.uint32() >>> 5) * 67108864 + (this.uint32() >>> 6)) / 9007199254740992;
  }

  /** An integer uniform in 0..n-1 (n <= 2^32), without modulo bias. */
  below(n) {
    const limit = 2 ** 32 - (2 ** 32 % n);
    let x;
    do { x = this.uint32(); } while (x >= limit);
    return x % n;
  }

  /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
  permutation(n) {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.below(i + 1), swap = out[i];
      out[i] = out[j]; out[j] = swap;
    }
    return out;
  }

  /** Fill `out` with draws from U(-bound, bound). */
  fillUniform(out, bound) {
    for (let i = 0; i < out.length; i++) out[i] = (2 * this.uniform() - 1) * bound;
    return out;
  }
}

/** torch.nn.init.xavier_uniform_'s bound for a [rows, cols] weight (fan_in = cols, fan_out = rows). */
export function xavierBound(rows, cols) {
  return Math.sqrt(6 / (rows + cols));
}

/** A run's initial weights, drawn as labkit.models.RNNClassifier draws them, keyed by labkit's names. */
export function initialWeights(seed, { inputSize = 32, hiddenSize = 32, init = "xavier" } = {}) {
  if (!INITS.includes(init)) throw new Error(`init must be one of ${INITS.join(", ")}, got ${JSON.stringify(init)}`);
  const shapes = paramShapes(inputSize, hiddenSize), weights = zerosLike(shapes), rng = new Rng(seed, STREAM_INIT);
  const xavier = (name) => rng.fillUniform(weights[name], xavierBound(...shapes[name]));
  xavier("embedding");
  if (init === "xavier") { xavier("rnn_model.W"); xavier("rnn_model.U"); }
  const bound = 1 / Math.sqrt(hiddenSize);
  rng.fillUniform(weights["linear.weight"], bound);
  rng.fillUniform(weights["linear.bias"], bound);
  return weights;
}
