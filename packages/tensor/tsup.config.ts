import { defineConfig } from 'tsup';
import { gdPackage } from '../../tooling/tsup.preset.ts';

export default defineConfig(gdPackage());
