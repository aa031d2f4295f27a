// Peer: what most sites would write instead — Workbox routing + the CacheFirst strategy (Cache Storage).
import { clientsClaim } from 'workbox-core';
import { registerRoute } from 'workbox-routing';
import { CacheFirst } from 'workbox-strategies';

void self.skipWaiting();
clientsClaim();
registerRoute(({ url, sameOrigin }) => sameOrigin && url.pathname.startsWith('/res/'), new CacheFirst({ cacheName: 'bench-workbox' }));
