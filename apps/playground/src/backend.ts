import { wasmBackend } from '@gd/backend-wasm';
import { setBackend } from '@gd/tensor';

export interface BackendChoice {
  /** The backend every new tensor lives on: 'wasm' or 'cpu'. */
  name: string;
  /** Threads running the wasm kernels (1 on cpu). */
  threads: number;
  /** One line for the page: which backend runs, and why when it is not the one asked for. */
  note: string;
  /** Bytes in use on the wasm heap, or null on cpu. */
  bytesInUse: () => number | null;
}

/**
 * Makes the wasm backend the default unless the page asks for `?backend=cpu`, with `?threads=N`
 * threads (the dev and preview servers send the COOP/COEP headers that shared memory needs); when
 * the wasm backend cannot start the page keeps working on the pure-TS cpu backend and says so.
 */
export async function chooseBackend(requested: string | null, threads: number): Promise<BackendChoice> {
  if (requested === 'cpu')
    return { name: 'cpu', threads: 1, note: 'backend: cpu (pure TypeScript), as requested by ?backend=cpu', bytesInUse: () => null };
  try {
    const wasm = await wasmBackend({ threads });
    setBackend(wasm);
    const plural = wasm.threads === 1 ? '' : `, ${wasm.threads} threads`;
    return {
      name: 'wasm',
      threads: wasm.threads,
      note: `backend: wasm (WebAssembly ${wasm.simd ? 'SIMD' : 'baseline'} kernels${plural})`,
      bytesInUse: () => wasm.memory().bytesInUse,
    };
  } catch (error) {
    console.warn('wasm backend unavailable, falling back to cpu', error);
    const reason = error instanceof Error ? error.message : String(error);
    return { name: 'cpu', threads: 1, note: `backend: cpu — the wasm backend failed to load (${reason})`, bytesInUse: () => null };
  }
}
