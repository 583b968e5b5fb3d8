import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SlackSim, startSlackSim } from '../../sim/slack/index.js';
import { strayMarkup, textOf } from '../../support/stray-markup.js';

/** The web client's HTTP side, without a browser or a bot: what the page is sent and what it may send. */
describe('the web client of the Slack simulator', () => {
  let sim: SlackSim;
  beforeEach(async () => {
    sim = await startSlackSim({ rateLimits: false });
  });
  afterEach(async () => {
    await sim.close();
  });

  const view = async (query: Record<string, string>) => {
    const res = await fetch(`${sim.url}/client/view?${new URLSearchParams({ tz: 'UTC', ...query })}`);
    return { status: res.status, body: (await res.json()) as any };
  };
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${sim.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const api = async (method: string, args: Record<string, unknown>) => {
    const res = await fetch(`${sim.apiUrl}${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${sim.botToken}` },
      body: JSON.stringify(args),
    });
    return (await res.json()) as any;
  };

  it('serves the page with a policy that runs only its own script', async () => {
    const res = await fetch(`${sim.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(await res.text()).toContain('/client/app.js');
    expect((await fetch(`${sim.url}/client/app.js`)).status).toBe(200);
  });

  it('lists only the channels the person is in, and marks the ones with unread messages', async () => {
    await api('chat.postMessage', { channel: 'C0INCIDENT', text: 'news for <@U0BOB0002>' });
    const bob = await view({ user: 'U0BOB0002', channel: 'C0GENERAL' });
    expect(bob.body.channels.map((c: any) => c.id)).toEqual(['C0INCIDENT', 'C0GENERAL', 'G0SECOPS0']);
    expect(bob.body.channels.find((c: any) => c.id === 'C0INCIDENT')).toMatchObject({ unread: true, mentions: 1 });
    // Opening the channel reads it.
    await view({ user: 'U0BOB0002', channel: 'C0INCIDENT' });
    const again = await view({ user: 'U0BOB0002', channel: 'C0GENERAL' });
    expect(again.body.channels.find((c: any) => c.id === 'C0INCIDENT')).toMatchObject({ unread: false, mentions: 0 });
    // A private channel Bob is not in is neither listed nor opened for him.
    const sneak = await view({ user: 'U0BOB0002', channel: 'G0PLATFORM' });
    expect(sneak.body.channel.id).not.toBe('G0PLATFORM');
  });

  it('a typed message is stored as Slack stores it and shows as typed: markup is text, a typed @name a mention', async () => {
    const sent = await post('/client/say', {
      user: 'U0ALICE01',
      channel: 'C0INCIDENT',
      text: '<script>alert(1)</script> *look* @bob',
    });
    expect(sent.status).toBe(200);
    const stored = sim.channel('C0INCIDENT').latest()!;
    expect(stored.text).toContain('&lt;script&gt;');
    const { body } = await view({ user: 'U0CAROL03', channel: 'C0INCIDENT' });
    const html = body.messages.at(-1).html as string;
    expect(strayMarkup(html)).toEqual([]);
    expect(textOf(html)).toMatch(/<script>alert\(1\)<\/script>\s*look\s*@Bob Oncall/);
    expect(html).toContain('<b>look</b>');
  });

  it("a person's edit shows (edited); replies are counted and open in the thread", async () => {
    const parent = sim.user('U0ALICE01').say('C0INCIDENT', 'first');
    sim.editMessage('C0INCIDENT', parent.ts, 'first, fixed');
    await post('/client/say', { user: 'U0BOB0002', channel: 'C0INCIDENT', text: 'a reply', threadTs: parent.ts });
    const { body } = await view({ user: 'U0CAROL03', channel: 'C0INCIDENT', thread: parent.ts });
    const top = textOf(body.messages.at(-1).html);
    expect(top).toMatch(/first, fixed\s*\(edited\)/);
    expect(top).toMatch(/1 reply/);
    expect(body.thread.messages.map((m: any) => textOf(m.html).replace(/\s+/g, ' '))).toEqual([
      expect.stringContaining('first, fixed'),
      expect.stringContaining('a reply'),
    ]);
  });

  it('refuses what Slack’s client refuses: an unknown command, a command in a thread, someone not in the workspace', async () => {
    expect(await post('/client/command', { user: 'U0ALICE01', channel: 'C0INCIDENT', text: '/deploy now' })).toEqual({
      status: 400,
      body: { error: '/deploy is not a valid command.' },
    });
    const parent = sim.user('U0ALICE01').say('C0INCIDENT', 'x');
    const inThread = await post('/client/say', {
      user: 'U0ALICE01',
      channel: 'C0INCIDENT',
      text: '/debugdead web-1',
      threadTs: parent.ts,
    });
    expect(inThread.body.error).toMatch(/cannot be run in threads/);
    expect((await post('/client/say', { user: 'U0BOT0099', channel: 'C0INCIDENT', text: 'hi' })).status).toBe(400);
    expect((await view({ user: 'U0NOBODY0' })).status).toBe(400);
  });

  it('with no app connected, a typed command shows Slack’s own failure notice to that person only', async () => {
    await post('/client/command', { user: 'U0ALICE01', channel: 'C0INCIDENT', text: '/debugdead web-1 prod' });
    const alice = textOf((await view({ user: 'U0ALICE01', channel: 'C0INCIDENT' })).body.messages.at(-1).html);
    expect(alice).toMatch(/Only visible to you[\s\S]*dispatch_failed/);
    expect((await view({ user: 'U0BOB0002', channel: 'C0INCIDENT' })).body.messages).toEqual([]);
  });

  it('an uploaded file shows a preview, and its bytes are served as inert text', async () => {
    const content = '<html><script>alert(1)</script></html>\nline 2';
    const { upload_url, file_id } = await api('files.getUploadURLExternal', {
      filename: 'logs.html',
      length: Buffer.byteLength(content),
    });
    await fetch(upload_url, { method: 'POST', body: content });
    await api('files.completeUploadExternal', {
      files: [{ id: file_id, title: 'web-1 logs' }],
      channel_id: 'C0INCIDENT',
    });
    const html = (await view({ user: 'U0ALICE01', channel: 'C0INCIDENT' })).body.messages.at(-1).html as string;
    expect(textOf(html)).toContain('<html><script>alert(1)</script></html>');
    expect(strayMarkup(html)).toEqual([]);
    const file = await fetch(`${sim.url}/client/files/${file_id}`);
    expect(file.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(file.headers.get('content-security-policy')).toMatch(/sandbox/);
    expect(await file.text()).toBe(content);
  });

  it('tells open pages that something changed, over Server-Sent Events', async () => {
    const controller = new AbortController();
    const res = await fetch(`${sim.url}/client/events`, { signal: controller.signal });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toMatch(/^retry: \d+\ndata: \d+\n\n/);
    sim.user('U0ALICE01').say('C0INCIDENT', 'ping');
    const next = new TextDecoder().decode((await reader.read()).value);
    expect(next).toMatch(/^data: \d+\n\n/);
    controller.abort();
  });
});
