/**
 * `npm run screenshots`: regenerates the README's pictures of the web client from the real thing. Starts the demo
 * workspace (test/sim/start-demo-workspace.ts), drives Debian's chromium through the page as a person would (types
 * the slash command, opens the thread, clicks and confirms), and saves PNGs into docs/screenshots/. Emoji need a colour
 * emoji font (Debian: fonts-noto-color-emoji).
 */
// biome-ignore-all lint/performance/useDomNodeTextContent: the script waits for what is rendered on screen (innerText).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { launchChromium } from '../support/launch-chromium.js';
import { REPO_ROOT } from '../support/render-deploy.js';
import { DEMO_ALERTS_CHANNEL, startDemoWorkspace } from './start-demo-workspace.js';

const OUT = join(REPO_ROOT, 'docs', 'screenshots');
const VIEWPORT = { width: 1180, height: 700 };

async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!(await probe())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function command(page: Page, text: string): Promise<void> {
  await page.locator('#composer-input').fill(text);
  await page.locator('#composer-input').press('Enter');
}

/** Clicks a button, and confirms its dialog when it has one. */
async function clickAndConfirm(button: Locator, page: Page): Promise<void> {
  const asks = (await button.getAttribute('data-confirm')) !== null;
  await button.click();
  if (!asks) return;
  await page.locator('#confirm').waitFor({ state: 'visible' });
  await page.locator('#confirm-ok').click();
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(400); // the last SSE refresh lands
  const path = join(OUT, `${name}.png`);
  await page.screenshot({ path });
  process.stdout.write(`wrote ${path}\n`);
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const w = await startDemoWorkspace({ cloneTtlSeconds: 600 });
  const browser = await launchChromium({ viewport: VIEWPORT, timezoneId: 'Europe/Paris' });
  try {
    const page = await browser.context.newPage();
    const open = (user: string, channel: string) => page.goto(`${w.url}/?user=${user}&channel=${channel}`);

    // 1. A diagnosis with its thread.
    await open('U0ALICE01', 'C0INCIDENT');
    await command(page, '/debugdead crash-exit1 demo');
    const diagnosis = page.locator('#messages .msg', { hasText: 'demo/crash-exit1 — CrashLoopBackOff' });
    await diagnosis.locator('.thread-link').waitFor({ timeout: 20_000 });
    await diagnosis.locator('.thread-link').click();
    await page.locator('#thread-pane .msg').nth(2).waitFor();
    // The thread opens on its replies (the parent is the diagnosis, already in view on the left).
    await page
      .locator('#thread-messages')
      .evaluate((el) => el.scrollTo(0, (el.children[1] as { offsetTop: number } | undefined)?.offsetTop ?? 0));
    await diagnosis.evaluate((el) => el.scrollIntoView());
    await shoot(page, 'diagnosis-and-thread');

    // 2. An approval: Carol may not approve clones, so her click asks @oncall in the thread; Bob sees the request.
    await open('U0CAROL03', 'C0INCIDENT');
    await command(page, '/debugdead oom demo');
    const oom = page.locator('#messages .msg', { hasText: 'demo/oom — CrashLoopBackOff' });
    await oom.locator('.thread-link').waitFor({ timeout: 20_000 });
    await clickAndConfirm(oom.getByRole('button', { name: 'Create debug clone' }), page);
    await until(
      'the approval request',
      async () => /Approve/.test(await oom.innerText()) || (await oom.locator('.thread-link').innerText()).length > 0,
    );
    await open('U0BOB0002', 'C0INCIDENT');
    const oomForBob = page.locator('#messages .msg', { hasText: 'demo/oom — CrashLoopBackOff' });
    await oomForBob.locator('.thread-link').click();
    const ask = page.locator('#thread-messages .msg', { hasText: 'Approve' }).last();
    await ask.waitFor({ timeout: 10_000 });
    await ask.scrollIntoViewIfNeeded();
    await shoot(page, 'approval');

    // 3. The clone in progress, live: Bob approves and the parent message moves step by step.
    await clickAndConfirm(ask.getByRole('button', { name: 'Approve' }), page);
    await until('the clone running', async () => /✅ Running/.test(await oomForBob.innerText()));
    await oomForBob.locator('.bk-actions').last().scrollIntoViewIfNeeded();
    await shoot(page, 'clone-in-progress');

    // 4. The alert storm: a few alerts, then one summary for the rest.
    await open('U0ALICE01', DEMO_ALERTS_CHANNEL);
    const storm = page.locator('#messages .msg', { hasText: 'alert storm' });
    await storm.waitFor({ timeout: 30_000 });
    await storm.scrollIntoViewIfNeeded();
    await shoot(page, 'alert-storm');
  } finally {
    await browser.close();
    await w.stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`screenshots failed: ${(err as Error).stack}\n`);
    process.exit(1);
  },
);
