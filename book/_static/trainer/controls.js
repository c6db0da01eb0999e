// The trainer's controls: native, labelled inputs (keyboard and screen readers work for free),
// the book's presets as buttons, and two log sliders (lr; max_norm with "off" at its upper end).
// `createControls(root, settings, onChange)` builds them; `set(settings)` moves them; onChange
// receives the new settings and whether the change came from a slider still moving.

import { t } from "./i18n.js";
import { CLIP_MODES, LENGTHS, LR_RANGE, MAX_NORM_RANGE, OPTIMIZERS, PRESETS, REDUCTIONS, STEP_CHOICES,
  matchingPreset, presetSettings } from "./state.js";

const OFF_FROM = 101;  // max_norm slider: 0..100 is the log range, 101..110 is "off"
const SLIDER_MAX = 110;

/** Position 0..100 on a log slider over [lo, hi] -> value, and back. */
export const fromLog = (v, [lo, hi]) => lo * (hi / lo) ** (v / 100);
export const toLog = (x, [lo, hi]) => (100 * Math.log(x / lo)) / Math.log(hi / lo);

/** A number with 3 significant digits, no trailing zeros ("0.2", "0.00316", "20"). */
export const fmt = (x) => String(Number(x.toPrecision(3)));

let uid = 0;

function field(label, input, output = null) {
  const wrap = document.createElement("div");
  wrap.className = "trainer-field";
  const id = `trainer-input-${++uid}`;
  input.id = id;
  const lab = document.createElement("label");
  lab.htmlFor = id;
  lab.textContent = label;
  wrap.append(lab, input);
  if (output) {
    output.htmlFor = id;
    wrap.append(output);
  }
  return wrap;
}

function select(role, choices, labels = choices) {
  const el = document.createElement("select");
  el.dataset.role = role;
  choices.forEach((c, i) => el.add(new Option(labels[i], String(c))));
  return el;
}

function range(role, min, max, step, ticks = []) {
  const el = document.createElement("input");
  Object.assign(el, { type: "range", min, max, step });
  el.dataset.role = role;
  if (ticks.length) {
    const list = document.createElement("datalist");
    list.id = `trainer-ticks-${++uid}`;
    ticks.forEach((t) => list.append(new Option("", String(t))));
    el.setAttribute("list", list.id);
    el._ticks = list;  // placed after the input once it is in the page
  }
  return el;
}

/** Build the controls into `root`; returns {set(settings)}. */
export function createControls(root, initial, onChange) {
  let settings = { ...initial };
  const out = (role) => {
    const o = Object.assign(document.createElement("output"), { className: "trainer-value" });
    o.dataset.role = role;
    return o;
  };
  const el = {
    lr: range("lr", 0, 100, "any", [0.01, 0.2, 1].map((x) => toLog(x, LR_RANGE))),
    maxNorm: range("max-norm", 0, SLIDER_MAX, "any", [1, 5, 20].map((x) => toLog(x, MAX_NORM_RANGE)).concat([SLIDER_MAX])),
    clipMode: select("clip-mode", CLIP_MODES),
    length: range("length", LENGTHS[0], LENGTHS.at(-1), LENGTHS[1] - LENGTHS[0]),
    seed: Object.assign(document.createElement("input"), { type: "number", min: 0, step: 1 }),
    optimizer: select("optimizer", OPTIMIZERS, ["SGD", "Adam"]),
    lossReduction: select("loss-reduction", REDUCTIONS),
    steps: select("steps", STEP_CHOICES),
  };
  el.seed.dataset.role = "seed";
  const shown = { lr: out("lr-value"), maxNorm: out("max-norm-value"), length: out("length-value") };

  const presets = document.createElement("div");
  presets.className = "trainer-presets";
  presets.setAttribute("role", "group");
  presets.setAttribute("aria-label", t("the book's settings"));
  const buttons = PRESETS.map((p) => {
    const b = Object.assign(document.createElement("button"), { type: "button", textContent: t(p.label) });
    b.dataset.preset = p.id;
    b.addEventListener("click", () => apply(presetSettings(p.id, settings), false));
    presets.append(b);
    return b;
  });

  const grid = document.createElement("div");
  grid.className = "trainer-controls";
  grid.append(
    field(t("learning rate"), el.lr, shown.lr),
    field(t("max_norm"), el.maxNorm, shown.maxNorm),
    field(t("clip mode"), el.clipMode),
    field(t("sequence length"), el.length, shown.length),
    field(t("optimizer"), el.optimizer),
    field(t("loss reduction"), el.lossReduction),
    field(t("steps"), el.steps),
    field(t("seed"), el.seed),
  );
  for (const input of Object.values(el)) if (input._ticks) input.after(input._ticks);
  root.append(presets, grid);

  function read() {
    const v = +el.maxNorm.value;
    const seed = Number.parseInt(el.seed.value, 10);
    return {
      lr: Number(fmt(fromLog(+el.lr.value, LR_RANGE))),
      maxNorm: v >= OFF_FROM ? null : Number(fmt(fromLog(Math.min(v, 100), MAX_NORM_RANGE))),
      clipMode: el.clipMode.value, length: +el.length.value,
      seed: Number.isSafeInteger(seed) && seed >= 0 ? seed : settings.seed,
      optimizer: el.optimizer.value, lossReduction: el.lossReduction.value, steps: +el.steps.value,
    };
  }

  function show(s) {
    shown.lr.textContent = fmt(s.lr);
    shown.maxNorm.textContent = s.maxNorm === null ? t("off") : fmt(s.maxNorm);
    shown.length.textContent = String(s.length);
    el.clipMode.disabled = s.maxNorm === null;  // no clipping: the mode changes nothing
    el.clipMode.title = s.maxNorm === null ? t("clipping is off") : "";
    const preset = matchingPreset(s);
    buttons.forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.preset === preset)));
  }

  function set(s) {
    settings = { ...s };
    el.lr.value = String(toLog(s.lr, LR_RANGE));
    el.maxNorm.value = String(s.maxNorm === null ? SLIDER_MAX : toLog(s.maxNorm, MAX_NORM_RANGE));
    el.clipMode.value = s.clipMode;
    el.length.value = String(s.length);
    el.seed.value = String(s.seed);
    el.optimizer.value = s.optimizer;
    el.lossReduction.value = s.lossReduction;
    el.steps.value = String(s.steps);
    show(s);
  }

  function apply(s, moving) {
    set(s);
    onChange({ ...settings }, moving);
  }

  for (const [key, input] of Object.entries(el)) {
    const isSlider = input.type === "range";
    // Sliders report while they move ("input"); the rest when their value is committed ("change").
    input.addEventListener(isSlider ? "input" : "change", () => {
      settings = { ...settings, ...read() };
      if (key === "seed") el.seed.value = String(settings.seed);
      show(settings);
      onChange({ ...settings }, isSlider);
    });
  }
  set(settings);
  return { set };
}
