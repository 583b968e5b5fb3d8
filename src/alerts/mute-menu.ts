import type { MuteChoice } from './mute-record.js';

/** The action_id of the mute menu on alerts and summaries. */
export const MUTE_MENU_ACTION = 'debugdead.mute';
/** The block_id of the mute notice, so a new notice replaces the old one and an unmute removes it. */
export const MUTE_NOTICE_BLOCK = 'debugdead.mute-notice';

const OPTIONS: { text: string; choice: MuteChoice | 'unmute' }[] = [
  { text: 'Mute 1 h', choice: '1h' },
  { text: 'Mute 24 h', choice: '24h' },
  { text: 'Mute until it recovers', choice: 'recovery' },
  { text: 'Unmute', choice: 'unmute' },
];

/** The overflow menu: each option's value is `<choice>:<diagnosis id>`, nothing else (looked up server-side). Pure. */
export function renderMuteMenu(diagnosisId: string) {
  return {
    type: 'overflow' as const,
    action_id: MUTE_MENU_ACTION,
    options: OPTIONS.map((o) => ({
      text: { type: 'plain_text' as const, text: o.text },
      value: `${o.choice}:${diagnosisId}`,
    })),
  };
}

/** A menu value back to its choice and diagnosis id, or undefined for anything we did not render. Pure. */
export function parseMuteValue(value: string): { choice: MuteChoice | 'unmute'; diagnosisId: string } | undefined {
  const m = /^(1h|24h|recovery|unmute):([A-Za-z0-9_-]{8,64})$/.exec(value);
  return m ? { choice: m[1] as MuteChoice | 'unmute', diagnosisId: m[2] as string } : undefined;
}
