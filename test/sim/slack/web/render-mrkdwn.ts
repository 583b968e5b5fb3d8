import { decodeSlackEntities, escapeHtml } from './escape-html.js';
import { type DateContext, formatSlackDate } from './format-slack-date.js';
import { replaceEmoji } from './replace-emoji.js';

/** What the renderer needs to know about the workspace and the reader. */
export interface MrkdwnContext extends DateContext {
  /** A person's display name by user id (U…/W…). */
  userName(id: string): string | undefined;
  /** A channel's name by id (C…/G…/D…). */
  channelName(id: string): string | undefined;
  /** A user group's handle by id (S…). */
  usergroupHandle(id: string): string | undefined;
  /** The reader's user id: mentions of them are highlighted, as Slack does. */
  self?: string;
  /** User groups the reader is in: their mentions are highlighted too. */
  selfGroups?: readonly string[];
}

/** Private-use characters that stand for already rendered HTML while the text around them is formatted. */
const OPEN = '\uE000';
const CLOSE = '\uE001';
const PLACEHOLDER = /\uE000(\d+)\uE001/g;

/** Schemes a link may have: anything else (`javascript:`, `data:`) is shown as text. */
const SAFE_URL = /^(https?:\/\/|mailto:)/i;

/** Renders Slack mrkdwn as the Slack client shows it, as HTML in which every character of `text` is escaped. */
export function renderMrkdwn(text: string, ctx: MrkdwnContext): string {
  // Input that already holds the placeholder characters must not be able to reach the stored HTML.
  const clean = text.replace(/[\uE000\uE001]/g, '\uFFFD');
  const out: string[] = [];
  // ``` opens a preformatted block anywhere in the text and the next ``` closes it (Slack docs, "Formatting text").
  const fence = /```([\s\S]*?)```/g;
  let last = 0;
  for (let m = fence.exec(clean); m; m = fence.exec(clean)) {
    // The pre is a block of its own: a newline right before or after it would show as an empty line.
    out.push(renderLines(clean.slice(last, m.index).replace(/\n$/, ''), ctx));
    const code = (m[1] ?? '').replace(/^\n/, '').replace(/\n$/, '');
    out.push(`<pre class="mrkdwn-pre">${renderInline(code, ctx, false)}</pre>`);
    last = m.index + m[0].length;
    if (clean.startsWith('\n', last)) last += 1;
  }
  out.push(renderLines(clean.slice(last), ctx));
  return out.join('');
}

const QUOTE_LINE = /^(?:&gt;|>)(?!&gt;&gt;|>>) ?/;
const QUOTE_REST = /^(?:&gt;&gt;&gt;|>>>) ?/;

/** Lines outside code blocks: `>` lines become a quote, `>>>` quotes everything after it. */
function renderLines(text: string, ctx: MrkdwnContext): string {
  if (text === '') return '';
  const lines = text.split('\n');
  const out: string[] = [];
  let quote: string[] | undefined;
  const flushQuote = () => {
    if (quote) out.push(`<blockquote class="mrkdwn-quote">${quote.join('\n')}</blockquote>`);
    quote = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (QUOTE_REST.test(line)) {
      flushQuote();
      const rest = [line.replace(QUOTE_REST, ''), ...lines.slice(i + 1)].join('\n');
      out.push(`<blockquote class="mrkdwn-quote">${renderInlineLines(rest, ctx)}</blockquote>`);
      return joinAroundQuotes(out);
    }
    if (QUOTE_LINE.test(line)) {
      quote ??= [];
      quote.push(renderInline(line.replace(QUOTE_LINE, ''), ctx, true));
      continue;
    }
    flushQuote();
    out.push(renderInline(line, ctx, true));
  }
  flushQuote();
  return joinAroundQuotes(out);
}

/** Joins rendered lines; a quote is a block, so the newline next to it would show as an empty line. */
function joinAroundQuotes(lines: string[]): string {
  let s = '';
  lines.forEach((line, i) => {
    const block = line.startsWith('<blockquote');
    const prevBlock = i > 0 && (lines[i - 1] ?? '').startsWith('<blockquote');
    s += (i === 0 || block || prevBlock ? '' : '\n') + line;
  });
  return s;
}

function renderInlineLines(text: string, ctx: MrkdwnContext): string {
  return text
    .split('\n')
    .map((l) => renderInline(l, ctx, true))
    .join('\n');
}

/**
 * One line (or a code block's text when `format` is false): Slack's `<…>` tokens, `code` spans, then *bold*,
 * _italic_ and ~strike~ around the escaped text.
 */
