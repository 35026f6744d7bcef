import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const GD_PACKAGES = ['tensor', 'autograd', 'nn', 'optim', 'backend-wasm'];
const entry = (pkg: string) => fileURLToPath(new URL(`../../packages/${pkg}/src/index.ts`, import.meta.url));

/**
 * Resolves `@gd/<pkg>` to the package's source (as the tests do), so `vite` needs no package build;
 * only @gd/backend-wasm's generated wasm bytes must exist (its build step writes them).
 * The packages' "sideEffects" lists name their dist entries, which register the cpu backend and
 * install the autograd recorder; their source entries do the same, so they are kept here too.
 */
function gdFromSource(): Plugin {
  return {
    name: 'gd-from-source',
    enforce: 'pre',
    resolveId(source) {
      const pkg = source.startsWith('@gd/') ? source.slice(4) : null;
      return pkg && GD_PACKAGES.includes(pkg) ? { id: entry(pkg), moduleSideEffects: true } : null;
    },
  };
}

/** Cross-origin isolation, so the page may use SharedArrayBuffer (`?threads=2`). */
const isolated = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({
  base: './',
  plugins: [gdFromSource()],
  build: { target: 'es2022', chunkSizeWarningLimit: 1024 },
  server: { host: '127.0.0.1', headers: isolated },
  preview: { host: '127.0.0.1', headers: isolated },
});
