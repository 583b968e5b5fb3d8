import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { sealingFetch } from '../../handlers/sealing-fetch.js';
import { toTerminal, toTerminalJson } from '../../src/cli/print.js';
import type { Diagnosis } from '../../src/diagnosis/types.js';
import { terminationCutNote } from '../../src/render/describe-container.js';
import { renderThreadReplies, sealFile, sealMessage } from '../../src/render/index.js';
import { crashLoop } from './fixtures.js';

const TOKEN = 'ghp_Q3vX9kLmN2pR7sT1uW4yZ6aB8cD0eF5gH3jK';
const PASSWORD = 'Tr0ub4dor&3xq';

describe('the egress boundary seals every text a person reads', () => {
  it('a message: its fallback text and every text of every block, but not ids or button values', () => {
    const sealed = sealMessage({
      text: `token ${TOKEN}`,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `password=${PASSWORD}` }, block_id: 'b1' },
        { type: 'section', fields: [{ type: 'mrkdwn', text: `GITHUB_TOKEN=${TOKEN}` }] },
        { type: 'context', elements: [{ type: 'mrkdwn', text: `x ${TOKEN}` }] },
        {
          type: 'actions',
          block_id: 'debugdead.job',
          elements: [
            {
              type: 'button',
              action_id: 'debugdead.delete',
              value: 'req-123',
              text: { type: 'plain_text', text: TOKEN },
            },
          ],
        },
      ],
    });
    const json = JSON.stringify(sealed);
    expect(json).not.toContain(TOKEN);
    expect(json).not.toContain(PASSWORD);
    expect(json).toContain('"action_id":"debugdead.delete"');
    expect(json).toContain('"value":"req-123"');
    expect(json).toContain('"block_id":"b1"');
  });

  it('a file: content, title, name and comment', () => {
    const sealed = sealFile({
      filename: `log-${TOKEN}.txt`,
      title: `about ${TOKEN}`,
      content: `line 1\nAuthorization: Bearer ${TOKEN}\n`,
      comment: { text: `see ${TOKEN}` },
    });
    expect(JSON.stringify(sealed)).not.toContain(TOKEN);
  });

  it('respond(): a JSON message posted to a response_url arrives sealed; other bodies pass as they are', async () => {
    const received: string[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => {
        body += d;
      });
      req.on('end', () => {
        received.push(body);
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/respond`;
    try {
      const fetchSealed = sealingFetch();
      await fetchSealed(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ response_type: 'ephemeral', text: `DB_PASSWORD=${PASSWORD}` }),
      });
      await fetchSealed(url, { method: 'POST', body: 'token=plain-form-body' });
    } finally {
      server.close();
    }
    expect(received[0]).not.toContain(PASSWORD);
    expect(JSON.parse(received[0]!)).toEqual({ response_type: 'ephemeral', text: 'DB_PASSWORD=[REDACTED]' });
    expect(received[1]).toBe('token=plain-form-body');
  });
});

describe('the CLI never hands a terminal a control sequence', () => {
  const hostile = `a\x1b[31mred\x1b[0m b\x07 c\x00 d\u009b31m e\u009b2J f\u202eg h\x1b]0;title\x07 i\r\nj\tk ${TOKEN}`;

  it('text: escape sequences, C0 and C1 controls (U+009B too) and bidi overrides go; tab and newline stay', () => {
    const out = toTerminal(hostile);
    expect(out).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);
    expect(out).toContain('ared b c d e fg h i\nj\tk');
    expect(out).not.toContain(TOKEN);
  });

  it('--json: the characters are kept, written as \\u escapes, and secrets are redacted', () => {
    const out = toTerminalJson({ message: hostile });
    expect(out).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);
    expect(out).toContain('\\u009b');
    expect(out).toContain('\\u202e');
    const back = JSON.parse(out) as { message: string };
    expect(back.message).toContain('\u009b31m');
    expect(back.message).not.toContain(TOKEN);
  });
});

describe('what we post says what it left out', () => {
  const lines = Array.from({ length: 200 }, (_, i) => `line ${i + 1}`).join('\n');
  const cutDiagnosis = (cut: NonNullable<Diagnosis['logs'][number]['cut']>): Diagnosis => ({
    ...crashLoop,
    logs: [{ container: 'app', previous: { ok: true, value: lines }, cut }],
  });

  it('a log cut at the tail: "last 200 lines (earlier lines not shown)" in the comment and the file, with kubectl logs --previous', () => {
    const replies = renderThreadReplies(cutDiagnosis({ previous: { by: 'tail', lines: 200 } }), { inlineLogLines: 20 });
    const file = replies.find((r) => r.kind === 'file');
    expect(file?.kind).toBe('file');
    if (file?.kind !== 'file') return;
    expect(file.comment.text).toContain('last 200 lines (earlier lines not shown)');
    expect(file.comment.text).toContain('kubectl logs -n demo web-1 -c app --previous');
    expect(file.comment.text).not.toMatch(/full log/);
    expect(file.content.split('\n')[0]).toBe(
      '# debugdead: last 200 lines (earlier lines not shown). The rest: kubectl logs -n demo web-1 -c app --previous',
    );
    expect(file.title).toContain('earlier lines not shown');
  });

  it('a log cut at the byte limit says later lines are missing', () => {
    const replies = renderThreadReplies(cutDiagnosis({ previous: { by: 'bytes', limitBytes: 262_144 } }), {
      inlineLogLines: 20,
    });
    const text = replies.map((r) => (r.kind === 'file' ? r.comment.text : r.message.text)).join('\n');
    expect(text).toContain('first 256 KiB of the log read (later lines not shown)');
  });

  it('a log read whole is not flagged', () => {
    const d: Diagnosis = { ...crashLoop, logs: [{ container: 'app', previous: { ok: true, value: lines } }] };
    const text = renderThreadReplies(d, { inlineLogLines: 20 })
      .map((r) => (r.kind === 'file' ? r.comment.text : r.message.text))
      .join('\n');
    expect(text).toContain('full log attached (200 lines)');
    expect(text).not.toContain('not shown');
  });

  it.each([
    ['x'.repeat(4096), /cut by the kubelet/],
    [Array.from({ length: 80 }, (_, i) => `l${i}`).join('\n'), /last 80 lines/],
    ['short message', undefined],
  ])('a termination message of %# is flagged as cut when the kubelet cut it', (message, note) => {
    const said = terminationCutNote(message);
    if (note) expect(said).toMatch(note);
    else expect(said).toBeUndefined();
  });
});
