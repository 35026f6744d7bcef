// End-to-end check of the playground in a real browser: builds the page with vite, serves dist/ on
// 127.0.0.1 (vite preview), drives Debian's /usr/bin/chromium through playwright-core, and saves
// test-results/demo.png. Playwright never downloads a browser here: when chromium is missing the
// test installs Debian's package with apt-get (CI runs as root).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';

const CHROMIUM = '/usr/bin/chromium';
const appDir = fileURLToPath(new URL('..', import.meta.url));
const resultsDir = join(appDir, 'test-results');
const log = (message) => console.log(`[playground e2e] ${message}`);

function run(command, args) {
  log(`$ ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { cwd: appDir, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
}

function ensureChromium() {
  if (existsSync(CHROMIUM)) return log(`using ${CHROMIUM}`);
  if (process.getuid?.() !== 0) throw new Error(`${CHROMIUM} is missing; install it with: sudo apt-get install -y chromium`);
  log(`${CHROMIUM} is missing: installing Debian's chromium package with apt-get`);
  run('apt-get', ['update']);
  run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium']);
}

let server;
let context;
let profileDir;

before(async () => {
  ensureChromium();
  log('building the page (scripts/prepare-digits.mjs, then vite build)');
  run(process.execPath, ['scripts/prepare-digits.mjs']);
  await build({ root: appDir, logLevel: 'warn' });
  server = await preview({ root: appDir, logLevel: 'warn', preview: { host: '127.0.0.1', port: 0 } });
  log(`serving dist/ at ${server.resolvedUrls.local[0]}`);
  profileDir = mkdtempSync(join(tmpdir(), 'gd-playground-chromium-'));
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1200, height: 1100 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

after(async () => {
  await context?.close();
  await server?.close();
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
});

/** Opens the page and collects uncaught errors and console errors. */
async function open(query = '') {
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors = [];
  const report = (error) => {
    errors.push(error);
    log(error);
  };
  page.on('pageerror', (error) => report(`page error: ${error.stack ?? error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') report(`console error: ${message.text()}`);
  });
  await page.goto(`${server.resolvedUrls.local[0]}${query}`);
  await page.waitForSelector('#moons-train:enabled');
  return { page, errors };
}

const attribute = async (page, selector, name) => page.locator(selector).getAttribute(`data-${name}`);

test('the page trains both models on the wasm backend and classifies a drawn digit', async () => {
  const { page, errors } = await open();
  assert.equal(await attribute(page, '#backend', 'backend'), 'wasm', await page.locator('#backend').textContent());

  const firstLoss = Number(await attribute(page, '#moons-stats', 'loss'));
  log(`two moons: untrained loss ${firstLoss.toFixed(4)}; clicking Train`);
  await page.click('#moons-train');
  await page.waitForFunction(() => Number(document.querySelector('#moons-stats').dataset.step) >= 20);
  const earlyLoss = Number(await attribute(page, '#moons-stats', 'loss'));
  await page.waitForFunction(() => Number(document.querySelector('#moons-stats').dataset.step) >= 300, null, { timeout: 20_000 });
  await page.click('#moons-train'); // pause, which also redraws the boundary and the accuracy
  const step = Number(await attribute(page, '#moons-stats', 'step'));
  const loss = Number(await attribute(page, '#moons-stats', 'loss'));
  const moonsAccuracy = Number(await attribute(page, '#moons-stats', 'accuracy'));
  log(
    `two moons: loss ${firstLoss.toFixed(4)} untrained -> ${earlyLoss.toFixed(4)} early -> ${loss.toFixed(4)} at step ${step}, accuracy ${(moonsAccuracy * 100).toFixed(1)}%`,
  );
  // The early sample may come after training has converged already (a fast machine): require the
  // fall from the untrained loss, not a further fall after it.
  assert.ok(earlyLoss < firstLoss && loss < firstLoss / 100, `moons loss should fall: ${firstLoss} -> ${earlyLoss} -> ${loss}`);
  assert.ok(moonsAccuracy > 0.95, `moons accuracy ${moonsAccuracy}`);

  log('digits: clicking Train digits');
  await page.click('#digits-train');
  await page.waitForFunction(() => document.querySelector('#digits-stats').dataset.state === 'trained', null, { timeout: 30_000 });
  const digitsAccuracy = Number(await attribute(page, '#digits-stats', 'accuracy'));
  log(`digits: ${await page.locator('#digits-stats').textContent()}`);
  assert.ok(digitsAccuracy > 0.85, `digits test accuracy ${digitsAccuracy}`);

  log('digit pad: drawing a 7');
  const pad = await page.locator('#pad').boundingBox();
  const at = (x, y) => [pad.x + x * pad.width, pad.y + y * pad.height];
  await page.mouse.move(...at(0.25, 0.2));
  await page.mouse.down();
  await page.mouse.move(...at(0.75, 0.2), { steps: 10 });
  await page.mouse.move(...at(0.45, 0.85), { steps: 15 });
  await page.mouse.up();
  const predicted = await attribute(page, '#prediction', 'class');
  const probability = Number(await attribute(page, '#prediction', 'probability'));
  log(`digit pad: predicted ${predicted} with probability ${(probability * 100).toFixed(1)}%`);
  assert.equal(predicted, '7');

  mkdirSync(resultsDir, { recursive: true });
  await page.screenshot({ path: join(resultsDir, 'demo.png'), fullPage: true });
  log(`saved test-results/demo.png; ${await page.locator('.heap').textContent()}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('?threads=2 trains the digits model with a worker thread on the cross-origin isolated page', async () => {
  const { page, errors } = await open('?threads=2');
  assert.equal(await page.evaluate(() => crossOriginIsolated), true);
  assert.equal(await attribute(page, '#backend', 'threads'), '2', await page.locator('#backend').textContent());
  assert.match(await page.locator('#backend').textContent(), /2 threads/);
  // 64×784×128 matmuls and larger: shared between the page's thread and its worker.
  await page.click('#digits-train');
  await page.waitForFunction(() => document.querySelector('#digits-stats').dataset.state === 'trained', null, { timeout: 30_000 });
  const accuracy = Number(await attribute(page, '#digits-stats', 'accuracy'));
  log(`2 threads: ${await page.locator('#digits-stats').textContent()}`);
  assert.ok(accuracy > 0.85, `digits test accuracy with 2 threads ${accuracy}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('?backend=cpu runs the same page on the cpu backend and says so', async () => {
  const { page, errors } = await open('?backend=cpu');
  assert.equal(await attribute(page, '#backend', 'backend'), 'cpu');
  assert.match(await page.locator('#backend').textContent(), /backend: cpu/);
  await page.click('#moons-train');
  await page.waitForFunction(() => Number(document.querySelector('#moons-stats').dataset.step) >= 50, null, { timeout: 20_000 });
  await page.click('#moons-train');
  const loss = Number(await attribute(page, '#moons-stats', 'loss'));
  log(`cpu backend: loss ${loss.toFixed(4)} after ${await attribute(page, '#moons-stats', 'step')} steps`);
  assert.ok(loss < 0.6, `cpu loss ${loss}`);
  assert.deepEqual(errors, []);
  await page.close();
});
