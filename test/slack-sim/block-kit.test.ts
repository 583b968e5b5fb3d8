import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BLOCK_KIT_LIMITS, validateMessage } from '../sim/slack/block-kit.js';

const plain = (text: string) => ({ type: 'plain_text', text });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const x = (n: number) => 'x'.repeat(n);
const section = (text: string) => ({ type: 'section', text: mrkdwn(text) });
const button = (over: Record<string, unknown> = {}) => ({
  type: 'button',
  action_id: 'approve',
  text: plain('Approve'),
  value: 'req-1',
  ...over,
});
const actions = (...elements: unknown[]) => ({ type: 'actions', elements });
const option = (text: string, value = 'v', over: Record<string, unknown> = {}) => ({
  text: plain(text),
  value,
  ...over,
});
const options = (n: number) => Array.from({ length: n }, (_, i) => option(`o${i}`, `v${i}`));
const overflow = (opts: unknown[]) => ({ type: 'overflow', action_id: 'menu', options: opts });
const select = (over: Record<string, unknown>) => ({
  type: 'static_select',
  action_id: 'pick',
  placeholder: plain('Pick…'),
  ...over,
});
const group = (label: string, n: number) => ({ label: plain(label), options: options(n) });
const confirm = (over: Record<string, unknown> = {}) => ({
  title: plain('Sure?'),
  text: plain('This starts a pod.'),
  confirm: plain('Yes'),
  deny: plain('No'),
  ...over,
});

