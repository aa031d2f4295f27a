/**
 * The runtime cache panel: getCache() set / get / expireTag in the page, and the "second tab" (an
 * iframe with its own getCache()) that sees the value, then sees it disappear after expireTag and
 * reports how long the invalidation took to arrive (R82, R121).
 */
import { expect, test } from 'vitest';
import { useDemo } from './support/demo-harness.ts';

const demo = useDemo();

test('R121: expireTag in the runtime cache panel propagates to the second tab', async () => {
  const { page } = demo;
  const second = page.frameLocator('[data-testid=second-tab]');
  await page.fill('[data-testid=rc-key]', 'headline');
  await page.fill('[data-testid=rc-value]', '{"title":"Breaking news"}');
  await page.fill('[data-testid=rc-ttl]', '600');
  await page.fill('[data-testid=rc-tags]', 'news, front-page');
  await page.click('[data-testid=rc-set]');
  // The second tab reads the same store through its own getCache() and sees the value.
  await second.locator('[data-testid=second-key]', { hasText: 'headline' }).waitFor();
  await second.locator('[data-testid=second-value]', { hasText: '{"title":"Breaking news"}' }).waitFor();
  await expect.poll(() => page.innerText('[data-testid=rc-entries]')).toMatch(/headline[\s\S]*news[\s\S]*front-page[\s\S]*left/);

  await page.fill('[data-testid=rc-expire-tag]', 'front-page');
  await page.click('[data-testid=rc-expire]');
  await second.locator('[data-testid=second-value]', { hasText: 'null' }).waitFor();
  const latency = second.locator('[data-testid=second-latency]');
  await latency.locator('xpath=self::*[@data-ms]').waitFor();
  expect(await latency.innerText()).toMatch(/expireTag\(\["front-page"\]\) in the first tab reached this tab after \d+ ms/);
  await expect.poll(() => page.innerText('[data-testid=rc-entries]')).toContain('tag front-page expired');

  // The first tab's own get() agrees.
  await page.click('[data-testid=rc-get]');
  await expect.poll(() => page.innerText('[data-testid=rc-result]')).toBe("get('headline') → null");
  await demo.page.locator('[data-testid=runtime-card]').scrollIntoViewIfNeeded();
  await demo.screenshot('demo-runtime-second-tab', { fullPage: false });
  expect(demo.errors).toEqual([]);
});

test('R101: a value with a TTL counts down in the panel and is readable until it expires', async () => {
  const { page } = demo;
  await page.fill('[data-testid=rc-key]', 'short-lived');
  await page.fill('[data-testid=rc-value]', '42');
  await page.fill('[data-testid=rc-ttl]', '30');
  await page.fill('[data-testid=rc-tags]', '');
  await page.click('[data-testid=rc-set]');
  await page.click('[data-testid=rc-get]');
  await expect.poll(() => page.innerText('[data-testid=rc-result]')).toBe("get('short-lived') → 42");
  const entry = page.locator('[data-testid=rc-entry]', { hasText: 'short-lived' });
  await expect.poll(() => entry.innerText()).toMatch(/\d+ s left/);
  expect(demo.errors).toEqual([]);
});
