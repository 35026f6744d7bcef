export interface Series {
  label: string;
  values: readonly number[];
}

/** A small self-contained SVG line chart, each series scaled to its own range. */
export function lineChartSvg(title: string, series: readonly Series[], width = 640, height = 360): string {
  const pad = 48;
  const colors = ['#d62728', '#1f77b4', '#2ca02c', '#9467bd'];
  const lines = series.map((s, k) => {
    const lo = Math.min(...s.values);
    const hi = Math.max(...s.values);
    const span = hi - lo || 1;
    const n = Math.max(s.values.length - 1, 1);
    const pts = s.values.map(
      (v, i) => `${(pad + (i / n) * (width - 2 * pad)).toFixed(1)},${(height - pad - ((v - lo) / span) * (height - 2 * pad)).toFixed(1)}`,
    );
    const color = colors[k % colors.length];
    return (
      `<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.join(' ')}"/>` +
      `<text x="${pad + k * 200}" y="${height - 12}" fill="${color}" font-size="13">${s.label} (${lo.toFixed(3)} – ${hi.toFixed(3)})</text>`
    );
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<rect width="100%" height="100%" fill="white"/><text x="${pad}" y="28" font-size="16" font-family="sans-serif">${title}</text>` +
    `<line x1="${pad}" y1="${height - pad}" x2="${width - pad}" y2="${height - pad}" stroke="#999"/>` +
    `<line x1="${pad}" y1="${pad}" x2="${pad}" y2="${height - pad}" stroke="#999"/>${lines.join('')}</svg>\n`
  );
}
