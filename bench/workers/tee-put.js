// Limit (issue 15): the floor of any Service Worker cache that stores a response while it forwards it.
// A bare worker that fetches, tee()s the body, answers the page with one branch and cache.put()s the
// other into Cache Storage, `copies` times into `copies` separate caches (?copies=N in the script URL;
// tiercache's layers each write their own cache). No policy, no metadata, no bound on memory (a tee
// buffers whatever the slower branch has not read yet), so nothing can store while forwarding for less.
const copies = Number(new URL(self.location.href).searchParams.get('copies') ?? '1');
self.addEventListener('install', () => void self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('fetch', (event) => {
  if (!new URL(event.request.url).pathname.startsWith('/res/')) return;
  const answered = fetch(event.request).then((response) => {
    const stored = [];
    let body = response.body;
    for (let i = 0; i < copies; i++) {
      const [forward, copy] = body.tee();
      body = forward;
      stored.push(caches.open(`tee-put-${copies}-${i}`).then((cache) => cache.put(event.request, new Response(copy, response))));
    }
    return { forwarded: new Response(body, response), stored: Promise.all(stored) };
  });
  event.respondWith(answered.then(({ forwarded }) => forwarded));
  // The worker stays alive until every copy is in Cache Storage.
  event.waitUntil(answered.then(({ stored }) => stored));
});
