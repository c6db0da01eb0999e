// A dense heat map drawn on a canvas (one pixel block per grid cell), with axes, so that paths
// can be drawn on top: one chart kind, no DOM access beyond the canvas it is given. The colour
// scale is the Explore page's (trainer/heatmap.js, viridis, as in labkit's figures); its heat map
// itself is a table of buttons, made for a coarse grid of runs, not for a 121 x 121 surface.
import { viridis } from "../trainer/heatmap.js";

/** Maps data (x right, y up) to canvas pixels inside the margins, and back. */
export function frame(canvas, xRange, yRange, margin = { left: 46, right: 8, top: 8, bottom: 38 }) {
  const w = canvas.width - margin.left - margin.right, h = canvas.height - margin.top - margin.bottom;
  return {
    margin, w, h, xRange, yRange,
    px: (x) => margin.left + (x - xRange[0]) / (xRange[1] - xRange[0]) * w,
    py: (y) => margin.top + (yRange[1] - y) / (yRange[1] - yRange[0]) * h,
    data: (px, py) => [xRange[0] + (px - margin.left) / w * (xRange[1] - xRange[0]),
                       yRange[1] - (py - margin.top) / h * (yRange[1] - yRange[0])],
  };
}

/** Draws values (n x n, row i = y_i bottom to top) with viridis between lo and hi, and the axes. */
export function drawHeatmap(ctx, f, values, n, lo, hi, labels, ink) {
  const img = ctx.createImageData(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const [r, g, b] = viridis((values[i * n + j] - lo) / (hi - lo));
      const k = 4 * ((n - 1 - i) * n + j);
      img.data.set([r, g, b, 255], k);
    }
  }
  const tile = new OffscreenCanvas(n, n);
  tile.getContext("2d").putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(tile, f.margin.left, f.margin.top, f.w, f.h);
  drawAxes(ctx, f, labels, ink);
}

function ticks([a, b]) {
  const step = (b - a) > 5 ? 2 : 1, out = [];
  for (let v = Math.ceil(a / step) * step; v <= b + 1e-9; v += step) out.push(v);
  return out;
}

function drawAxes(ctx, f, [xLabel, yLabel], ink) {
  ctx.strokeStyle = ctx.fillStyle = ink;
  ctx.lineWidth = 1;
  ctx.font = "13px system-ui, sans-serif";
  ctx.strokeRect(f.margin.left, f.margin.top, f.w, f.h);
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  for (const x of ticks(f.xRange)) ctx.fillText(String(x), f.px(x), f.margin.top + f.h + 4);
  ctx.fillText(xLabel, f.margin.left + f.w / 2, f.margin.top + f.h + 20);
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const y of ticks(f.yRange)) ctx.fillText(String(y), f.margin.left - 4, f.py(y));
  ctx.save();
  ctx.translate(12, f.margin.top + f.h / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = "center";
  ctx.fillText(yLabel, 0, 0);
  ctx.restore();
}
