/**
 * Block Kit validation as Slack's Web API applies it to `chat.postMessage`, `chat.update`, `chat.postEphemeral` and
 * `response_url` posts (Slack's documented Block Kit limits). Pure: a message in, a verdict out.
 *
 * Strictness: the simulator must reject what Slack rejects, so where Slack's behaviour is unconfirmed ([U]) it takes
 * the strict reading. In particular it accepts only the block and element types a ChatOps bot needs (section, header,
 * divider, context, actions, image, markdown, rich_text; button, overflow, static_select and image elements; plain_text
 * and mrkdwn objects): other types Slack does accept (input, file, video, other selects, datepicker, …) are reported
 * as unsupported
 * here, so a renderer that starts using one must extend this file first.
 *
 * The `[ERROR] … [json-pointer:…]` wording follows the two samples in Slack's docs; the wording of the other
 * messages is [U] (modelled on them) — tests should match the pointer and the error code, not the prose.
 */

/** Slack's documented limits, exported so renderers and property tests share one source. */
export const BLOCK_KIT_LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  buttonAccessibilityLabel: 75,
  actionId: 255,
  blockId: 255,
  contextElements: 10,
  actionsElements: 25,
  markdownBlockText: 12_000,
  /** [U] undocumented: the sum of every text in every block; past it Slack answers `msg_blocks_too_long`. */
  cumulativeBlockText: 12_000,
  /** Slack truncates past 40,000; [U] the simulator refuses with `msg_too_long` instead (strict). */
  messageText: 40_000,
  /** Overflow menu: 2 to 5 options, each text ≤ 75 and value ≤ 150 (Slack docs, "Overflow menu element"). */
  overflowOptionsMin: 2,
  overflowOptionsMax: 5,
  optionText: 75,
  optionValue: 150,
  /** An option's `description` (plain_text only). */
  optionDescription: 75,
  /** Overflow options may carry a `url` (a link the client opens). */
  optionUrl: 3000,
  /** Static select: up to 100 options, or up to 100 option groups of up to 100 options each (Slack docs). */
  selectOptionsMax: 100,
  selectOptionGroupsMax: 100,
  /** [U] no documented total across groups: strict, the same 100 as a flat list. */
  selectOptionsTotal: 100,
  optionGroupLabel: 75,
  selectPlaceholder: 150,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  imageUrl: 3000,
  imageAltText: 2000,
  imageTitle: 2000,
} as const;

export type BlockKitError = 'invalid_blocks' | 'msg_too_long' | 'msg_blocks_too_long' | 'no_text';

export type ValidationResult = { ok: true } | { ok: false; error: BlockKitError; messages: string[] };

/** What a message-carrying method receives: the fields that decide whether Slack accepts it. */
export interface MessageToValidate {
  text?: string;
  blocks?: unknown[];
  attachments?: unknown;
}

type Json = Record<string, unknown>;

/** Collects `[ERROR] … [json-pointer:…]` lines while walking the blocks, and the cumulative text length. */
class Walk {
  readonly messages: string[] = [];
  textTotal = 0;
  readonly blockIds = new Set<string>();

  error(pointer: string, what: string): void {
    this.messages.push(`[ERROR] ${what} [json-pointer:${pointer}]`);
  }

