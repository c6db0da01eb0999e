// The page wiring of the in-browser trainer: a thin shell over the engine's Web Worker. It mounts
// every <div class="rnn-trainer" data-preset="..."> on the page: controls (controls.js), four live
// charts (linechart.js), the run's numbers, and, when the block carries phase-diagram data
// (<script type="application/json" class="rnn-phase-data">), the lr x max_norm heat maps
// (phase.js). A change starts a new run at once (slider moves debounced); the stale run is
// cancelled by the worker, and its late messages are ignored by runId.

import { t } from "./i18n.js";
import { createControls, fmt } from "./controls.js";
import { createLineChart } from "./linechart.js";
import { createPhaseDiagram } from "./phase.js";
import { DEFAULTS, engineConfig, fromQuery, hasSettings, presetSettings, toQuery } from "./state.js";

const SLIDER_DEBOUNCE_MS = 40;  // while a slider moves: restart at most every 40 ms
const WORKER_URL = new URL("./worker.js", import.meta.url);

const CHARTS = [
  { key: "total", title: t("total gradient norm ‖g‖ (all parameters)"), label: t("total gradient norm before and after clipping, log scale"), yScale: "log", yDomain: [1e-4, 1e6],
    series: [{ id: "pre", label: t("‖g‖ before clipping"), color: "--trainer-pre" },
      { id: "post", label: t("‖g‖ after clipping"), color: "--trainer-post", dash: [5, 3] }] },
  { key: "params", title: t("gradient norms of W, U, b (before clipping)"), label: t("gradient norms of W, U and b before clipping, log scale"), yScale: "log", yDomain: [1e-4, 1e6],
    series: [{ id: "W", label: "‖∇W‖", color: "--trainer-W" }, { id: "U", label: "‖∇U‖", color: "--trainer-U" },
      { id: "b", label: "‖∇b‖", color: "--trainer-b", dash: [2, 2] }] },
  { key: "loss", title: t("training loss"), label: t("training loss per step, log scale"), yScale: "log", yDomain: [1e-2, 1e5],
    series: [{ id: "loss", label: t("training loss"), color: "--trainer-loss" }] },
  { key: "dev", title: t("dev accuracy"), label: t("dev accuracy at each evaluation"), yScale: "linear", yDomain: [0, 1],
    series: [{ id: "dev", label: t("dev accuracy"), color: "--trainer-dev", points: true }] },
];
const PARAM = { W: "rnn_model.W", U: "rnn_model.U", b: "rnn_model.b" };

function el(tag, className, text = "") {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text) e.textContent = text;
  return e;
}

