import type { ReactNode } from 'react';
import { TierCache } from 'tiercache/next/client';
import { ConsoleHandle } from './console-handle';
import { Devtools } from './devtools';
import './globals.css';

export const metadata = { title: 'tiercache × Next.js' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        {children}
        <TierCache />
        <ConsoleHandle />
        <Devtools />
      </body>
    </html>
  );
}
