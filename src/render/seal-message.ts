import { type Redacted, redact } from '../redact/index.js';

declare const sealedBrand: unique symbol;

/**
 * Something that passed the egress boundary: every text in it redacted. Only `sealMessage` and `sealFile` make one,
 * and the functions that hand text to Slack accept nothing else, so an output path cannot skip redaction.
 */
export type Sealed<T> = T & { readonly [sealedBrand]: true };

/** A message as Slack takes it (chat.postMessage, chat.update, chat.postEphemeral, a response_url body). */
export interface OutboundMessage {
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: Block Kit blocks, validated by Slack; typed in block-kit-types.ts
  blocks?: any[];
}

/** A file upload (files.getUploadURLExternal + completeUploadExternal) with its comment. */
export interface OutboundFile {
  filename: string;
  title: string;
  content: string;
  comment: OutboundMessage;
}

/**
 * Keys of Block Kit objects whose string values people read: text objects, titles, placeholders, alt text, link
 * URLs, file names. Ids (`action_id`, `block_id`) and button `value`s are opaque ids and stay as they are.
 */
const READ_BY_PEOPLE = new Set([
  'text',
  'title',
  'alt_text',
  'fallback',
  'url',
  'image_url',
  'placeholder',
  'pretext',
  'footer',
  'initial_comment',
  'filename',
  'label',
]);

function redactTree(value: unknown, key: string | undefined): unknown {
  if (typeof value === 'string') return key !== undefined && READ_BY_PEOPLE.has(key) ? redact(value).text : value;
  if (Array.isArray(value))
    return value.map((v) => redactTree(v, key === 'elements' || key === 'fields' ? undefined : key));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactTree(v, k);
    return out;
  }
  return value;
}

/**
 * The message with every text a person reads redacted (the fallback text, every text object of every block, titles,
 * link URLs). Redaction is idempotent, so text the renderers already redacted passes unchanged. Pure; never throws.
 */
export function sealMessage<M extends OutboundMessage>(message: M): Sealed<M & { text: Redacted }> {
  return redactTree(message, undefined) as Sealed<M & { text: Redacted }>;
}

/** The file with its content, name, title and comment redacted. */
export function sealFile<F extends OutboundFile>(file: F): Sealed<F & { content: Redacted }> {
  return {
    ...file,
    filename: redact(file.filename).text,
    title: redact(file.title).text,
    content: redact(file.content).text,
    comment: sealMessage(file.comment),
  } as unknown as Sealed<F & { content: Redacted }>;
}
