/** A line chart of a loss history on a canvas: linear y axis from 0 to the largest value seen. */
export class LossChart {
  readonly #ctx: CanvasRenderingContext2D;

  constructor(
    readonly canvas: HTMLCanvasElement,
    readonly title: string,
  ) {
    this.#ctx = canvas.getContext('2d')!;
    this.draw([]);
  }

  draw(values: readonly number[]): void {
    const ctx = this.#ctx;
    const { width, height } = this.canvas;
    const pad = { left: 44, right: 12, top: 24, bottom: 24 };
    const w = width - pad.left - pad.right;
    const h = height - pad.top - pad.bottom;
    ctx.clearRect(0, 0, width, height);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, width, height);
    ctx.font = '12px system-ui, sans-serif';
    ctx.fillStyle = '#333';
    ctx.fillText(values.length > 0 ? `${this.title}: ${values[values.length - 1]!.toFixed(4)}` : this.title, pad.left, 15);
    const top = Math.max(1e-12, ...values);
    ctx.strokeStyle = '#ccc';
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(pad.left, pad.top);
    ctx.lineTo(pad.left, pad.top + h);
    ctx.lineTo(pad.left + w, pad.top + h);
    ctx.stroke();
    ctx.fillStyle = '#666';
    ctx.textAlign = 'right';
    ctx.fillText(values.length > 0 ? top.toPrecision(2) : '', pad.left - 4, pad.top + 8);
    ctx.fillText('0', pad.left - 4, pad.top + h);
    ctx.textAlign = 'left';
    ctx.fillText(values.length > 0 ? `${values.length} steps` : 'no steps yet', pad.left + w - 70, pad.top + h + 16);
    if (values.length < 2) return;
    ctx.strokeStyle = '#2563eb';
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    values.forEach((v, i) => {
      const x = pad.left + (i / (values.length - 1)) * w;
      const y = pad.top + h - (v / top) * h;
      if (i === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    });
    ctx.stroke();
  }
}
