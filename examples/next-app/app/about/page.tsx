import Link from 'next/link';

export default function About() {
  return (
    <main>
      <h1>A static page</h1>
      <Link href="/" id="to-home">Home</Link>
    </main>
  );
}
