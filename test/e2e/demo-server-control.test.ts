/**
 * The demo's "server" control: a purge published on the demo server's invalidation feed reaches the
 * worker through the page's subscription and expires runtime-cache entries with the tag, which the
 * second tab sees disappear (R77, R120, R82).
 */
import { expect, test } from 'vitest';
import { useDemo } from './support/demo-harness.ts';

const demo = useDemo();

test('R77/R120: invalidateByTag published on the server reaches the second tab through the feed', async () => {
  const { page } = demo;
  const second = page.frameLocator('[data-testid=second-tab]');
  await page.fill('[data-testid=rc-key]', 'greeting');
  await page.fill('[data-testid=rc-value]', '"hello from the server test"');
  await page.fill('[data-testid=rc-ttl]', '600');
  await page.fill('[data-testid=rc-tags]', 'greetings');
  await page.click('[data-testid=rc-set]');
  await second.locator('[data-testid=second-value]', { hasText: 'hello from the server test' }).waitFor();

  await page.fill('[data-testid=server-tags]', 'greetings');
  await page.click('[data-testid=server-invalidate]');
  await expect.poll(() => page.innerText('[data-testid=server-status]')).toContain('published invalidateByTag(["greetings"])');
  await second.locator('[data-testid=second-value]', { hasText: 'null' }).waitFor();
  const latency = second.locator('[data-testid=second-latency]');
  await latency.locator('xpath=self::*[@data-ms]').waitFor();
  expect(await latency.innerText()).toMatch(/server invalidateByTag in the first tab reached this tab after \d+ ms/);
  expect(demo.errors).toEqual([]);
});
