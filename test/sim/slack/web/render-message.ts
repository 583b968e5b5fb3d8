import { escapeHtml } from './escape-html.js';
import { formatSlackDate } from './format-slack-date.js';
import { renderBlocks } from './render-blocks.js';
import { type MrkdwnContext, renderMrkdwn } from './render-mrkdwn.js';

/** A shared file as a message shows it. */
export interface FileView {
  id: string;
  name: string;
  title: string;
  /** The first lines of a text file, when its bytes have arrived. */
  preview?: string;
  /** Bytes in the file. */
  length: number;
  image: boolean;
}

/** One message as the reader sees it, with everything the page needs looked up already. */
export interface MessageView {
  channel: string;
  ts: string;
  author: { id: string; name: string; isBot: boolean };
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  /** A person edited their message (Slack marks it "(edited)"). */
  edited?: boolean;
  /** Shown only to the reader ("Only visible to you"). */
  ephemeral?: boolean;
  /** Set on a reply: the thread it belongs to. */
  threadTs?: string;
  /** A thread reply also sent to the channel. */
  broadcast?: boolean;
  files?: FileView[];
  /** On a thread's parent in the channel: how many replies it has. */
  replyCount?: number;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function initials(name: string): string {
  return escapeHtml((name.trim()[0] ?? '?').toUpperCase());
}

/** Legacy attachments: a coloured bar with pretext, title, text and fields (or the attachment's own blocks). */
function renderAttachments(attachments: unknown[], ctx: MrkdwnContext): string {
  return attachments
    .filter(isObj)
    .map((a) => {
      const color = typeof a.color === 'string' && /^#?[0-9a-fA-F]{3,6}$/.test(a.color) ? a.color : '#ddd';
      const bar = color.startsWith('#') ? color : `#${color}`;
      const text = (v: unknown) => (typeof v === 'string' && v ? renderMrkdwn(v, ctx) : '');
      const pretext = text(a.pretext);
      const title = typeof a.title === 'string' ? `<div class="att-title">${escapeHtml(a.title)}</div>` : '';
      const blocks = Array.isArray(a.blocks) ? renderBlocks(a.blocks, ctx) : '';
      const fields = Array.isArray(a.fields)
        ? a.fields
            .filter(isObj)
            .map(
              (f) =>
                `<div class="bk-field"><b>${escapeHtml(String(f.title ?? ''))}</b>\n${text(String(f.value ?? ''))}</div>`,
            )
            .join('')
        : '';
      const body = blocks || `${title}<div class="bk-text">${text(a.text) || text(a.fallback)}</div>`;
      return `${pretext ? `<div class="bk-text">${pretext}</div>` : ''}<div class="att" style="border-left-color:${escapeHtml(bar)}">${body}${fields ? `<div class="bk-fields">${fields}</div>` : ''}</div>`;
    })
    .join('');
}

function renderFile(file: FileView): string {
  const href = `/client/files/${encodeURIComponent(file.id)}`;
  const preview = file.image
    ? `<img class="file-image" src="${escapeHtml(href)}" alt="${escapeHtml(file.title || file.name)}">`
    : file.preview !== undefined
      ? `<pre class="file-preview">${escapeHtml(file.preview)}</pre>`
      : '<div class="file-pending">Uploading…</div>';
  return `<div class="file"><div class="file-head"><span class="file-icon">📄</span><span class="file-title">${escapeHtml(file.title || file.name)}</span><span class="file-size">${file.length} bytes</span><a class="file-download" href="${escapeHtml(href)}" download="${escapeHtml(file.name)}">Download</a></div>${preview}</div>`;
}

/**
 * A message as the Slack client draws it: author and time, its blocks (or its text as mrkdwn when it has none, since
 * `text` is then only the notification fallback), attachments, files, "(edited)", "Only visible to you" and the
 * thread's reply count. Every string from the message is escaped.
 */
export function renderMessage(view: MessageView, ctx: MrkdwnContext): string {
  const seconds = view.ts.split('.')[0] ?? '';
  const time = formatSlackDate(seconds, '{time}', ctx) ?? '';
  const body =
    view.blocks && view.blocks.length > 0
      ? `<div class="msg-blocks">${renderBlocks(view.blocks, ctx)}</div>`
      : view.text
        ? `<div class="bk-text">${renderMrkdwn(view.text, ctx)}</div>`
        : '';
  const edited = view.edited ? '<span class="msg-edited">(edited)</span>' : '';
  const attachments = view.attachments?.length ? renderAttachments(view.attachments, ctx) : '';
  const files = view.files?.length ? `<div class="files">${view.files.map(renderFile).join('')}</div>` : '';
  const badge = view.author.isBot ? '<span class="app-badge">APP</span>' : '';
  const only = view.ephemeral ? '<span class="msg-only-you">👁 Only visible to you</span>' : '';
  const broadcast = view.broadcast
    ? '<div class="msg-broadcast">replied to a thread and sent to the channel</div>'
    : '';
  const replies =
    view.replyCount && view.replyCount > 0
      ? `<button type="button" class="thread-link" data-thread="${escapeHtml(view.ts)}">${view.replyCount} ${view.replyCount === 1 ? 'reply' : 'replies'}</button>`
      : '';
  const attrs = [
    `data-ts="${escapeHtml(view.ts)}"`,
    `data-channel="${escapeHtml(view.channel)}"`,
    `data-ephemeral="${view.ephemeral ? 'true' : 'false'}"`,
    view.threadTs ? `data-thread-ts="${escapeHtml(view.threadTs)}"` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return `<div class="msg${view.ephemeral ? ' msg-ephemeral' : ''}" ${attrs}><div class="msg-avatar${view.author.isBot ? ' msg-avatar-bot' : ''}">${initials(view.author.name)}</div><div class="msg-main">${only}${broadcast}<div class="msg-meta"><span class="msg-author">${escapeHtml(view.author.name)}</span>${badge}<span class="msg-time">${escapeHtml(time)}</span></div>${body}${edited}${attachments}${files}${replies}</div></div>`;
}
