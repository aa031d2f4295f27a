// The values stored by the key-value suite: ~1 KB and ~100 KB of compressible JSON, and ~100 KB that
// does not compress (random bytes as base64). Deterministic per (kind, index) so any reader can check.
import { rng } from './rng.js';

const WORDS = ['cache', 'edge', 'tier', 'browser', 'worker', 'origin', 'stale', 'fresh', 'tag', 'purge'];

function record(i, j) {
  const description = Array.from({ length: 12 }, (_, w) => WORDS[(i + j * 3 + w * 7) % WORDS.length]).join(' ');
  return { id: `${i}-${j}`, name: `item ${j} of value ${i}`, description, price: (j * 7.25) % 100, tags: ['bench', `g${j % 7}`] };
}

/** JSON of realistic records (~200 bytes each) up to `bytes`; built without re-serialising as it grows. */
function compressible(i, bytes) {
  const value = { index: i, kind: 'json', items: [] };
  let length = JSON.stringify(value).length;
  while (length < bytes) {
    const item = record(i, value.items.length);
    length += JSON.stringify(item).length + 1;
    value.items.push(item);
  }
  return value;
}

function incompressible(i, bytes) {
  const random = rng(i + 1);
  let binary = '';
  for (let k = 0; k < (bytes * 3) / 4; k++) binary += String.fromCharCode(Math.floor(random() * 256));
  return { index: i, kind: 'random', data: btoa(binary) };
}

export const VALUE_KINDS = {
  '1k': (i) => compressible(i, 1024),
  '100k': (i) => compressible(i, 100 * 1024),
  '100k-random': (i) => incompressible(i, 100 * 1024),
};