  /** Rejects any field outside `allowed`; Slack's schemas do not allow additional properties. */
  onlyFields(obj: Json, pointer: string, allowed: readonly string[]): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) this.error(`${pointer}/${escapePointer(key)}`, `unsupported field: ${key}`);
    }
  }

  object(value: unknown, pointer: string): Json | undefined {
    if (value === undefined) {
      this.error(pointer, 'missing required field');
      return undefined;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.error(pointer, 'must provide an object');
      return undefined;
    }
    return value as Json;
  }

  array(value: unknown, pointer: string, min: number, max: number): unknown[] | undefined {
    if (value === undefined) {
      this.error(pointer, 'missing required field');
      return undefined;
    }
    if (!Array.isArray(value)) {
      this.error(pointer, 'must provide an array');
      return undefined;
    }
    if (value.length < min) this.error(pointer, `must provide at least ${min} items`);
    if (value.length > max) this.error(pointer, `no more than ${max} items allowed`);
    return value;
  }

  /** A string of min..max characters (default 1..max); a missing one is an error only when `required`. */
  string(value: unknown, pointer: string, max: number, opts: { min?: number; required?: boolean } = {}): void {
    const { min = 1, required = true } = opts;
    if (value === undefined) {
      if (required) this.error(pointer, 'missing required field');
      return;
    }
    if (typeof value !== 'string') {
      this.error(pointer, 'must provide a string');
      return;
    }
    if (value.length < min) this.error(pointer, `must be more than ${min - 1} characters`);
    if (value.length > max) this.error(pointer, `must be less than ${max + 1} characters`);
  }

  boolean(value: unknown, pointer: string): void {
    if (value !== undefined && typeof value !== 'boolean') this.error(pointer, 'must provide a boolean');
  }

  oneOf(value: unknown, pointer: string, allowed: readonly string[]): void {
    if (value === undefined) return;
    if (typeof value !== 'string' || !allowed.includes(value)) {
      this.error(pointer, `must be one of: ${allowed.join(', ')}`);
    }
  }

  /**
   * A text composition object. `kinds` restricts plain_text/mrkdwn (headers and buttons take plain_text only).
   * Counts towards the cumulative text.
   */
  text(value: unknown, pointer: string, max: number, kinds: readonly ('plain_text' | 'mrkdwn')[]): void {
    const obj = this.object(value, pointer);
    if (!obj) return;
    if (obj.type !== 'plain_text' && obj.type !== 'mrkdwn') {
      this.error(`${pointer}/type`, `unsupported type: ${String(obj.type)}`);
      return;
    }
    if (!kinds.includes(obj.type)) {
      this.error(`${pointer}/type`, `must be one of: ${kinds.join(', ')}`);
      return;
    }
    if (obj.type === 'plain_text') {
      this.onlyFields(obj, pointer, ['type', 'text', 'emoji']);
      this.boolean(obj.emoji, `${pointer}/emoji`);
    } else {
      this.onlyFields(obj, pointer, ['type', 'text', 'verbatim']);
      this.boolean(obj.verbatim, `${pointer}/verbatim`);
    }
    this.string(obj.text, `${pointer}/text`, max);
    if (typeof obj.text === 'string') this.textTotal += obj.text.length;
  }

  blockId(block: Json, pointer: string): void {
    if (block.block_id === undefined) return;
    this.string(block.block_id, `${pointer}/block_id`, BLOCK_KIT_LIMITS.blockId);
    if (typeof block.block_id === 'string') {
      // Slack: "block_id … should be unique for each message" and rejects duplicates.
      if (this.blockIds.has(block.block_id)) {
        this.error(`${pointer}/block_id`, `non-unique block_id: ${block.block_id}`);
      }
      this.blockIds.add(block.block_id);
    }
  }
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

const L = BLOCK_KIT_LIMITS;

function validateConfirm(w: Walk, value: unknown, p: string): void {
  const c = w.object(value, p);
  if (!c) return;
  w.onlyFields(c, p, ['title', 'text', 'confirm', 'deny', 'style']);
  // All four texts are required by the confirmation dialog object's schema.
  w.text(c.title, `${p}/title`, L.confirmTitle, ['plain_text']);
  // Slack's confirmation dialog object takes plain_text only in all four fields.
  w.text(c.text, `${p}/text`, L.confirmText, ['plain_text']);
  w.text(c.confirm, `${p}/confirm`, L.confirmButton, ['plain_text']);
  w.text(c.deny, `${p}/deny`, L.confirmButton, ['plain_text']);
  w.oneOf(c.style, `${p}/style`, ['primary', 'danger']);
}

