// biome-ignore-all lint/performance/useDomNodeTextContent: the test reads what is rendered on screen (innerText), not the DOM's text.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoWorkspace, startDemoWorkspace } from '../sim/start-demo-workspace.js';
import { CHROMIUM_PATH, chromiumAvailable, launchChromium } from '../support/launch-chromium.js';
import { strayMarkup } from '../support/stray-markup.js';

/**
 * The web client in a real browser (Debian's chromium, headless): a person types the slash command, reads the
 * diagnosis as Slack draws it, opens its thread, creates a debug clone through the confirm dialog and watches its
 * progress move live until the clone is deleted after its TTL. Assertions are on the rendered text only.
 */
const available = chromiumAvailable();

describe.runIf(available)('the simulated workspace in chromium', () => {
  let w: DemoWorkspace;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  const text = (selector: string) => page.locator(selector).innerText();

  beforeAll(async () => {
    const { testRedisUrl } = await import('../support/redis.js');
    w = await startDemoWorkspace({ cloneTtlSeconds: 4, alerts: false, redisUrl: testRedisUrl() });
    // A reader far from UTC: Slack's date tokens must show in their zone.
    browser = await launchChromium({ timezoneId: 'America/New_York' });
    page = await browser.context.newPage();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await w?.stop();
  });

  it('a slash command, its diagnosis and thread, a confirmed clone that runs and is deleted', async () => {
    await page.goto(`${w.url}/?user=U0ALICE01&channel=C0INCIDENT`);
    await page.locator('#composer-input').fill('/debugdead crash-exit1 demo');
    await page.locator('#composer-input').press('Enter');

    const diagnosis = page.locator('#messages .msg', { hasText: 'demo/crash-exit1 — CrashLoopBackOff, exit 1' });
    await diagnosis.waitFor({ timeout: 20_000 });
    const seen = await diagnosis.innerText();
    expect(seen).toMatch(/Status\s+CrashLoopBackOff/);
    expect(seen).toMatch(/Next step:/);
    expect(seen).not.toMatch(/<!date\^|<@U|\*Next step:\*/);
    expect(strayMarkup(await diagnosis.innerHTML())).toEqual([]);
    // The ack's "Diagnosing…" is ephemeral: only Alice sees it, and the page says so.
    expect(await text('#messages')).toMatch(/Only visible to you/);

    await diagnosis.locator('.thread-link').waitFor({ timeout: 10_000 });
    await diagnosis.locator('.thread-link').click();
    await expect.poll(() => text('#thread-pane'), { timeout: 10_000 }).toMatch(/previous instance/);

    // Cancel in a confirm dialog sends nothing (Slack sends the click only once the person confirms).
    const clicksBefore = w.harness.slack.acks().filter((d) => d.kind === 'block_actions').length;
    await diagnosis.getByRole('button', { name: 'Open node shell' }).click();
    await page.locator('#confirm').waitFor({ state: 'visible' });
    await page.locator('#confirm-deny').click();
    await page.locator('#confirm').waitFor({ state: 'hidden' });
    await new Promise((r) => setTimeout(r, 300));
    expect(w.harness.slack.acks().filter((d) => d.kind === 'block_actions')).toHaveLength(clicksBefore);
    expect(await diagnosis.innerText()).not.toMatch(/Node shell on/);

    await diagnosis.getByRole('button', { name: 'Create debug clone' }).click();
    const dialog = page.locator('#confirm');
    await dialog.waitFor({ state: 'visible' });
    expect(await dialog.innerText()).toMatch(/Create a debug clone\?/);
    await page.locator('#confirm-ok').click();

    await expect.poll(() => diagnosis.innerText(), { timeout: 30_000 }).toMatch(/✅ Running/);
    const running = await diagnosis.innerText();
    expect(running).toMatch(/Approved by @Alice Oncall/);
    expect(running).toMatch(/kubectl exec -it -n demo crash-exit1-debug-\w{5}/);
    // "Deleted automatically at 2026-12-07 04:10 UTC (<!date^…^{time}|…>)": the token shows New York's time.
    const [, utc, local] = running.match(/Deleted automatically at (\d{4}-\d\d-\d\d \d\d:\d\d) UTC \(([^)]+)\)/) ?? [];
    const inNewYork = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', timeStyle: 'short' });
    expect(local).toBe(inNewYork.format(new Date(`${utc?.replace(' ', 'T')}:00Z`)).replace(/\u202f/g, ' '));
    expect(running).not.toContain('<!date^');
    await expect.poll(() => text('#thread-pane'), { timeout: 10_000 }).toMatch(/is ready for @Alice Oncall/);

    await expect.poll(() => diagnosis.innerText(), { timeout: 30_000 }).toMatch(/🗑️ Deleted/);
    expect(strayMarkup(await page.locator('#messages').innerHTML())).toEqual([]);
  }, 90_000);
});

if (!available) {
  describe('the simulated workspace in chromium', () => {
    it.skip(`skipped: no browser at ${CHROMIUM_PATH} (apt-get install chromium; .ci/run installs it)`, () => {});
  });
}
