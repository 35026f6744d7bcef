import { defineConfig } from 'tsup';
import { gdPackage } from '../../tooling/tsup.preset.ts';

// Two entries: the default one inlines the kernels; `./url` fetches the .wasm files that
// publicDir copies from build/ (written by scripts/build-wasm.mjs) next to the bundles.
export default defineConfig(gdPackage({ entry: ['src/index.ts', 'src/url.ts'], publicDir: 'build', shims: true }));
