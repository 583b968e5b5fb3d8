/** How the workspace names things, for turning what a person picked into what Slack sends. */
export interface EncodeContext {
  /** The command's `should_escape` (manifest.yml). */
  shouldEscape: boolean;
  userName(id: string): string | undefined;
  userIdByName(name: string): string | undefined;
  channelName(id: string): string | undefined;
}

/**
 * Client markup a test writes for what a person picked from autocomplete: `<@U…>` a user, `<#C…>` a channel,
 * `<!here>`/`<!channel>`/`<!everyone>`, `<https://…>` a link. Everything else is text the person typed.
 */
const PICKED = /<(@[UW][A-Z0-9_]+|#[CG][A-Z0-9_]+|![a-z]+|https?:\/\/[^>|\s]+)(?:\|[^>]*)?>/g;

/** `& < >` as Slack escapes them in user text; the three control characters of its markup. */
function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The `text` field of a slash command as Slack sends it for what a person typed.
 * - `should_escape: true`: a picked user arrives as `<@U0123ABCD|alice>`, a channel as `<#C0123ABCD|general>`, a
 *   link as `<https://…>`, `@here` as `<!here>`; a typed `@name` of a workspace member becomes that user's mention
 *   ([U] Slack's client resolves typed names; strict reading: it does).
 * - `should_escape: false`: the same arrive as plain `@alice`, `#general`, `https://…`, `@here`.
 * In both, `&`, `<` and `>` the person typed arrive as `&amp;`, `&lt;`, `&gt;` ([U] for command text; documented for
 * messages, strict reading).
 */
export function encodeCommandText(typed: string, ctx: EncodeContext): string {
  let out = '';
  let last = 0;
  for (const match of typed.matchAll(PICKED)) {
    out += encodePlain(typed.slice(last, match.index), ctx);
    out += encodePicked(match[1]!, ctx);
    last = match.index + match[0].length;
  }
  return out + encodePlain(typed.slice(last), ctx);
}

function encodePicked(entity: string, ctx: EncodeContext): string {
  const sigil = entity[0];
  if (sigil === '@') {
    const id = entity.slice(1);
    const name = ctx.userName(id) ?? id;
    return ctx.shouldEscape ? `<@${id}|${name}>` : `@${name}`;
  }
  if (sigil === '#') {
    const id = entity.slice(1);
    const name = ctx.channelName(id) ?? id;
    return ctx.shouldEscape ? `<#${id}|${name}>` : `#${name}`;
  }
  if (sigil === '!') return ctx.shouldEscape ? `<${entity}>` : `@${entity.slice(1)}`;
  return ctx.shouldEscape ? `<${entity}>` : entity;
}

/** Typed text: escaped; with should_escape, typed `@member` and `@here`-style words become mentions too. */
function encodePlain(text: string, ctx: EncodeContext): string {
  const escaped = escapeText(text);
  if (!ctx.shouldEscape) return escaped;
  return escaped.replace(/(^|[\s(])@([a-z0-9][a-z0-9._-]*)/g, (whole, before: string, name: string) => {
    if (name === 'here' || name === 'channel' || name === 'everyone') return `${before}<!${name}>`;
    const id = ctx.userIdByName(name);
    return id ? `${before}<@${id}|${name}>` : whole;
  });
}
