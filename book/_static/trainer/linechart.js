// A streaming line chart on a <canvas>: fixed axes (so an explosion stands out against the last
// run), a grey "ghost" of the previous run, optional overlay curves (e.g. labkit's mean over seeds),
// a horizontal threshold line, and exact zeros on a log axis drawn as a rug of ticks at the bottom
// (a log axis has no 0; leaving a gap would hide them).
//
// Hand-written rather than a vendored library (uPlot would be ~50 KB): the page needs exactly
// these five features, a few thousand points per chart, and the whole chart reads in one file.
// One chart kind per module; `heatmap.js` is the other.

import { t } from "./i18n.js";

const PAD = { left: 46, right: 14, top: 8, bottom: 24 };
const RUG = 6;  // px: height of a zero tick

/** Read a CSS custom property of `el` (the palette lives in trainer.css, light and dark). */
const cssVar = (el, name) => getComputedStyle(el).getPropertyValue(name).trim() || "#888";

function niceStep(span) {
  const raw = span / 5, p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((s) => s >= raw);
}

const supers = { "-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };
const power = (e) => (e === 0 ? "1" : e === 1 ? "10" : `10${String(e).replace(/./g, (c) => supers[c])}`);

/**
 * A chart in `container`. options: {title, label (for screen readers), yScale: "log"|"linear",
 * yDomain: [lo, hi], xMax, height, series: [{id, label, color: CSS var name, dash: [..], points: bool}]}.
 */
export function createLineChart(container, options) {
  const { series, yScale = "linear", yDomain, height = 170 } = options;
  let xMax = options.xMax;
  const data = new Map(series.map((s) => [s.id, { x: [], y: [] }]));
  let ghost = new Map();     // id -> {x, y} of the previous run
  let overlay = new Map();   // id -> {x, y, label}
  let threshold = null;
  let pending = false;

  const figure = document.createElement("figure");
  figure.className = "trainer-chart";
  const title = document.createElement("div");
  title.className = "trainer-chart-title";
  title.textContent = options.title;
  const canvas = document.createElement("canvas");
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", options.label);
  const legend = document.createElement("figcaption");
  legend.className = "trainer-legend";
  figure.append(title, canvas, legend);
  container.append(figure);

  function drawLegend() {
    legend.replaceChildren();
    const item = (text, colorVar, dash, cls = "") => {
      const span = document.createElement("span");
      span.className = `trainer-key ${cls}`;
      const swatch = document.createElement("i");
      swatch.style.borderTopColor = `var(${colorVar})`;
      swatch.style.borderTopStyle = dash && dash.length ? "dashed" : "solid";
      span.append(swatch, text);
      legend.append(span);
    };
    for (const s of series) item(s.label, s.color, s.dash);
    if (threshold !== null) item(`max_norm = ${threshold}`, "--trainer-threshold", [4, 3]);
    if (overlay.size) item(`labkit: ${[...overlay.values()][0].label}`, "--trainer-overlay", [6, 3]);
    if (ghost.size) item(t("previous run"), "--trainer-ghost", []);
  }

  const yOf = (h) => {
    const [lo, hi] = yDomain;
    if (yScale === "log") {
      const a = Math.log10(lo), b = Math.log10(hi);
      return (y) => PAD.top + (h - PAD.top - PAD.bottom) * (1 - (Math.log10(y) - a) / (b - a));
    }
    return (y) => PAD.top + (h - PAD.top - PAD.bottom) * (1 - (y - lo) / (hi - lo));
  };

  function axes(ctx, w, h, X, Y) {
    ctx.strokeStyle = cssVar(figure, "--trainer-grid");
    ctx.fillStyle = cssVar(figure, "--trainer-text");
    ctx.font = "11px sans-serif";
    ctx.lineWidth = 1;
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    const ticks = [];
    if (yScale === "log") {
      const [a, b] = yDomain.map((v) => Math.round(Math.log10(v)));
      const every = b - a > 6 ? 2 : 1;
      for (let e = a; e <= b; e += every) ticks.push([10 ** e, power(e)]);
    } else {
      const step = niceStep(yDomain[1] - yDomain[0]);
      for (let v = yDomain[0]; v <= yDomain[1] + 1e-9; v += step) ticks.push([v, String(Number(v.toFixed(6)))]);
    }
    for (const [v, text] of ticks) {
      const y = Math.round(Y(v)) + 0.5;
      ctx.beginPath(); ctx.moveTo(PAD.left, y); ctx.lineTo(w - PAD.right, y); ctx.stroke();
      ctx.fillText(text, PAD.left - 4, y);
    }
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    const step = niceStep(xMax);
    for (let v = 0; v <= xMax + 1e-9; v += step) {
      const x = Math.round(X(v)) + 0.5;
      ctx.beginPath(); ctx.moveTo(x, h - PAD.bottom); ctx.lineTo(x, h - PAD.bottom + 3); ctx.stroke();
      ctx.fillText(String(v), x, h - PAD.bottom + 5);
    }
    ctx.strokeRect(PAD.left + 0.5, PAD.top + 0.5, w - PAD.left - PAD.right - 1, h - PAD.top - PAD.bottom - 1);
  }

  function line(ctx, d, color, dash, width, points, X, Y, h) {
    const [lo, hi] = yDomain;
    const bottom = h - PAD.bottom;
    ctx.strokeStyle = color;
    ctx.fillStyle = color;
    ctx.lineWidth = width;
    ctx.setLineDash(dash || []);
    ctx.beginPath();
    let open = false;
    const zeros = [];
    for (let i = 0; i < d.x.length; i++) {
      const v = d.y[i];
      if (v === 0 && yScale === "log") { zeros.push(X(d.x[i])); open = false; continue; }
      if (v === null || !Number.isFinite(v)) { open = false; continue; }
      const x = X(d.x[i]), y = Y(Math.min(hi, Math.max(lo, v)));
      if (points) { ctx.moveTo(x + 2.5, y); ctx.arc(x, y, 2.5, 0, 2 * Math.PI); open = false; continue; }
      if (open) ctx.lineTo(x, y); else ctx.moveTo(x, y);
      open = true;
    }
    if (points) ctx.fill(); else ctx.stroke();
    ctx.setLineDash([]);
    if (zeros.length) {  // the rug: one tick per exact zero, on the bottom edge
      ctx.lineWidth = 1;
      ctx.beginPath();
      for (const x of zeros) { ctx.moveTo(x, bottom); ctx.lineTo(x, bottom - RUG); }
      ctx.stroke();
    }
  }

  function draw() {
    pending = false;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(200, figure.clientWidth);
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(height * dpr)) {
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(height * dpr);
      canvas.style.height = `${height}px`;
    }
    const ctx = canvas.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, height);
    const X = (x) => PAD.left + ((w - PAD.left - PAD.right) * x) / xMax;
    const Y = yOf(height);
    axes(ctx, w, height, X, Y);
    ctx.save();
    ctx.beginPath();
    ctx.rect(PAD.left, PAD.top - 3, w - PAD.left - PAD.right, height - PAD.top - PAD.bottom + 3);
    ctx.clip();
    const ghostColor = cssVar(figure, "--trainer-ghost");
    for (const s of series) if (ghost.has(s.id)) line(ctx, ghost.get(s.id), ghostColor, s.dash, 1.5, s.points, X, Y, height);
    for (const [, d] of overlay) line(ctx, d, cssVar(figure, "--trainer-overlay"), [6, 3], 2, false, X, Y, height);
    if (threshold !== null) {
      line(ctx, { x: [0, xMax], y: [threshold, threshold] }, cssVar(figure, "--trainer-threshold"), [4, 3], 1.5, false, X, Y, height);
    }
    for (const s of series) line(ctx, data.get(s.id), cssVar(figure, s.color), s.dash, 1.5, s.points, X, Y, height);
    ctx.restore();
  }

  const redraw = () => {
    if (!pending) { pending = true; requestAnimationFrame(draw); }
  };
  new ResizeObserver(redraw).observe(figure);
  drawLegend();

  return {
    /** Start a new run: the current curves become the ghost; x runs from 0 to `steps`. */
    reset(steps) {
      if ([...data.values()].some((d) => d.x.length)) ghost = new Map([...data].filter(([, d]) => d.x.length));
      for (const s of series) data.set(s.id, { x: [], y: [] });
      xMax = steps;
      drawLegend();
      redraw();
    },
    /** Append one point of series `id` (null/NaN: a gap; 0 on a log axis: a rug tick). */
    push(id, x, y) {
      const d = data.get(id);
      d.x.push(x);
      d.y.push(y);
    },
    /** Overlay curves: {id: {x, y, label}} (e.g. labkit's mean over seeds), or null to clear. */
    setOverlay(curves) {
      overlay = new Map(Object.entries(curves || {}));
      drawLegend();
      redraw();
    },
    setThreshold(value) {
      threshold = value;
      drawLegend();
      redraw();
    },
    /** The number of points drawn so far in series `id`. */
    count: (id) => data.get(id).x.length,
    redraw,
    canvas,
  };
}
