/// <reference lib="webworker" />
/**
 * The Service Worker entry: configuration from the script URL (read once), lifecycle, event wiring.
 * Everything else lives in worker-runtime.ts (state) and handle-fetch.ts (the layer chain).
 */
import { clientsClaim } from 'workbox-core';
import { runWithEvent } from '../sdk/request/index.ts';
import { readConfig } from './config.ts';
import { handleMessage } from './messages.ts';
import { createWorkerRuntime } from './worker-runtime.ts';

/** `__TIERCACHE__`: the build manifest an integration's prologue assigns before this script (config.ts). */
declare const self: ServiceWorkerGlobalScope & { __TIERCACHE__?: unknown };
declare const __TIERCACHE_BUILD_ID__: string;

const config = readConfig(self.location.href, {
  deployment: typeof __TIERCACHE_BUILD_ID__ === 'string' ? __TIERCACHE_BUILD_ID__ : 'local',
}, self.__TIERCACHE__);
for (const issue of config.issues) console.warn(`[tiercache] ${issue.param}=${JSON.stringify(issue.value)}: ${issue.message}`);

const runtime = createWorkerRuntime({ config, origin: self.location.origin, scriptURL: self.location.href });

self.addEventListener('install', () => {
  void self.skipWaiting();
});
clientsClaim();

self.addEventListener('activate', (event) => {
  // R50: edge keys are deployment-scoped; entries of deployments no longer served are dropped.
  event.waitUntil(runtime.activate());
});

self.addEventListener('fetch', (event) => {
  // runWithEvent: the SDK's waitUntil() called while this request is handled extends this event (R132).
  const response = runWithEvent(event, () => runtime.respond(event.request, { waitUntil: (promise) => event.waitUntil(promise) }));
  // No respondWith for requests the layers do not handle: they go to the network untouched.
  if (response) event.respondWith(response);
});

self.addEventListener('message', (event) => {
  event.waitUntil(runWithEvent(event, () => handleMessage({ data: event.data, ports: event.ports }, runtime.controls)));
});
