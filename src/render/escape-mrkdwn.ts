import { sanitizeText } from './sanitize-text.js';

const ZWSP = '\u200b';

/**
 * Turns untrusted text into mrkdwn that shows as written: `&`, `<`, `>` escaped as Slack requires (so `<!here>` or
 * `<https://evil|click>` cannot form), `@channel`/`@here`/`@everyone` broken by a zero-width space, and runs of
 * backticks broken so they cannot open or close a code block.
 */
export function escapeMrkdwn(text: string): string {
  return sanitizeText(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@(channel|here|everyone)\b/gi, `@${ZWSP}$1`)
    .replace(/``+/g, (run) => run.split('').join(ZWSP));
}

/**
 * Text for the inside of a ``` code block: escaped like `escapeMrkdwn`, and every backtick replaced by ˋ (U+02CB,
 * which looks the same) because Slack ends a code block at the first ``` whatever precedes it.
 */
export function escapeCode(text: string): string {
  return sanitizeText(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/`/g, '\u02cb');
}