/** [what, blocks at the limit (accepted), blocks over it, json-pointer of the complaint] */
const limits: [string, unknown[], unknown[], string][] = [
  [
    'blocks per message (50)',
    Array.from({ length: 50 }, () => ({ type: 'divider' })),
    Array.from({ length: 51 }, () => ({ type: 'divider' })),
    '/blocks',
  ],
  ['section text (3000)', [section(x(3000))], [section(x(3001))], '/blocks/0/text/text'],
  ['section text (at least 1)', [section('x')], [section('')], '/blocks/0/text/text'],
  [
    'section fields (10)',
    [{ type: 'section', fields: Array.from({ length: 10 }, () => mrkdwn('f')) }],
    [{ type: 'section', fields: Array.from({ length: 11 }, () => mrkdwn('f')) }],
    '/blocks/0/fields',
  ],
  [
    'section field text (2000)',
    [{ type: 'section', fields: [mrkdwn(x(2000))] }],
    [{ type: 'section', fields: [mrkdwn('ok'), mrkdwn(x(2001))] }],
    '/blocks/0/fields/1/text',
  ],
  [
    'header text (150)',
    [{ type: 'header', text: plain(x(150)) }],
    [{ type: 'header', text: plain(x(151)) }],
    '/blocks/0/text/text',
  ],
  [
    'header is plain_text only',
    [{ type: 'header', text: plain('h') }],
    [{ type: 'header', text: mrkdwn('h') }],
    '/blocks/0/text/type',
  ],
  [
    'button text (75)',
    [actions(button({ text: plain(x(75)) }))],
    [actions(button({ text: plain(x(76)) }))],
    '/blocks/0/elements/0/text/text',
  ],
  [
    'button value (2000)',
    [actions(button({ value: x(2000) }))],
    [actions(button({ value: x(2001) }))],
    '/blocks/0/elements/0/value',
  ],
  [
    'button url (3000)',
    [actions(button({ url: `https://e.x/${x(3000 - 12)}` }))],
    [actions(button({ url: `https://e.x/${x(3001 - 12)}` }))],
    '/blocks/0/elements/0/url',
  ],
  [
    'action_id (255)',
    [actions(button({ action_id: x(255) }))],
    [actions(button({ action_id: x(256) }))],
    '/blocks/0/elements/0/action_id',
  ],
  [
    'block_id (255)',
    [{ type: 'divider', block_id: x(255) }],
    [{ type: 'divider', block_id: x(256) }],
    '/blocks/0/block_id',
  ],
  [
    'context elements (10)',
    [{ type: 'context', elements: Array.from({ length: 10 }, () => mrkdwn('c')) }],
    [{ type: 'context', elements: Array.from({ length: 11 }, () => mrkdwn('c')) }],
    '/blocks/0/elements',
  ],
  [
    'actions elements (25)',
    [actions(...Array.from({ length: 25 }, (_, i) => button({ action_id: `a${i}` })))],
    [actions(...Array.from({ length: 26 }, (_, i) => button({ action_id: `a${i}` })))],
    '/blocks/0/elements',
  ],
  [
    'markdown block (12000)',
    [{ type: 'markdown', text: x(12000) }],
    [{ type: 'markdown', text: x(12001) }],
    '/blocks/0/text',
  ],
  [
    'confirm title (100)',
    [actions(button({ confirm: confirm({ title: plain(x(100)) }) }))],
    [actions(button({ confirm: confirm({ title: plain(x(101)) }) }))],
    '/blocks/0/elements/0/confirm/title/text',
  ],
  [
    'confirm text (300)',
    [actions(button({ confirm: confirm({ text: plain(x(300)) }) }))],
    [actions(button({ confirm: confirm({ text: plain(x(301)) }) }))],
    '/blocks/0/elements/0/confirm/text/text',
  ],
  [
    'confirm button (30)',
    [actions(button({ confirm: confirm({ confirm: plain(x(30)) }) }))],
    [actions(button({ confirm: confirm({ confirm: plain(x(31)) }) }))],
    '/blocks/0/elements/0/confirm/confirm/text',
  ],
  [
    'deny button (30)',
    [actions(button({ confirm: confirm({ deny: plain(x(30)) }) }))],
    [actions(button({ confirm: confirm({ deny: plain(x(31)) }) }))],
    '/blocks/0/elements/0/confirm/deny/text',
  ],
  [
    'overflow options (at least 2)',
    [actions(overflow(options(2)))],
    [actions(overflow(options(1)))],
    '/blocks/0/elements/0/options',
  ],
  [
    'overflow options (5)',
    [actions(overflow(options(5)))],
    [actions(overflow(options(6)))],
    '/blocks/0/elements/0/options',
  ],
  [
    'option text (75)',
    [actions(overflow([option(x(75)), option('b')]))],
    [actions(overflow([option(x(76)), option('b')]))],
    '/blocks/0/elements/0/options/0/text/text',
  ],
  [
    'option value (150)',
    [actions(overflow([option('a', x(150)), option('b')]))],
    [actions(overflow([option('a', x(151)), option('b')]))],
    '/blocks/0/elements/0/options/0/value',
  ],
  [
    'option description (75)',
    [actions(overflow([option('a', 'v', { description: plain(x(75)) }), option('b')]))],
    [actions(overflow([option('a', 'v', { description: plain(x(76)) }), option('b')]))],
    '/blocks/0/elements/0/options/0/description/text',
  ],
  [
    'static_select options (100)',
    [actions(select({ options: options(100) }))],
    [actions(select({ options: options(101) }))],
    '/blocks/0/elements/0/options',
  ],
  [
    'static_select option groups (100)',
    [actions(select({ option_groups: Array.from({ length: 100 }, (_, i) => group(`g${i}`, 1)) }))],
    [actions(select({ option_groups: Array.from({ length: 101 }, (_, i) => group(`g${i}`, 1)) }))],
    '/blocks/0/elements/0/option_groups',
  ],
  [
    'static_select options in all groups (100)',
    [actions(select({ option_groups: [group('a', 50), group('b', 50)] }))],
    [actions(select({ option_groups: [group('a', 50), group('b', 51)] }))],
    '/blocks/0/elements/0',
  ],
  [
    'option group label (75)',
    [actions(select({ option_groups: [group(x(75), 1)] }))],
    [actions(select({ option_groups: [group(x(76), 1)] }))],
    '/blocks/0/elements/0/option_groups/0/label/text',
  ],
  [
    'static_select option text (75)',
    [actions(select({ option_groups: [{ label: plain('g'), options: [option(x(75))] }] }))],
    [actions(select({ option_groups: [{ label: plain('g'), options: [option(x(76))] }] }))],
    '/blocks/0/elements/0/option_groups/0/options/0/text/text',
  ],
  [
    'static_select placeholder (150)',
    [actions(select({ options: options(1), placeholder: plain(x(150)) }))],
    [actions(select({ options: options(1), placeholder: plain(x(151)) }))],
    '/blocks/0/elements/0/placeholder/text',
  ],
];

