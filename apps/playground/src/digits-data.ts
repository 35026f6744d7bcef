import { fromArray, type Tensor } from '@gd/tensor';
import digitsUrl from './generated/digits.bin?url';

export const PIXELS = 28 * 28;

export interface DigitSet {
  /** [n, 784] float32 pixels in [0, 1]. */
  x: Tensor;
  /** [n] int64 labels. */
  y: Tensor;
}

/** Fetches the digits packed by scripts/prepare-digits.mjs (a label byte, then 784 pixel bytes, per digit). */
export async function fetchDigits(): Promise<DigitSet> {
  const response = await fetch(digitsUrl);
  if (!response.ok) throw new Error(`could not fetch the digits (${response.status} ${response.statusText})`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const n = Math.floor(bytes.length / (PIXELS + 1));
  const pixels = new Float32Array(n * PIXELS);
  const labels = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const at = i * (PIXELS + 1);
    labels[i] = bytes[at]!;
    for (let p = 0; p < PIXELS; p++) pixels[i * PIXELS + p] = bytes[at + 1 + p]! / 255;
  }
  return { x: fromArray(pixels, [n, PIXELS]), y: fromArray(labels, [n], { dtype: 'int64' }) };
}

/** The first `train` samples for training, the rest for testing (the file cycles through the digits, so both are balanced). */
export function splitDigits(set: DigitSet, train: number): { train: DigitSet; test: DigitSet } {
  const n = set.x.shape[0]!;
  return {
    train: { x: set.x.slice(0, 0, train), y: set.y.slice(0, 0, train) },
    test: { x: set.x.slice(0, train, n), y: set.y.slice(0, train, n) },
  };
}
