// Limit row of the cold-start suite (issue 14): the fastest a cold hit can be. The 10 KB resource is
// in the script itself (inlined at build time by bench/lib/build.mjs), so a worker started by a fetch
// answers with no storage at all: the floor of any worker's cold start (script load, start, fetch
// event, respondWith). The Blob is made once at script start, as in memory-hit.js (an ArrayBuffer body
// would be registered with the browser process on every respondWith()).
/* global __COLD_MEMORY_BODY__ */
const blob = new Blob([__COLD_MEMORY_BODY__]);
const headers = { 'Content-Type': 'text/plain' };

self.addEventListener('install', () => void self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('fetch', (event) => {
  if (new URL(event.request.url).pathname.startsWith('/res/')) event.respondWith(new Response(blob, { headers }));
});
