import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/cli.ts'],
  format: ['esm'],
  target: 'es2022',
  tsconfig: 'tsconfig.build.json',
  clean: true,
  sourcemap: true,
  // tfjs-core ships its gradient registrations only as extensionless ES modules, which Node cannot
  // load: bundle them (they register into tfjs's global registry, shared with the package's node build).
  noExternal: [/register_all_gradients/],
});
