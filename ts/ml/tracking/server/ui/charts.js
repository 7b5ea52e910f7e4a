// Metric charts for the tracking UI: a line chart as an SVG element, no library. Series are
// [{ name, points: [{ x, y }] }]; non-finite values (MLflow's "NaN", "Infinity") are skipped.
const SVG = 'http://www.w3.org/2000/svg';
const COLORS = ['#1f6fd1', '#d1471f', '#1f9d4b', '#8a3fd1', '#c18f00', '#0f8b8d'];

function el(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

function fmt(v) {
  return Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : String(Number(v.toPrecision(4)));
}

/** An <svg class="chart"> plotting each series (x: step, y: value) with axes, min/max ticks and a legend. */
export function lineChart(series, { width = 640, height = 300, title = '' } = {}) {
  const pad = { left: 60, right: 16, top: title ? 28 : 12, bottom: 40 + 16 * Math.ceil(series.length / 3) };
  const clean = series.map((s) => ({ name: s.name, points: s.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y)) }));
  const all = clean.flatMap((s) => s.points);
  const svg = el('svg', { class: 'chart', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': title || 'metric chart' });
  if (title) svg.append(el('text', { x: pad.left, y: 18, 'font-weight': 600 }, title));
  if (!all.length) {
    svg.append(el('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle' }, 'no finite values'));
    return svg;
  }
  let [x0, x1] = [Math.min(...all.map((p) => p.x)), Math.max(...all.map((p) => p.x))];
  let [y0, y1] = [Math.min(...all.map((p) => p.y)), Math.max(...all.map((p) => p.y))];
  if (x0 === x1) { x0 -= 1; x1 += 1; }
  if (y0 === y1) { y0 -= Math.abs(y0) || 1; y1 += Math.abs(y1) || 1; }
  const plotW = width - pad.left - pad.right, plotH = height - pad.top - pad.bottom;
  const sx = (x) => pad.left + ((x - x0) / (x1 - x0)) * plotW;
  const sy = (y) => pad.top + plotH - ((y - y0) / (y1 - y0)) * plotH;
  svg.append(el('line', { class: 'axis', x1: pad.left, y1: pad.top + plotH, x2: pad.left + plotW, y2: pad.top + plotH }));
  svg.append(el('line', { class: 'axis', x1: pad.left, y1: pad.top, x2: pad.left, y2: pad.top + plotH }));
  for (const y of [y0, (y0 + y1) / 2, y1]) svg.append(el('text', { x: pad.left - 6, y: sy(y) + 4, 'text-anchor': 'end' }, fmt(y)));
  for (const x of [x0, x1]) svg.append(el('text', { x: sx(x), y: pad.top + plotH + 14, 'text-anchor': 'middle' }, fmt(x)));
  svg.append(el('text', { x: pad.left + plotW / 2, y: pad.top + plotH + 28, 'text-anchor': 'middle' }, 'step'));
  clean.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const pts = [...s.points].sort((a, b) => a.x - b.x);
    svg.append(el('polyline', { class: 'series', stroke: color, points: pts.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' '), 'data-series': s.name }));
    for (const p of pts) svg.append(el('circle', { cx: sx(p.x).toFixed(1), cy: sy(p.y).toFixed(1), r: 2.5, fill: color }));
    const lx = pad.left + (i % 3) * (plotW / 3), ly = pad.top + plotH + 44 + 16 * Math.floor(i / 3);
    svg.append(el('rect', { x: lx, y: ly - 9, width: 10, height: 10, fill: color }));
    svg.append(el('text', { x: lx + 14, y: ly }, s.name));
  });
  return svg;
}
