import type { DType } from './dtype.js';
import { formatExponential, formatFixed } from './python-float-format.js';
import type { Tensor } from './tensor.js';

/** torch.set_printoptions's settings (PyTorch's PRINT_OPTS). */
export interface PrintOptions {
  /** Digits after the decimal point. */
  precision: number;
  /** Element count above which the printout is summarised with `...`. */
  threshold: number;
  /** Items kept at each end of a summarised dimension. */
  edgeitems: number;
  /** Characters per line before a row wraps. */
  linewidth: number;
  /** Force scientific notation on (true) or off (false); null lets the values decide. */
  sciMode: boolean | null;
}

export type PrintProfile = 'default' | 'short' | 'full';

const PROFILES: Record<PrintProfile, Omit<PrintOptions, 'sciMode'>> = {
  default: { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80 },
  short: { precision: 2, threshold: 1000, edgeitems: 2, linewidth: 80 },
  full: { precision: 4, threshold: Infinity, edgeitems: 3, linewidth: 80 },
};

const opts: PrintOptions = { ...PROFILES.default, sciMode: null };

/**
 * torch.set_printoptions. As in PyTorch, a profile is applied first, then the given fields, and
 * `sciMode` is always reset (to null unless given).
 */
export function setPrintOptions(options: Partial<PrintOptions> & { profile?: PrintProfile } = {}): void {
  if (options.profile !== undefined) Object.assign(opts, PROFILES[options.profile]);
  if (options.precision !== undefined) opts.precision = options.precision;
  if (options.threshold !== undefined) opts.threshold = options.threshold;
  if (options.edgeitems !== undefined) opts.edgeitems = options.edgeitems;
  if (options.linewidth !== undefined) opts.linewidth = options.linewidth;
  opts.sciMode = options.sciMode ?? null;
}

/** The current print options (a copy). */
export function getPrintOptions(): PrintOptions {
  return { ...opts };
}

/**
 * PyTorch's _Formatter: looks at every value that will be shown and picks one notation and one
 * column width for all of them.
 */
class ElementFormatter {
  private intMode = true;
  private sciMode = false;
  private maxWidth = 1;

  constructor(
    private readonly dtype: DType,
    values: readonly number[],
  ) {
    if (!this.floating) {
      for (const v of values) this.maxWidth = Math.max(this.maxWidth, this.plain(v).length);
      return;
    }
    const nonzeroFinite = values.filter((v) => Number.isFinite(v) && v !== 0);
    // PyTorch returns before reading sci_mode when nothing is nonzero and finite.
    if (nonzeroFinite.length === 0) return;
    let min = Infinity;
    let max = 0;
    for (const v of nonzeroFinite) {
      min = Math.min(min, Math.abs(v));
      max = Math.max(max, Math.abs(v));
    }
    this.intMode = nonzeroFinite.every((v) => v === Math.ceil(v));
    const wide = max / min > 1000 || max > 1e8;
    if (this.intMode) this.sciMode = wide;
    else this.sciMode = wide || min < 1e-4;
    for (const v of nonzeroFinite) {
      const width = this.sciMode
        ? formatExponential(v, opts.precision).length
        : this.intMode
          ? formatFixed(v, 0).length + 1
          : formatFixed(v, opts.precision).length;
      this.maxWidth = Math.max(this.maxWidth, width);
    }
    if (opts.sciMode !== null) this.sciMode = opts.sciMode;
  }

  get width(): number {
    return this.maxWidth;
  }

  private get floating(): boolean {
    return this.dtype === 'float32' || this.dtype === 'float64';
  }

  /** str() of a bool or integer element. */
  private plain(v: number): string {
    if (this.dtype === 'bool') return v ? 'True' : 'False';
    return Number.isSafeInteger(v) ? String(v) : BigInt(v).toString();
  }

  format(v: number): string {
    let s: string;
    if (!this.floating) s = this.plain(v);
    else if (this.sciMode) s = formatExponential(v, opts.precision);
    else if (this.intMode) s = formatFixed(v, 0) + (Number.isFinite(v) ? '.' : '');
    else s = formatFixed(v, opts.precision);
    return s.padStart(this.maxWidth);
  }
}

/** The row-major values of a tensor with its shape, and which indices each dim shows. */
class Layout {
  readonly strides: number[];
  readonly shown: number[][];

  constructor(
    readonly values: ArrayLike<number>,
    readonly shape: readonly number[],
    summarize: boolean,
  ) {
    this.strides = shape.map((_, d) => shape.slice(d + 1).reduce((p, q) => p * q, 1));
    const edge = opts.edgeitems;
    this.shown = shape.map((n) => {
      const all = Array.from({ length: n }, (_, i) => i);
      return summarize && n > 2 * edge ? [...all.slice(0, edge), ...all.slice(n - edge)] : all;
    });
  }