describe('Block Kit limits', () => {
  it.each(limits)('%s: at the limit is accepted', (_what, atLimit) => {
    expect(validateMessage({ text: 'fallback', blocks: atLimit })).toEqual({ ok: true });
  });

  it.each(limits)('%s: one over is refused as invalid_blocks', (_what, _at, over, pointer) => {
    const result = validateMessage({ text: 'fallback', blocks: over });
    expect(result).toMatchObject({ ok: false, error: 'invalid_blocks' });
    const messages = result.ok ? [] : result.messages;
    expect(messages.some((m) => m.endsWith(`[json-pointer:${pointer}]`))).toBe(true);
  });

  it('words the errors like Slack', () => {
    expect(validateMessage({ blocks: [section(x(3001))] })).toEqual({
      ok: false,
      error: 'invalid_blocks',
      messages: ['[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]'],
    });
    const tooMany = validateMessage({ blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) });
    expect(tooMany).toMatchObject({ messages: ['[ERROR] no more than 50 items allowed [json-pointer:/blocks]'] });
  });
});

describe('Block Kit shapes Slack refuses', () => {
  const refused: [string, unknown[], string][] = [
    [
      'a disabled button (buttons cannot be disabled)',
      [actions(button({ disabled: true }))],
      '/blocks/0/elements/0/disabled',
    ],
    ['an unknown block type', [{ type: 'carousel' }], '/blocks/0/type'],
    ['an unknown field on a block', [{ type: 'divider', colour: 'red' }], '/blocks/0/colour'],
    ['a duplicate action_id in one block', [actions(button(), button())], '/blocks/0/elements/1/action_id'],
    [
      'a duplicate block_id in one message',
      [
        { type: 'divider', block_id: 'a' },
        { type: 'divider', block_id: 'a' },
      ],
      '/blocks/1/block_id',
    ],
    ['a section with neither text nor fields', [{ type: 'section' }], '/blocks/0/type'],
    ['a button without a label', [actions({ type: 'button', action_id: 'a' })], '/blocks/0/elements/0/text'],
    ['a button style other than primary/danger', [actions(button({ style: 'warning' }))], '/blocks/0/elements/0/style'],
    [
      'a confirm dialog missing deny',
      [actions(button({ confirm: { title: plain('t'), text: plain('t'), confirm: plain('y') } }))],
      '/blocks/0/elements/0/confirm/deny',
    ],
    [
      'a confirm dialog with mrkdwn text (Slack takes plain_text only there)',
      [actions(button({ confirm: confirm({ text: mrkdwn('*sure*?') }) }))],
      '/blocks/0/elements/0/confirm/text/type',
    ],
    ['an empty actions block', [actions()], '/blocks/0/elements'],
    [
      'a rich_text list with a bad style',
      [{ type: 'rich_text', elements: [{ type: 'rich_text_list', style: 'roman', elements: [] }] }],
      '/blocks/0/elements/0/style',
    ],
    [
      'an unknown rich text element',
      [{ type: 'rich_text', elements: [{ type: 'rich_text_table' }] }],
      '/blocks/0/elements/0/type',
    ],
    ['a block that is not an object', ['divider'], '/blocks/0'],
    [
      'a static_select with both options and option_groups',
      [actions(select({ options: options(1), option_groups: [group('g', 1)] }))],
      '/blocks/0/elements/0',
    ],
    ['a static_select with neither', [actions(select({}))], '/blocks/0/elements/0'],
    [
      'a url on a select option (overflow options only)',
      [actions(select({ options: [option('a', 'v', { url: 'https://e.x/' })] }))],
      '/blocks/0/elements/0/options/0/url',
    ],
    [
      'mrkdwn option text in a select',
      [actions(select({ options: [{ text: mrkdwn('*a*'), value: 'v' }] }))],
      '/blocks/0/elements/0/options/0/text/type',
    ],
    [
      'an empty option group',
      [actions(select({ option_groups: [group('g', 0)] }))],
      '/blocks/0/elements/0/option_groups/0/options',
    ],
    [
      'a select sharing an action_id with a button',
      [actions(button({ action_id: 'pick' }), select({ options: options(1) }))],
      '/blocks/0/elements/1/action_id',
    ],
  ];
  it.each(refused)('%s is invalid_blocks at %s', (_what, blocks, pointer) => {
    const result = validateMessage({ text: 't', blocks });
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.messages).toContainEqual(expect.stringContaining(`[json-pointer:${pointer}]`));
  });

  it('accepts the rich_text shapes a log excerpt uses', () => {
    const blocks = [
      {
        type: 'rich_text',
        elements: [
          { type: 'rich_text_section', elements: [{ type: 'text', text: 'Last lines', style: { bold: true } }] },
          { type: 'rich_text_preformatted', elements: [{ type: 'text', text: 'panic: boom\n' }], border: 0 },
          { type: 'rich_text_quote', elements: [{ type: 'link', url: 'https://k8s.io', text: 'docs' }] },
          {
            type: 'rich_text_list',
            style: 'bullet',
            elements: [{ type: 'rich_text_section', elements: [{ type: 'user', user_id: 'U0ALICE01' }] }],
          },
        ],
      },
      {
        type: 'context',
        elements: [mrkdwn('exit code 137'), { type: 'image', image_url: 'https://e.x/i.png', alt_text: 'i' }],
      },
      { type: 'section', text: mrkdwn('s'), accessory: button({ style: 'danger' }) },
    ];
    expect(validateMessage({ text: 'fallback', blocks })).toEqual({ ok: true });
  });
});

