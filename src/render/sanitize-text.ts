// ANSI colour and cursor sequences (CSI ... letter, OSC ... BEL/ST): common in container logs, noise in Slack.
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;
// C0 controls except tab and newline, DEL, C1 controls.
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;
// Bidirectional overrides and isolates can make a log line read backwards (CVE-2021-42574, "Trojan Source").
const BIDI = /[\u202a-\u202e\u2066-\u2069\ufeff]/g;
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Makes arbitrary bytes-turned-text safe to show: strips ANSI sequences, control and bidi characters, turns CRLF
 * and lone CR (progress bars) into newlines, and replaces lone surrogates (cut UTF-16) with U+FFFD.
 */
export function sanitizeText(text: string): string {
  return text
    .replace(ANSI, '')
    .replace(/\r\n?/g, '\n')
    .replace(CONTROL, '')
    .replace(BIDI, '')
    .replace(LONE_SURROGATE, '\ufffd');
}
