import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeMrkdwn } from '../../../src/render/escape-mrkdwn.js';
import { slackDate } from '../../../src/render/slack-date.js';
import { formatSlackDate, type MrkdwnContext, renderMrkdwn } from '../../sim/slack/web/index.js';
import { strayMarkup, textOf } from '../../support/stray-markup.js';

/** 2026-11-23 09:24:11 UTC, a Monday. */
const T = 1795425851;
const ctx: MrkdwnContext = {
  userName: (id) => ({ U0ALICE01: 'Alice Oncall', U0BOB0002: 'Bob Oncall' })[id],
  channelName: (id) => ({ C0INCIDENT: 'incident' })[id],
  usergroupHandle: (id) => ({ S0ONCALL0: 'oncall' })[id],
  self: 'U0BOB0002',
  selfGroups: ['S0LEADS00'],
  timeZone: 'UTC',
  now: (T + 3600) * 1000,
};
const render = (text: string, over: Partial<MrkdwnContext> = {}) => renderMrkdwn(text, { ...ctx, ...over });

describe('mrkdwn as Slack shows it', () => {
  it.each([
    ['bold', '*pod* died', '<b>pod</b> died'],
    ['italic', 'it _really_ died', 'it <i>really</i> died'],
    ['strike', '~alive~ dead', '<s>alive</s> dead'],
    ['bold with italic inside', '*very _dead_ pod*', '<b>very <i>dead</i> pod</b>'],
    ['a one-letter bold', 'exit *1*', 'exit <b>1</b>'],
    ['two bolds on a line', '*a* and *b*', '<b>a</b> and <b>b</b>'],
    ['snake_case stays', 'read my_var_name now', 'read my_var_name now'],
    ['arithmetic stays', '2*3*4 = 24', '2*3*4 = 24'],
    ['a marker that opens before a space stays', 'a * b * c', 'a * b * c'],
    ['a marker that closes after a space stays', '*foo * bar', '*foo * bar'],
    ['bold does not cross lines', '*a\nb*', '*a\nb*'],
    ['inline code keeps its markers', 'run `kubectl *get*`', 'run <code class="mrkdwn-code">kubectl *get*</code>'],
    [
      'code block',
      'logs:\n```\nline *1*\n<b>2</b>\n```\nafter',
      'logs:<pre class="mrkdwn-pre">line *1*\n&lt;b&gt;2&lt;/b&gt;</pre>after',
    ],
    ['code block in the middle of a line', 'a ```x``` b', 'a <pre class="mrkdwn-pre">x</pre> b'],
    ['quote (escaped >)', '&gt; quoted\nnot', '<blockquote class="mrkdwn-quote">quoted</blockquote>not'],
    ['consecutive quote lines', '> one\n> *two*', '<blockquote class="mrkdwn-quote">one\n<b>two</b></blockquote>'],
    ['>>> quotes the rest', 'a\n&gt;&gt;&gt; b\nc', 'a<blockquote class="mrkdwn-quote">b\nc</blockquote>'],
    [
      'link with label',
      '<https://example.com/a?b=1&amp;c=2|the runbook>',
      '<a class="mrkdwn-link" href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">the runbook</a>',
    ],
    [
      'bare link',
      '<https://example.com>',
      '<a class="mrkdwn-link" href="https://example.com" target="_blank" rel="noopener noreferrer">https://example.com</a>',
    ],
    [
      'mailto',
      '<mailto:sre@example.com|mail us>',
      '<a class="mrkdwn-link" href="mailto:sre@example.com" target="_blank" rel="noopener noreferrer">mail us</a>',
    ],
    ['javascript: is not a link', '<javascript:alert(1)|click>', '&lt;javascript:alert(1)|click&gt;'],
    ['user mention by name', 'hi <@U0ALICE01>', 'hi <span class="mention" data-user="U0ALICE01">@Alice Oncall</span>'],
    [
      'the reader is highlighted',
      '<@U0BOB0002>',
      '<span class="mention mention-self" data-user="U0BOB0002">@Bob Oncall</span>',
    ],
    ['unknown user with a label', '<@U0ZED0009|zed>', '<span class="mention" data-user="U0ZED0009">@zed</span>'],
    ['unknown user without one', '<@U0ZED0009>', '<span class="mention" data-user="U0ZED0009">@U0ZED0009</span>'],
    ['channel', 'see <#C0INCIDENT>', 'see <span class="channel-link" data-channel="C0INCIDENT">#incident</span>'],
    ['channel with label', '<#C0OTHER00|other>', '<span class="channel-link" data-channel="C0OTHER00">#other</span>'],
    ['here', '<!here> look', '<span class="mention mention-broadcast">@here</span> look'],
    ['channel broadcast', '<!channel>', '<span class="mention mention-broadcast">@channel</span>'],
    ['user group', '<!subteam^S0ONCALL0>', '<span class="mention" data-usergroup="S0ONCALL0">@oncall</span>'],
    [
      'a group the reader is in is highlighted',
      '<!subteam^S0LEADS00>',
      '<span class="mention mention-self" data-usergroup="S0LEADS00">@S0LEADS00</span>',
    ],
    [
      'unknown user group with label',
      '<!subteam^S0ZZZ0000|@leads>',
      '<span class="mention" data-usergroup="S0ZZZ0000">@leads</span>',
    ],
    [
      'date',
      `<!date^${T}^{date_num} {time_secs}|fallback>`,
      `<time class="slack-date" datetime="2026-11-23T09:24:11.000Z">2026-11-23 9:24:11 AM</time>`,
    ],
    [
      'date with a bad timestamp shows its fallback',
      '<!date^soon^{date}|2026-11-23 09:24 UTC>',
      '2026-11-23 09:24 UTC',
    ],
    ['unknown special shows its label', '<!unknown|shown>', 'shown'],
    ['emoji', ':white_check_mark: Running', '✅ Running'],
    ['unknown emoji stays', ':not_an_emoji: x', ':not_an_emoji: x'],
    ['emoji is not drawn in code', '`:x:`', '<code class="mrkdwn-code">:x:</code>'],
    ['entities decode then escape', 'a &amp;&amp; b &lt;tag&gt; &quot;', 'a &amp;&amp; b &lt;tag&gt; &amp;quot;'],
    ['a raw <script> is text', '<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['an escaped script is text', escapeMrkdwn('<script>x</script>'), '&lt;script&gt;x&lt;/script&gt;'],
    [
      'quotes in labels are escaped',
      '<https://x.io/"a|say "hi">',
      '<a class="mrkdwn-link" href="https://x.io/&quot;a" target="_blank" rel="noopener noreferrer">say &quot;hi&quot;</a>',
    ],
    [
      'mention inside code renders as a mention',
      '`<@U0ALICE01>`',
      '<code class="mrkdwn-code"><span class="mention" data-user="U0ALICE01">@Alice Oncall</span></code>',
    ],
    [
      'placeholder characters in input cannot inject',
      '\uE0000\uE001 <@U0ALICE01>',
      '\uFFFD0\uFFFD <span class="mention" data-user="U0ALICE01">@Alice Oncall</span>',
    ],
  ])('%s', (_name, input, html) => {
    expect(render(input)).toBe(html);
  });
});

describe('dates in the reader’s time zone (Slack docs: formatting dates)', () => {
  it.each([
    ['{date_num}', 'UTC', '2026-11-23'],
    ['{date}', 'UTC', 'November 23rd, 2026'],
    ['{date_short}', 'UTC', 'Nov 23, 2026'],
    ['{date_long}', 'UTC', 'Monday, November 23rd, 2026'],
    ['{date_pretty}', 'UTC', 'today'],
    ['{date_short_pretty} at {time}', 'UTC', 'today at 9:24 AM'],
    ['{date_long_pretty}', 'UTC', 'today'],
    ['{time}', 'America/Los_Angeles', '1:24 AM'],
    ['{time_secs}', 'Asia/Kolkata', '2:54:11 PM'],
    ['{date_num} {time}', 'Pacific/Auckland', '2026-11-23 10:24 PM'],
    ['{ago}', 'UTC', '1 hour ago'],
    ['Posted {date_num}', 'UTC', 'Posted 2026-11-23'],
    ['{unknown}', 'UTC', '{unknown}'],
    ['{time}', 'Not/A_Zone', '9:24 AM'],
  ])('%s in %s', (format, timeZone, shown) => {
    expect(formatSlackDate(String(T), format, { timeZone, now: (T + 3600) * 1000 })).toBe(shown);
  });

  it.each([
    [-86_400, 'yesterday'],
    [86_400, 'tomorrow'],
    [-3 * 86_400, 'Nov 20, 2026'],
  ])('the day %i s from now is %s', (offset, shown) => {
    expect(formatSlackDate(String(T + offset), '{date_short_pretty}', { timeZone: 'UTC', now: T * 1000 })).toBe(shown);
  });

  it.each([
    [1, 'November 1st, 2026'],
    [2, 'November 2nd, 2026'],
    [3, 'November 3rd, 2026'],
    [11, 'November 11th, 2026'],
    [12, 'November 12th, 2026'],
    [13, 'November 13th, 2026'],
    [21, 'November 21st, 2026'],
    [22, 'November 22nd, 2026'],
    [23, 'November 23rd, 2026'],
  ])('ordinals: day %i is %s', (day, shown) => {
    const seconds = Date.UTC(2026, 10, day, 12) / 1000;
    expect(formatSlackDate(String(seconds), '{date}', { timeZone: 'UTC', now: 0 })).toBe(shown);
  });

  it('any timestamp Slack’s token syntax allows, in any zone and format, gives text or the fallback, never an error', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^-?\d{1,13}$/),
        // A format cannot hold the token's own delimiters.
        fc.string().filter((f) => !/[<>|^\n]/.test(f)),
        fc.constantFrom('UTC', 'Asia/Kolkata', 'Pacific/Kiritimati', 'nowhere'),
        (seconds, format, timeZone) => {
          const html = render(`<!date^${seconds}^{date_long} {time_secs} {ago} ${format}|fallback>`, { timeZone });
          expect(strayMarkup(html)).toEqual([]);
        },
      ),
    );
  });

  it('the bot’s own date tokens never show raw', () => {
    const html = render(`Deleted automatically at ${slackDate('2026-11-23T09:24:11Z')}`);
    expect(textOf(html).replace(/\s+/g, ' ').trim()).toBe('Deleted automatically at today 9:24 AM');
  });
});

