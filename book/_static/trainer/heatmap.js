// A heat map as an HTML table of buttons: each cell shows its number on a colour from a
// colour-blind-safe sequential scale (viridis), is a real button (click, Enter, Space), and the
// arrow keys move between cells (one tab stop per map). Generic: rows, columns, values, a domain,
// a formatter; it knows nothing about training. One chart kind per module; `linechart.js` is the other.

// viridis at 9 stops (matplotlib's, the colour map labkit's heat maps use)
const VIRIDIS = ["#440154", "#472d7b", "#3b528b", "#2c728e", "#21918c", "#28ae80", "#5ec962", "#addc30", "#fde725"];

const hex = (h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));

/** The viridis colour at t in [0, 1] as [r, g, b]. */
export function viridis(t) {
  const u = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(u)), f = u - i;
  const [a, b] = [hex(VIRIDIS[i]), hex(VIRIDIS[i + 1])];
  return a.map((x, k) => Math.round(x + f * (b[k] - x)));
}

/** t in [0, 1] of value v on a linear or log domain. */
export function position(v, [lo, hi], scale = "linear") {
  if (scale === "log") return (Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
  return (v - lo) / (hi - lo);
}

/**
 * A heat map in `container`. spec: {caption, rowTitle, colTitle, rows: [label], cols: [label],
 * values: [[number|null]] (rows x cols), domain: [lo, hi], scale, format(v), describe(r, c),
 * onSelect(r, c)}. Returns {select(r, c), table}.
 */
export function createHeatmap(container, spec) {
  const { rows, cols, values, domain, scale = "linear", format, describe, onSelect } = spec;
  const table = document.createElement("table");
  table.className = "trainer-heatmap";
  const caption = table.createCaption();
  caption.textContent = spec.caption;
  const head = table.createTHead().insertRow();
  const corner = document.createElement("th");
  corner.scope = "col";
  corner.textContent = `${spec.rowTitle} \\ ${spec.colTitle}`;
  head.append(corner);
  for (const c of cols) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = c;
    head.append(th);
  }
  const body = table.createTBody();
  const buttons = rows.map((r, i) => {
    const tr = body.insertRow();
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = r;
    tr.append(th);
    return cols.map((_, j) => {
      const td = tr.insertCell();
      const b = Object.assign(document.createElement("button"), { type: "button", tabIndex: -1 });
      const v = values[i][j];
      b.textContent = v === null || Number.isNaN(v) ? "–" : format(v);
      b.setAttribute("aria-label", describe(i, j));
      b.dataset.row = String(i);
      b.dataset.col = String(j);
      if (v !== null && !Number.isNaN(v)) {
        const rgb = viridis(position(v, domain, scale));
        b.style.background = `rgb(${rgb})`;
        // dark text on the light (yellow/green) end, light text on the dark end
        b.style.color = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2] > 140 ? "#000" : "#fff";
      }
      b.addEventListener("click", () => { select(i, j); onSelect(i, j); });
      b.addEventListener("keydown", (e) => {
        const move = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] }[e.key];
        if (!move) return;
        e.preventDefault();
        const ni = Math.min(rows.length - 1, Math.max(0, i + move[0]));
        const nj = Math.min(cols.length - 1, Math.max(0, j + move[1]));
        focus(ni, nj);
        buttons[ni][nj].focus();
      });
      td.append(b);
      return b;
    });
  });
  container.append(table);

  function focus(i, j) {
    buttons.flat().forEach((b) => { b.tabIndex = -1; });
    buttons[i][j].tabIndex = 0;
  }

  function select(i, j) {
    buttons.flat().forEach((b) => b.setAttribute("aria-pressed", "false"));
    if (i === null) return;
    buttons[i][j].setAttribute("aria-pressed", "true");
    focus(i, j);
  }
  focus(0, 0);
  return { select, table };
}
