import type { Options } from 'tsup';

/**
 * The one tsup configuration every @gd package builds with: ESM + CJS, types, ES2022. It builds
 * against tsconfig.build.json, which resolves sibling @gd packages through their built dist (so
 * they stay external), while tsconfig.json maps them to source for the editor and typecheck.
 */
export function gdPackage(overrides: Options = {}): Options {
  return {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    tsconfig: 'tsconfig.build.json',
    target: 'es2022',
    sourcemap: true,
    clean: true,
    treeshake: true,
    splitting: false,
    ...overrides,
  };
}

/** The tsup configuration of the private Node CLIs (golden runner, examples, bench): one ESM file, @gd packages external. */
export function gdCli(overrides: Options = {}): Options {
  return {
    entry: ['src/cli.ts'],
    format: ['esm'],
    target: 'es2022',
    platform: 'node',
    tsconfig: 'tsconfig.build.json',
    clean: true,
    sourcemap: true,
    ...overrides,
  };
}
