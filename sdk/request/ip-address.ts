/** R130: the client IP from `x-real-ip`, given a request or its headers (since @vercel/functions 1.5.0). */
import type { HeadersLike, RequestLike } from './geolocation.ts';

export function ipAddress(input: RequestLike | HeadersLike): string | undefined {
  const headers = 'headers' in input ? input.headers : input;
  return headers.get('x-real-ip') ?? undefined;
}