function validateButton(w: Walk, el: Json, p: string, actionIds: Set<string>): void {
  // No `disabled`: Slack buttons cannot be disabled (Slack docs), so the field is refused like any unknown one.
  w.onlyFields(el, p, ['type', 'text', 'action_id', 'value', 'url', 'style', 'confirm', 'accessibility_label']);
  w.text(el.text, `${p}/text`, L.buttonText, ['plain_text']);
  // [U] Slack fills in a random action_id when it is missing; strict: required, since Bolt routes on it.
  w.string(el.action_id, `${p}/action_id`, L.actionId);
  if (typeof el.action_id === 'string') {
    if (actionIds.has(el.action_id)) w.error(`${p}/action_id`, `non-unique action_id: ${el.action_id}`);
    actionIds.add(el.action_id);
  }
  w.string(el.value, `${p}/value`, L.buttonValue, { required: false });
  w.string(el.url, `${p}/url`, L.buttonUrl, { required: false });
  w.oneOf(el.style, `${p}/style`, ['primary', 'danger']);
  w.string(el.accessibility_label, `${p}/accessibility_label`, L.buttonAccessibilityLabel, { required: false });
  if (el.confirm !== undefined) validateConfirm(w, el.confirm, `${p}/confirm`);
}

function validateOverflow(w: Walk, el: Json, p: string, actionIds: Set<string>): void {
  w.onlyFields(el, p, ['type', 'action_id', 'options', 'confirm']);
  w.string(el.action_id, `${p}/action_id`, L.actionId);
  if (typeof el.action_id === 'string') {
    if (actionIds.has(el.action_id)) w.error(`${p}/action_id`, `non-unique action_id: ${el.action_id}`);
    actionIds.add(el.action_id);
  }
  const options = w.array(el.options, `${p}/options`, L.overflowOptionsMin, L.overflowOptionsMax);
  for (const [i, o] of (options ?? []).entries()) validateOption(w, o, `${p}/options/${i}`, true);
  if (el.confirm !== undefined) validateConfirm(w, el.confirm, `${p}/confirm`);
}

/** An option object: plain_text text ≤ 75, value ≤ 150, description ≤ 75; `url` only in an overflow menu. */
function validateOption(w: Walk, value: unknown, op: string, inOverflow: boolean): void {
  const opt = w.object(value, op);
  if (!opt) return;
  w.onlyFields(opt, op, inOverflow ? ['text', 'value', 'description', 'url'] : ['text', 'value', 'description']);
  w.text(opt.text, `${op}/text`, L.optionText, ['plain_text']);
  w.string(opt.value, `${op}/value`, L.optionValue);
  if (opt.description !== undefined) w.text(opt.description, `${op}/description`, L.optionDescription, ['plain_text']);
  if (inOverflow) w.string(opt.url, `${op}/url`, L.optionUrl, { required: false });
}

/**
 * A static select: exactly one of `options` (≤ 100) and `option_groups` (≤ 100 groups, each a plain_text label ≤ 75
 * and ≤ 100 options); a plain_text placeholder ≤ 150.
 */
function validateStaticSelect(w: Walk, el: Json, p: string, actionIds: Set<string>): void {
  w.onlyFields(el, p, [
    'type',
    'action_id',
    'options',
    'option_groups',
    'initial_option',
    'confirm',
    'focus_on_load',
    'placeholder',
  ]);
  w.string(el.action_id, `${p}/action_id`, L.actionId);
  if (typeof el.action_id === 'string') {
    if (actionIds.has(el.action_id)) w.error(`${p}/action_id`, `non-unique action_id: ${el.action_id}`);
    actionIds.add(el.action_id);
  }
  if (el.placeholder !== undefined) w.text(el.placeholder, `${p}/placeholder`, L.selectPlaceholder, ['plain_text']);
  w.boolean(el.focus_on_load, `${p}/focus_on_load`);
  let total = 0;
  if ((el.options === undefined) === (el.option_groups === undefined)) {
    w.error(p, 'must provide exactly one of options, option_groups');
  } else if (el.options !== undefined) {
    const options = w.array(el.options, `${p}/options`, 1, L.selectOptionsMax);
    for (const [i, o] of (options ?? []).entries()) validateOption(w, o, `${p}/options/${i}`, false);
    total = options?.length ?? 0;
  } else {
    const groups = w.array(el.option_groups, `${p}/option_groups`, 1, L.selectOptionGroupsMax);
    for (const [g, value] of (groups ?? []).entries()) {
      const gp = `${p}/option_groups/${g}`;
      const group = w.object(value, gp);
      if (!group) continue;
      w.onlyFields(group, gp, ['label', 'options']);
      w.text(group.label, `${gp}/label`, L.optionGroupLabel, ['plain_text']);
      const options = w.array(group.options, `${gp}/options`, 1, L.selectOptionsMax);
      for (const [i, o] of (options ?? []).entries()) validateOption(w, o, `${gp}/options/${i}`, false);
      total += options?.length ?? 0;
    }
  }
  if (total > L.selectOptionsTotal) w.error(p, `no more than ${L.selectOptionsTotal} options allowed in all`);
  if (el.initial_option !== undefined) validateOption(w, el.initial_option, `${p}/initial_option`, false);
  if (el.confirm !== undefined) validateConfirm(w, el.confirm, `${p}/confirm`);
}

