// Peer: a Service Worker that answers every fetch with fetch(event.request) — the cost of the fetch
// event round trip plus the network, with no caching.
self.addEventListener('install', () => void self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('fetch', (event) => {
  if (new URL(event.request.url).pathname.startsWith('/res/')) event.respondWith(fetch(event.request));
});
