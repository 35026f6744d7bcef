import { noGrad } from '@gd/autograd';
import type { Module } from '@gd/nn';
import { fromArray, type Tensor } from '@gd/tensor';

const CLASS_COLORS: readonly [number, number, number][] = [
  [37, 99, 235], // class 0: blue
  [234, 88, 12], // class 1: orange
];

/**
 * Paints a two-class model's decision regions over the square [-extent, extent]² and the data
 * points on top. The model is evaluated on a `resolution`² grid without recording a graph; the
 * grid image is scaled up with smoothing so the boundary reads as a soft edge.
 */
export class BoundaryView {
  readonly #ctx: CanvasRenderingContext2D;
  readonly #grid: Tensor;
  readonly #image: ImageData;
  readonly #scratch: HTMLCanvasElement;

  constructor(
    readonly canvas: HTMLCanvasElement,
    readonly extent = 2,
    readonly resolution = 64,
  ) {
    this.#ctx = canvas.getContext('2d')!;
    const cells = new Float32Array(resolution * resolution * 2);
    for (let row = 0; row < resolution; row++) {
      for (let col = 0; col < resolution; col++) {
        const at = (row * resolution + col) * 2;
        cells[at] = this.#toWorld(col + 0.5, resolution);
        cells[at + 1] = -this.#toWorld(row + 0.5, resolution);
      }
    }
    this.#grid = fromArray(cells, [resolution * resolution, 2]);
    this.#scratch = document.createElement('canvas');
    this.#scratch.width = this.#scratch.height = resolution;
    this.#image = new ImageData(resolution, resolution);
  }

  draw(model: Module, points: Float32Array, labels: ArrayLike<number>): void {
    const probability = noGrad(() => (model.call(this.#grid) as Tensor).softmax(1).select(1, 1).dataSync());
    const pixels = this.#image.data;
    for (let i = 0; i < probability.length; i++) {
      const p = probability[i]!;
      for (let c = 0; c < 3; c++) {
        const mixed = CLASS_COLORS[0]![c]! * (1 - p) + CLASS_COLORS[1]![c]! * p;
        pixels[i * 4 + c] = 255 - (255 - mixed) * 0.35; // a light tint, so the points stand out
      }
      pixels[i * 4 + 3] = 255;
    }
    this.#scratch.getContext('2d')!.putImageData(this.#image, 0, 0);
    const ctx = this.#ctx;
    const { width, height } = this.canvas;
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(this.#scratch, 0, 0, width, height);
    for (let i = 0; i < labels.length; i++) {
      const [r, g, b] = CLASS_COLORS[labels[i]!]!;
      ctx.fillStyle = `rgb(${r} ${g} ${b})`;
      ctx.strokeStyle = '#fff';
      ctx.beginPath();
      ctx.arc(this.#toCanvas(points[i * 2]!, width), this.#toCanvas(-points[i * 2 + 1]!, height), 4, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    }
  }

  #toWorld(cell: number, cells: number): number {
    return (cell / cells) * 2 * this.extent - this.extent;
  }

  #toCanvas(world: number, size: number): number {
    return ((world + this.extent) / (2 * this.extent)) * size;
  }
}
