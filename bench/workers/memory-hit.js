// Limit row: a bare worker that answers a hit from a body held in its own memory — no store to look
// up, no headers to build beyond the ones kept from the network answer. The fastest a Service Worker
// hit can be (the fetch event round trip and the body copy to the page), with no correctness at all.
const held = new Map(); // url → { bytes, headers }

self.addEventListener('install', () => void self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('fetch', (event) => {
  if (!new URL(event.request.url).pathname.startsWith('/res/')) return;
  const hit = held.get(event.request.url);
  if (hit) return event.respondWith(new Response(hit.bytes, { headers: hit.headers }));
  event.respondWith(
    fetch(event.request).then(async (response) => {
      const bytes = await response.arrayBuffer();
      held.set(event.request.url, { bytes, headers: [...response.headers] });
      return new Response(bytes, { status: response.status, headers: response.headers });
    }),
  );
});
