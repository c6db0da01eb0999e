// The one-unit cliff of Pascanu, Mikolov & Bengio (2013), computed in the browser: no DOM here.
//
//   x_t = w * sigmoid(x_{t-1}) + b,  x_0 = 0.5,  loss = (sigmoid(x_50) - 0.7)^2
//
// The same model as labkit/cliff.py, in float64. labkit gets the gradient from torch autograd;
// here it is carried forward with the state (forward-mode: dx_t/dw and dx_t/db), so the two are
// independent computations, and tests/browser/test_cliff.py holds this file against labkit's
// values (book/_static/cliff/reference.json). Clipping uses labkit's rule:
// scale = min(1, maxNorm / (norm + 1e-6)).

export const MODEL = Object.freeze({ x0: 0.5, steps: 50, target: 0.7 });
export const EPS = 1e-6;

const sigmoid = (x) => 1 / (1 + Math.exp(-x));

/** Loss and gradient at (w, b): {loss, gw, gb}. */
export function lossAndGrad(w, b, model = MODEL) {
  let x = model.x0, dw = 0, db = 0;           // x_t and its derivatives by w and b
  for (let t = 0; t < model.steps; t++) {
    const s = sigmoid(x), ds = s * (1 - s);
    [x, dw, db] = [w * s + b, s + w * ds * dw, 1 + w * ds * db];
  }
  const s = sigmoid(x), err = s - model.target, outer = 2 * err * s * (1 - s);
  return { loss: err * err, gw: outer * dw, gb: outer * db };
}

/** The gradient rescaled to norm <= maxNorm (labkit's global rule); maxNorm null: unchanged. */
export function clipStep(gw, gb, maxNorm) {
  if (maxNorm === null) return [gw, gb];
  const scale = Math.min(1, maxNorm / (Math.hypot(gw, gb) + EPS));
  return [gw * scale, gb * scale];
}

/** Gradient-descent path [[w, b], ...] of steps + 1 points; a non-finite step stays put. */
export function descend(start, lr, steps, maxNorm = null, model = MODEL) {
  const path = [start.slice()];
  for (let k = 0; k < steps; k++) {
    const [w, b] = path[path.length - 1];
    const { gw, gb } = lossAndGrad(w, b, model);
    const [cw, cb] = clipStep(gw, gb, maxNorm);
    const next = [w - lr * cw, b - lr * cb];
    path.push(Number.isFinite(next[0]) && Number.isFinite(next[1]) ? next : [w, b]);
  }
  return path;
}

/** log10 loss on an n x n grid (row i: b_i, column j: w_j), as a Float64Array of n * n. */
export function logLossGrid(wRange, bRange, n, model = MODEL) {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const b = bRange[0] + (bRange[1] - bRange[0]) * i / (n - 1);
    for (let j = 0; j < n; j++) {
      const w = wRange[0] + (wRange[1] - wRange[0]) * j / (n - 1);
      out[i * n + j] = Math.log10(lossAndGrad(w, b, model).loss);
    }
  }
  return out;
}
