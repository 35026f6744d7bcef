import { type ThreadInit, awaitChange, runChunks, threadMain } from './thread-main.js';

/** A started worker thread. */
export interface ThreadHandle {
  terminate(): Promise<unknown> | undefined;
}

interface NodeWorker {
  once(event: 'message' | 'error' | 'exit', listener: (value: never) => void): void;
  removeAllListeners(): void;
  unref(): void;
  terminate(): Promise<number>;
}
type NodeWorkerClass = new (source: string, options: { eval: true; workerData: ThreadInit }) => NodeWorker;

const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

// Worker threads run the source of threadMain and its helpers, inlined, so no worker file has to be
// found or served. The helpers are bound under the names threadMain calls them by, minified or not.
const MAIN = `${[runChunks, awaitChange].map((f) => `const ${f.name} = ${f.toString()};`).join('\n')}
const threadMain = ${threadMain.toString()};`;
const NODE_SOURCE = `${MAIN}
const { workerData, parentPort } = require('node:worker_threads');
threadMain(workerData, (m) => parentPort.postMessage(m), () => {});`;
const BROWSER_SOURCE = `${MAIN}
self.onmessage = (e) => {
  self.onmessage = null;
  threadMain(e.data, (m) => self.postMessage(m), () => self.close());
};`;

/**
 * Starts one worker thread per init (Node's worker_threads, or Web Workers in a browser) and
 * resolves once every one has instantiated the kernels. Node workers are unref'd, so they never
 * keep the process alive.
 */
export async function startWorkers(inits: readonly ThreadInit[]): Promise<ThreadHandle[]> {
  const started = isNode ? await startNodeWorkers(inits) : startWebWorkers(inits);
  const results = await Promise.allSettled(started.map((s) => s.ready));
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) {
    await Promise.all(started.map((s) => s.handle.terminate()));
    throw failed.reason;
  }
  return started.map((s) => s.handle);
}

interface Started {
  handle: ThreadHandle;
  ready: Promise<void>;
}

async function startNodeWorkers(inits: readonly ThreadInit[]): Promise<Started[]> {
  const { Worker } = (await nodeBuiltin('node:worker_threads')) as { Worker: NodeWorkerClass };
  return inits.map((init) => {
    const worker = new Worker(NODE_SOURCE, { eval: true, workerData: init });
    const ready = new Promise<void>((resolve, reject) => {
      worker.once('message', (message: string) => (message === 'ready' ? resolve() : reject(new Error(message))));
      worker.once('error', reject);
      worker.once('exit', (code: number) => reject(new Error(`gd wasm worker exited with code ${code} while starting`)));
    }).finally(() => {
      // Only once started: until then the pending 'ready' must keep the event loop alive.
      worker.removeAllListeners();
      worker.unref();
    });
    return { handle: { terminate: () => worker.terminate() }, ready };
  });
}

/** A Node built-in, loaded only when running in Node so that browser bundles never see it. */
async function nodeBuiltin(name: string): Promise<unknown> {
  const get = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  return get ? get(name) : import(/* @vite-ignore */ name);
}

function startWebWorkers(inits: readonly ThreadInit[]): Started[] {
  const url = URL.createObjectURL(new Blob([BROWSER_SOURCE], { type: 'text/javascript' }));
  const started = inits.map((init): Started => {
    const worker = new Worker(url);
    const ready = new Promise<void>((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<string>) => (e.data === 'ready' ? resolve() : reject(new Error(e.data)));
      worker.onerror = (e) => reject(new Error(`gd wasm worker failed to start: ${e.message}`));
    }).finally(() => {
      worker.onmessage = null;
      worker.onerror = null;
    });
    worker.postMessage(init);
    return {
      handle: {
        terminate: () => {
          worker.terminate();
          return undefined;
        },
      },
      ready,
    };
  });
  void Promise.allSettled(started.map((s) => s.ready)).then(() => URL.revokeObjectURL(url));
  return started;
}