function mount(root) {
  const data = root.querySelector("script.rnn-phase-data");
  const phaseData = data ? JSON.parse(data.textContent) : null;
  root.replaceChildren();  // drops the "needs JavaScript over http" note
  if (data) root.append(data);  // the data stays readable in the page
  const useUrl = root.dataset.urlState === "true";
  const preset = root.dataset.preset ? presetSettings(root.dataset.preset) : { ...DEFAULTS };
  const query = window.location.search;
  let settings = useUrl && hasSettings(query) ? fromQuery(query, preset) : preset;

  const status = el("p", "trainer-status", t("starting the trainer…"));
  status.setAttribute("aria-live", "polite");
  status.dataset.role = "status";
  const numbers = el("p", "trainer-numbers");
  numbers.dataset.role = "numbers";
  const chartBox = el("div", "trainer-charts");
  const charts = Object.fromEntries(CHARTS.map((c) => [c.key, createLineChart(chartBox, { ...c, xMax: settings.steps })]));
  const controls = createControls(root, settings, (s, moving) => change(s, moving));
  root.append(status, numbers, chartBox);

  const worker = new Worker(WORKER_URL, { type: "module" });
  let runId = 0, timer = null, changedAt = 0, firstDrawn = true, last = null, cell = null;

  function start() {
    timer = null;
    runId += 1;
    for (const chart of Object.values(charts)) chart.reset(settings.steps);
    charts.total.setThreshold(settings.maxNorm !== null && settings.clipMode === "global" ? settings.maxNorm : null);
    const overlay = cell && cell.matches(settings) ? cell.curves : {};
    charts.total.setOverlay(overlay.total ? { pre: overlay.total } : null);
    charts.loss.setOverlay(overlay.loss ? { loss: overlay.loss } : null);
    charts.dev.setOverlay(overlay.dev ? { dev: overlay.dev } : null);
    if (cell && !cell.matches(settings)) {
      cell = null;
      phase?.clear();
    }
    firstDrawn = false;
    last = null;
    root.dataset.runId = String(runId);
    root.dataset.state = "running";
    root.dataset.config = JSON.stringify(engineConfig(settings));
    status.textContent = t("training: {what}", { what: describe(settings) });
    numbers.textContent = "";
    root.dataset.step = "0";  // no step of this run plotted yet
    worker.postMessage({ type: "start", runId, config: engineConfig(settings) });
  }

  function change(s, moving) {
    settings = s;
    changedAt = performance.now();
    if (useUrl) history.replaceState(null, "", `?${toQuery(settings)}${location.hash}`);
    clearTimeout(timer);
    if (moving) timer = setTimeout(start, SLIDER_DEBOUNCE_MS);
    else start();
  }

  function onRecords(records) {
    for (const r of records) {
      charts.total.push("pre", r.step, r.preTotal);
      charts.total.push("post", r.step, r.postTotal);
      for (const [id, name] of Object.entries(PARAM)) charts.params.push(id, r.step, r.pre[name]);
      charts.loss.push("loss", r.step, r.loss);
      if (r.dev !== null) charts.dev.push("dev", r.step, r.dev);
      last = { ...r, dev: r.dev ?? last?.dev ?? null };
    }
    for (const chart of Object.values(charts)) chart.redraw();
    if (!firstDrawn) {
      firstDrawn = true;
      const since = changedAt;
      // the charts draw in the next animation frame; this callback runs right after them
      requestAnimationFrame(() => { root.dataset.firstPointMs = (performance.now() - since).toFixed(1); });
    }
    const dev = last.dev === null ? "" : t(", dev accuracy {dev}", { dev: last.dev.toFixed(2) });
    numbers.textContent = t("step {step}: loss {loss}, ‖g‖ {pre} → {post}{dev}",
      { step: last.step, loss: fmt(last.loss), pre: fmt(last.preTotal), post: fmt(last.postTotal), dev });
    root.dataset.step = String(last.step);
  }

  worker.onmessage = ({ data: m }) => {
    if (m.type === "ready" || m.runId !== runId) return;  // a dropped run's message still in flight
    if (m.type === "records") onRecords(m.records);
    else if (m.type === "done") {
      const s = m.summary;
      root.dataset.state = "done";
      root.dataset.bestDev = String(s.bestDev);
      root.dataset.testAccuracy = String(s.testAccuracy);
      status.textContent = (s.divergedAt === null ? t("done") : t("diverged at step {step}", { step: s.divergedAt })) +
        t(": best dev accuracy {best}", { best: s.bestDev.toFixed(2) }) +
        (Number.isNaN(s.testAccuracy) ? "" : t(", test accuracy {test}", { test: s.testAccuracy.toFixed(2) })) +
        t(" ({what})", { what: describe(settings) });
    } else if (m.type === "error") {
      root.dataset.state = "error";
      status.textContent = t("the trainer failed: {message}", { message: m.message });
    }
  };
  worker.onerror = (e) => {
    root.dataset.state = "error";
    status.textContent = t("the trainer could not start ({message})", { message: e.message || t("worker error") });
  };

  const phase = phaseData ? createPhaseDiagram(root, phaseData, (picked, s) => {
    cell = picked;
    controls.set({ ...settings, ...s });
    change({ ...settings, ...s }, false);
  }) : null;
  start();
}

function describe(s) {
  const clip = s.maxNorm === null ? t("no clipping") : t("{mode} clipping at {maxNorm}", { mode: s.clipMode, maxNorm: fmt(s.maxNorm) });
  return t("L{length}, {optimizer} lr {lr}, {clip}, {reduction} loss, {steps} steps, seed {seed}", {
    length: s.length, optimizer: s.optimizer === "sgd" ? "SGD" : "Adam", lr: fmt(s.lr), clip,
    reduction: s.lossReduction, steps: s.steps, seed: s.seed });
}

for (const root of document.querySelectorAll(".rnn-trainer")) {
  if (root.dataset.mounted) continue;
  root.dataset.mounted = "true";
  mount(root);
}
