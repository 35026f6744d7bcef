import { defineConfig } from 'tsup';
import { gdPackage } from '../../tooling/tsup.preset.ts';

// keepNames: Module's toString prints `constructor.name` (PyTorch's class name), so bundling must not rename classes.
export default defineConfig(gdPackage({ keepNames: true }));