function validateImageElement(w: Walk, el: Json, p: string): void {
  w.onlyFields(el, p, ['type', 'image_url', 'alt_text']);
  w.string(el.image_url, `${p}/image_url`, L.imageUrl);
  w.string(el.alt_text, `${p}/alt_text`, L.imageAltText);
}

/** An interactive or image element inside `actions` or a section's `accessory`. */
function validateElement(w: Walk, value: unknown, p: string, actionIds: Set<string>, allowImage: boolean): void {
  const el = w.object(value, p);
  if (!el) return;
  if (el.type === 'button') validateButton(w, el, p, actionIds);
  else if (el.type === 'overflow') validateOverflow(w, el, p, actionIds);
  else if (el.type === 'static_select') validateStaticSelect(w, el, p, actionIds);
  else if (el.type === 'image' && allowImage) validateImageElement(w, el, p);
  else w.error(`${p}/type`, `unsupported type: ${String(el.type)}`);
}

const RICH_TEXT_STYLE_KEYS = ['bold', 'italic', 'strike', 'code'] as const;

function validateRichStyle(w: Walk, value: unknown, p: string): void {
  if (value === undefined) return;
  const s = w.object(value, p);
  if (!s) return;
  w.onlyFields(s, p, RICH_TEXT_STYLE_KEYS);
  for (const k of RICH_TEXT_STYLE_KEYS) w.boolean(s[k], `${p}/${k}`);
}

/** Inline elements of rich_text_section / _preformatted / _quote. */
function validateRichInline(w: Walk, value: unknown, p: string): void {
  const el = w.object(value, p);
  if (!el) return;
  switch (el.type) {
    case 'text':
      w.onlyFields(el, p, ['type', 'text', 'style']);
      // [U] empty rich text runs are refused (strict).
      w.string(el.text, `${p}/text`, L.cumulativeBlockText);
      if (typeof el.text === 'string') w.textTotal += el.text.length;
      validateRichStyle(w, el.style, `${p}/style`);
      return;
    case 'link':
      w.onlyFields(el, p, ['type', 'url', 'text', 'style', 'unsafe']);
      w.string(el.url, `${p}/url`, L.buttonUrl);
      w.string(el.text, `${p}/text`, L.cumulativeBlockText, { required: false });
      if (typeof el.text === 'string') w.textTotal += el.text.length;
      validateRichStyle(w, el.style, `${p}/style`);
      return;
    case 'emoji':
      w.onlyFields(el, p, ['type', 'name', 'unicode']);
      w.string(el.name, `${p}/name`, 100);
      return;
    case 'user':
      w.onlyFields(el, p, ['type', 'user_id', 'style']);
      w.string(el.user_id, `${p}/user_id`, 255);
      return;
    case 'usergroup':
      w.onlyFields(el, p, ['type', 'usergroup_id', 'style']);
      w.string(el.usergroup_id, `${p}/usergroup_id`, 255);
      return;
    case 'channel':
      w.onlyFields(el, p, ['type', 'channel_id', 'style']);
      w.string(el.channel_id, `${p}/channel_id`, 255);
      return;
    case 'broadcast':
      w.onlyFields(el, p, ['type', 'range']);
      w.oneOf(el.range, `${p}/range`, ['here', 'channel', 'everyone']);
      if (el.range === undefined) w.error(`${p}/range`, 'missing required field');
      return;
    default:
      w.error(`${p}/type`, `unsupported type: ${String(el.type)}`);
  }
}

