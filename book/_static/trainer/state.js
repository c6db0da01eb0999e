// The trainer page's settings: their ranges, the book's presets, and the URL form of a setting
// (?lr=0.2&clip=1&mode=global&L=10&seed=0&opt=sgd&loss=sum&steps=1000), so a teacher can share a
// link to an exact experiment. No DOM here but `location`-free string parsing.

export const LENGTHS = [5, 10, 15, 20, 25, 30, 35];  // the lengths digit_sum.json holds
export const LR_RANGE = [1e-3, 3];                    // the log slider's ends
export const MAX_NORM_RANGE = [0.1, 100];             // beyond the upper end: "off"
export const STEP_CHOICES = [100, 250, 500, 1000, 2000];
export const CLIP_MODES = ["global", "per_tensor", "value"];
export const OPTIMIZERS = ["sgd", "adam"];
export const REDUCTIONS = ["sum", "mean"];

// The book's own settings. maxNorm null = no clipping.
export const PRESETS = [
  { id: "blog", label: "the blog post (L20, lr 0.2, clip 20, 250 steps)",
    settings: { length: 20, lr: 0.2, maxNorm: 20, steps: 250 } },
  { id: "ch5-off", label: "chapter 5 (L10, lr 0.2, 1000 steps): off",
    settings: { length: 10, lr: 0.2, maxNorm: null, steps: 1000 } },
  { id: "ch5-clip20", label: "chapter 5: clip 20", settings: { length: 10, lr: 0.2, maxNorm: 20, steps: 1000 } },
  { id: "ch5-clip1", label: "chapter 5: clip 1", settings: { length: 10, lr: 0.2, maxNorm: 1, steps: 1000 } },
  { id: "small-lr", label: "small lr, no clipping (L10, lr 0.003, 1000 steps)",
    settings: { length: 10, lr: 0.003, maxNorm: null, steps: 1000 } },
];
const PRESET_BASE = { clipMode: "global", optimizer: "sgd", lossReduction: "sum" };

export const DEFAULTS = Object.freeze({
  length: 20, lr: 0.2, maxNorm: 20, clipMode: "global", seed: 0, optimizer: "sgd",
  lossReduction: "sum", steps: 250,
});

/** The settings of the preset `id` (seed kept from `current`); Error for an unknown id. */
export function presetSettings(id, current = DEFAULTS) {
  const preset = PRESETS.find((p) => p.id === id);
  if (!preset) throw new Error(`unknown preset ${JSON.stringify(id)}; known: ${PRESETS.map((p) => p.id).join(", ")}`);
  return { ...DEFAULTS, ...PRESET_BASE, seed: current.seed, ...preset.settings };
}

/** The id of the preset whose settings equal `s` (seed aside), or "". */
export function matchingPreset(s) {
  const same = (p) => Object.entries({ ...PRESET_BASE, ...p.settings }).every(([k, v]) => s[k] === v);
  const found = PRESETS.find(same);
  return found ? found.id : "";
}

/** The worker's config for settings `s`. */
export function engineConfig(s) {
  return { length: s.length, lr: s.lr, batchSize: 64, steps: s.steps, optimizer: s.optimizer,
    lossReduction: s.lossReduction, clipMode: s.clipMode, maxNorm: s.maxNorm, seed: s.seed,
    evalSteps: 100, init: "xavier", shuffle: true };
}

const KEYS = { lr: "lr", maxNorm: "clip", clipMode: "mode", length: "L", seed: "seed",
  optimizer: "opt", lossReduction: "loss", steps: "steps" };

/** Settings -> "lr=0.2&clip=off&..." (every setting, so the link is complete). */
export function toQuery(s) {
  const value = (k) => (k === "maxNorm" && s.maxNorm === null ? "off" : String(s[k]));
  return Object.entries(KEYS).map(([k, q]) => `${q}=${encodeURIComponent(value(k))}`).join("&");
}

const clamp = (x, [lo, hi]) => Math.min(hi, Math.max(lo, x));

/** A query string -> settings; unknown or out-of-range values fall back to `base` or are clamped. */
export function fromQuery(query, base = DEFAULTS) {
  const params = new URLSearchParams(query);
  const s = { ...base };
  const num = (q) => (params.has(q) && params.get(q).trim() !== "" ? Number(params.get(q)) : NaN);
  const lr = num("lr");
  if (lr > 0) s.lr = clamp(lr, LR_RANGE);
  if (params.get("clip") === "off") s.maxNorm = null;
  else if (num("clip") > 0) s.maxNorm = clamp(num("clip"), MAX_NORM_RANGE);
  const pick = (q, key, choices) => { if (choices.includes(params.get(q))) s[key] = params.get(q); };
  pick("mode", "clipMode", CLIP_MODES);
  pick("opt", "optimizer", OPTIMIZERS);
  pick("loss", "lossReduction", REDUCTIONS);
  if (LENGTHS.includes(num("L"))) s.length = num("L");
  if (Number.isSafeInteger(num("seed")) && num("seed") >= 0) s.seed = num("seed");
  if (STEP_CHOICES.includes(num("steps"))) s.steps = num("steps");
  return s;
}

/** True if the query string sets anything this page reads. */
export function hasSettings(query) {
  const params = new URLSearchParams(query);
  return Object.values(KEYS).some((q) => params.has(q));
}
