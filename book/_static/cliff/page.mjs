// The cliff explorer's page wiring: a thin shell over engine.mjs and heatmap.mjs.
// Click the map (or focus it and use the arrow keys) to pick a starting point; "Step" and "Play"
// advance both gradient-descent paths, unclipped and clipped, from that point.
import { descend, logLossGrid, lossAndGrad } from "./engine.mjs";
import { drawHeatmap, frame } from "./heatmap.mjs";
import { t } from "../trainer/i18n.js";  // the page's language (the Chinese edition)

// The chapter's map and defaults (labkit.cliff.WINDOW, LR, MAX_NORM; the browser test checks them).
export const WINDOW = { w: [1, 9], b: [-5.5, 0.5] };
export const DEFAULTS = { lr: 1, maxNorm: 1, start: [4.5, -2.2], steps: 60 };
const N = 121;                                             // grid cells per side
const COLORS = { unclipped: "#D55E00", clipped: "#56B4E9" };  // Okabe-Ito, as in the figures

const fmt = (v) => (Math.abs(v) >= 1e4 ? v.toExponential(2) : v.toFixed(3));
const short = (v) => String(Number(v.toPrecision(2)));    // 1 -> "1", 3.162 -> "3.2"

function build(root, index) {
  const id = `cliff-${index}`;                              // ids for <label for>, unique per page
  root.innerHTML = `
    <canvas tabindex="0" width="760" height="640" role="img"
      aria-label="${t("Loss map over w and b. Click or use the arrow keys to choose a starting point.")}"></canvas>
    <div class="cliff-controls">
      <div class="cliff-slider"><label for="${id}-lr">${t("learning rate")}</label>
        <output data-out="lr" for="${id}-lr"></output>
        <input type="range" id="${id}-lr" data-in="lr" min="-2" max="1" step="0.05"></div>
      <div class="cliff-slider"><label for="${id}-max-norm">${t("clipping threshold")}</label>
        <output data-out="maxNorm" for="${id}-max-norm"></output>
        <input type="range" id="${id}-max-norm" data-in="maxNorm" min="-1" max="1.5" step="0.05"></div>
      <div class="cliff-buttons">
        <button type="button" data-act="step">${t("Step")}</button>
        <button type="button" data-act="play">${t("Play")}</button>
        <button type="button" data-act="reset">${t("Reset")}</button>
      </div>
    </div>
    <p class="cliff-status" aria-live="polite"></p>
    <p class="cliff-legend"><span style="color:${COLORS.unclipped}">- - ${t("no clipping")}</span>
      · <span style="color:${COLORS.clipped}">—— ${t("clipped")}</span> · ○ ${t("start")}</p>`;
  const $ = (sel) => root.querySelector(sel);
  const canvas = $("canvas"), ctx = canvas.getContext("2d");
  const f = frame(canvas, WINDOW.w, WINDOW.b);
  const grid = logLossGrid(WINDOW.w, WINDOW.b, N);
  const lo = Math.min(...grid), hi = Math.max(...grid);
  const state = { ...DEFAULTS, start: DEFAULTS.start.slice(), k: 0, timer: null };
  $('[data-in="lr"]').value = Math.log10(state.lr);
  $('[data-in="maxNorm"]').value = Math.log10(state.maxNorm);

  const paths = () => ({ unclipped: descend(state.start, state.lr, state.k),
                         clipped: descend(state.start, state.lr, state.k, state.maxNorm) });

  function drawPath(path, color, dash) {
    ctx.save();
    ctx.beginPath();
    ctx.rect(f.margin.left, f.margin.top, f.w, f.h);
    ctx.clip();
    ctx.strokeStyle = ctx.fillStyle = color;
    ctx.lineWidth = 3;
    ctx.setLineDash(dash);
    ctx.beginPath();
    path.forEach(([w, b], i) => (i ? ctx.lineTo : ctx.moveTo).call(ctx, f.px(w), f.py(b)));
    ctx.stroke();
    const [w, b] = path[path.length - 1];
    ctx.beginPath();
    ctx.arc(f.px(w), f.py(b), 5, 0, 2 * Math.PI);
    ctx.fill();
    ctx.restore();
  }

  function describe(name, path) {
    const [w, b] = path[path.length - 1];
    const away = w < WINDOW.w[0] || w > WINDOW.w[1] || b < WINDOW.b[0] || b > WINDOW.b[1];
    return t("{name}: w {w}, b {b}, loss {loss}", { name, w: fmt(w), b: fmt(b), loss: lossAndGrad(w, b).loss.toFixed(4) }) +
      (away ? t(" (off the map)") : "");
  }

  function draw() {
    const ink = getComputedStyle(root).color;
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    drawHeatmap(ctx, f, grid, N, lo, hi, [t("recurrent weight w"), t("bias b")], ink);
    const p = paths();
    drawPath(p.unclipped, COLORS.unclipped, [10, 6]);
    drawPath(p.clipped, COLORS.clipped, []);
    ctx.strokeStyle = "#000";
    ctx.fillStyle = "#fff";
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.arc(f.px(state.start[0]), f.py(state.start[1]), 7, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
    $('[data-out="lr"]').textContent = short(state.lr);
    $('[data-out="maxNorm"]').textContent = short(state.maxNorm);
    $(".cliff-status").textContent = t("Step {k}. ", { k: state.k }) + describe(t("No clipping"), p.unclipped) +
      t(". ") + describe(t("Clipped at {maxNorm}", { maxNorm: short(state.maxNorm) }), p.clipped) + t(".");
    root.dataset.step = state.k;                            // for the browser test
  }

  const stop = () => { clearInterval(state.timer); state.timer = null; $('[data-act="play"]').textContent = t("Play"); };
  const restart = () => { stop(); state.k = 0; draw(); };
  const step = () => { state.k = Math.min(state.k + 1, 500); draw(); };
  function play() {
    if (state.timer) return stop();
    $('[data-act="play"]').textContent = t("Pause");
    state.timer = setInterval(() => (state.k >= state.steps ? stop() : step()), 120);
  }

  $('[data-in="lr"]').addEventListener("input", (e) => { state.lr = 10 ** Number(e.target.value); restart(); });
  $('[data-in="maxNorm"]').addEventListener("input", (e) => { state.maxNorm = 10 ** Number(e.target.value); restart(); });
  $('[data-act="step"]').addEventListener("click", step);
  $('[data-act="play"]').addEventListener("click", play);
  $('[data-act="reset"]').addEventListener("click", restart);
  canvas.addEventListener("click", (e) => {
    const r = canvas.getBoundingClientRect();
    const [w, b] = f.data((e.clientX - r.left) * canvas.width / r.width, (e.clientY - r.top) * canvas.height / r.height);
    state.start = [Math.min(Math.max(w, WINDOW.w[0]), WINDOW.w[1]), Math.min(Math.max(b, WINDOW.b[0]), WINDOW.b[1])];
    restart();
  });
  canvas.addEventListener("keydown", (e) => {
    const d = e.shiftKey ? 0.5 : 0.05, moves = { ArrowLeft: [-d, 0], ArrowRight: [d, 0], ArrowUp: [0, d], ArrowDown: [0, -d] };
    if (moves[e.key]) {
      state.start = [state.start[0] + moves[e.key][0], state.start[1] + moves[e.key][1]];
      restart();
    } else if (e.key === "Enter" || e.key === " ") {
      play();
    } else if (e.key === "s") {
      step();
    } else return;
    e.preventDefault();
  });
  // Follow the book theme's light/dark switch (pydata sets html[data-theme]).
  let theme = document.documentElement.dataset.theme;       // redraw only when it really changes
  new MutationObserver(() => {
    if (document.documentElement.dataset.theme !== theme) {
      theme = document.documentElement.dataset.theme;
      draw();
    }
  }).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  draw();
}

document.querySelectorAll("[data-cliff-explorer]").forEach(build);
