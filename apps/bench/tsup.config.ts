import { defineConfig } from 'tsup';
import { gdCli } from '../../tooling/tsup.preset.ts';

// tfjs-core ships its gradient registrations only as extensionless ES modules, which Node cannot
// load: bundle them (they register into tfjs's global registry, shared with the package's node build).
export default defineConfig(gdCli({ entry: ['src/cli.ts', 'src/profile.ts'], noExternal: [/register_all_gradients/] }));
