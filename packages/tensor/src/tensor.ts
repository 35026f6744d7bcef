import { readArgs } from './args.js';
import { autograd, autogradLoaded, type BackwardOptions, type GradFn, type HookHandle, viewHistories } from './autograd-hooks.js';
import { keptTensors, trackTensor } from './scope-frames.js';
import type { Backend } from './backend/backend.js';
import { getBackend } from './backend/registry.js';
import { type DType, isFloatingPoint, type TypedArray } from './dtype.js';
import { RuntimeError } from './errors.js';
import { formatTensor } from './format.js';
import * as ops from './ops/index.js';
import type { Scalar, TensorOrScalar } from './ops/util.js';
import { isContiguousLayout, normalizeDim, numelOf } from './shape.js';
import type { Storage } from './storage.js';

export type NestedArray = number | boolean | readonly NestedArray[];
type DimArg = number | readonly number[] | null;
type KeepdimOpts = { keepdim?: boolean; dtype?: DType };

/** Gradients autograd made and assigned to a `.grad` (Tensor._setComputedGrad). */
const autogradGrads = new WeakSet<Tensor>();

let nextTensorId = 1;

/**
 * A strided view onto a backend storage, with PyTorch's autograd slots. Every op is a method
 * here and a function in `ops/`; the method just forwards, so the op's logic lives in one place.
 */
export class Tensor {
  // Fields are declared and assigned in the constructor rather than initialized as class fields:
  // V8 defines class fields one by one, which made every new tensor markedly slower.
  declare readonly storage: Storage;
  declare readonly shape: readonly number[];
  declare readonly strides: readonly number[];
  declare readonly offset: number;
  declare readonly dtype: DType;
  /** A process-unique id (stable across views), handy for maps keyed by tensor. */
  declare readonly id: number;

  declare private _grad: Tensor | null;
  declare private _gradFn: GradFn | null;
  declare private _outputNr: number;
  declare private _requiresGrad: boolean;
  /** Autograd's per-tensor bookkeeping (hooks, retained grad); owned by @gd/autograd. */
  declare _autogradMeta: unknown;
  /** The tensor a view was made from (its root, for views of views); null for a tensor owning its data. */
  declare _base: Tensor | null;

  constructor(storage: Storage, shape: readonly number[], strides: readonly number[], offset: number, dtype: DType = storage.dtype) {
    this.storage = storage;
    this.shape = shape;
    this.strides = strides;
    this.offset = offset;
    this.dtype = dtype;
    this.id = nextTensorId++;
    this._grad = null;
    this._gradFn = null;
    this._outputNr = 0;
    this._requiresGrad = false;
    this._autogradMeta = undefined;
    this._base = null;
    storage.refs++;
    trackTensor(this);
  }

  /** Accumulated gradient of a leaf after backward(); null until then. */
  get grad(): Tensor | null {
    return this._grad;
  }
  set grad(g: Tensor | null) {
    const old = this._grad;
    // A gradient backward made belongs to this tensor alone: when it is replaced (zeroGrad) its
    // memory goes at once on backends the garbage collector cannot see.
    if (old !== null && old !== g && autogradGrads.has(old) && old._gradFn === null && old.storage.backend.externalMemory === true)
      old.dispose();
    // A gradient outlives the scope() that computed it, as the tensor it belongs to does.
    if (g !== null) keptTensors.add(g);
    this._grad = g;
  }
  /** Sets `.grad` to a gradient autograd computed (not one the user assigned), see the setter. */
  _setComputedGrad(g: Tensor): void {
    autogradGrads.add(g);
    this.grad = g;
  }