function validateRichInlineList(w: Walk, value: unknown, p: string): void {
  const els = w.array(value, p, 0, Number.MAX_SAFE_INTEGER);
  for (const [i, el] of (els ?? []).entries()) validateRichInline(w, el, `${p}/${i}`);
}

/** Children of a rich_text block. */
function validateRichElement(w: Walk, value: unknown, p: string): void {
  const el = w.object(value, p);
  if (!el) return;
  switch (el.type) {
    case 'rich_text_section':
      w.onlyFields(el, p, ['type', 'elements']);
      validateRichInlineList(w, el.elements, `${p}/elements`);
      return;
    case 'rich_text_preformatted':
    case 'rich_text_quote':
      w.onlyFields(el, p, ['type', 'elements', 'border']);
      validateRichInlineList(w, el.elements, `${p}/elements`);
      if (el.border !== undefined && el.border !== 0 && el.border !== 1) w.error(`${p}/border`, 'must be 0 or 1');
      return;
    case 'rich_text_list': {
      w.onlyFields(el, p, ['type', 'elements', 'style', 'indent', 'offset', 'border']);
      if (el.style === undefined) w.error(`${p}/style`, 'missing required field');
      w.oneOf(el.style, `${p}/style`, ['bullet', 'ordered']);
      const items = w.array(el.elements, `${p}/elements`, 1, Number.MAX_SAFE_INTEGER);
      items?.forEach((item, i) => {
        const ip = `${p}/elements/${i}`;
        const sec = w.object(item, ip);
        if (!sec) return;
        if (sec.type !== 'rich_text_section') {
          w.error(`${ip}/type`, `unsupported type: ${String(sec.type)}`);
          return;
        }
        w.onlyFields(sec, ip, ['type', 'elements']);
        validateRichInlineList(w, sec.elements, `${ip}/elements`);
      });
      for (const k of ['indent', 'offset', 'border'] as const) {
        if (el[k] !== undefined && (typeof el[k] !== 'number' || !Number.isInteger(el[k]) || (el[k] as number) < 0)) {
          w.error(`${p}/${k}`, 'must be a non-negative integer');
        }
      }
      return;
    }
    default:
      w.error(`${p}/type`, `unsupported type: ${String(el.type)}`);
  }
}

