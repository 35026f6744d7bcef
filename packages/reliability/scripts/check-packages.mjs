// Release check for the published @gd packages, run on their built dist (`pnpm check:packages`
// builds first). For each package: pack it with pnpm, check the manifest (exports, types, files,
// engines, README, no runtime dependencies beyond @gd/*), run publint and arethetypeswrong on the
// tarball; then install all tarballs into a scratch project in the temp dir, import every entry
// from ESM and from CommonJS, and bundle every entry with esbuild for the browser, which fails if
// a Node-only module is reachable.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const here = fileURLToPath(new URL('..', import.meta.url));

/** Each package with its entries and a one-line smoke test run on import (`m` is the module). */
const PACKAGES = [
  { dir: 'tensor', entries: { '.': 'String(m.tensor([1, 2]).add(1)) === "tensor([2., 3.])"' } },
  { dir: 'autograd', entries: { '.': 'typeof m.gradcheck === "function" && typeof m.grad === "function"' } },
  { dir: 'nn', entries: { '.': 'new m.Linear(2, 1).weight.shape.join() === "1,2"' } },
  { dir: 'optim', entries: { '.': 'typeof m.Adam === "function" && typeof m.StepLR === "function"' } },
  {
    dir: 'backend-wasm',
    entries: { '.': 'typeof m.wasmBackend === "function"', './url': 'typeof m.wasmBackend === "function"' },
  },
];

const failures = [];
const check = (ok, what) => {
  console.log(`${ok ? '  ok  ' : '  FAIL'} ${what}`);
  if (!ok) failures.push(what);
};
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

const work = mkdtempSync(join(tmpdir(), 'gd-packages-'));
const tarballs = [];
try {
  for (const { dir } of PACKAGES) {
    const pkgDir = join(root, 'packages', dir);
    const before = new Set(readdirSync(work));
    run('pnpm', ['pack', '--pack-destination', work], pkgDir); // run under `pnpm run`, so pnpm is on PATH
    const tarball = join(
      work,
      readdirSync(work).find((f) => !before.has(f) && f.endsWith('.tgz')),
    );
    tarballs.push(tarball);
    const manifest = JSON.parse(run('tar', ['-xzOf', tarball, 'package/package.json']));
    const files = run('tar', ['-tzf', tarball]).split('\n').filter(Boolean);
    console.log(`\n${manifest.name}@${manifest.version} (${files.length} files)`);

    check(typeof manifest.exports?.['.'] === 'object', `${manifest.name}: exports map with "."`);
    for (const [entry, conditions] of Object.entries(manifest.exports ?? {})) {
      for (const kind of ['import', 'require']) {
        const target = conditions[kind];
        check(
          target?.types &&
            target?.default &&
            files.includes(`package/${target.types.slice(2)}`) &&
            files.includes(`package/${target.default.slice(2)}`),
          `${manifest.name}: ${entry} has ${kind} code and types in the tarball`,
        );
      }
    }
    check(manifest.sideEffects !== undefined, `${manifest.name}: declares sideEffects`);
    check(manifest.engines?.node !== undefined, `${manifest.name}: declares engines.node`);
    check(files.includes('package/README.md'), `${manifest.name}: ships a README`);
    const readme = run('tar', ['-xzOf', tarball, 'package/README.md']);
    check(
      readme.includes(`npm install ${manifest.name}`) && readme.includes('```ts'),
      `${manifest.name}: README has an install line and an example`,
    );
    check(!files.some((f) => /\/(src|test)\//.test(f)), `${manifest.name}: ships only dist and README`);
    const deps = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies });
    check(
      deps.every((d) => d.startsWith('@gd/')),
      `${manifest.name}: no runtime dependencies beyond @gd/* (${deps.join(', ') || 'none'})`,
    );
    check(!JSON.stringify(manifest).includes('workspace:'), `${manifest.name}: no workspace: ranges left after packing`);

    const lint = await publint({ pack: { tarball: readFileSync(tarball).buffer }, level: 'suggestion', strict: true });
    for (const m of lint.messages) console.log(`        publint ${m.type}: ${formatMessage(m, lint.pkg)}`);
    check(
      lint.messages.filter((m) => m.type !== 'suggestion').length === 0,
      `${manifest.name}: publint (strict) has no warnings or errors`,
    );

    let attw = '';
    let attwOk = true;
    try {
      // node16 profile: the packages need Node >= 20, so node10 resolution (no exports map) is moot.
      attw = run(join(here, 'node_modules/.bin/attw'), [tarball, '--profile', 'node16', '--format', 'ascii'], here);
    } catch (e) {
      attw = `${e.stdout}${e.stderr}`;
      attwOk = false;
    }
    if (!attwOk) console.log(attw);
    check(attwOk, `${manifest.name}: arethetypeswrong (node16 profile) finds no problems`);
  }

  // A scratch project that installs the tarballs as a user would.
  const app = join(work, 'app');
  execFileSync('mkdir', ['-p', app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'gd-scratch', private: true, version: '0.0.0' }));
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs], app);
  console.log(`\nscratch project: ${app}`);
  for (const { dir, entries } of PACKAGES) {
    const name = `@gd/${dir}`;
    for (const [entry, smoke] of Object.entries(entries)) {
      const spec = entry === '.' ? name : `${name}/${entry.slice(2)}`;
      const esm = `import * as m from '${spec}'; if (!(${smoke})) throw new Error('smoke test failed');`;
      const cjs = `const m = require('${spec}'); if (!(${smoke})) throw new Error('smoke test failed');`;
      for (const [kind, args] of [
        ['ESM import', ['--input-type=module', '-e', esm]],
        ['CJS require', ['-e', cjs]],
      ]) {
        let ok = true;
        try {
          run('node', args, app);
        } catch (e) {
          ok = false;
          console.log(e.stderr);
        }
        check(ok, `${spec}: ${kind} works`);
      }
      let bundled = true;
      try {
        await build({
          stdin: { contents: `export * from '${spec}';`, resolveDir: app, loader: 'js' },
          bundle: true,
          platform: 'browser',
          format: 'esm',
          write: false,
          logLevel: 'silent',
        });
      } catch (e) {
        bundled = false;
        console.log(e.errors?.map((x) => x.text).join('\n') ?? String(e));
      }
      check(bundled, `${spec}: bundles for the browser (esbuild, platform browser) with no Node-only import`);
    }
  }
} finally {
  if (!process.env.KEEP_SCRATCH) rmSync(work, { recursive: true, force: true });
}

if (failures.length > 0) {
  console.error(`\ncheck:packages FAILED (${failures.length}):\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log('\ncheck:packages passed');
