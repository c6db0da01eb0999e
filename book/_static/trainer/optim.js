// Gradient clipping (labkit.clipping) and the two optimizers (torch.optim.SGD, torch.optim.Adam).
//
// Both act in place on lists of Float64Arrays, in a fixed parameter order. Clipping runs after the
// backward pass and before the optimizer step, as in labkit's Runner.

export const CLIP_MODES = ["global", "per_tensor", "value"];
export const OPTIMIZERS = ["sgd", "adam"];
export const EPS = 1e-6;  // labkit.clipping.EPS (torch's clip_grad_norm_): a finite scale for a zero gradient

/** L2 norm of one array. */
export function norm(values) {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i] * values[i];
  return Math.sqrt(s);
}

/** Each gradient's L2 norm into `out` (a Float64Array of length grads.length). */
export function norms(grads, out) {
  for (let p = 0; p < grads.length; p++) out[p] = norm(grads[p]);
  return out;
}

/** L2 norm of a vector of norms: the global norm over all parameters. */
export function total(values) {
  return norm(values);
}

/**
 * Clip the gradients in place, as labkit.clipping.clip_gradients; `preNorms` holds their norms.
 * global: all scaled by min(1, maxNorm / (total + EPS)); per_tensor: each by min(1, maxNorm / (norm + EPS));
 * value: each element clamped to [-maxNorm, maxNorm]. Returns true if any gradient changed.
 */
export function clipGradients(grads, mode, maxNorm, preNorms) {
  if (mode === "global") {
    const scale = Math.min(maxNorm / (total(preNorms) + EPS), 1);
    for (const g of grads) scaleInPlace(g, scale);
    return scale < 1;
  }
  if (mode === "per_tensor") {
    let clipped = false;
    for (let p = 0; p < grads.length; p++) {
      const scale = Math.min(maxNorm / (preNorms[p] + EPS), 1);
      scaleInPlace(grads[p], scale);
      clipped = clipped || scale < 1;
    }
    return clipped;
  }
  if (mode === "value") {
    let clipped = false;
    for (const g of grads) {
      for (let i = 0; i < g.length; i++) {
        if (g[i] > maxNorm) { g[i] = maxNorm; clipped = true; } else if (g[i] < -maxNorm) { g[i] = -maxNorm; clipped = true; }
      }
    }
    return clipped;
  }
  throw new Error(`clip mode must be one of ${CLIP_MODES.join(", ")}, got ${JSON.stringify(mode)}`);
}

function scaleInPlace(g, scale) {
  if (scale === 1) return;  // x * 1 === x: skipping changes nothing
  for (let i = 0; i < g.length; i++) g[i] *= scale;
}

/** Plain SGD (torch.optim.SGD with its defaults): p -= lr * g. */
export class SGD {
  constructor(params, lr) { this.params = params; this.lr = lr; }

  step(grads) {
    const lr = this.lr;
    for (let p = 0; p < this.params.length; p++) {
      const w = this.params[p], g = grads[p];
      for (let i = 0; i < w.length; i++) w[i] -= lr * g[i];
    }
  }
}

/** Adam as torch.optim.Adam with its defaults (betas 0.9, 0.999, eps 1e-8, bias correction, no weight decay). */
export class Adam {
  constructor(params, lr, beta1 = 0.9, beta2 = 0.999, eps = 1e-8) {
    Object.assign(this, { params, lr, beta1, beta2, eps, t: 0 });
    this.m = params.map((w) => new Float64Array(w.length));  // first moment (exp_avg)
    this.v = params.map((w) => new Float64Array(w.length));  // second moment (exp_avg_sq)
  }

  step(grads) {
    const { beta1, beta2, eps } = this;
    this.t += 1;
    const stepSize = this.lr / (1 - beta1 ** this.t);
    const correction2Sqrt = Math.sqrt(1 - beta2 ** this.t);
    const a1 = 1 - beta1, a2 = 1 - beta2;
    for (let p = 0; p < this.params.length; p++) {
      const w = this.params[p], g = grads[p], m = this.m[p], v = this.v[p];
      for (let i = 0; i < w.length; i++) {
        m[i] += a1 * (g[i] - m[i]);  // torch: exp_avg.lerp_(grad, 1 - beta1)
        v[i] = v[i] * beta2 + a2 * (g[i] * g[i]);  // torch: exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        w[i] -= stepSize * (m[i] / (Math.sqrt(v[i]) / correction2Sqrt + eps));
      }
    }
  }
}

/** The optimizer `kind` ("sgd" or "adam") over `params` (a list of Float64Arrays). */
export function createOptimizer(kind, params, lr) {
  if (kind === "sgd") return new SGD(params, lr);
  if (kind === "adam") return new Adam(params, lr);
  throw new Error(`optimizer must be one of ${OPTIMIZERS.join(", ")}, got ${JSON.stringify(kind)}`);
}
