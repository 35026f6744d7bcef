import { defineConfig } from 'vitest/config';

/** Shared vitest settings: tests live in each package's test/ folder. */
export const gdVitest = defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'threads',
  },
});
