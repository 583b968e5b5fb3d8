import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MrkdwnContext } from '../../sim/slack/web/index.js';
import { type MessageView, renderBlocks, renderMessage } from '../../sim/slack/web/index.js';
import { strayMarkup, textOf } from '../../support/stray-markup.js';

const ctx: MrkdwnContext = {
  userName: (id) => ({ U0ALICE01: 'Alice Oncall' })[id],
  channelName: () => undefined,
  usergroupHandle: (id) => ({ S0ONCALL0: 'oncall' })[id],
  timeZone: 'UTC',
  now: 1_795_425_851_000,
};
const plain = (text: string) => ({ type: 'plain_text', text, emoji: true });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const shown = (html: string) => textOf(html).replace(/\s+/g, ' ').trim();
const confirm = {
  title: plain('Create a debug clone?'),
  text: plain('It is deleted after its TTL.'),
  confirm: plain('Create clone'),
  deny: plain('Cancel'),
};

describe('Block Kit as Slack lays it out', () => {
  it.each<[string, unknown[], string, string[]]>([
    ['header', [{ type: 'header', text: plain(':rotating_light: <b>web-1</b>') }], '🚨 <b>web-1</b>', ['bk-header']],
    [
      'section with fields',
      [{ type: 'section', text: mrkdwn('*Status*'), fields: [mrkdwn('*Node*\nnode-1'), plain('Age 20m')] }],
      'Status Node node-1 Age 20m',
      ['bk-fields', '<b>Node</b>'],
    ],
    [
      'section with a button accessory',
      [
        {
          type: 'section',
          block_id: 'b1',
          text: mrkdwn('x'),
          accessory: { type: 'button', action_id: 'go', text: plain('Go') },
        },
      ],
      'x Go',
      ['bk-accessory', 'data-action-id="go"', 'data-block-id="b1"'],
    ],
    [
      'context with text and an image',
      [
        {
          type: 'context',
          elements: [mrkdwn('by <@U0ALICE01>'), { type: 'image', image_url: 'https://x.io/a.png', alt_text: 'a' }],
        },
      ],
      'by @Alice Oncall',
      ['bk-context', '<img class="bk-context-image" src="https://x.io/a.png"'],
    ],
    ['divider', [{ type: 'divider' }], '', ['<hr class="bk-divider">']],
    [
      'actions: primary, danger and a confirm dialog',
      [
        {
          type: 'actions',
          block_id: 'acts',
          elements: [
            { type: 'button', action_id: 'clone', style: 'primary', text: plain('Create debug clone'), confirm },
            { type: 'button', action_id: 'del', style: 'danger', text: plain('Delete now') },
            { type: 'button', action_id: 'plain', text: plain('Extend') },
          ],
        },
      ],
      'Create debug clone Delete now Extend',
      [
        'bk-button bk-button-primary',
        'bk-button bk-button-danger',
        'data-confirm="{&quot;title&quot;:&quot;Create a debug clone?&quot;',
      ],
    ],
    [
      'overflow and static select are drawn',
      [
        {
          type: 'actions',
          elements: [
            { type: 'overflow', action_id: 'more', options: [{ text: plain('Logs'), value: 'logs' }] },
            {
              type: 'static_select',
              action_id: 'pick',
              placeholder: plain('Pick a pod'),
              options: [{ text: plain('web-1'), value: 'web-1' }],
            },
          ],
        },
      ],
      '⋮ Logs Pick a pod web-1',
      ['bk-overflow', '<select class="bk-select"'],
    ],
    [
      'a link button keeps its URL only when it is http(s)',
      [
        {
          type: 'actions',
          elements: [{ type: 'button', action_id: 'u', text: plain('Open'), url: 'javascript:alert(1)' }],
        },
      ],
      'Open',
      [],
    ],
    [
      'rich text',
      [
        {
          type: 'rich_text',
          elements: [
            {
              type: 'rich_text_section',
              elements: [
                { type: 'text', text: 'hi ', style: { bold: true } },
                { type: 'user', user_id: 'U0ALICE01' },
                { type: 'emoji', name: 'fire' },
              ],
            },
          ],
        },
      ],
      'hi @Alice Oncall 🔥',
      ['<b>hi </b>'],
    ],
    ['an unknown block says so', [{ type: 'video' }], 'This content can’t be displayed.', ['bk-unsupported']],
  ])('%s', (_name, blocks, text, fragments) => {
    const html = renderBlocks(blocks, ctx);
    expect(shown(html)).toBe(text);
    for (const f of fragments) expect(html).toContain(f);
    expect(html).not.toContain('javascript:');
    expect(strayMarkup(html)).toEqual([]);
  });
});