  // ------------------------------------------------------------ metadata
  get backend(): Backend {
    return this.storage.backend;
  }
  /** The backend's name, PyTorch's `device` in spirit: 'cpu', 'wasm'. */
  get device(): string {
    return this.storage.backend.name;
  }
  get ndim(): number {
    return this.shape.length;
  }
  dim(): number {
    return this.shape.length;
  }
  numel(): number {
    return numelOf(this.shape);
  }
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    if (dim === undefined) return this.shape.slice();
    return this.shape[normalizeDim(dim, this.dim())] ?? 1;
  }
  stride(): number[];
  stride(dim: number): number;
  stride(dim?: number): number[] | number {
    if (dim === undefined) return this.strides.slice();
    return this.strides[normalizeDim(dim, this.dim())] ?? 1;
  }
  isContiguous(): boolean {
    return isContiguousLayout(this.shape, this.strides);
  }
  isFloatingPoint(): boolean {
    return isFloatingPoint(this.dtype);
  }
  elementSize(): number {
    return { float32: 4, float64: 8, int32: 4, int64: 8, bool: 1 }[this.dtype];
  }
  /** The storage's in-place write counter (PyTorch's `_version`). */
  get version(): number {
    return this.storage.version;
  }

  // ------------------------------------------------------------ autograd slots
  get requiresGrad(): boolean {
    if (this._base !== null && viewHistories.rebased) this.syncView();
    return this._requiresGrad;
  }
  set requiresGrad(value: boolean) {
    if (!value && this._gradFn)
      throw new RuntimeError(
        "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().",
      );
    if (value && !isFloatingPoint(this.dtype))
      throw new RuntimeError('Only Tensors of floating point and complex dtype can require gradients');
    this._requiresGrad = value;
  }
  get gradFn(): GradFn | null {
    if (this._base !== null && viewHistories.rebased) this.syncView();
    return this._gradFn;
  }
  /** Which output of its gradFn this tensor is. */
  get outputNr(): number {
    if (this._base !== null && viewHistories.rebased) this.syncView();
    return this._outputNr;
  }
  /** True for tensors created by the user rather than by a recorded op. */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }
  /** A view whose base was since changed in place (through another view) takes its history from the base again. */
  private syncView(): void {
    if (autogradLoaded()) autograd().refreshView(this);
  }
  /** Attaches this tensor to the graph as output `outputNr` of `gradFn` (autograd's recorder uses it). */
  _setHistory(gradFn: GradFn | null, outputNr = 0): void {
    this._gradFn = gradFn;
    this._outputNr = outputNr;
    this._requiresGrad = gradFn !== null || this._requiresGrad;
  }
  requiresGrad_(requiresGrad = true): this {
    this.requiresGrad = requiresGrad;
    return this;
  }
  retainGrad(): void {
    autograd().retainGrad(this);
  }
  get retainsGrad(): boolean {
    return (this._autogradMeta as { retainsGrad?: boolean } | undefined)?.retainsGrad === true;
  }
  registerHook(hook: (grad: Tensor) => Tensor | void): HookHandle {
    return autograd().registerHook(this, hook);
  }
  /** Computes the gradient of this tensor with respect to graph leaves (needs @gd/autograd). */
  backward(gradient?: Tensor | null, options: BackwardOptions = {}): void {
    autograd().backward(this, gradient ?? null, options);
  }
  /** A tensor sharing storage with this one, cut from the graph. */
  detach(): Tensor {
    return new Tensor(this.storage, this.shape, this.strides, this.offset, this.dtype);
  }
  detach_(): this {
    this._gradFn = null;
    this._outputNr = 0;
    this._requiresGrad = false;
    return this;
  }
  /** PyTorch's `.data`: the same values, detached from the graph. */
  get data(): Tensor {
    return this.detach();
  }

  // ------------------------------------------------------------ reading values
  /** The elements in row-major order as a typed array (int64 as a Float64Array). */
  dataSync(): TypedArray {
    const c = this.isContiguous() && this.offset === 0 && this.storage.size === this.numel() ? this : ops.clone(this.detach());
    return c.storage.backend.read(c.storage).subarray(c.offset, c.offset + c.numel());
  }
  /** The value of a one-element tensor as a JS number (booleans for bool tensors). */
  item(): number | boolean {
    const n = this.numel();
    if (n !== 1) throw new RuntimeError(`a Tensor with ${n} elements cannot be converted to Scalar`);
    const v = this.dataSync()[0]!;
    return this.dtype === 'bool' ? v !== 0 : v;
  }
  /** Nested JS arrays of the values (a number for a 0-d tensor). */
  tolist(): NestedArray {
    const flat = this.dataSync();
    const conv = this.dtype === 'bool' ? (v: number) => v !== 0 : (v: number) => v;
    const build = (d: number, off: number): NestedArray => {
      if (d === this.shape.length) return conv(flat[off]!);
      const size = this.shape[d]!;
      let inner = 1;
      for (let i = d + 1; i < this.shape.length; i++) inner *= this.shape[i]!;
      return Array.from({ length: size }, (_, i) => build(d + 1, off + i * inner));
    };
    return build(0, 0);
  }
  toString(): string {
    return formatTensor(this);
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  // ------------------------------------------------------------ memory
  /** Frees this tensor's storage once no other live tensor shares it. */
  dispose(): void {
    if (this.storage.isDisposed) return;
    this.storage.refs--;
    if (this.storage.refs <= 0) this.storage.free();
  }
  [Symbol.dispose](): void {
    this.dispose();
  }
  get isDisposed(): boolean {
    return this.storage.isDisposed;
  }

  // ------------------------------------------------------------ conversion
  /** Converts to a dtype or moves to a backend (by name or object). Returns self when nothing changes. */
  to(target: DType | string | Backend, options: { copy?: boolean } = {}): Tensor {
    return ops.to(this, target, options);
  }
  float(): Tensor {
    return ops.to(this, 'float32');
  }
  double(): Tensor {
    return ops.to(this, 'float64');
  }
  int(): Tensor {
    return ops.to(this, 'int32');
  }
  long(): Tensor {
    return ops.to(this, 'int64');
  }
  bool(): Tensor {
    return ops.to(this, 'bool');
  }
  cpu(): Tensor {
    return ops.to(this, 'cpu');
  }
  clone(): Tensor {
    return ops.clone(this);
  }
  contiguous(): Tensor {
    return ops.contiguous(this);
  }

  // ------------------------------------------------------------ views and shape
  view(...shape: (number | readonly number[])[]): Tensor {
    return ops.view(this, flatSizes(shape));
  }
  viewAs(other: Tensor): Tensor {
    return ops.view(this, other.shape);
  }
  reshape(...shape: (number | readonly number[])[]): Tensor {
    return ops.reshape(this, flatSizes(shape));
  }
  reshapeAs(other: Tensor): Tensor {
    return ops.reshape(this, other.shape);
  }
  flatten(startDim = 0, endDim = -1): Tensor {
    return ops.flatten(this, startDim, endDim);
  }
  unflatten(dim: number, sizes: readonly number[]): Tensor {
    return ops.unflatten(this, dim, sizes);
  }
  transpose(dim0: number, dim1: number): Tensor {
    return ops.transpose(this, dim0, dim1);
  }
  t(): Tensor {
    return ops.t(this);
  }
  get T(): Tensor {
    return ops.permute(
      this,
      this.shape.map((_, i) => this.dim() - 1 - i),
    );
  }
  get mT(): Tensor {
    return ops.transpose(this, -2, -1);
  }
  permute(...dims: (number | readonly number[])[]): Tensor {
    return ops.permute(this, flatSizes(dims));
  }
  movedim(source: number, destination: number): Tensor {
    return ops.movedim(this, source, destination);
  }
  expand(...sizes: (number | readonly number[])[]): Tensor {
    return ops.expand(this, flatSizes(sizes));
  }
  expandAs(other: Tensor): Tensor {
    return ops.expand(this, other.shape);
  }
  squeeze(dim?: number | readonly number[] | null): Tensor {
    return ops.squeeze(this, dim);
  }
  unsqueeze(dim: number): Tensor {
    return ops.unsqueeze(this, dim);
  }
  /** Python's `x[..., start:end:step]` along `dim`. */
  slice(dim = 0, start: number | null = null, end: number | null = null, step = 1): Tensor {
    return ops.slice(this, dim, start, end, step);
  }
  narrow(dim: number, start: number, length: number): Tensor {
    return ops.narrow(this, dim, start, length);
  }
  select(dim: number, index: number): Tensor {
    return ops.select(this, dim, index);
  }
  unbind(dim = 0): Tensor[] {
    return ops.unbind(this, dim);
  }
  split(splitSize: number | readonly number[], dim = 0): Tensor[] {
    return ops.split(this, splitSize, dim);
  }
  chunk(chunks: number, dim = 0): Tensor[] {
    return ops.chunk(this, chunks, dim);
  }

  // ------------------------------------------------------------ arithmetic
  add(other: TensorOrScalar, options?: { alpha?: number }): Tensor {
    return ops.add(this, other, options);
  }
  sub(other: TensorOrScalar, options?: { alpha?: number }): Tensor {
    return ops.sub(this, other, options);
  }
  mul(other: TensorOrScalar): Tensor {
    return ops.mul(this, other);
  }
  div(other: TensorOrScalar, options?: { roundingMode?: 'trunc' | 'floor' | null }): Tensor {
    return ops.div(this, other, options);
  }
  pow(exponent: TensorOrScalar): Tensor {
    return ops.pow(this, exponent);
  }
  add_(other: TensorOrScalar, options?: { alpha?: number }): this {
    ops.add_(this, other, options);
    return this;
  }
  sub_(other: TensorOrScalar, options?: { alpha?: number }): this {
    ops.sub_(this, other, options);
    return this;
  }
  mul_(other: TensorOrScalar): this {
    ops.mul_(this, other);
    return this;
  }
  div_(other: TensorOrScalar): this {
    ops.div_(this, other);
    return this;
  }
  pow_(exponent: TensorOrScalar): this {
    ops.pow_(this, exponent);
    return this;
  }
  neg(): Tensor {
    return ops.neg(this);
  }
  neg_(): this {
    ops.neg_(this);
    return this;
  }
  abs(): Tensor {
    return ops.abs(this);
  }
  abs_(): this {
    ops.abs_(this);
    return this;
  }
  sign(): Tensor {
    return ops.sign(this);
  }
  exp(): Tensor {
    return ops.exp(this);
  }
  exp_(): this {
    ops.exp_(this);
    return this;
  }
  expm1(): Tensor {
    return ops.expm1(this);
  }
  log(): Tensor {
    return ops.log(this);
  }
  log_(): this {
    ops.log_(this);
    return this;
  }
  log1p(): Tensor {
    return ops.log1p(this);
  }
  log2(): Tensor {
    return ops.log2(this);
  }
  log10(): Tensor {
    return ops.log10(this);
  }
  sqrt(): Tensor {
    return ops.sqrt(this);
  }
  sqrt_(): this {
    ops.sqrt_(this);
    return this;
  }
  rsqrt(): Tensor {
    return ops.rsqrt(this);
  }
  reciprocal(): Tensor {
    return ops.reciprocal(this);
  }
  square(): Tensor {
    return ops.square(this);
  }
  sin(): Tensor {
    return ops.sin(this);
  }
  cos(): Tensor {
    return ops.cos(this);
  }
  tan(): Tensor {
    return ops.tan(this);
  }
  asin(): Tensor {
    return ops.asin(this);
  }
  acos(): Tensor {
    return ops.acos(this);
  }
  atan(): Tensor {
    return ops.atan(this);
  }
  sinh(): Tensor {
    return ops.sinh(this);
  }
  cosh(): Tensor {
    return ops.cosh(this);
  }
  tanh(): Tensor {
    return ops.tanh(this);
  }
  tanh_(): this {
    ops.tanh_(this);
    return this;
  }
  sigmoid(): Tensor {
    return ops.sigmoid(this);
  }
  sigmoid_(): this {
    ops.sigmoid_(this);
    return this;
  }
  relu(): Tensor {
    return ops.relu(this);
  }
  relu_(): this {
    ops.relu_(this);
    return this;
  }
  floor(): Tensor {
    return ops.floor(this);
  }
  ceil(): Tensor {
    return ops.ceil(this);
  }
  round(): Tensor {
    return ops.round(this);
  }
  trunc(): Tensor {
    return ops.trunc(this);
  }
  frac(): Tensor {
    return ops.frac(this);
  }
  erf(): Tensor {
    return ops.erf(this);
  }
  erfinv(): Tensor {
    return ops.erfinv(this);
  }
  maximum(other: Tensor): Tensor {
    return ops.maximum(this, other);
  }
  minimum(other: Tensor): Tensor {
    return ops.minimum(this, other);
  }
  atan2(other: Tensor): Tensor {
    return ops.atan2(this, other);
  }
  remainder(other: TensorOrScalar): Tensor {
    return ops.remainder(this, other);
  }
  fmod(other: TensorOrScalar): Tensor {
    return ops.fmod(this, other);
  }
  floorDivide(other: TensorOrScalar): Tensor {
    return ops.floorDivide(this, other);
  }
  clamp(
    min?: number | Tensor | null | { min?: number | Tensor | null; max?: number | Tensor | null },
    max?: number | Tensor | null,
  ): Tensor {
    const a = readArgs<{ min: number | Tensor | null; max: number | Tensor | null }>([min, max], ['min', 'max'], { min: null, max: null });
    return ops.clamp(this, a.min, a.max);
  }
  clip(min?: number | Tensor | null, max?: number | Tensor | null): Tensor {
    return this.clamp(min, max);
  }
  clamp_(min?: number | null | { min?: number | null; max?: number | null }, max?: number | null): this {
    const a = readArgs<{ min: number | null; max: number | null }>([min, max], ['min', 'max'], { min: null, max: null });
    ops.clamp_(this, a.min, a.max);
    return this;
  }
  isnan(): Tensor {
    return ops.isnan(this);
  }
  isinf(): Tensor {
    return ops.isinf(this);
  }
  isfinite(): Tensor {
    return ops.isfinite(this);
  }
  nanToNum(options: { nan?: number; posinf?: number; neginf?: number } = {}): Tensor {
    return ops.nanToNum(this, options);
  }

  // ------------------------------------------------------------ comparison and logic
  eq(other: TensorOrScalar): Tensor {
    return ops.eq(this, other);
  }
  ne(other: TensorOrScalar): Tensor {
    return ops.ne(this, other);
  }
  lt(other: TensorOrScalar): Tensor {
    return ops.lt(this, other);
  }
  le(other: TensorOrScalar): Tensor {
    return ops.le(this, other);
  }
  gt(other: TensorOrScalar): Tensor {
    return ops.gt(this, other);
  }
  ge(other: TensorOrScalar): Tensor {
    return ops.ge(this, other);
  }
  logicalNot(): Tensor {
    return ops.logicalNot(this);
  }
  logicalAnd(other: TensorOrScalar): Tensor {
    return ops.logicalAnd(this, other);
  }
  logicalOr(other: TensorOrScalar): Tensor {
    return ops.logicalOr(this, other);
  }
  logicalXor(other: TensorOrScalar): Tensor {
    return ops.logicalXor(this, other);
  }
  /** `x.where(condition, y)`: x where condition holds, else y. */
  where(condition: Tensor, other: TensorOrScalar): Tensor {
    return ops.where(condition, this, other);
  }
  equal(other: Tensor): boolean {
    return ops.equal(this, other);
  }
  allclose(other: Tensor, options?: { rtol?: number; atol?: number; equalNan?: boolean }): boolean {
    return ops.allclose(this, other, options);
  }

  // ------------------------------------------------------------ in-place fill and copy
  zero_(): this {
    ops.fill_(this, 0);
    return this;
  }
  fill_(value: Scalar): this {
    ops.fill_(this, value);
    return this;
  }
  copy_(src: Tensor): this {
    ops.copy_(this, src);
    return this;
  }

  // ------------------------------------------------------------ reductions
  sum(dim?: DimArg | ({ dim?: DimArg } & KeepdimOpts), keepdim?: boolean | KeepdimOpts): Tensor {
    return ops.sum(this, reduceArgs(dim, keepdim));
  }
  mean(dim?: DimArg | ({ dim?: DimArg } & KeepdimOpts), keepdim?: boolean | KeepdimOpts): Tensor {
    return ops.mean(this, reduceArgs(dim, keepdim));
  }
  amax(dim?: DimArg | ({ dim?: DimArg } & KeepdimOpts), keepdim?: boolean | KeepdimOpts): Tensor {
    return ops.amax(this, reduceArgs(dim, keepdim));
  }
  amin(dim?: DimArg | ({ dim?: DimArg } & KeepdimOpts), keepdim?: boolean | KeepdimOpts): Tensor {
    return ops.amin(this, reduceArgs(dim, keepdim));
  }
  prod(dim?: number | null | ({ dim?: number | null } & KeepdimOpts), keepdim?: boolean | KeepdimOpts): Tensor {
    return ops.prod(this, reduceArgs(dim, keepdim));
  }
  nansum(dim?: DimArg | ({ dim?: DimArg } & KeepdimOpts), keepdim?: boolean | KeepdimOpts): Tensor {
    return ops.nansum(this, reduceArgs(dim, keepdim));
  }
  logsumexp(dim?: DimArg | ({ dim?: DimArg } & KeepdimOpts), keepdim?: boolean | KeepdimOpts): Tensor {
    return ops.logsumexp(this, reduceArgs(dim, keepdim));
  }
  all(dim?: DimArg | ({ dim?: DimArg } & KeepdimOpts), keepdim?: boolean | KeepdimOpts): Tensor {
    return ops.all(this, reduceArgs(dim, keepdim));
  }
  any(dim?: DimArg | ({ dim?: DimArg } & KeepdimOpts), keepdim?: boolean | KeepdimOpts): Tensor {
    return ops.any(this, reduceArgs(dim, keepdim));
  }
  countNonzero(dim: DimArg = null): Tensor {
    return ops.countNonzero(this, dim);
  }
  /** `x.max()` (0-d), `x.max(dim, keepdim?)` ({values, indices}), or `x.max(other)` (maximum). */
  max(): Tensor;
  max(other: Tensor): Tensor;
  max(dim: number | { dim: number; keepdim?: boolean }, keepdim?: boolean | { keepdim?: boolean }): ops.ValuesIndices;
  max(dim?: number | Tensor | { dim: number; keepdim?: boolean }, keepdim?: boolean | { keepdim?: boolean }): Tensor | ops.ValuesIndices {
    if (dim instanceof Tensor) return ops.max(this, dim);
    const a = dimKeepdimArgs<number>(dim, keepdim);
    return ops.max(this, a.dim, a.keepdim);
  }
  /** `x.min()` (0-d), `x.min(dim, keepdim?)` ({values, indices}), or `x.min(other)` (minimum). */
  min(): Tensor;
  min(other: Tensor): Tensor;
  min(dim: number | { dim: number; keepdim?: boolean }, keepdim?: boolean | { keepdim?: boolean }): ops.ValuesIndices;
  min(dim?: number | Tensor | { dim: number; keepdim?: boolean }, keepdim?: boolean | { keepdim?: boolean }): Tensor | ops.ValuesIndices {
    if (dim instanceof Tensor) return ops.min(this, dim);
    const a = dimKeepdimArgs<number>(dim, keepdim);
    return ops.min(this, a.dim, a.keepdim);
  }
  argmax(dim?: number | null | { dim?: number | null; keepdim?: boolean }, keepdim?: boolean | { keepdim?: boolean }): Tensor {
    const a = dimKeepdimArgs<number>(dim, keepdim);
    return ops.argmax(this, a.dim, a.keepdim);
  }
  argmin(dim?: number | null | { dim?: number | null; keepdim?: boolean }, keepdim?: boolean | { keepdim?: boolean }): Tensor {
    const a = dimKeepdimArgs<number>(dim, keepdim);
    return ops.argmin(this, a.dim, a.keepdim);
  }
  /** Variance: `x.var()`, `x.var(dim, unbiased?, keepdim?)`, `x.var(false)`, or options {dim, correction, unbiased, keepdim}. */
  var(...args: (DimArg | boolean | ops.VarOptions | undefined)[]): Tensor {
    return ops.var(this, ops.readVarArgs(args));
  }
  /** Standard deviation; arguments as `var`. */
  std(...args: (DimArg | boolean | ops.VarOptions | undefined)[]): Tensor {
    return ops.std(this, ops.readVarArgs(args));
  }
  /** `x.norm(p = 'fro', dim?, keepdim?)`, or options {p, dim, keepdim, dtype}. */
  norm(
    p?: number | 'fro' | ({ p?: number | 'fro' } & ops.NormOptions),
    dim?: DimArg | ops.NormOptions,
    keepdim?: boolean | ops.NormOptions,
  ): Tensor {
    const a = readArgs<{ p: number | 'fro' } & ops.NormOptions>([p, dim, keepdim], ['p', 'dim', 'keepdim'], { p: 'fro' });
    return ops.norm(this, a.p, a);
  }

  // ------------------------------------------------------------ softmax, scans and ordering
  softmax(dim: number, options?: ops.SoftmaxOptions): Tensor {
    return ops.softmax(this, dim, options);
  }
  logSoftmax(dim: number, options?: ops.SoftmaxOptions): Tensor {
    return ops.logSoftmax(this, dim, options);
  }
  cumsum(dim: number, options?: ops.ScanOptions): Tensor {
    return ops.cumsum(this, dim, options);
  }
  cumprod(dim: number, options?: ops.ScanOptions): Tensor {
    return ops.cumprod(this, dim, options);
  }
  logcumsumexp(dim: number): Tensor {
    return ops.logcumsumexp(this, dim);
  }
  cummax(dim: number): ops.ValuesIndices {
    return ops.cummax(this, dim);
  }
  cummin(dim: number): ops.ValuesIndices {
    return ops.cummin(this, dim);
  }
  /** `x.sort(dim = -1, descending = false)`, or options {dim, descending, stable}. */
  sort(dim?: number | ops.SortOptions, descending?: boolean | ops.SortOptions): ops.ValuesIndices {
    return ops.sort(this, readArgs<ops.SortOptions>([dim, descending], ['dim', 'descending'], {}));
  }
  argsort(dim?: number | ops.SortOptions, descending?: boolean | ops.SortOptions): Tensor {
    return ops.argsort(this, readArgs<ops.SortOptions>([dim, descending], ['dim', 'descending'], {}));
  }
  /** `x.topk(k, dim = -1, largest = true, sorted = true)`, or options after k. */
  topk(
    k: number,
    dim?: number | ops.TopkOptions,
    largest?: boolean | ops.TopkOptions,
    sorted?: boolean | ops.TopkOptions,
  ): ops.ValuesIndices {
    return ops.topk(this, k, readArgs<ops.TopkOptions>([dim, largest, sorted], ['dim', 'largest', 'sorted'], {}));
  }
  kthvalue(k: number, dim?: number | { dim?: number; keepdim?: boolean }, keepdim?: boolean | { keepdim?: boolean }): ops.ValuesIndices {
    const a = readArgs<{ dim: number; keepdim: boolean }>([dim, keepdim], ['dim', 'keepdim'], { dim: -1, keepdim: false });
    return ops.kthvalue(this, k, a.dim, a.keepdim);
  }
  unique(options?: ops.UniqueOptions): Tensor | Tensor[] {
    return ops.unique(this, options);
  }

  // ------------------------------------------------------------ indexing
  /** Python's `x[...]`: `x.index(0)`, `x.index(':', '1:3')`, `x.index(idx)`, `x.index(mask)`; see `IndexSpec`. */
  index(...specs: ops.IndexSpec[]): Tensor {
    return ops.index(this, ...specs);
  }
  indexSelect(dim: number, index: Tensor): Tensor {
    return ops.indexSelect(this, dim, index);
  }
  gather(dim: number, index: Tensor): Tensor {
    return ops.gather(this, dim, index);
  }
  take(index: Tensor): Tensor {
    return ops.take(this, index);
  }
  scatter(dim: number, index: Tensor, src: Tensor | number): Tensor {
    return ops.scatter(this, dim, index, src);
  }
  scatter_(dim: number, index: Tensor, src: Tensor | number): this {
    ops.scatter_(this, dim, index, src);
    return this;
  }
  scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor {
    return ops.scatterAdd(this, dim, index, src);
  }
  scatterAdd_(dim: number, index: Tensor, src: Tensor): this {
    ops.scatterAdd_(this, dim, index, src);
    return this;
  }
  indexAdd(dim: number, index: Tensor, source: Tensor, options?: { alpha?: number }): Tensor {
    return ops.indexAdd(this, dim, index, source, options);
  }
  indexAdd_(dim: number, index: Tensor, source: Tensor, options?: { alpha?: number }): this {
    ops.indexAdd_(this, dim, index, source, options);
    return this;
  }
  maskedFill(mask: Tensor, value: Scalar | Tensor): Tensor {
    return ops.maskedFill(this, mask, value);
  }
  maskedFill_(mask: Tensor, value: Scalar | Tensor): this {
    ops.maskedFill_(this, mask, value);
    return this;
  }
  maskedSelect(mask: Tensor): Tensor {
    return ops.maskedSelect(this, mask);
  }
  nonzero(): Tensor;
  nonzero(options: { asTuple: true }): Tensor[];
  nonzero(options: { asTuple?: boolean }): Tensor | Tensor[];
  nonzero(options?: { asTuple?: boolean }): Tensor | Tensor[] {
    return ops.nonzero(this, options);
  }
  argwhere(): Tensor {
    return ops.argwhere(this);
  }

  // ------------------------------------------------------------ pointwise updates
  addcmul(tensor1: Tensor, tensor2: Tensor, options?: ops.ValueOptions): Tensor {
    return ops.addcmul(this, tensor1, tensor2, options);
  }
  addcmul_(tensor1: Tensor, tensor2: Tensor, options?: ops.ValueOptions): this {
    ops.addcmul_(this, tensor1, tensor2, options);
    return this;
  }
  addcdiv(tensor1: Tensor, tensor2: Tensor, options?: ops.ValueOptions): Tensor {
    return ops.addcdiv(this, tensor1, tensor2, options);
  }
  addcdiv_(tensor1: Tensor, tensor2: Tensor, options?: ops.ValueOptions): this {
    ops.addcdiv_(this, tensor1, tensor2, options);
    return this;
  }
  lerp(end: Tensor, weight: number | Tensor): Tensor {
    return ops.lerp(this, end, weight);
  }
  lerp_(end: Tensor, weight: number | Tensor): this {
    ops.lerp_(this, end, weight);
    return this;
  }

  // ------------------------------------------------------------ random fills
  normal_(mean?: number | ops.GeneratorOptions, std?: number | ops.GeneratorOptions, options?: ops.GeneratorOptions): this {
    const a = readArgs<{ mean: number; std: number } & ops.GeneratorOptions>([mean, std, options], ['mean', 'std'], { mean: 0, std: 1 });
    ops.normal_(this, a.mean, a.std, a);
    return this;
  }
  uniform_(from?: number | ops.GeneratorOptions, to?: number | ops.GeneratorOptions, options?: ops.GeneratorOptions): this {
    const a = readArgs<{ from: number; to: number } & ops.GeneratorOptions>([from, to, options], ['from', 'to'], { from: 0, to: 1 });
    ops.uniform_(this, a.from, a.to, a);
    return this;
  }
  bernoulli_(p?: number | Tensor | ops.GeneratorOptions, options?: ops.GeneratorOptions): this {
    const a = readArgs<{ p: number | Tensor } & ops.GeneratorOptions>([p, options], ['p'], { p: 0.5 });
    ops.bernoulli_(this, a.p, a);
    return this;
  }
  /** Samples 0/1 with probability given by this tensor's values. */
  bernoulli(options?: ops.GeneratorOptions): Tensor {
    return ops.bernoulli(this, options);
  }

  // ------------------------------------------------------------ repeating, flipping, triangles
  repeat(...repeats: (number | readonly number[])[]): Tensor {
    return ops.repeat(this, flatSizes(repeats));
  }
  tile(...dims: (number | readonly number[])[]): Tensor {
    return ops.tile(this, flatSizes(dims));
  }
  flip(...dims: (number | readonly number[])[]): Tensor {
    return ops.flip(this, flatSizes(dims));
  }
  roll(shifts: number | readonly number[], dims: number | readonly number[] | null = null): Tensor {
    return ops.roll(this, shifts, dims);
  }
  diagonal(offset = 0, dim1 = 0, dim2 = 1): Tensor {
    return ops.diagonal(this, offset, dim1, dim2);
  }
  diag(diagonal = 0): Tensor {
    return ops.diag(this, diagonal);
  }
  tril(diagonal = 0): Tensor {
    return ops.tril(this, diagonal);
  }
  triu(diagonal = 0): Tensor {
    return ops.triu(this, diagonal);
  }
  outer(other: Tensor): Tensor {
    return ops.outer(this, other);
  }

  // ------------------------------------------------------------ linear algebra
  matmul(other: Tensor): Tensor {
    return ops.matmul(this, other);
  }
  mm(other: Tensor): Tensor {
    return ops.mm(this, other);
  }
  bmm(other: Tensor): Tensor {
    return ops.bmm(this, other);
  }
  dot(other: Tensor): Tensor {
    return ops.dot(this, other);
  }
}

/** Accepts `f(2, 3)`, `f([2, 3])` and `f(...[2, 3])` alike. */
export function flatSizes(args: readonly (number | readonly number[])[]): number[] {
  if (args.length === 1 && Array.isArray(args[0])) return (args[0] as number[]).slice();
  return args as number[];
}

/** The options of a reduction over every dim (`x.sum()`, `x.mean()`), shared: ops only read them. */
const WHOLE_TENSOR: ops.ReduceOptions = Object.freeze({});

function reduceArgs(dim: unknown, keepdim: unknown): ops.ReduceOptions {
  if (dim === undefined && keepdim === undefined) return WHOLE_TENSOR;
  return readArgs<{ dim: DimArg; keepdim: boolean; dtype?: DType }>([dim, keepdim], ['dim', 'keepdim'], { dim: null, keepdim: false });
}

function dimKeepdimArgs<D>(dim: unknown, keepdim: unknown): { dim: D | null; keepdim: boolean } {
  return readArgs<{ dim: D | null; keepdim: boolean }>([dim, keepdim], ['dim', 'keepdim'], { dim: null, keepdim: false });
}

export function isTensor(x: unknown): x is Tensor {
  return x instanceof Tensor;
}

export function defaultBackend(): Backend {
  return getBackend();
}
