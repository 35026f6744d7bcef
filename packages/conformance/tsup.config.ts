import { defineConfig } from 'tsup';
import { gdCli } from '../../tooling/tsup.preset.ts';

// A Node CLI with a shebang; the @gd packages stay external (their built dist).
export default defineConfig(gdCli({ banner: { js: '#!/usr/bin/env node' } }));