function renderInline(text: string, ctx: MrkdwnContext, format: boolean): string {
  const held: string[] = [];
  const hold = (html: string) => `${OPEN}${held.push(html) - 1}${CLOSE}`;
  let s = text.replace(/<([^<>\n]*)>/g, (_m, inner: string) => hold(renderToken(inner, ctx)));
  if (format) {
    s = s.replace(/`([^`\n]+)`/g, (_m, code: string) =>
      hold(`<code class="mrkdwn-code">${plainText(code, false)}</code>`),
    );
  }
  s = plainText(s, format);
  if (format) s = emphasise(s);
  // Held HTML may itself hold placeholders (a mention inside a code span): resolve until none are left.
  for (let i = 0; i < 4 && s.includes(OPEN); i++) s = s.replace(PLACEHOLDER, (_m, n: string) => held[Number(n)] ?? '');
  return s;
}

/** Text between tokens: Slack's entities decoded, then HTML-escaped, with emoji outside code. Placeholders pass. */
function plainText(text: string, emoji = true): string {
  const html = escapeHtml(decodeSlackEntities(text));
  return emoji ? replaceEmoji(html) : html;
}

const WORD = '\\p{L}\\p{N}';
/**
 * `*bold*`, `_italic_`, `~strike~`: the marker must open after a non-word character and before a non-space, and
 * close after a non-space and before a non-word character, so `snake_case_name` and `2*3*4` stay as written.
 */
const EMPHASIS: [string, string][] = [
  ['\\*', 'b'],
  ['_', 'i'],
  ['~', 's'],
];

function emphasise(html: string): string {
  let s = html;
  for (const [m, tag] of EMPHASIS) {
    // The content holds no marker of its own kind: each opening marker looks only as far as the next one, so a line
    // full of markers costs linear time, not quadratic.
    const re = new RegExp(`(^|[^${WORD}${m}])${m}([^\\s${m}](?:[^${m}\\n]*[^\\s${m}])?)${m}(?![${WORD}${m}])`, 'gu');
    s = s.replace(re, (whole, before: string, inner: string) =>
      balanced(inner) ? `${before}<${tag}>${inner}</${tag}>` : whole,
    );
  }
  return s;
}

/** Whether the tags made so far open and close inside `inner`, so the result nests properly. */
function balanced(inner: string): boolean {
  const stack: string[] = [];
  for (const m of inner.matchAll(/<(\/?)([bis])>/g)) {
    if (m[1] === '') stack.push(m[2]!);
    else if (stack.pop() !== m[2]) return false;
  }
  return stack.length === 0;
}

/** Label after the first `|`, if any. */
function splitLabel(inner: string): [string, string | undefined] {
  const bar = inner.indexOf('|');
  return bar < 0 ? [inner, undefined] : [inner.slice(0, bar), inner.slice(bar + 1)];
}

/** One `<…>` token: mention, channel, special mention, user group, date, link; anything else is shown as text. */
function renderToken(inner: string, ctx: MrkdwnContext): string {
  const [target, label] = splitLabel(inner);
  const labelHtml = label !== undefined ? plainText(label) : undefined;
  if (target.startsWith('@')) {
    const id = target.slice(1);
    const name = ctx.userName(id) ?? label ?? id;
    const self = ctx.self !== undefined && id === ctx.self ? ' mention-self' : '';
    return `<span class="mention${self}" data-user="${escapeHtml(id)}">@${plainText(name)}</span>`;
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    const name = ctx.channelName(id) ?? label ?? id;
    return `<span class="channel-link" data-channel="${escapeHtml(id)}">#${plainText(name)}</span>`;
  }
  if (target.startsWith('!')) return renderSpecial(target.slice(1), label, ctx);
  if (SAFE_URL.test(target)) {
    const href = decodeSlackEntities(target);
    const shown = labelHtml ?? plainText(target.replace(/^mailto:/i, ''));
    return `<a class="mrkdwn-link" href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">${shown}</a>`;
  }
  return plainText(`<${inner}>`);
}

/** `<!here>`, `<!channel>`, `<!everyone>`, `<!subteam^S…>`, `<!date^…>`; an unknown command shows its label. */
function renderSpecial(command: string, label: string | undefined, ctx: MrkdwnContext): string {
  const [name, ...args] = command.split('^');
  if (name === 'here' || name === 'channel' || name === 'everyone') {
    return `<span class="mention mention-broadcast">@${name}</span>`;
  }
  if (name === 'subteam' && args[0]) {
    const handle = ctx.usergroupHandle(args[0]) ?? label?.replace(/^@/, '') ?? args[0];
    const self = ctx.selfGroups?.includes(args[0]) ? ' mention-self' : '';
    return `<span class="mention${self}" data-usergroup="${escapeHtml(args[0])}">@${plainText(handle)}</span>`;
  }
  if (name === 'date') {
    const [seconds = '', format = '', link] = args;
    const shown = formatSlackDate(seconds, format, ctx);
    if (shown === undefined) return plainText(label ?? '');
    const time = `<time class="slack-date" datetime="${escapeHtml(isoOf(seconds))}">${plainText(shown)}</time>`;
    if (link && SAFE_URL.test(link)) {
      return `<a class="mrkdwn-link" href="${escapeHtml(decodeSlackEntities(link))}" target="_blank" rel="noopener noreferrer">${time}</a>`;
    }
    return time;
  }
  return plainText(label ?? '');
}

function isoOf(seconds: string): string {
  const d = new Date(Number(seconds) * 1000);
  return Number.isFinite(d.getTime()) ? d.toISOString() : '';
}
