import type { ContextBlock, HeaderBlock, Mrkdwn, PlainText, SectionBlock } from './block-kit-types.js';
import { SLACK_LIMITS, truncateEnd } from './limits.js';
import { sanitizeText } from './sanitize-text.js';

// Small builders that enforce each text's own limit; callers pass text that is already escaped mrkdwn.

/** Slack rejects empty text objects, so every builder falls back to a visible placeholder. */
function nonEmpty(text: string, fallback = '—'): string {
  return text.trim() === '' ? fallback : text;
}

export function plainText(text: string, max: number): PlainText {
  return { type: 'plain_text', text: truncateEnd(nonEmpty(sanitizeText(text)), max), emoji: true };
}

function hasOpenFence(text: string): boolean {
  return (text.match(/```/g) ?? []).length % 2 === 1;
}

/** A mrkdwn text within `max`; a cut that leaves a code block open closes it, so the rest of the message is not code. */
export function mrkdwn(text: string, max: number = SLACK_LIMITS.sectionText): Mrkdwn {
  const full = nonEmpty(text);
  const cut = truncateEnd(full, max);
  if (cut === full || !hasOpenFence(cut)) return { type: 'mrkdwn', text: cut };
  const shorter = truncateEnd(full, max - 4);
  return { type: 'mrkdwn', text: hasOpenFence(shorter) ? `${shorter}\n\`\`\`` : shorter };
}

export function header(text: string): HeaderBlock {
  return { type: 'header', text: plainText(text, SLACK_LIMITS.headerText) };
}

export function section(text: string): SectionBlock {
  return { type: 'section', text: mrkdwn(text) };
}

/** A two-column section; at most 10 fields are kept, each within 2000 code units. */
export function fieldsSection(fields: string[]): SectionBlock {
  return {
    type: 'section',
    fields: fields.slice(0, SLACK_LIMITS.sectionFields).map((f) => mrkdwn(f, SLACK_LIMITS.sectionFieldText)),
  };
}

/** A context line; at most 10 elements, each within the section limit. */
export function context(texts: string[]): ContextBlock {
  const elements = texts.slice(0, SLACK_LIMITS.contextElements).map((t) => mrkdwn(t));
  return { type: 'context', elements: elements.length > 0 ? elements : [mrkdwn('—')] };
}
