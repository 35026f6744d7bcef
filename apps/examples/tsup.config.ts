import { defineConfig } from 'tsup';
import { gdCli } from '../../tooling/tsup.preset.ts';

export default defineConfig(gdCli());
