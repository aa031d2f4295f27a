import Link from 'next/link';

export default function Home() {
  return (
    <main>
      <h1>tiercache × Next.js</h1>
      <ul>
        <li><Link href="/isr" id="to-isr">An ISR page (revalidate = 10)</Link></li>
        <li><Link href="/about" id="to-about">A static page</Link></li>
        <li><a href="/api/products">A route handler with CDN headers</a></li>
      </ul>
    </main>
  );
}
