import { describe, expect, it } from 'vitest';
import { visibleText } from '../sim/slack/visible-text.js';

describe('visibleText (what a person reads in a message)', () => {
  it.each([
    ['a text-only message shows its text', { text: 'hello' }, 'hello'],
    [
      'with blocks, the fallback text is not shown',
      { text: 'fallback', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'shown' } }] },
      'shown',
    ],
    [
      'headers, fields, context and button labels are read in order',
      {
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: 'web-1 crashed' } },
          {
            type: 'section',
            fields: [
              { type: 'mrkdwn', text: 'exit 137' },
              { type: 'mrkdwn', text: 'OOMKilled' },
            ],
          },
          { type: 'context', elements: [{ type: 'mrkdwn', text: 'prod' }] },
          {
            type: 'actions',
            elements: [
              {
                type: 'button',
                action_id: 'a',
                text: { type: 'plain_text', text: 'Clone' },
                confirm: {
                  title: { type: 'plain_text', text: 'hidden until clicked' },
                  text: { type: 'plain_text', text: 'hidden' },
                  confirm: { type: 'plain_text', text: 'Yes' },
                  deny: { type: 'plain_text', text: 'No' },
                },
              },
            ],
          },
        ],
      },
      'web-1 crashed\nexit 137\nOOMKilled\nprod\nClone',
    ],
    [
      'rich text runs are read',
      {
        blocks: [
          {
            type: 'rich_text',
            elements: [{ type: 'rich_text_preformatted', elements: [{ type: 'text', text: 'panic' }] }],
          },
        ],
      },
      'panic',
    ],
  ])('%s', (_what, msg, expected) => {
    expect(visibleText(msg)).toBe(expected);
  });
});
