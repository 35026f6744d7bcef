import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string) => fileURLToPath(new URL(`../packages/${pkg}/src/index.ts`, import.meta.url));

/**
 * Shared vitest settings. Tests import sibling @gd packages from source, so the inner loop needs
 * no build and every test sees one copy of each package; the built dist is exercised by the
 * golden runner, the examples and the packaging checks.
 */
export const gdVitest = defineConfig({
  resolve: {
    alias: {
      '@gd/tensor': src('tensor'),
      '@gd/autograd': src('autograd'),
      '@gd/nn': src('nn'),
      '@gd/optim': src('optim'),
      '@gd/backend-wasm': src('backend-wasm'),
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'threads',
  },
});