describe('properties over any input', () => {
  const pieces = fc.oneof(
    fc.string(),
    fc.constantFrom(
      '<',
      '>',
      '&',
      '&lt;',
      '&gt;',
      '&amp;',
      '*',
      '_',
      '~',
      '`',
      '```',
      '\n',
      '> ',
      '&gt;&gt;&gt;',
      '<@U0ALICE01>',
      '<@U0NOBODY1|x>',
      '<#C0INCIDENT>',
      '<!here>',
      '<!subteam^S0ONCALL0>',
      `<!date^${T}^{date_short_pretty} {time}|fallback>`,
      '<!date^x^{date}|fb>',
      '<https://a.io|l>',
      '<javascript:alert(1)>',
      '<script>',
      '"',
      "'",
      '\uE000',
      ':x:',
    ),
  );
  const text = fc.array(pieces, { maxLength: 30 }).map((a) => a.join(''));

  it('every character from the input is escaped: no tag or < the renderer did not write', () => {
    fc.assert(
      fc.property(text, (input) => {
        const html = render(input);
        expect(html.replace(/<\/?(?:b|i|s|code|pre|blockquote|a|span|time)(?:\s[^<>]*)?>/g, '')).not.toMatch(/[<>]/);
      }),
      { numRuns: 2000 },
    );
  });

  it('a well-formed mention, user group, channel or date never stays raw', () => {
    fc.assert(
      fc.property(text, (input) => {
        const shown = textOf(render(input));
        for (const raw of ['<@U0ALICE01>', '<#C0INCIDENT>', '<!here>', '<!subteam^S0ONCALL0>', `<!date^${T}`])
          expect(shown).not.toContain(raw);
      }),
      { numRuns: 2000 },
    );
  });

  it('untrusted text escaped as the bot escapes it shows as written, markup and all', () => {
    const plainish = fc.string().filter((s) => !/[*_~`:\n>]|^\s|\s$/.test(s));
    fc.assert(
      fc.property(plainish, (s) => {
        expect(textOf(render(escapeMrkdwn(s))).replace(/\u200b/g, '')).toBe(
          s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').replace(/\u200b/g, ''),
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('*word* pairs the bot writes are always drawn bold', () => {
    const word = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ./-]{0,20}[A-Za-z0-9]$/);
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 5 }), (words) => {
        const html = render(words.map((w) => `*${w}*`).join(' and '));
        expect(strayMarkup(html)).toEqual([]);
        expect(html.match(/<b>/g)?.length).toBe(words.length);
      }),
    );
  });
});
