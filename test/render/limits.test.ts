import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { section } from '../../src/render/blocks.js';
import {
  blockTextLength,
  escapeMrkdwn,
  formatAge,
  packBlocks,
  renderCodeBlock,
  sanitizeText,
  truncateEnd,
  truncateStart,
} from '../../src/render/index.js';

const LONE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe('truncation counts UTF-16 code units like Slack and never breaks a character', () => {
  it.each([
    ['short text is kept', 'abc', 5, 'abc'],
    ['a cut ends with an ellipsis', 'abcdefgh', 5, 'abcd…'],
    ['an emoji is never split in half', 'ab😀cd', 4, 'ab…'],
    ['an escaped entity is never split', 'a &amp; b', 5, 'a …'],
  ])('%s', (_name, text, max, expected) => {
    expect(truncateEnd(text, max)).toBe(expected);
  });

  it.each([
    ['keeping the end starts with an ellipsis', 'abcdefgh', 5, '…efgh'],
    ['an emoji at the cut is dropped whole', '😀cdef', 5, '…cdef'],
    ['an entity at the cut is dropped whole', 'x&lt;yz', 4, '…yz'],
  ])('%s', (_name, text, max, expected) => {
    expect(truncateStart(text, max)).toBe(expected);
  });

  it('any text cut to any size fits and stays well-formed UTF-16', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.integer({ min: 0, max: 50 }), (text, max) => {
        const wellFormed = text.replace(LONE, '');
        for (const cut of [truncateEnd(wellFormed, max), truncateStart(wellFormed, max)]) {
          expect(cut.length).toBeLessThanOrEqual(Math.max(max, 0));
          expect(cut).not.toMatch(LONE);
        }
      }),
    );
  });
});

describe('sanitizeText and escapeMrkdwn', () => {
  it.each([
    ['terminal colours are removed', '\x1b[1;31mERROR\x1b[0m', 'ERROR'],
    ['CRLF and lone CR become newlines', 'a\r\nb\rc', 'a\nb\nc'],
    ['control characters and NULs are removed, tabs kept', 'a\x00b\x07\tc', 'ab\tc'],
    ['bidi overrides are removed', 'safe\u202etxt.exe', 'safetxt.exe'],
    ['a lone surrogate becomes U+FFFD', 'a\ud800b', 'a\ufffdb'],
  ])('%s', (_name, input, expected) => {
    expect(sanitizeText(input)).toBe(expected);
  });

  it('escapes what Slack would parse: entities, links, broadcasts, fences', () => {
    expect(escapeMrkdwn('a & <b> <!here> @channel ```')).toBe(
      'a &amp; &lt;b&gt; &lt;!here&gt; @\u200bchannel `\u200b`\u200b`',
    );
  });
});

describe('renderCodeBlock', () => {
  it('keeps the last whole lines of a long log', () => {
    const log = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n');
    const block = renderCodeBlock(log, 60);
    expect(block.truncated).toBe(true);
    expect(block.text.length).toBeLessThanOrEqual(60);
    expect(block.text).toMatch(/^```\n…\nline \d+\n[\s\S]*line 99\n```$/);
  });

  it('backticks inside cannot close the block', () => {
    expect(renderCodeBlock('a ``` b `', 100).text).toBe('```\na ˋˋˋ b ˋ\n```');
  });

  it('says so when there is nothing to show', () => {
    expect(renderCodeBlock('\n\n', 100).text).toBe('```\n(no output)\n```');
  });

  it('a section cut in the middle of a code block closes the block', () => {
    const text = section(`head\n${renderCodeBlock('x'.repeat(5000), 4000).text}`).text?.text ?? '';
    expect(text.length).toBeLessThanOrEqual(3000);
    expect(text.endsWith('\n```')).toBe(true);
    expect(text.match(/```/g)).toHaveLength(2);
  });
});

describe('packBlocks', () => {
  it('splits blocks into messages of at most 50 blocks and the text budget, keeping order', () => {
    const blocks = Array.from({ length: 120 }, (_, i) => section(`${i} ${'y'.repeat(900)}`));
    const pages = packBlocks(blocks);
    expect(pages.flat()).toEqual(blocks);
    for (const page of pages) {
      expect(page.length).toBeLessThanOrEqual(50);
      expect(page.reduce((n, b) => n + blockTextLength(b), 0)).toBeLessThanOrEqual(11_000);
    }
  });
});

describe('formatAge', () => {
  it.each([
    [undefined, '?'],
    [-5, '?'],
    [Number.NaN, '?'],
    [45, '45s'],
    [119, '119s'],
    [192, '3m12s'],
    [600, '10m'],
    [5400, '90m'],
    [4 * 3600 + 120, '4h2m'],
    [10 * 3600, '10h'],
    [2 * 86400 + 3 * 3600, '2d3h'],
    [30 * 86400, '30d'],
    [800 * 86400, '2y70d'],
    [730 * 86400, '2y'],
    [9 * 365 * 86400, '9y'],
    [-1, '0s'],
  ])('%s seconds read as %s', (seconds, expected) => {
    expect(formatAge(seconds)).toBe(expected);
  });
});
