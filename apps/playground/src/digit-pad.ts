const SIZE = 28;
const BOX = 20;

/**
 * A canvas to draw on with mouse, pen or touch (white ink on black, as MNIST), and its MNIST-style
 * 28×28 version: the ink's bounding box scaled to fit 20×20, placed so its centre of mass sits at
 * the centre of the 28×28 frame.
 */
export class DigitPad {
  readonly #ctx: CanvasRenderingContext2D;
  readonly #small: CanvasRenderingContext2D;
  #last: { x: number; y: number } | null = null;

  constructor(
    readonly canvas: HTMLCanvasElement,
    readonly preview: HTMLCanvasElement,
    onStroke: () => void,
  ) {
    this.#ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    this.#small = preview.getContext('2d', { willReadFrequently: true })!;
    this.clear();
    canvas.addEventListener('pointerdown', (e) => {
      canvas.setPointerCapture(e.pointerId);
      this.#last = this.#point(e);
      this.#line(this.#last, this.#last);
    });
    canvas.addEventListener('pointermove', (e) => {
      if (!this.#last) return;
      const next = this.#point(e);
      this.#line(this.#last, next);
      this.#last = next;
    });
    const end = () => {
      if (!this.#last) return;
      this.#last = null;
      onStroke();
    };
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);
  }

  clear(): void {
    this.#ctx.fillStyle = '#000';
    this.#ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    this.#small.fillStyle = '#000';
    this.#small.fillRect(0, 0, SIZE, SIZE);
  }

  /** The drawing as 784 values in [0, 1] (row-major 28×28), or null when the pad is empty. */
  pixels(): Float32Array | null {
    const { width, height } = this.canvas;
    const ink = this.#ctx.getImageData(0, 0, width, height).data;
    let left = width;
    let right = -1;
    let top = height;
    let bottom = -1;
    let mass = 0;
    let sumX = 0;
    let sumY = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const v = ink[(y * width + x) * 4]!;
        if (v === 0) continue;
        left = Math.min(left, x);
        right = Math.max(right, x);
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
        mass += v;
        sumX += v * x;
        sumY += v * y;
      }
    }
    if (right < 0) return null;
    const w = right - left + 1;
    const h = bottom - top + 1;
    const scale = BOX / Math.max(w, h);
    const dx = SIZE / 2 - (sumX / mass - left) * scale;
    const dy = SIZE / 2 - (sumY / mass - top) * scale;
    const small = this.#small;
    small.fillStyle = '#000';
    small.fillRect(0, 0, SIZE, SIZE);
    small.imageSmoothingEnabled = true;
    small.imageSmoothingQuality = 'high';
    small.drawImage(this.canvas, left, top, w, h, dx, dy, w * scale, h * scale);
    const reduced = small.getImageData(0, 0, SIZE, SIZE).data;
    const out = new Float32Array(SIZE * SIZE);
    for (let i = 0; i < out.length; i++) out[i] = reduced[i * 4]! / 255;
    return out;
  }

  #point(e: PointerEvent): { x: number; y: number } {
    const rect = this.canvas.getBoundingClientRect();
    return {
      x: ((e.clientX - rect.left) / rect.width) * this.canvas.width,
      y: ((e.clientY - rect.top) / rect.height) * this.canvas.height,
    };
  }

  #line(from: { x: number; y: number }, to: { x: number; y: number }): void {
    const ctx = this.#ctx;
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 22;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x, to.y);
    ctx.stroke();
  }
}
