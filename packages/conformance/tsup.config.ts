import { defineConfig } from 'tsup';

// A Node CLI: one ESM file with a shebang; the @gd packages stay external (their built dist).
export default defineConfig({
  entry: ['src/cli.ts'],
  format: ['esm'],
  target: 'es2022',
  platform: 'node',
  tsconfig: 'tsconfig.build.json',
  clean: true,
  sourcemap: true,
  banner: { js: '#!/usr/bin/env node' },
});