describe('a message', () => {
  const base: MessageView = {
    channel: 'C0INCIDENT',
    ts: '1795425851.000100',
    author: { id: 'U0BOT0099', name: 'debugdead', isBot: true },
    text: 'fallback *not shown*',
  };

  it.each<[string, Partial<MessageView>, string[], string[]]>([
    [
      'blocks win over the text fallback',
      { blocks: [{ type: 'section', text: mrkdwn('*shown*') }] },
      ['shown', 'APP', '9:24 AM'],
      ['fallback'],
    ],
    ['text alone is mrkdwn', {}, ['fallback not shown'], ['*']],
    ['ephemeral', { ephemeral: true }, ['Only visible to you'], []],
    [
      'a person’s edit',
      { author: { id: 'U0ALICE01', name: 'Alice Oncall', isBot: false }, edited: true },
      ['(edited)'],
      ['APP'],
    ],
    ['a thread’s parent', { replyCount: 3 }, ['3 replies'], []],
    ['one reply', { replyCount: 1 }, ['1 reply'], ['replies']],
    [
      'a file with a preview',
      {
        files: [
          { id: 'F1', name: 'logs.txt', title: 'web-1 logs', length: 20, image: false, preview: '<script>x</script>' },
        ],
      },
      ['web-1 logs', '<script>x</script>', 'Download', '20 bytes'],
      [],
    ],
    [
      'a file still uploading',
      { files: [{ id: 'F2', name: 'a.txt', title: 'a', length: 3, image: false }] },
      ['Uploading…'],
      [],
    ],
  ])('%s', (_name, over, visible, absent) => {
    const html = renderMessage({ ...base, ...over }, ctx);
    const text = shown(html);
    for (const v of visible) expect(text).toContain(v);
    for (const a of absent) expect(text).not.toContain(a);
    expect(strayMarkup(html)).toEqual([]);
  });

  it('a file preview never runs: its markup is text', () => {
    const html = renderMessage(
      { ...base, files: [{ id: 'F"1', name: 'x', title: '<img src=x onerror=alert(1)>', length: 1, image: true }] },
      ctx,
    );
    expect(html).not.toMatch(/<img src=x/);
    expect(html).toContain('/client/files/F%221');
  });
});

describe('any blocks at all', () => {
  it('render without throwing, and nothing in them reaches the page as markup', () => {
    const text = fc.oneof(fc.string(), fc.constantFrom('<script>', '"><img src=x>', "'", '<@U0ALICE01>', '&lt;'));
    const textObject = fc.record({ type: fc.constantFrom('mrkdwn', 'plain_text', 'other'), text, emoji: fc.boolean() });
    const element = fc.record({
      type: fc.constantFrom('button', 'overflow', 'static_select', 'image', 'datepicker'),
      action_id: text,
      text: textObject,
      style: fc.constantFrom('primary', 'danger', '"><b>'),
      url: text,
      image_url: text,
      alt_text: text,
      value: text,
      confirm: fc.record({ title: textObject, text: textObject, confirm: textObject, deny: textObject }),
      options: fc.array(fc.record({ text: textObject, value: text }), { maxLength: 3 }),
    });
    const block = fc.record({
      type: fc.constantFrom(
        'header',
        'section',
        'context',
        'divider',
        'actions',
        'image',
        'markdown',
        'rich_text',
        'x',
      ),
      block_id: text,
      text: fc.oneof(textObject, text),
      fields: fc.array(textObject, { maxLength: 3 }),
      accessory: element,
      elements: fc.array(fc.oneof(element, textObject, fc.anything()), { maxLength: 4 }),
      image_url: text,
      alt_text: text,
      title: textObject,
    });
    fc.assert(
      fc.property(fc.array(fc.oneof(block, fc.anything()), { maxLength: 5 }), (blocks) => {
        const html = renderMessage({ ...base(), blocks }, ctx);
        expect(strayMarkup(html).filter((p) => p.startsWith('unescaped'))).toEqual([]);
      }),
      { numRuns: 500 },
    );
    function base(): MessageView {
      return { channel: 'C1', ts: '1.000001', author: { id: 'U1', name: '<b>', isBot: false }, text: '' };
    }
  });
});
