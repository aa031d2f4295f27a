// The example of Vercel's caching docs: the browser, downstream CDNs and Vercel's edge each get their own TTL.
export function GET() {
  return Response.json(
    { products: [{ id: 1, name: 'Lamp' }], at: new Date().toISOString() },
    {
      headers: {
        'Cache-Control': 'max-age=10',
        'CDN-Cache-Control': 'max-age=60',
        'Vercel-CDN-Cache-Control': 'max-age=3600',
      },
    },
  );
}
