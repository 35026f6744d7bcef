import { type Backend, type DType, fromArray, Tensor, type TypedArray, typedArrayFor } from '@gd/tensor';

/**
 * The safetensors checkpoint format (what `safetensors.torch.save_file` writes), as bytes, so it
 * works the same in Node and the browser:
 *
 *   [8 bytes: header length N, u64 little-endian][N bytes: JSON header][tensor data]
 *
 * The header maps each name to `{dtype, shape, data_offsets: [begin, end]}` (offsets into the
 * data section) plus an optional `"__metadata__": {string: string}`. Data is little-endian and
 * row-major; the header is padded with spaces to a multiple of 8 bytes, and tensors are laid
 * out widest dtype first, so every tensor starts aligned to its element size.
 */

/** A malformed file: the message names what is wrong; nothing is returned from a bad file. */
export class SafetensorError extends Error {
  override name = 'SafetensorError';
}

type FileDType = 'F32' | 'F64' | 'I32' | 'I64' | 'BOOL';

const FILE_DTYPE: Record<DType, FileDType> = { float32: 'F32', float64: 'F64', int32: 'I32', int64: 'I64', bool: 'BOOL' };
const GD_DTYPE: Record<FileDType, DType> = { F32: 'float32', F64: 'float64', I32: 'int32', I64: 'int64', BOOL: 'bool' };
const ELEMENT_SIZE: Record<FileDType, number> = { F32: 4, F64: 8, I32: 4, I64: 8, BOOL: 1 };
/** Headers larger than this are refused before parsing (the reference implementation's limit). */
const MAX_HEADER_SIZE = 100_000_000;

interface HeaderEntry {
  dtype: FileDType;
  shape: number[];
  data_offsets: [number, number];
}

/** Serialises named tensors (a state dict) to safetensors bytes; `metadata` goes in `__metadata__`. */
export function save(tensors: Record<string, Tensor>, metadata?: Record<string, string>): Uint8Array {
  const names = Object.keys(tensors);
  for (const name of names) {
    if (name === '__metadata__') throw new SafetensorError('"__metadata__" is reserved for metadata and cannot name a tensor');
    if (!(tensors[name] instanceof Tensor)) throw new SafetensorError(`"${name}" is not a Tensor`);
  }
  // Widest elements first keeps every tensor aligned to its element size.
  const layout = names.slice().sort((a, b) => tensors[b]!.elementSize() - tensors[a]!.elementSize());
  const offsets = new Map<string, [number, number]>();
  let end = 0;
  for (const name of layout) {
    const t = tensors[name]!;
    offsets.set(name, [end, end + t.numel() * t.elementSize()]);
    end += t.numel() * t.elementSize();
  }
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  for (const name of names) {
    const t = tensors[name]!;
    header[name] = { dtype: FILE_DTYPE[t.dtype], shape: t.shape.slice(), data_offsets: offsets.get(name) };
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerSize = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerSize + end);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerSize), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerSize);
  const dataStart = 8 + headerSize;
  for (const name of layout) {
    const t = tensors[name]!;
    writeElements(view, dataStart + offsets.get(name)![0], FILE_DTYPE[t.dtype], t.dataSync());
  }
  return out;
}

