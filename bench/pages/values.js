// The values stored by the key-value suite: ~1 KB and ~100 KB of compressible JSON, and ~100 KB that
// does not compress (random bytes as base64). Deterministic per (kind, index) so any reader can check.

function rng(seed) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

function record(i, j) {
  return { id: `${i}-${j}`, name: `item ${j} of value ${i}`, price: (j * 7.25) % 100, tags: ['bench', `g${j % 7}`], active: j % 2 === 0 };
}

function compressible(i, bytes) {
  const value = { index: i, kind: 'json', items: [] };
  while (JSON.stringify(value).length < bytes) value.items.push(record(i, value.items.length));
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
