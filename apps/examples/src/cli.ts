import '@gd/autograd';
import type { Example } from './example.js';
import { EXAMPLES } from './registry.js';

/**
 * pnpm example <name> [options] | pnpm example --list | pnpm start (the tour: every seed lesson,
 * then two epochs of the digits MLP).
 */
async function main(): Promise<void> {
  const [name, ...rest] = process.argv.slice(2);
  const print = (line: string) => console.log(line);
  if (!name || name === '--list' || name === 'list') {
    for (const e of EXAMPLES) console.log(`${e.name.padEnd(18)} ${e.description}`);
    return;
  }
  if (name === 'tour') {
    for (const e of EXAMPLES.filter((x) => x.name.startsWith('seed-'))) {
      console.log(`\n=== ${e.name}: ${e.description} ===`);
      await e.run(print, []);
    }
    console.log('\n=== digits: two epochs of the MLP (pnpm example digits for the full run) ===');
    await find('digits').run(print, ['--epochs', '2', ...rest]);
    return;
  }
  await find(name).run(print, rest);
}

function find(name: string): Example {
  const e = EXAMPLES.find((x) => x.name === name);
  if (!e) throw new Error(`unknown example '${name}'. Run pnpm example --list.`);
  return e;
}

await main();