function validateBlock(w: Walk, value: unknown, p: string): void {
  const b = w.object(value, p);
  if (!b) return;
  switch (b.type) {
    case 'section': {
      w.onlyFields(b, p, ['type', 'block_id', 'text', 'fields', 'accessory', 'expand']);
      w.blockId(b, p);
      if (b.text === undefined && b.fields === undefined) {
        // Wording and pointer as Slack answers it (seen in client test fixtures; [U] not in Slack's docs).
        w.error(`${p}/type`, 'must define either `text` or `fields`');
      }
      if (b.text !== undefined) w.text(b.text, `${p}/text`, L.sectionText, ['plain_text', 'mrkdwn']);
      if (b.fields !== undefined) {
        const fields = w.array(b.fields, `${p}/fields`, 1, L.sectionFields);
        for (const [i, f] of (fields ?? []).entries()) {
          w.text(f, `${p}/fields/${i}`, L.sectionFieldText, ['plain_text', 'mrkdwn']);
        }
      }
      if (b.accessory !== undefined) validateElement(w, b.accessory, `${p}/accessory`, new Set(), true);
      w.boolean(b.expand, `${p}/expand`);
      return;
    }
    case 'header':
      w.onlyFields(b, p, ['type', 'block_id', 'text']);
      w.blockId(b, p);
      w.text(b.text, `${p}/text`, L.headerText, ['plain_text']);
      return;
    case 'divider':
      w.onlyFields(b, p, ['type', 'block_id']);
      w.blockId(b, p);
      return;
    case 'context': {
      w.onlyFields(b, p, ['type', 'block_id', 'elements']);
      w.blockId(b, p);
      const els = w.array(b.elements, `${p}/elements`, 1, L.contextElements);
      els?.forEach((v, i) => {
        const ep = `${p}/elements/${i}`;
        const el = w.object(v, ep);
        if (!el) return;
        if (el.type === 'image') validateImageElement(w, el, ep);
        else if (el.type === 'plain_text' || el.type === 'mrkdwn') {
          // [U] context text has no documented per-element cap; the section limit is used (strict enough).
          w.text(el, ep, L.sectionText, ['plain_text', 'mrkdwn']);
        } else w.error(`${ep}/type`, `unsupported type: ${String(el.type)}`);
      });
      return;
    }
    case 'actions': {
      w.onlyFields(b, p, ['type', 'block_id', 'elements']);
      w.blockId(b, p);
      const els = w.array(b.elements, `${p}/elements`, 1, L.actionsElements);
      const actionIds = new Set<string>();
      for (const [i, v] of (els ?? []).entries()) validateElement(w, v, `${p}/elements/${i}`, actionIds, false);
      return;
    }
    case 'image':
      w.onlyFields(b, p, ['type', 'block_id', 'image_url', 'alt_text', 'title']);
      w.blockId(b, p);
      w.string(b.image_url, `${p}/image_url`, L.imageUrl);
      w.string(b.alt_text, `${p}/alt_text`, L.imageAltText);
      if (b.title !== undefined) w.text(b.title, `${p}/title`, L.imageTitle, ['plain_text']);
      return;
    case 'markdown':
      w.onlyFields(b, p, ['type', 'block_id', 'text']);
      w.blockId(b, p);
      w.string(b.text, `${p}/text`, L.markdownBlockText);
      if (typeof b.text === 'string') w.textTotal += b.text.length;
      return;
    case 'rich_text': {
      w.onlyFields(b, p, ['type', 'block_id', 'elements']);
      w.blockId(b, p);
      const els = w.array(b.elements, `${p}/elements`, 1, Number.MAX_SAFE_INTEGER);
      for (const [i, v] of (els ?? []).entries()) validateRichElement(w, v, `${p}/elements/${i}`);
      return;
    }
    default:
      w.error(`${p}/type`, `unsupported type: ${String(b.type)}`);
  }
}

/**
 * Decides whether Slack would accept a message, and with which error code if not.
 * Order of checks [U]: `no_text`, `msg_too_long`, `invalid_blocks`, then `msg_blocks_too_long` (a payload with bad
 * blocks is reported as invalid first, which is what the pointer-carrying messages are for).
 */
export function validateMessage(msg: MessageToValidate): ValidationResult {
  const hasText = typeof msg.text === 'string' && msg.text.length > 0;
  const hasBlocks = Array.isArray(msg.blocks) ? msg.blocks.length > 0 : msg.blocks !== undefined;
  const hasAttachments = Array.isArray(msg.attachments) ? msg.attachments.length > 0 : false;
  // Attachments are accepted as they come (not validated): the bot does not send them.
  if (!hasText && !hasBlocks && !hasAttachments) return { ok: false, error: 'no_text', messages: [] };
  if (typeof msg.text === 'string' && msg.text.length > L.messageText) {
    return { ok: false, error: 'msg_too_long', messages: [] };
  }
  if (msg.blocks === undefined) return { ok: true };

  const w = new Walk();
  const blocks = w.array(msg.blocks, '/blocks', 0, L.blocksPerMessage);
  for (const [i, b] of (blocks ?? []).entries()) validateBlock(w, b, `/blocks/${i}`);
  if (w.messages.length > 0) return { ok: false, error: 'invalid_blocks', messages: w.messages };
  if (w.textTotal > L.cumulativeBlockText) return { ok: false, error: 'msg_blocks_too_long', messages: [] };
  return { ok: true };
}
