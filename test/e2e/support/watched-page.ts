/**
 * The browser side every e2e harness shares: real headless Chromium with one page, its console errors
 * and uncaught exceptions collected (tests assert there are none), and one close() for the browser and
 * the server behind it. If the launch fails, the server is closed too, so a failed start leaks nothing.
 */
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright';
import { chromiumArgs, chromiumExecutable } from '../../../tools/chromium.mjs';

export const SCREENSHOT_DIR = 'test-results/e2e';

export interface WatchedPage {
  page: Page;
  /** Console errors and uncaught exceptions seen so far. */
  errors: string[];
  /** Closes the browser, then the server. */
  close: () => Promise<void>;
}

export async function openWatchedPage(server: { close(): Promise<void> }, viewport: { width: number; height: number }): Promise<WatchedPage> {
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: chromiumExecutable(), args: chromiumArgs, headless: true });
    const page = await browser.newPage({ viewport });
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(`${error.name}: ${error.message}`));
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const opened = browser;
    return {
      page,
      errors,
      close: async () => {
        await opened.close();
        await server.close();
      },
    };
  } catch (error) {
    await browser?.close();
    await server.close();
    throw error;
  }
}
