import Link from 'next/link';

// ISR: Next sends `Cache-Control: s-maxage=10, stale-while-revalidate=…` for this page.
export const revalidate = 10;

export default function Isr() {
  return (
    <main>
      <h1>ISR page</h1>
      <p id="rendered-at">{new Date().toISOString()}</p>
      <Link href="/" id="to-home">Home</Link>
    </main>
  );
}
