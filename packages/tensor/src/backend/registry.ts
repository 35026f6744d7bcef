import { RuntimeError } from '../errors.js';
import type { Backend } from './backend.js';

// One registry per process even if two copies of @gd/tensor get loaded: a split registry would
// silently give tensors that cannot meet. The second copy is reported instead.
const REGISTRY_KEY = Symbol.for('@gd/tensor/registry');

interface Registry {
  backends: Map<string, Backend>;
  current: Backend | null;
  copies: number;
}

const globalObject = globalThis as unknown as Record<symbol, Registry | undefined>;
const registry: Registry = globalObject[REGISTRY_KEY] ?? { backends: new Map(), current: null, copies: 0 };
registry.copies++;
globalObject[REGISTRY_KEY] = registry;
if (registry.copies > 1 && typeof console !== 'undefined') {
  console.warn(
    '@gd/tensor was loaded twice (for example once as ESM and once as CJS, or two versions). ' +
      'Tensors from the two copies cannot be mixed; make every @gd package resolve the same @gd/tensor.',
  );
}

export function registerBackend(backend: Backend): void {
  registry.backends.set(backend.name, backend);
}

/** Makes `backend` (or the registered backend of that name) the default for new tensors. */
export function setBackend(backend: Backend | string): Backend {
  const b = typeof backend === 'string' ? getBackend(backend) : backend;
  registry.backends.set(b.name, b);
  registry.current = b;
  return b;
}

/** The default backend, or the registered backend with that name. */
export function getBackend(name?: string): Backend {
  if (name === undefined) {
    if (!registry.current) throw new RuntimeError('no default backend is set');
    return registry.current;
  }
  const b = registry.backends.get(name);
  if (!b) {
    const known = [...registry.backends.keys()].join(', ');
    throw new RuntimeError(
      `unknown backend '${name}' (registered: ${known}). Register it first, e.g. setBackend(await wasmBackend()) from @gd/backend-wasm.`,
    );
  }
  return b;
}

export function listBackends(): string[] {
  return [...registry.backends.keys()];
}
