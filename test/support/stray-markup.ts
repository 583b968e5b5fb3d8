/** Tags the web client's renderer may produce; anything else in its output is markup that came from input. */
const TAGS =
  'div|span|b|i|s|code|pre|blockquote|a|time|hr|button|img|figure|ul|ol|li|details|summary|select|option|optgroup';
const TAG = new RegExp(`<\\/?(?:${TAGS})(?:\\s+[a-z][a-z-]*(?:="[^"<>]*")?)*\\s*>`, 'g');

/** The text a reader sees in rendered HTML: tags dropped, the escapes the renderer writes decoded. */
export function textOf(html: string): string {
  return html
    .replace(TAG, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The HTML with code and preformatted blocks removed, where `*` and `_` are shown as written by design. */
function outsideCode(html: string): string {
  return html.replace(/<pre\b[^>]*>[\s\S]*?<\/pre>/g, ' ').replace(/<code\b[^>]*>[\s\S]*?<\/code>/g, ' ');
}

/**
 * What in rendered HTML is not as Slack would show it: a tag or `<` the renderer did not write (input that
 * escaped), or Slack markup left raw in the visible text (`<!date^`, `<@U`, `<#C`, `<!subteam^`, `<!here>`, a
 * `*bold*` pair outside code).
 */
export function strayMarkup(html: string): string[] {
  const problems: string[] = [];
  const leftover = html.replace(TAG, '');
  if (/[<>]/.test(leftover)) problems.push(`unescaped markup: ${leftover.match(/.{0,30}[<>].{0,30}/)?.[0]}`);
  const text = textOf(outsideCode(html));
  for (const raw of ['<!date^', '<@U', '<@W', '<#C', '<#G', '<!subteam^', '<!here', '<!channel', '<!everyone']) {
    if (text.includes(raw))
      problems.push(`raw ${raw} in: ${text.slice(Math.max(0, text.indexOf(raw) - 20), text.indexOf(raw) + 40)}`);
  }
  const bold = text.match(/(^|[^\p{L}\p{N}*])\*[^\s*](?:[^*\n]*?[^\s*])?\*(?![\p{L}\p{N}*])/u);
  if (bold) problems.push(`raw *bold* markup: ${bold[0]}`);
  return problems;
}
