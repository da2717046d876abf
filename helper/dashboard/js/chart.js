// Plain SVG charts built with DOM APIs (createElementNS + textContent). Styles are presentation
// attributes, not CSS, so an exported .svg / .png looks the same outside the page (export.js).
// The numbers (scale, series kept, colours, legend places) come from chart-data.js.

import { svg } from "./dom.js";
import { legendLabel, legendLayout, niceMax } from "./chart-data.js";

const FONT = "'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";

function text(x, y, content, attrs = {}) {
  const el = svg("text", { x, y, "font-family": FONT, "font-size": 12, fill: "#343a40", ...attrs });
  el.textContent = content;
  return el;
}

function axis(group, { left, top, plotW, plotH, max }) {
  for (let i = 0; i <= 4; i++) {
    const value = (max * i) / 4;
    const y = top + plotH - (plotH * i) / 4;
    group.append(svg("line", { x1: left, x2: left + plotW, y1: y, y2: y, stroke: i ? "#e9ecef" : "#868e96", "stroke-width": 1 }));
    group.append(text(left - 6, y + 4, String(Math.round(value)), { "text-anchor": "end", "font-size": 11 }));
  }
}

/** The shared frame of a chart: white background, title, gridlines with whole-number ticks. */
function chartFrame({ title, width, height, left, top, plotW, plotH, max }) {
  const root = svg("svg", { xmlns: "http://www.w3.org/2000/svg", width, height, viewBox: `0 0 ${width} ${height}`, role: "img", class: "chart" });
  root.append(svg("rect", { x: 0, y: 0, width, height, fill: "#ffffff" }));
  root.append(text(left, 22, title, { "font-size": 15, "font-weight": "bold" }));
  const grid = svg("g", { class: "axis" });
  axis(grid, { left, top, plotW, plotH, max });
  root.append(grid);
  return root;
}

/**
 * stackedBars({title, labels, series: [{name, counts, color}], width, height}) -> <svg>
 * One stacked bar per label (day); a legend under the plot.
 */
export function stackedBars({ title, labels, series, width = 960, height = 360 }) {
  const left = 48, right = 16, top = 36;
  const plotW = width - left - right;
  // The legend wraps at the chart's width (labels are never cut mid-way nor drawn over each other).
  const legendLabels = series.map(legendLabel);
  const places = legendLayout(legendLabels, { left, width: plotW });
  const legendRows = places.length ? places[places.length - 1].row + 1 : 0;
  const bottom = 40 + legendRows * 20;
  height = Math.max(height, top + 160 + bottom);
  const plotH = height - top - bottom;
  const totals = labels.map((_, i) => series.reduce((sum, s) => sum + (s.counts[i] || 0), 0));
  const max = niceMax(Math.max(0, ...totals));
  const root = chartFrame({ title, width, height, left, top, plotW, plotH, max });

  const slot = plotW / Math.max(1, labels.length);
  const barW = Math.max(2, Math.min(40, slot * 0.7));
  const labelEvery = Math.ceil(labels.length / Math.max(1, Math.floor(plotW / 70)));
  const bars = svg("g", { class: "bars" });
  labels.forEach((label, i) => {
    const x = left + slot * i + (slot - barW) / 2;
    let y = top + plotH;
    for (const s of series) {
      const count = s.counts[i] || 0;
      if (!count) continue;
      const barH = (plotH * count) / max;
      y -= barH;
      const rect = svg("rect", { x: x.toFixed(1), y: y.toFixed(1), width: barW.toFixed(1), height: barH.toFixed(1), fill: s.color, class: "bar" });
      rect.append(svg("title", {}, `${label} · ${s.name}: ${count}`));
      bars.append(rect);
    }
    if (i % labelEvery === 0) bars.append(text(x + barW / 2, top + plotH + 16, label.slice(5), { "text-anchor": "middle", "font-size": 11 }));
  });
  root.append(bars);

  const legend = svg("g", { class: "legend" });
  series.forEach((s, i) => {
    const { x, y } = places[i];
    const ly = top + plotH + 34 + y;
    legend.append(svg("rect", { x, y: ly - 10, width: 12, height: 12, fill: s.color }));
    legend.append(text(x + 18, ly, legendLabels[i]));
  });
  root.append(legend);
  return root;
}

/** bars24({title, counts: [24 numbers]}) -> <svg> for the hour-of-day pattern. */
export function hourBars({ title, counts, width = 960, height = 220, color = "#1971c2" }) {
  const left = 48, right = 16, top = 36, bottom = 28;
  const plotW = width - left - right, plotH = height - top - bottom;
  const max = niceMax(Math.max(0, ...counts));
  const root = chartFrame({ title, width, height, left, top, plotW, plotH, max });
  const slot = plotW / 24;
  const bars = svg("g", { class: "bars" });
  counts.forEach((count, hour) => {
    const barH = (plotH * count) / max;
    const x = left + slot * hour + slot * 0.15;
    if (count) {
      const rect = svg("rect", { x: x.toFixed(1), y: (top + plotH - barH).toFixed(1), width: (slot * 0.7).toFixed(1), height: barH.toFixed(1), fill: color, class: "bar" });
      rect.append(svg("title", {}, `${hour}:00 · ${count}`));
      bars.append(rect);
    }
    bars.append(text(x + slot * 0.35, top + plotH + 16, String(hour), { "text-anchor": "middle", "font-size": 11 }));
  });
  root.append(bars);
  return root;
}
