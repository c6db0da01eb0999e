// The phase diagram beside the trainer: labkit's precomputed lr x max_norm grid (written into the
// page by labkit.phase_diagram at build time) as one heat map per clip mode, for a chosen metric.
// Selecting a cell loads its setting into the trainer and hands labkit's mean curves to the charts.

import { t } from "./i18n.js";
import { fmt } from "./controls.js";
import { createHeatmap } from "./heatmap.js";

const METRICS = [
  { id: "test", label: t("mean test accuracy"), format: (v) => v.toFixed(2), scale: "linear", domain: () => [0, 0.8] },
  { id: "maxPre", label: t("largest raw gradient norm"), scale: "log", format: (v) => compact(v),
    domain: (cells) => extent(cells.map((c) => c.maxPre)) },
  { id: "clipped", label: t("fraction of steps clipped"), format: (v) => v.toFixed(2), scale: "linear", domain: () => [0, 1] },
];

/** A number in at most 4 characters: 0.5, 12, 340, 4.1k, 23k, 1.2M. */
function compact(v) {
  if (v < 1000) return fmt(Number(v.toPrecision(2)));
  const [d, s] = v < 1e6 ? [1e3, "k"] : [1e6, "M"];
  return `${Number((v / d).toPrecision(2))}${s}`;
}

const extent = (xs) => [Math.min(...xs.filter((x) => x > 0)), Math.max(...xs)];
const normLabel = (m) => (m === null ? t("off") : fmt(m));

/** The grid key of a cell, as labkit.phase_diagram writes it. */
export const cellKey = (lr, maxNorm, mode) => `${lr}|${maxNorm === null ? "off" : maxNorm}|${maxNorm === null ? "off" : mode}`;

/** Mount into `root`; onPick(cell, settings) when a cell is chosen. Returns {clear()}. */
export function createPhaseDiagram(root, data, onPick) {
  const { setting, lrs, maxNorms, modes, cells } = data;
  const section = document.createElement("section");
  section.className = "trainer-phase";
  const heading = document.createElement("h3");
  heading.textContent = t("Phase diagram");
  const about = document.createElement("p");
  about.textContent = t("Precomputed by labkit when the book was built: length {length}, SGD, {reduction} loss, " +
    "{steps} steps, mean over seeds {seeds}. Select a cell (click, or arrow keys and Enter) to train its setting " +
    "here and overlay labkit's mean curves.", { length: setting.length, reduction: setting.lossReduction,
    steps: setting.steps, seeds: data.seeds.join(", ") });
  const picker = document.createElement("fieldset");
  picker.className = "trainer-metric";
  const legend = document.createElement("legend");
  legend.textContent = t("colour shows");
  picker.append(legend);
  const maps = document.createElement("div");
  maps.className = "trainer-maps";
  const info = document.createElement("p");
  info.className = "trainer-cell-info";
  info.dataset.role = "cell-info";
  info.setAttribute("aria-live", "polite");
  info.textContent = t("No cell selected.");
  section.append(heading, about, picker, maps, info);
  root.append(section);

  let metric = METRICS[0], selected = null, heatmaps = [];
  const name = `trainer-metric-${Math.random().toString(36).slice(2, 8)}`;
  for (const m of METRICS) {
    const label = document.createElement("label");
    const radio = Object.assign(document.createElement("input"), { type: "radio", name, value: m.id, checked: m === metric });
    radio.addEventListener("change", () => { metric = m; draw(); });
    label.append(radio, ` ${m.label}`);
    picker.append(label);
  }

  const cellAt = (i, j, mode) => cells[cellKey(lrs[i], maxNorms[j], mode)];

  function draw() {
    maps.replaceChildren();
    const domain = metric.domain(Object.values(cells));
    heatmaps = modes.map((mode) => createHeatmap(maps, {
      caption: t("{mode} clipping: {metric}", { mode, metric: metric.label }), rowTitle: "lr", colTitle: "max_norm",
      rows: lrs.map(fmt), cols: maxNorms.map(normLabel),
      values: lrs.map((_, i) => maxNorms.map((_, j) => cellAt(i, j, mode)?.[metric.id] ?? null)),
      domain, scale: metric.scale, format: metric.format,
      describe: (i, j) => `lr ${fmt(lrs[i])}, max_norm ${normLabel(maxNorms[j])}, ${mode}: ` +
        `${metric.label} ${metric.format(cellAt(i, j, mode)[metric.id])}`,
      onSelect: (i, j) => pick(mode, i, j),
    }));
    if (selected) heatmaps[modes.indexOf(selected.mode)].select(selected.i, selected.j);
  }

  function pick(mode, i, j) {
    const c = cellAt(i, j, mode);
    selected = { mode, i, j };
    heatmaps.forEach((h, k) => h.select(k === modes.indexOf(mode) ? i : null, j));
    const lr = lrs[i], maxNorm = maxNorms[j];
    const where = `lr ${fmt(lr)}, max_norm ${normLabel(maxNorm)}${maxNorm === null ? "" : `, ${mode}`}`;
    info.textContent = t("{where}: mean test accuracy {test} ± {sd} ({n} seeds), largest raw gradient norm " +
      "{maxPre}, {pct} % of steps clipped. Dashed: labkit's mean curves.", { where, test: c.test.toFixed(2),
      sd: c.testSd.toFixed(2), n: data.seeds.length, maxPre: compact(c.maxPre), pct: Math.round(100 * c.clipped) });
    info.dataset.key = cellKey(lr, maxNorm, mode);
    const settings = { length: setting.length, steps: setting.steps, optimizer: "sgd",
      lossReduction: setting.lossReduction, lr, maxNorm, ...(maxNorm === null ? {} : { clipMode: mode }) };
    const label = t("mean of {n} seeds", { n: data.seeds.length });
    const curves = {
      total: { x: c.curves.x, y: c.curves.preTotal, label },
      loss: { x: c.curves.x, y: c.curves.loss, label },
      dev: { x: c.curves.devX, y: c.curves.dev, label },
    };
    const matches = (s) => Object.entries(settings).every(([k, v]) => s[k] === v);
    onPick({ curves, matches }, settings);
  }

  draw();
  return {
    clear() {
      selected = null;
      heatmaps.forEach((h) => h.select(null));
      info.textContent = t("No cell selected.");
      delete info.dataset.key;
    },
  };
}
