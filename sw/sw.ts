/// <reference lib="webworker" />
// Minimal entry until the layer chain lands: take control at once and let every request through.
import { clientsClaim } from 'workbox-core';

declare const self: ServiceWorkerGlobalScope;

void self.skipWaiting();
clientsClaim();
