import type { Options } from 'tsup';

/** The one tsup configuration every @gd package builds with: ESM + CJS, types, ES2022. */
export function gdPackage(overrides: Options = {}): Options {
  return {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    target: 'es2022',
    sourcemap: true,
    clean: true,
    treeshake: true,
    splitting: false,
    ...overrides,
  };
}