describe('message-level errors', () => {
  it.each([
    ['no text and no blocks', {}, 'no_text'],
    ['empty text and empty blocks', { text: '', blocks: [] }, 'no_text'],
    ['text over 40,000 characters', { text: x(40_001) }, 'msg_too_long'],
    [
      'all block text together over about 12,000 characters',
      { blocks: [0, 1, 2, 3, 4].map(() => section(x(2500))) },
      'msg_blocks_too_long',
    ],
  ] as const)('%s → %s', (_what, msg, error) => {
    expect(validateMessage(msg as Parameters<typeof validateMessage>[0])).toMatchObject({ ok: false, error });
  });

  it.each([
    ['text only', { text: 'hello' }],
    ['blocks only', { blocks: [section('hi')] }],
    ['attachments only', { attachments: [{ text: 'legacy' }] }],
    ['text of exactly 40,000', { text: x(40_000) }],
    ['block text totalling 12,000', { blocks: [0, 1, 2, 3].map(() => section(x(3000))) }],
  ] as const)('%s is accepted', (_what, msg) => {
    expect(validateMessage(msg as Parameters<typeof validateMessage>[0])).toEqual({ ok: true });
  });
});

describe('properties', () => {
  it('a section text is accepted exactly when it has 1 to 3000 characters', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 3200 }), (text) => {
        const ok = validateMessage({ text: 'f', blocks: [section(text)] }).ok;
        expect(ok).toBe(text.length >= 1 && text.length <= BLOCK_KIT_LIMITS.sectionText);
      }),
      { numRuns: 200 },
    );
  });

  it('every complaint carries a json-pointer into the message', () => {
    fc.assert(
      fc.property(fc.array(fc.anything(), { maxLength: 5 }), (blocks) => {
        const result = validateMessage({ text: 't', blocks });
        if (result.ok || result.error !== 'invalid_blocks') return;
        for (const m of result.messages) expect(m).toMatch(/^\[ERROR\] .+ \[json-pointer:\/blocks(\/.*)?\]$/);
      }),
    );
  });
});
