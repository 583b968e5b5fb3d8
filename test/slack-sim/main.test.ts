import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';

describe('npm run sim:slack', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill('SIGTERM');
    child = undefined;
  });

  it('prints, as its first line, a JSON description whose tokens the API accepts', async () => {
    // What `npm run sim:slack -- --port 0` runs, without npm in between.
    child = spawn(process.execPath, ['--import', 'tsx', 'test/sim/slack/main.ts', '--port', '0'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout! });
    const first = await new Promise<string>((resolve) => lines.once('line', resolve));
    const info = JSON.parse(first);
    expect(info).toMatchObject({
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      apiUrl: expect.stringMatching(/\/api\/$/),
      botToken: expect.stringMatching(/^xoxb-/),
      appToken: expect.stringMatching(/^xapp-/),
      signingSecret: expect.any(String),
      team: { id: 'T0DEBUGDEAD' },
    });
    expect(info.users.map((u: { id: string }) => u.id)).toContain('U0ALICE01');
    expect(info.channels.map((c: { id: string }) => c.id)).toEqual(
      expect.arrayContaining(['C0INCIDENT', 'C0GENERAL', 'G0SECOPS0', 'D0ALICE01']),
    );
    const res = await fetch(`${info.apiUrl}auth.test`, {
      method: 'POST',
      headers: { authorization: `Bearer ${info.botToken}` },
    });
    expect(await res.json()).toMatchObject({ ok: true, user_id: 'U0BOT0099' });
  });
});
