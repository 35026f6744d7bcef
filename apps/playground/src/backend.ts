import { wasmBackend } from '@gd/backend-wasm';
import { setBackend } from '@gd/tensor';

export interface BackendChoice {
  /** The backend every new tensor lives on: 'wasm' or 'cpu'. */
  name: string;
  /** One line for the page: which backend runs, and why when it is not the one asked for. */
  note: string;
  /** Bytes in use on the wasm heap, or null on cpu. */
  bytesInUse: () => number | null;
}

/**
 * Makes the wasm backend the default unless the page asks for `?backend=cpu`; when the wasm
 * module cannot be instantiated the page keeps working on the pure-TS cpu backend and says so.
 */
export async function chooseBackend(requested: string | null): Promise<BackendChoice> {
  if (requested === 'cpu')
    return { name: 'cpu', note: 'backend: cpu (pure TypeScript), as requested by ?backend=cpu', bytesInUse: () => null };
  try {
    const wasm = await wasmBackend();
    setBackend(wasm);
    return {
      name: 'wasm',
      note: `backend: wasm (WebAssembly ${wasm.simd ? 'SIMD' : 'baseline'} kernels)`,
      bytesInUse: () => wasm.memory().bytesInUse,
    };
  } catch (error) {
    console.warn('wasm backend unavailable, falling back to cpu', error);
    const reason = error instanceof Error ? error.message : String(error);
    return { name: 'cpu', note: `backend: cpu — the wasm backend failed to load (${reason})`, bytesInUse: () => null };
  }
}
