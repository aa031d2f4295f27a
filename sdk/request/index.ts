// The request helpers' door (R126–R132).
export { geolocation, type Geo, type HeadersLike, type RequestLike } from './geolocation.ts';
export { ipAddress } from './ip-address.ts';
export { getEnv, type Env, type EnvKey, type EnvSource } from './get-env.ts';
export { runWithEvent, setWaitUntilErrorHandler, waitUntil, type ExtendableEventLike } from './wait-until.ts';
