import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSlackBody } from '../../src/ingress/index.js';
import { INCIDENT } from '../support/e2e-steps.js';
import { type Harness, startHarness } from '../support/harness.js';
import { commandBody, postSigned } from '../support/signed-post.js';

const FORM = 'application/x-www-form-urlencoded';
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

/** JSON shapes an interaction payload could take: anything, and near-misses of the shapes Slack sends. */
const payloadShape = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(null, 0, '', [], {}, 'null', true),
  fc.record(
    {
      type: fc.oneof(fc.constantFrom('block_actions', 'view_submission', 'shortcut'), fc.jsonValue()),
      user: fc.oneof(fc.record({ id: fc.oneof(fc.constant('U0ALICE01'), fc.jsonValue()) }), fc.jsonValue()),
      actions: fc.oneof(
        fc.array(
          fc.record(
            {
              action_id: fc.oneof(
                fc.constantFrom('debugdead.clone.0', 'debugdead.approve', 'debugdead.extend'),
                fc.jsonValue(),
              ),
              value: fc.oneof(fc.string(), fc.jsonValue()),
              block_id: fc.string(),
            },
            { requiredKeys: [] },
          ),
        ),
        fc.jsonValue(),
      ),
      channel: fc.oneof(fc.record({ id: fc.oneof(fc.constant(INCIDENT), fc.jsonValue()) }), fc.jsonValue()),
      message: fc.oneof(fc.record({ ts: fc.oneof(fc.string(), fc.jsonValue()) }), fc.jsonValue()),
      container: fc.jsonValue(),
      response_url: fc.string(),
    },
    { requiredKeys: [] },
  ),
);

/** Whole bodies: an interaction payload, raw text as a payload, a form of random fields, random bytes as text. */
const bodyShape = fc.oneof(
  payloadShape.map((p) => form({ payload: JSON.stringify(p) ?? 'undefined' })),
  fc.string().map((s) => form({ payload: s })),
  fc
    .dictionary(fc.constantFrom('command', 'text', 'user_id', 'channel_id', 'payload', 'ssl_check', 'x'), fc.string())
    .map(form),
  fc.string(),
);

describe('HTTP mode: any body, correctly signed, gets an answer and never ends the process', () => {
  let h: Harness;
  let url: string;
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    process.on('uncaughtException', onUnhandled);
    h = await startHarness({ mode: 'http' });
    url = `http://127.0.0.1:${h.bot.port}/slack/events`;
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    process.off('uncaughtException', onUnhandled);
    await h?.stop();
  });

  it.each([
    ['payload=null', form({ payload: 'null' })],
    ['payload=0', form({ payload: '0' })],
    ['payload=[]', form({ payload: '[]' })],
    ['payload="text"', form({ payload: '"text"' })],
    ['payload that is not JSON', form({ payload: '{' })],
    ['two payload fields', 'payload=%7B%7D&payload=%7B%7D'],
    [
      'block_actions without actions',
      form({ payload: JSON.stringify({ type: 'block_actions', user: { id: 'U0AAAAAAA' } }) }),
    ],
    [
      'block_actions whose action is null',
      form({ payload: JSON.stringify({ type: 'block_actions', user: { id: 'U0AAAAAAA' }, actions: [null] }) }),
    ],
    ['a form that is no command', form({ hello: 'world' })],
    ['ssl_check=0', form({ ssl_check: '0' })],
    ['an empty body', ''],
  ])('%s is answered 400', async (_name, body) => {
    expect(await postSigned(url, h.slack.signingSecret, body)).toBe(400);
  });

  it('JSON bodies are answered 400 (the app subscribes to no Events API events)', async () => {
    for (const body of ['null', '{}', '{"type":"url_verification","challenge":"x"}', '[]'])
      expect(await postSigned(url, h.slack.signingSecret, body, { contentType: 'application/json' })).toBe(400);
  });

  it('a fuzz of signed body shapes: every answer is the one the shape deserves, and the process lives on', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(bodyShape, async (body) => {
        // A unique timestamp per request, so no two fuzz cases share a signature (that would be a replay: 401).
        const ts = Math.floor(Date.now() / 1000) - (n++ % 250);
        const status = await postSigned(url, h.slack.signingSecret, body, { timestampSec: ts });
        const verdict = checkSlackBody(FORM, body);
        if (!verdict.ok) return status === 400;
        // A shape Slack could send: Bolt acks it (200) or finds no listener for it (404); never a 5xx.
        return status >= 200 && status < 500;
      }),
      { numRuns: 300 },
    );
    expect(unhandled).toEqual([]);
    // Still serving: a real command through the simulator is acked and answered.
    const delivery = await h.slack.user('U0BOB0002').runCommand('/debugdead', 'help', { channel: INCIDENT });
    expect(delivery).toMatchObject({ httpStatus: 200, acked: true });
  }, 60_000);

  it('a signed command with the shape Slack sends is accepted', async () => {
    const body = commandBody({ text: 'help', user: 'U0ALICE01', channel: INCIDENT, responseUrl: `${h.slack.url}/x` });
    expect(await postSigned(url, h.slack.signingSecret, body)).toBe(200);
  });

  it('a body over the limit is refused with 413 without being read to the end', async () => {
    const body = form({ payload: 'x'.repeat(2 * 1024 * 1024) });
    expect(await postSigned(url, h.slack.signingSecret, body)).toBe(413);
  });
});
