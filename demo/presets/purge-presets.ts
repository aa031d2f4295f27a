import { draft, type Preset } from '../types.ts';

/**
 * The seed's "Cache invalidation", "Manually purging Vercel Cache" and proxy-revalidate /
 * stale-if-error sections, as scenarios.
 */
export const purgePresets: Preset[] = [
  {
    id: 'tags-and-purge',
    group: 'seed',
    title: 'Tags: invalidate, delete, purge all',
    summary: 'Vercel-Cache-Tag, then invalidate (background) vs delete (foreground) vs purge everything.',
    source: 'Seed "Manually purging Vercel Cache" plus tags (R70, R78, R79, R83).',
    draft: draft({ path: 'blog/post-1', cacheControl: 's-maxage=3600', tags: 'blog, post-1' }),
    steps: [
      { do: 'send' },
      { do: 'send', note: 'Cached for an hour: HIT.' },
      { do: 'invalidateTag', tag: 'post-1', note: 'Invalidate by tag: entries are marked stale.' },
      { do: 'send', note: 'STALE: served at once, regenerated in the background.' },
      { do: 'send', note: 'The fresh copy: HIT.' },
      { do: 'deleteTag', tag: 'post-1', deadlineSeconds: 0, note: 'Delete by tag: entries are gone.' },
      { do: 'send', note: 'REVALIDATED: the request waits for the origin.' },
      { do: 'purgeAll', note: 'Purge CDN Cache from the dashboard: every entry.' },
      { do: 'send', note: 'MISS: the cache is empty.' },
    ],
    expect: 'Edge: MISS → HIT → STALE → HIT → REVALIDATED → MISS. The origin is reached four times.',
  },
  {
    id: 'new-deployment',
    group: 'seed',
    title: 'A new deployment starts cold',
    summary: 'The deployment is part of every cache key.',
    source: 'Seed "Cache invalidation": the unique deployment URL is part of the cache key (R49, R50).',
    // No ETag: with validators in the layers below, the cold edge would forward their conditional
    // request and get a 304 it cannot store, so demo-2's cache would never fill.
    draft: draft({ path: 'deployments', cacheControl: 's-maxage=3600', etag: false }),
    steps: [
      { do: 'deployment', deployment: 'demo-1', note: 'Deployment demo-1.' },
      { do: 'send' },
      { do: 'send', note: 'HIT.' },
      { do: 'deployment', deployment: 'demo-2', note: 'Promote a new deployment, demo-2.' },
      { do: 'send', note: 'Different deployment, different key: MISS.' },
      { do: 'send', note: 'HIT in demo-2’s cache.' },
    ],
    expect: 'Edge: MISS → HIT → MISS → HIT. The origin is reached twice.',
  },
  {
    id: 'stale-if-error',
    group: 'seed',
    title: 'stale-if-error is not supported at the edge',
    summary: 'The origin fails after expiry: the edge passes the error on; the browser may still serve stale.',
    source: 'Seed "proxy-revalidate and stale-if-error": not supported for server-side caching (R14, R144, V15).',
    draft: draft({ path: 'stale-if-error', cacheControl: 'max-age=60, s-maxage=60, stale-if-error=3600' }),
    steps: [
      { do: 'send' },
      { do: 'fail', failure: '500', note: 'The origin starts answering 500.' },
      { do: 'advance', seconds: 90, note: 'Every copy is past its 60 s.' },
      { do: 'send', note: 'The edge ignores stale-if-error and passes the 500 on; the downstream CDN, a plain RFC 5861 cache, serves its stale copy.' },
      { do: 'fail', failure: 'none', note: 'The origin recovers.' },
    ],
    expect: 'Edge: MISS, then MISS with the origin’s 500; a downstream layer answers STALE, so the page still gets 200.',
  },
];
