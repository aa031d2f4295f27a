// Floor row for a miss: a worker that forwards every request and hands the answer down with one header
// added, as any cache layer must (its Cache-Status member, RFC 9211 §2). A response from fetch() has
// immutable headers, so adding one means a new Response around the same body: the least a layer does
// on a miss that `http.passthrough` (the answer handed on untouched) does not.
self.addEventListener('install', () => void self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('fetch', (event) => {
  if (!new URL(event.request.url).pathname.startsWith('/res/')) return;
  event.respondWith(
    fetch(event.request).then((response) => {
      const headers = new Headers(response.headers);
      headers.set('cache-status', 'stamped; fwd=uri-miss');
      return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
    }),
  );
});
