import { MUTE_NOTICE_BLOCK, type MuteRecord, renderMuteNotice } from '../alerts/index.js';
import type { Block } from '../render/index.js';

/** The block_id of an alert's headline blocks (`.0`, `.1`, …): the part of the prefix a headline rewrite replaces. */
export const ALERT_HEADLINE_BLOCK = 'debugdead.alert-headline';

/** Shown where an "until it recovers" mute's notice was, once the workload recovered and the mute ended. */
export const MUTE_ENDED_TEXT = ':bell: Mute ended: the workload recovered.';

/** The headline blocks (renderAlertContext) tagged, so a later rewrite knows them from the rest of the prefix. Pure. */
export function tagAlertHeadline(headline: Block[]): Block[] {
  return headline.map((b, i) => ({ ...b, block_id: `${ALERT_HEADLINE_BLOCK}.${i}` }) as Block);
}

/** What is true now besides the headline: the workload's mute as Redis holds it, and whether it recovered. */
export interface AlertFacts {
  mute?: MuteRecord | undefined;
  recovered: boolean;
}

const blockId = (b: Block): string | undefined =>
  typeof (b as { block_id?: unknown }).block_id === 'string' ? (b as { block_id: string }).block_id : undefined;

const textOf = (b: Block): string =>
  JSON.stringify((b as { text?: unknown; elements?: unknown }).text ?? '') +
  JSON.stringify((b as { elements?: unknown }).elements ?? '');

/** The mute notice block, as a pick from the mute menu puts it on the message. Pure. */
export function renderMuteNoticeBlock(mute: MuteRecord): Block {
  return {
    type: 'context',
    block_id: MUTE_NOTICE_BLOCK,
    elements: [{ type: 'mrkdwn', text: renderMuteNotice(mute) }],
  } as Block;
}

/**
 * An alert's prefix with a new headline, keeping what else it carries while it is still true. The headline blocks
 * (tagged by tagAlertHeadline; untagged blocks are an older release's headline, as every other feature's prefix
 * block carries a block_id) are replaced. The mute notice follows the mute, not the old message: a running mute
 * is shown (a timed one outlives a recovery), a mute that ended leaves no notice, and an "until it recovers" mute
 * that ended because the workload recovered leaves "Mute ended: the workload recovered". Any other block stays where
 * it was. Pure.
 */
export function rewriteAlertPrefix(prefix: readonly Block[], headline: Block[], facts: AlertFacts): Block[] {
  const isHeadline = (b: Block) => {
    const id = blockId(b);
    return id === undefined || id.startsWith(`${ALERT_HEADLINE_BLOCK}.`);
  };
  const notice = prefix.find((b) => blockId(b) === MUTE_NOTICE_BLOCK);
  const kept = prefix.filter((b) => !isHeadline(b) && blockId(b) !== MUTE_NOTICE_BLOCK);
  const endedByRecovery =
    notice !== undefined && (textOf(notice).includes('until it recovers') || textOf(notice).includes(MUTE_ENDED_TEXT));
  const mute: Block[] = facts.mute
    ? [renderMuteNoticeBlock(facts.mute)]
    : facts.recovered && endedByRecovery
      ? [
          {
            type: 'context',
            block_id: MUTE_NOTICE_BLOCK,
            elements: [{ type: 'mrkdwn', text: MUTE_ENDED_TEXT }],
          } as Block,
        ]
      : [];
  return [...tagAlertHeadline(headline), ...kept, ...mute];
}
