import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const GD_PACKAGES = ['tensor', 'autograd', 'nn', 'optim', 'backend-wasm'];

/**
 * The page imports the @gd packages from source (as the tests do), so `vite` needs no package
 * build; only @gd/backend-wasm's generated wasm bytes must exist (its build step writes them).
 */
export default defineConfig({
  base: './',
  resolve: {
    alias: Object.fromEntries(GD_PACKAGES.map((pkg) => [`@gd/${pkg}`, fileURLToPath(new URL(`../../packages/${pkg}/src/index.ts`, import.meta.url))])),
  },
  build: { target: 'es2022', chunkSizeWarningLimit: 1024 },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