  /** Whether dim `d` is cut in the middle (it shows `...`). */
  elided(d: number): boolean {
    return this.shown[d]!.length < this.shape[d]!;
  }

  /** Every value that will be printed (PyTorch's get_summarized_data), in order. */
  shownValues(): number[] {
    const out: number[] = [];
    const walk = (d: number, offset: number): void => {
      if (d === this.shape.length) {
        out.push(this.values[offset]!);
        return;
      }
      for (const i of this.shown[d]!) walk(d + 1, offset + i * this.strides[d]!);
    };
    walk(0, 0);
    return out;
  }
}

/** One dim of values as a bracketed list, wrapped to the line width (PyTorch's _vector_str). */
function vectorStr(layout: Layout, offset: number, indent: number, fmt: ElementFormatter): string {
  const d = layout.shape.length - 1;
  const elementLength = fmt.width + 2;
  const perLine = Math.max(1, Math.floor((opts.linewidth - indent) / elementLength));
  const cells = layout.shown[d]!.map((i) => fmt.format(layout.values[offset + i * layout.strides[d]!]!));
  if (layout.elided(d)) cells.splice(opts.edgeitems, 0, ' ...');
  const lines: string[] = [];
  for (let i = 0; i < cells.length; i += perLine) lines.push(cells.slice(i, i + perLine).join(', '));
  return `[${lines.join(`,\n${' '.repeat(indent + 1)}`)}]`;
}

/** Nested brackets; rows of a k-d block are separated by k-1 newlines (PyTorch's _tensor_str_with_formatter). */
function nestedStr(layout: Layout, d: number, offset: number, indent: number, fmt: ElementFormatter): string {
  if (d === layout.shape.length) return fmt.format(layout.values[offset]!);
  if (d === layout.shape.length - 1) return vectorStr(layout, offset, indent, fmt);
  const slices = layout.shown[d]!.map((i) => nestedStr(layout, d + 1, offset + i * layout.strides[d]!, indent + 1, fmt));
  if (layout.elided(d)) slices.splice(opts.edgeitems, 0, '...');
  const remaining = layout.shape.length - d;
  return `[${slices.join(`,${'\n'.repeat(remaining - 1)}${' '.repeat(indent + 1)}`)}]`;
}

/** Appends `, suffix` items, starting a new line when one would pass the line width (PyTorch's _add_suffixes). */
function addSuffixes(body: string, suffixes: readonly string[], indent: number): string {
  let out = body;
  // PyTorch's own arithmetic: rfind gives -1 without a newline, so the count runs two over.
  let lastLineLength = body.length - body.lastIndexOf('\n') + 1;
  for (const suffix of suffixes) {
    if (lastLineLength + suffix.length + 2 > opts.linewidth) {
      out += `,\n${' '.repeat(indent)}${suffix}`;
      lastLineLength = indent + suffix.length;
    } else {
      out += `, ${suffix}`;
      lastLineLength += suffix.length + 2;
    }
  }
  return `${out})`;
}

/** Dtypes PyTorch leaves unnamed: the default float dtype and those inferred from Python ints and bools. */
const DEFAULT_DTYPES: readonly DType[] = ['float32', 'int64', 'bool'];

/** PyTorch's str(tensor), character for character. */
export function formatTensor(t: Tensor): string {
  const prefix = 'tensor(';
  const indent = prefix.length;
  const suffixes: string[] = [];
  let body: string;
  const numel = t.numel();
  if (numel === 0) {
    // An empty tensor shows its shape (unless 1-d) and any dtype but the default float one.
    if (t.dim() !== 1) suffixes.push(`size=${pythonTuple(t.shape)}`);
    if (t.dtype !== 'float32') suffixes.push(`dtype=torch.${t.dtype}`);
    body = '[]';
  } else {
    if (!DEFAULT_DTYPES.includes(t.dtype)) suffixes.push(`dtype=torch.${t.dtype}`);
    const layout = new Layout(t.dataSync(), t.shape, numel > opts.threshold);
    const fmt = new ElementFormatter(t.dtype, layout.shownValues());
    body = nestedStr(layout, 0, 0, indent, fmt);
  }
  if (t.gradFn !== null) suffixes.push(`grad_fn=<${t.gradFn.name}>`);
  else if (t.requiresGrad) suffixes.push('requires_grad=True');
  return addSuffixes(prefix + body, suffixes, indent);
}

function pythonTuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}
