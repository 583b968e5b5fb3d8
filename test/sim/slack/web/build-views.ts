import type { SimEphemeral, SimFile, SimMessage } from '../state.js';
import type { WorkspaceSeed } from '../workspace.js';
import type { FileView, MessageView } from './render-message.js';
import type { MrkdwnContext } from './render-mrkdwn.js';

/** The parts of the simulator's state the page shows, as plain data. */
export interface WorkspaceSnapshot {
  ws: WorkspaceSeed;
  channels: { id: string; name: string; kind: string; members: string[] }[];
  messages: readonly SimMessage[];
  ephemerals: readonly SimEphemeral[];
  files: ReadonlyMap<string, SimFile>;
}

/** Lines and characters of a text file shown in its preview. */
const PREVIEW_LINES = 20;
const PREVIEW_CHARS = 2000;

/** Orders Slack message timestamps ("1700000000.000100"), which compare as numbers, not as strings. */
export function compareTs(a: string, b: string): number {
  const [as = '0', af = ''] = a.split('.');
  const [bs = '0', bf = ''] = b.split('.');
  return Number(as) - Number(bs) || Number(af.padEnd(6, '0')) - Number(bf.padEnd(6, '0'));
}

function fileView(file: SimFile): FileView {
  const image = /\.(png|jpe?g|gif|webp)$/i.test(file.name);
  const text = file.content?.toString('utf8');
  const preview =
    text === undefined ? undefined : text.split('\n').slice(0, PREVIEW_LINES).join('\n').slice(0, PREVIEW_CHARS);
  return {
    id: file.id,
    name: file.name,
    title: file.title,
    length: file.length,
    image,
    ...(preview !== undefined && !image ? { preview } : {}),
  };
}

function author(snap: WorkspaceSnapshot, id: string): MessageView['author'] {
  const user = snap.ws.users.find((u) => u.id === id);
  const isBot = id === snap.ws.bot.userId || user?.isBot === true;
  return { id, name: user?.realName ?? user?.name ?? id, isBot };
}

/**
 * A stored message as the reader sees it. A person's edit shows "(edited)"; an app's chat.update does not ([U] what
 * Slack's client does for apps' updates; it shows no "(edited)" on them in practice).
 */
export function messageView(snap: WorkspaceSnapshot, m: SimMessage, counts = replyCounts(snap)): MessageView {
  const replyCount = m.thread_ts === undefined || m.thread_ts === m.ts ? (counts.get(`${m.channel} ${m.ts}`) ?? 0) : 0;
  const files = (m.files ?? [])
    .map((f) => snap.files.get(f.id))
    .filter((f): f is SimFile => f !== undefined)
    .map(fileView);
  return {
    channel: m.channel,
    ts: m.ts,
    author: author(snap, m.user),
    text: m.text,
    ...(m.blocks ? { blocks: m.blocks } : {}),
    ...(m.attachments ? { attachments: m.attachments } : {}),
    ...(m.edited && m.edited.user !== snap.ws.bot.userId ? { edited: true } : {}),
    ...(m.thread_ts && m.thread_ts !== m.ts ? { threadTs: m.thread_ts } : {}),
    ...(m.subtype === 'thread_broadcast' ? { broadcast: true } : {}),
    ...(files.length ? { files } : {}),
    ...(replyCount ? { replyCount } : {}),
  };
}