/** Reads safetensors bytes into named tensors (in the header's order), on `backend` if given. */
export function load(bytes: Uint8Array, options: { backend?: string | Backend } = {}): Record<string, Tensor> {
  const { entries, dataStart } = parse(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Record<string, Tensor> = {};
  for (const [name, e] of entries) {
    const values = readElements(view, dataStart + e.data_offsets[0], e.dtype, numel(e.shape));
    out[name] = fromArray(values, e.shape, { dtype: GD_DTYPE[e.dtype], backend: options.backend });
  }
  return out;
}

/** The `__metadata__` object of a safetensors file (empty when it has none). */
export function readMetadata(bytes: Uint8Array): Record<string, string> {
  return parse(bytes).metadata;
}

function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Validates the whole file before anything is built, so a corrupt file yields no tensors. */
function parse(bytes: Uint8Array): { entries: [string, HeaderEntry][]; metadata: Record<string, string>; dataStart: number } {
  if (!(bytes instanceof Uint8Array)) throw new SafetensorError('expected the file contents as a Uint8Array');
  if (bytes.length < 8)
    throw new SafetensorError(
      `Error while deserializing header: HeaderTooSmall (the file has ${bytes.length} bytes, fewer than the 8-byte header length)`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_SIZE)) throw new SafetensorError(`Error while deserializing header: HeaderTooLarge (${n} bytes)`);
  const headerSize = Number(n);
  if (8 + headerSize > bytes.length)
    throw new SafetensorError(
      `Error while deserializing header: InvalidHeaderLength (the header claims ${headerSize} bytes but the file has ${bytes.length - 8} after the length; truncated file?)`,
    );
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(8, 8 + headerSize));
  if (!text.startsWith('{'))
    throw new SafetensorError('Error while deserializing header: InvalidHeaderStart (the header must be a JSON object starting with "{")');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new SafetensorError(`Error while deserializing header: InvalidHeaderDeserialization (${(e as Error).message})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new SafetensorError('Error while deserializing header: InvalidHeaderDeserialization (not a JSON object)');
  const dataStart = 8 + headerSize;
  const dataSize = bytes.length - dataStart;
  let metadata: Record<string, string> = {};
  const entries: [string, HeaderEntry][] = [];
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof value !== 'object' || value === null || Object.values(value).some((v) => typeof v !== 'string'))
        throw new SafetensorError('Error while deserializing header: __metadata__ must map strings to strings');
      metadata = value as Record<string, string>;
      continue;
    }
    entries.push([name, checkEntry(name, value)]);
  }
  // The data section must be exactly the tensors' bytes, back to back, with no gaps or overlaps.
  const spans = entries.map(([name, e]) => [name, e.data_offsets] as const).sort((a, b) => a[1][0] - b[1][0] || a[1][1] - b[1][1]);
  let cursor = 0;
  for (const [name, [begin, end]] of spans) {
    if (begin !== cursor)
      throw new SafetensorError(`Error while deserializing header: InvalidOffset("${name}") (data starts at ${begin}, expected ${cursor})`);
    cursor = end;
  }
  if (cursor !== dataSize)
    throw new SafetensorError(
      cursor > dataSize
        ? `Error while deserializing header: MetadataIncompleteBuffer (the tensors need ${cursor} data bytes but the file has ${dataSize}; truncated file?)`
        : `Error while deserializing header: MetadataIncompleteBuffer (${dataSize - cursor} bytes after the last tensor)`,
    );
  return { entries, metadata, dataStart };
}

function checkEntry(name: string, value: unknown): HeaderEntry {
  const e = value as Partial<HeaderEntry> | null;
  if (typeof e !== 'object' || e === null)
    throw new SafetensorError(`Error while deserializing header: "${name}" is not a tensor description`);
  if (typeof e.dtype !== 'string' || !(e.dtype in ELEMENT_SIZE))
    throw new SafetensorError(`"${name}" has dtype ${JSON.stringify(e.dtype)}, which gd cannot hold (supported: F32, F64, I32, I64, BOOL)`);
  if (!Array.isArray(e.shape) || e.shape.some((s) => !Number.isSafeInteger(s) || s < 0))
    throw new SafetensorError(`Error while deserializing header: "${name}" has an invalid shape ${JSON.stringify(e.shape)}`);
  const offsets = e.data_offsets;
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    offsets.some((o) => !Number.isSafeInteger(o) || o < 0) ||
    offsets[1]! < offsets[0]!
  )
    throw new SafetensorError(`Error while deserializing header: InvalidOffset("${name}") (data_offsets ${JSON.stringify(offsets)})`);
  const expected = numel(e.shape) * ELEMENT_SIZE[e.dtype];
  if (offsets[1]! - offsets[0]! !== expected)
    throw new SafetensorError(
      `Error while deserializing header: TensorInvalidInfo ("${name}": shape [${e.shape.join(', ')}] of ${e.dtype} needs ${expected} bytes, data_offsets span ${offsets[1]! - offsets[0]!})`,
    );
  return { dtype: e.dtype, shape: e.shape.slice(), data_offsets: [offsets[0]!, offsets[1]!] };
}

function writeElements(view: DataView, at: number, dtype: FileDType, values: ArrayLike<number>): void {
  const size = ELEMENT_SIZE[dtype];
  for (let i = 0; i < values.length; i++) {
    const p = at + i * size;
    const v = values[i]!;
    switch (dtype) {
      case 'F32':
        view.setFloat32(p, v, true);
        break;
      case 'F64':
        view.setFloat64(p, v, true);
        break;
      case 'I32':
        view.setInt32(p, v, true);
        break;
      case 'I64':
        view.setBigInt64(p, BigInt(v), true);
        break;
      case 'BOOL':
        view.setUint8(p, v ? 1 : 0);
        break;
    }
  }
}

function readElements(view: DataView, at: number, dtype: FileDType, n: number): TypedArray {
  const out = new (typedArrayFor(GD_DTYPE[dtype]))(n);
  const size = ELEMENT_SIZE[dtype];
  for (let i = 0; i < n; i++) {
    const p = at + i * size;
    switch (dtype) {
      case 'F32':
        out[i] = view.getFloat32(p, true);
        break;
      case 'F64':
        out[i] = view.getFloat64(p, true);
        break;
      case 'I32':
        out[i] = view.getInt32(p, true);
        break;
      case 'I64':
        out[i] = Number(view.getBigInt64(p, true));
        break;
      case 'BOOL':
        out[i] = view.getUint8(p) ? 1 : 0;
        break;
    }
  }
  return out;
}
