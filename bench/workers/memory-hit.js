// Limit row: a bare worker that answers a hit from a body held in its own memory — no store to look
// up, no headers to build beyond the ones kept from the network answer. The fastest a Service Worker
// hit can be (the fetch event round trip and the body handed to the page), with no correctness at all.
// The body is held as a Blob made once: an ArrayBuffer body is registered as a new blob with the
// browser process on every respondWith() (a blocking `BlobRegistry::Register`, bench/README.md), which
// made this row slower than Workbox's disk-backed answers in a page load of 50 hits.
const held = new Map(); // url → { blob, headers }

self.addEventListener('install', () => void self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('fetch', (event) => {
  if (!new URL(event.request.url).pathname.startsWith('/res/')) return;
  const hit = held.get(event.request.url);
  if (hit) return event.respondWith(new Response(hit.blob, { headers: hit.headers }));
  event.respondWith(
    fetch(event.request).then(async (response) => {
      const bytes = await response.arrayBuffer();
      held.set(event.request.url, { blob: new Blob([bytes]), headers: [...response.headers] });
      return new Response(bytes, { status: response.status, headers: response.headers });
    }),
  );
});
