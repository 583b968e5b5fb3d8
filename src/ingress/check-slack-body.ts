import { parse } from 'node:querystring';

export type BodyVerdict = { ok: true; kind: 'command' | 'interaction' | 'ssl_check' } | { ok: false; reason: string };

const FORM = 'application/x-www-form-urlencoded';

/** The fields of a slash command the bot reads (Slack "Implementing slash commands": every value is a string). */
const COMMAND_FIELDS = ['command', 'text', 'user_id', 'channel_id', 'team_id', 'response_url', 'trigger_id'];

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';

/**
 * Pure: whether a request body has one of the shapes Slack sends this app, read as Bolt will read it (a form whose
 * `payload` is JSON, or a form that is a slash command). Anything else is answered 400 before Bolt sees it: Bolt
 * reads fields of whatever `payload` parses to, so a signed `payload=null` would otherwise throw in a promise no
 * one awaits and end the process.
 */
export function checkSlackBody(contentType: string | undefined, rawBody: string): BodyVerdict {
  // Bolt parses a form only when the header is exactly this, and JSON otherwise; we accept forms alone, as
  // slash commands and interactivity are all this app receives (it subscribes to no Events API events).
  if (contentType !== FORM) return { ok: false, reason: `content type ${String(contentType).slice(0, 60)}` };
  const form = parse(rawBody);
  if (form.ssl_check !== undefined) {
    return form.ssl_check === '1' ? { ok: true, kind: 'ssl_check' } : { ok: false, reason: 'bad ssl_check' };
  }
  if (form.payload !== undefined) return checkInteraction(form.payload);
  const missing = COMMAND_FIELDS.filter((f) => !isString(form[f]));
  if (missing.length) return { ok: false, reason: `not a slash command (${missing.join(', ')})` };
  return { ok: true, kind: 'command' };
}

function checkInteraction(payload: string | string[]): BodyVerdict {
  if (!isString(payload)) return { ok: false, reason: 'several payload fields' };
  let body: unknown;
  try {
    body = JSON.parse(payload);
  } catch {
    return { ok: false, reason: 'payload is not JSON' };
  }
  if (!isPlainObject(body)) return { ok: false, reason: 'payload is not an object' };
  // Buttons are the app's only interactive elements (no modals, shortcuts or menus), and Bolt throws on some
  // shapes of the others: they are refused here.
  if (body.type !== 'block_actions') return { ok: false, reason: 'payload is not block_actions' };
  if (!isPlainObject(body.user) || !isString(body.user.id)) return { ok: false, reason: 'payload has no user' };
  // Bolt routes on actions[0].action_id and our listeners read its value, the channel and the message.
  const actions = body.actions;
  if (!Array.isArray(actions) || actions.length === 0) return { ok: false, reason: 'block_actions without actions' };
  const bad = actions.some(
    (a) => !isPlainObject(a) || !isString(a.action_id) || (a.value !== undefined && !isString(a.value)),
  );
  if (bad) return { ok: false, reason: 'an action without a string action_id and value' };
  if (body.channel !== undefined && (!isPlainObject(body.channel) || !isString(body.channel.id)))
    return { ok: false, reason: 'block_actions with a malformed channel' };
  if (body.message !== undefined && (!isPlainObject(body.message) || !isString(body.message.ts)))
    return { ok: false, reason: 'block_actions with a malformed message' };
  if (body.container !== undefined && !isPlainObject(body.container))
    return { ok: false, reason: 'block_actions with a malformed container' };
  return { ok: true, kind: 'interaction' };
}