/** Replies per thread (`channel ts` of the parent), counted once per view rather than once per message. */
export function replyCounts(snap: WorkspaceSnapshot): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of snap.messages) {
    if (r.thread_ts === undefined || r.thread_ts === r.ts) continue;
    const key = `${r.channel} ${r.thread_ts}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** An ephemeral message: from the app, or Slack's own notice (an app that failed to answer). */
export function ephemeralView(snap: WorkspaceSnapshot, e: SimEphemeral): MessageView {
  const from =
    e.source === 'slack'
      ? { id: 'USLACKBOT', name: 'Slackbot', isBot: true }
      : { id: snap.ws.bot.userId, name: author(snap, snap.ws.bot.userId).name, isBot: true };
  return {
    channel: e.channel,
    ts: e.ts,
    author: from,
    text: e.text,
    ...(e.blocks ? { blocks: e.blocks } : {}),
    ...(e.thread_ts ? { threadTs: e.thread_ts } : {}),
    ephemeral: true,
  };
}

/** A message keyed for the page: the page replaces only those whose HTML changed. */
export interface Keyed<T> {
  key: string;
  item: T;
}

/** What `reader` sees at the top level of `channel`: messages, broadcast replies and their ephemerals, by time. */
export function channelTimeline(snap: WorkspaceSnapshot, channel: string, reader: string): Keyed<MessageView>[] {
  const counts = replyCounts(snap);
  const top = snap.messages
    .filter(
      (m) =>
        m.channel === channel &&
        (m.thread_ts === undefined || m.thread_ts === m.ts || m.subtype === 'thread_broadcast'),
    )
    .map((m) => ({ key: `m${m.ts}`, item: messageView(snap, m, counts) }));
  const mine = snap.ephemerals
    .filter((e) => e.channel === channel && e.user === reader && !e.deleted && e.thread_ts === undefined)
    .map((e) => ({ key: `e${e.ts}`, item: ephemeralView(snap, e) }));
  return [...top, ...mine].sort((a, b) => compareTs(a.item.ts, b.item.ts));
}

/** A thread: its parent first, then replies and the reader's ephemerals in it, by time. */
export function threadTimeline(
  snap: WorkspaceSnapshot,
  channel: string,
  threadTs: string,
  reader: string,
): Keyed<MessageView>[] {
  const parent = snap.messages.find((m) => m.channel === channel && m.ts === threadTs);
  const replies = snap.messages
    .filter((m) => m.channel === channel && m.thread_ts === threadTs && m.ts !== threadTs)
    .map((m) => ({ key: `m${m.ts}`, item: { ...messageView(snap, m), broadcast: false } }));
  const mine = snap.ephemerals
    .filter((e) => e.channel === channel && e.user === reader && !e.deleted && e.thread_ts === threadTs)
    .map((e) => ({ key: `e${e.ts}`, item: ephemeralView(snap, e) }));
  const rest = [...replies, ...mine].sort((a, b) => compareTs(a.item.ts, b.item.ts));
  return parent ? [{ key: `p${parent.ts}`, item: { ...messageView(snap, parent), replyCount: 0 } }, ...rest] : rest;
}

/** The newest thing `reader` could see at the top level of a channel that someone else wrote, if any. */
export function latestFromOthers(snap: WorkspaceSnapshot, channel: string, reader: string): MessageView | undefined {
  return channelTimeline(snap, channel, reader)
    .map((k) => k.item)
    .filter((m) => m.author.id !== reader)
    .at(-1);
}

/** How `reader` sees names and times: people by their real name, channels and user groups by theirs. */
export function renderContextFor(
  snap: Pick<WorkspaceSnapshot, 'ws' | 'channels'>,
  reader: string,
  timeZone: string,
  now: number,
): MrkdwnContext {
  return {
    userName: (id) => {
      const u = snap.ws.users.find((x) => x.id === id);
      return u ? u.realName || u.name : undefined;
    },
    channelName: (id) => snap.channels.find((c) => c.id === id)?.name,
    usergroupHandle: (id) => snap.ws.usergroups.find((g) => g.id === id)?.handle,
    self: reader,
    selfGroups: snap.ws.usergroups.filter((g) => g.users.includes(reader)).map((g) => g.id),
    timeZone,
    now,
  };
}

/** Every timeline `reader` can open: each channel they are in, and each thread in it. */
export function everyTimeline(snap: WorkspaceSnapshot, reader: string): Keyed<MessageView>[][] {
  const out: Keyed<MessageView>[][] = [];
  for (const c of snap.channels.filter((ch) => ch.members.includes(reader))) {
    const top = channelTimeline(snap, c.id, reader);
    out.push(top);
    for (const k of top) if (k.item.replyCount) out.push(threadTimeline(snap, c.id, k.item.ts, reader));
  }
  return out;
}
