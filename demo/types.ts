/**
 * The demo's own data shapes: what the header editor edits (a draft of one origin route plus the
 * request the page sends), the steps a preset plays, and the preset itself.
 */

/** What the origin answers and what the page sends, as the header editor shows it. */
export interface RouteDraft {
  /** Origin path under /__origin/r/ (one per preset, so presets never share cache entries). */
  path: string;
  method: 'GET' | 'HEAD' | 'POST';
  status: number;
  cacheControl: string;
  cdnCacheControl: string;
  vercelCdnCacheControl: string;
  vary: string;
  /** Vercel-Cache-Tag value (comma list). */
  tags: string;
  /** A cookie the response sets. A Service Worker never sees Set-Cookie (P1), so the origin sends it
   *  as `x-demo-set-cookie`, which the policy engine treats the same way. */
  setCookie: string;
  /** Send an ETag so stale entries can be revalidated with a 304. */
  etag: boolean;
  /** A body of this many bytes instead of the text body (for the size criterion). */
  bodyBytes: number | undefined;
  /** Response body; `{{hit}}` and `{{req.<header>}}` are filled in by the origin. */
  body: string;
  /** Request headers the page adds (Authorization, Range, Accept-Language). */
  requestHeaders: Record<string, string>;
  /** How the origin fails from now on (for stale-if-error). */
  failure: OriginFailure;
}

export type OriginFailure = 'none' | '500' | 'network';

/** One step of a preset's scenario; the player runs them in order. */
export type Step =
  | { do: 'send'; note?: string }
  | { do: 'burst'; count: number; note?: string }
  | { do: 'advance'; seconds: number; note?: string }
  | { do: 'country'; country: string; note?: string }
  | { do: 'requestHeader'; name: string; value: string; note?: string }
  | { do: 'invalidateTag'; tag: string; note?: string }
  | { do: 'deleteTag'; tag: string; deadlineSeconds: number; note?: string }
  | { do: 'purgeAll'; note?: string }
  | { do: 'fail'; failure: OriginFailure; note?: string }
  | { do: 'deployment'; deployment: string; note?: string };

export type PresetGroup = 'seed' | 'criteria' | 'more';

export interface Preset {
  id: string;
  group: PresetGroup;
  title: string;
  /** One line: what this shows. */
  summary: string;
  /** The seed passage (or spec rule) the preset reproduces. */
  source: string;
  draft: RouteDraft;
  /** The scenario "Play" runs; the expected edge statuses, as prose, are in `expect`. */
  steps: Step[];
  expect: string;
}

export const DEFAULT_DRAFT: RouteDraft = {
  path: 'playground',
  method: 'GET',
  status: 200,
  cacheControl: '',
  cdnCacheControl: '',
  vercelCdnCacheControl: '',
  vary: '',
  tags: '',
  setCookie: '',
  etag: true,
  bodyBytes: undefined,
  body: 'Origin response #{{hit}}',
  requestHeaders: {},
  failure: 'none',
};

/** A draft from the defaults plus the fields a preset sets. */
export function draft(fields: Partial<RouteDraft> & { path: string }): RouteDraft {
  return { ...DEFAULT_DRAFT, ...fields, requestHeaders: { ...fields.requestHeaders } };
}
