import { chooseBackend } from './backend.js';
import { mountDigits } from './digits-demo.js';
import { mountMoons } from './moons-demo.js';

const backendNote = document.querySelector<HTMLElement>('#backend')!;
const query = new URLSearchParams(location.search);
const backend = await chooseBackend(query.get('backend'), Number(query.get('threads') ?? 1));
backendNote.dataset.backend = backend.name;
backendNote.dataset.threads = String(backend.threads);
backendNote.textContent = backend.note;
backendNote.classList.toggle('fallback', backend.name !== 'wasm');

mountMoons(document.querySelector('#moons')!);
mountDigits(document.querySelector('#digits')!);

// The wasm heap in use, so a leak in a training loop would show.
const heap = document.createElement('span');
heap.className = 'heap';
backendNote.after(heap);
setInterval(() => {
  const bytes = backend.bytesInUse();
  heap.textContent = bytes === null ? '' : `wasm heap in use: ${(bytes / 2 ** 20).toFixed(1)} MiB`;
  heap.dataset.bytes = bytes === null ? '' : String(bytes);
}, 500);
