import type { Backend } from '../backend/backend.js';
import { type DType, type TypedArray, typedArrayFor } from '../dtype.js';
import { Storage } from '../storage.js';
import { adamKernel } from './adam.js';
import { returnArray, takeArray } from './array-pool.js';
import { binaryKernel, binaryScalarKernel, copyKernel, fillKernel, unaryKernel, whereKernel } from './elementwise.js';
import { col2imKernel, im2colKernel, maxPool2dKernel } from './im2col.js';
import { gatherKernel, indexAddKernel, indexSelectKernel, scatterAddKernel } from './indexing.js';
import { addcmulKernel, lerpKernel } from './pointwise-fma.js';
import { dotKernel } from './blas-float32.js';
import { matmulKernel } from './matmul.js';
import { argReduceKernel, reduceKernel } from './reduce.js';
import { scanKernel } from './scan.js';
import { sortKernel } from './sort.js';

/** The pure-TypeScript backend over typed arrays: the embedded default, needing no wasm. */
export const cpuBackend: Backend<TypedArray> = {
  name: 'cpu',
  alloc(dtype: DType, size: number) {
    return new Storage<TypedArray>(cpuBackend, dtype, size, takeArray(dtype, size, true));
  },
  allocUninitialized(dtype: DType, size: number) {
    return new Storage<TypedArray>(cpuBackend, dtype, size, takeArray(dtype, size, false));
  },
  fromArray(dtype: DType, data: TypedArray) {
    const Ctor = typedArrayFor(dtype);
    const copy = data instanceof Ctor ? data.slice() : Ctor.from(data as ArrayLike<number>);
    return new Storage<TypedArray>(cpuBackend, dtype, copy.length, copy);
  },
  read(storage) {
    return storage.data.slice();
  },
  write(storage, data, start = 0) {
    storage.data.set(data as never, start);
  },
  free(storage) {
    // Forgotten storages are plain garbage; disposed ones lend their array to the next of their size.
    returnArray(storage.dtype, storage.rawHandle);
  },
  fill: fillKernel,
  copy: copyKernel,
  unary: unaryKernel,
  binary: binaryKernel,
  binaryScalar: binaryScalarKernel,
  where: whereKernel,
  reduce: reduceKernel,
  argReduce: argReduceKernel,
  matmul: matmulKernel,
  gather: gatherKernel,
  scatterAdd: scatterAddKernel,
  indexSelect: indexSelectKernel,
  indexAdd: indexAddKernel,
  scan: scanKernel,
  sort: sortKernel,
  fused: {
    dot: dotKernel,
    im2col: im2colKernel,
    col2im: col2imKernel,
    maxPool2d: maxPool2dKernel,
    addcmul: addcmulKernel,
    lerp: lerpKernel,
    adam: adamKernel,
  },
};
