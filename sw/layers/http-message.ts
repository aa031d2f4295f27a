/**
 * Small helpers to move between fetch's Request/Response/Headers and the policy's plain data, and to
 * build the responses the layers hand down (P5: fetched headers are immutable, bodies single-use).
 */

/** Statuses whose responses must not have a body (Fetch "null body status"). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/** Lowercase names, one combined value per name (Headers iteration already does both). */
export function headerRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name] = value;
  });
  return out;
}

export interface ResponseParts {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  /** null for HEAD and null-body statuses. */
  body: BodyInit | null;
}

export function buildResponse(parts: ResponseParts): Response {
  const body = NULL_BODY.has(parts.status) ? null : parts.body;
  return new Response(body, { status: parts.status, statusText: parts.statusText, headers: parts.headers });
}

/** Discards a body nobody will read, so the connection is released. */
export function discard(response: Response): void {
  if (response.body && !response.bodyUsed) response.body.cancel().catch(() => undefined);
}
