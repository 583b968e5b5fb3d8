import type { Delivery, DeliveryHub } from './deliveries.js';
import type { SimState } from './state.js';
import { messageError } from './web-api.js';

/** A response_url takes at most 5 posts within 30 minutes of the delivery (Slack docs, "Slash commands"). */
export const RESPONSE_URL_LIMITS = { posts: 5, validForMs: 30 * 60 * 1000 } as const;

export interface ResponseUrlAnswer {
  status: number;
  body: Record<string, unknown>;
}

const refuse = (status: number, error: string, extra: Record<string, unknown> = {}): ResponseUrlAnswer => ({
  status,
  body: { ok: false, error, ...extra },
});

/**
 * The message a response_url's `replace_original` / `delete_original` acts on: for a click, the message carrying the
 * button. A slash command has none: Slack replaces only for interactive messages, so a command's reply posted with
 * `replace_original` arrives as a new message, and the earlier reply stays on screen.
 */
function original(delivery: Delivery): { channel: string; ts: string; ephemeral: boolean } | undefined {
  return delivery.kind === 'block_actions' ? delivery.source : undefined;
}

/**
 * Answers a POST to a delivery's response_url. Expired and used-up URLs are refused with a non-2xx status
 * ([U] the reference leaves the exact answer open; strict reading: 404, so Bolt's respond() throws RespondError).
 * An invalid message is refused with 400 and Slack's error code ([U] likewise strict).
 */
export function handleResponseUrlPost(
  state: SimState,
  hub: DeliveryHub,
  delivery: Delivery,
  body: Record<string, unknown>,
): ResponseUrlAnswer {
  if (state.now() - delivery.issuedAt > RESPONSE_URL_LIMITS.validForMs) return refuse(404, 'expired_url');
  if (delivery.responseUrlPosts >= RESPONSE_URL_LIMITS.posts) return refuse(404, 'used_url');
  delivery.responseUrlPosts += 1;

  const target = original(delivery);
  if (body.delete_original === true || body.delete_original === 'true') {
    if (!target) return refuse(404, 'message_not_found');
    if (target.ephemeral) {
      const eph = state.findEphemeral(target.channel, target.ts);
      if (!eph || eph.deleted) return refuse(404, 'message_not_found');
      eph.deleted = true;
    } else {
      const i = state.messages.findIndex((m) => m.channel === target.channel && m.ts === target.ts);
      if (i < 0) return refuse(404, 'message_not_found');
      state.messages.splice(i, 1);
    }
    state.changed();
    return { status: 200, body: { ok: true } };
  }

  if ((body.replace_original === true || body.replace_original === 'true') && delivery.kind === 'block_actions') {
    if (!target) return refuse(404, 'message_not_found');
    const bad = messageError(body);
    if (bad) return { status: 400, body: bad };
    const text = typeof body.text === 'string' ? body.text : '';
    const blocks = Array.isArray(body.blocks) ? state.withBlockIds(body.blocks) : undefined;
    // A replacement keeps the original's place and visibility; response_type is ignored.
    if (target.ephemeral) {
      const eph = state.findEphemeral(target.channel, target.ts);
      if (!eph || eph.deleted) return refuse(404, 'message_not_found');
      eph.text = text;
      if (blocks) eph.blocks = blocks;
      else delete eph.blocks;
    } else {
      const msg = state.findMessage(target.channel, target.ts);
      if (!msg) return refuse(404, 'message_not_found');
      // Only the app's own messages can be replaced, as with chat.update.
      if (msg.user !== state.ws.bot.userId) return refuse(400, 'cant_update_message');
      msg.text = text;
      if (blocks) msg.blocks = blocks;
      else delete msg.blocks;
      msg.edited = { user: state.ws.bot.userId, ts: state.nextTs() };
    }
    state.changed();
    return { status: 200, body: { ok: true } };
  }

  const error = hub.show(delivery, body, 'response_url');
  if (error) {
    const bad = messageError(body);
    return { status: 400, body: bad ?? { ok: false, error } };
  }
  return { status: 200, body: { ok: true } };
}
