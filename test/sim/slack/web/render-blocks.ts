import { escapeHtml } from './escape-html.js';
import { type MrkdwnContext, renderMrkdwn } from './render-mrkdwn.js';
import { replaceEmoji } from './replace-emoji.js';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const SAFE_URL = /^https?:\/\//i;

/** A composition text object: mrkdwn through the mrkdwn renderer, plain_text escaped with its emoji shown. */
export function renderTextObject(text: unknown, ctx: MrkdwnContext): string {
  if (!isObj(text)) return '';
  if (text.type === 'mrkdwn') return renderMrkdwn(str(text.text), ctx);
  const html = escapeHtml(str(text.text));
  return text.emoji === false ? html : replaceEmoji(html);
}

/** Plain text (confirm dialogs, option labels) as a data attribute value or element text. */
function plain(text: unknown): string {
  return isObj(text) ? str(text.text) : '';
}

/**
 * Block Kit blocks as the Slack client lays them out. Interactive elements carry what the page needs to send the
 * click (`data-action-id`, `data-block-id`, the confirm dialog as JSON); every text is escaped.
 */
export function renderBlocks(blocks: unknown[], ctx: MrkdwnContext): string {
  return blocks.map((b) => renderBlock(b, ctx)).join('');
}

function renderBlock(block: unknown, ctx: MrkdwnContext): string {
  if (!isObj(block)) return '';
  const blockId = str(block.block_id);
  switch (block.type) {
    case 'header':
      return `<div class="bk-header">${renderTextObject(block.text, ctx)}</div>`;
    case 'divider':
      return '<hr class="bk-divider">';
    case 'section': {
      const text = block.text ? `<div class="bk-text">${renderTextObject(block.text, ctx)}</div>` : '';
      const fields = list(block.fields);
      const grid = fields.length
        ? `<div class="bk-fields">${fields.map((f) => `<div class="bk-field">${renderTextObject(f, ctx)}</div>`).join('')}</div>`
        : '';
      const accessory = block.accessory
        ? `<div class="bk-accessory">${renderElement(block.accessory, blockId, ctx)}</div>`
        : '';
      return `<div class="bk-section"><div class="bk-section-main">${text}${grid}</div>${accessory}</div>`;
    }
    case 'context': {
      const items = list(block.elements).map((e) =>
        isObj(e) && e.type === 'image'
          ? renderImage(e, 'bk-context-image')
          : `<span class="bk-context-text">${renderTextObject(e, ctx)}</span>`,
      );
      return `<div class="bk-context">${items.join('')}</div>`;
    }
    case 'actions':
      return `<div class="bk-actions">${list(block.elements)
        .map((e) => renderElement(e, blockId, ctx))
        .join('')}</div>`;
    case 'image': {
      const title = block.title ? `<div class="bk-image-title">${renderTextObject(block.title, ctx)}</div>` : '';
      return `<figure class="bk-image">${title}${renderImage(block, 'bk-image-img')}</figure>`;
    }
    case 'markdown':
      // Slack's markdown block takes standard Markdown; its **bold** is mrkdwn's *bold*.
      return `<div class="bk-text">${renderMrkdwn(str(block.text).replace(/\*\*/g, '*'), ctx)}</div>`;
    case 'rich_text':
      return `<div class="bk-rich-text">${list(block.elements)
        .map((e) => renderRichTextPart(e, ctx))
        .join('')}</div>`;
    default:
      // What Slack's client shows for a block it cannot draw.
      return '<div class="bk-unsupported">This content can’t be displayed.</div>';
  }
}

function renderImage(image: Obj, cls: string): string {
  const url = str(image.image_url);
  const alt = escapeHtml(str(image.alt_text));
  if (!SAFE_URL.test(url)) return `<span class="${cls} bk-image-missing">${alt}</span>`;
  return `<img class="${cls}" src="${escapeHtml(url)}" alt="${alt}" loading="lazy">`;
}

/** A confirm dialog as a JSON data attribute: the page shows it before it sends the click. */
function confirmAttr(confirm: unknown): string {
  if (!isObj(confirm)) return '';
  const dialog = {
    title: plain(confirm.title),
    text: plain(confirm.text),
    confirm: plain(confirm.confirm) || 'Yes',
    deny: plain(confirm.deny) || 'Cancel',
    style: str(confirm.style),
  };
  return ` data-confirm="${escapeHtml(JSON.stringify(dialog))}"`;
}

function renderElement(element: unknown, blockId: string, ctx: MrkdwnContext): string {
  if (!isObj(element)) return '';
  const actionId = escapeHtml(str(element.action_id));
  const ids = `data-action-id="${actionId}" data-block-id="${escapeHtml(blockId)}"`;
  switch (element.type) {
    case 'button': {
      const style = element.style === 'primary' || element.style === 'danger' ? ` bk-button-${element.style}` : '';
      const url = SAFE_URL.test(str(element.url)) ? ` data-url="${escapeHtml(str(element.url))}"` : '';
      return `<button type="button" class="bk-button${style}" ${ids}${url}${confirmAttr(element.confirm)}>${renderTextObject(element.text, ctx)}</button>`;
    }
    case 'overflow': {
      const options = list(element.options).map(
        (o) =>
          `<li class="bk-overflow-option" data-value="${escapeHtml(isObj(o) ? str(o.value) : '')}">${renderTextObject(isObj(o) ? o.text : undefined, ctx)}</li>`,
      );
      return `<details class="bk-overflow" ${ids}${confirmAttr(element.confirm)}><summary class="bk-overflow-button" aria-label="More actions">⋮</summary><ul class="bk-overflow-menu">${options.join('')}</ul></details>`;
    }
    case 'static_select': {
      const option = (o: unknown) =>
        `<option value="${escapeHtml(isObj(o) ? str(o.value) : '')}">${escapeHtml(plain(isObj(o) ? o.text : undefined))}</option>`;
      const groups = list(element.option_groups).map(
        (g) =>
          `<optgroup label="${escapeHtml(plain(isObj(g) ? g.label : undefined))}">${list(
            isObj(g) ? g.options : undefined,
          )
            .map(option)
            .join('')}</optgroup>`,
      );
      const placeholder = `<option value="" selected disabled>${escapeHtml(plain(element.placeholder) || 'Select an item')}</option>`;
      return `<select class="bk-select" ${ids}${confirmAttr(element.confirm)}>${placeholder}${list(element.options).map(option).join('')}${groups.join('')}</select>`;
    }
    case 'image':
      return renderImage(element, 'bk-accessory-image');
    default:
      return '<span class="bk-unsupported">This content can’t be displayed.</span>';
  }
}

/** rich_text: sections, preformatted text, quotes and lists of styled runs, links, mentions and emoji. */
function renderRichTextPart(part: unknown, ctx: MrkdwnContext): string {
  if (!isObj(part)) return '';
  const runs = () =>
    list(part.elements)
      .map((e) => renderRichTextRun(e, ctx))
      .join('');
  switch (part.type) {
    case 'rich_text_section':
      return `<div class="rt-section">${runs()}</div>`;
    case 'rich_text_preformatted':
      return `<pre class="mrkdwn-pre">${runs()}</pre>`;
    case 'rich_text_quote':
      return `<blockquote class="mrkdwn-quote">${runs()}</blockquote>`;
    case 'rich_text_list': {
      const tag = part.style === 'ordered' ? 'ol' : 'ul';
      return `<${tag} class="rt-list">${list(part.elements)
        .map((e) => `<li>${renderRichTextPart(e, ctx).replace(/^<div class="rt-section">|<\/div>$/g, '')}</li>`)
        .join('')}</${tag}>`;
    }
    default:
      return '';
  }
}

function renderRichTextRun(run: unknown, ctx: MrkdwnContext): string {
  if (!isObj(run)) return '';
  const style = isObj(run.style) ? run.style : {};
  const styled = (html: string): string => {
    let s = html;
    if (style.code) s = `<code class="mrkdwn-code">${s}</code>`;
    if (style.bold) s = `<b>${s}</b>`;
    if (style.italic) s = `<i>${s}</i>`;
    if (style.strike) s = `<s>${s}</s>`;
    return s;
  };
  switch (run.type) {
    case 'text':
      return styled(escapeHtml(str(run.text)));
    case 'link': {
      const url = str(run.url);
      const shown = escapeHtml(str(run.text) || url);
      return SAFE_URL.test(url)
        ? styled(
            `<a class="mrkdwn-link" href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${shown}</a>`,
          )
        : styled(shown);
    }
    case 'emoji':
      return replaceEmoji(`:${escapeHtml(str(run.name))}:`);
    // Mentions go through the mrkdwn renderer, which knows the workspace's names.
    case 'user':
      return styled(renderMrkdwn(`<@${str(run.user_id)}>`, ctx));
    case 'channel':
      return styled(renderMrkdwn(`<#${str(run.channel_id)}>`, ctx));
    case 'usergroup':
      return styled(renderMrkdwn(`<!subteam^${str(run.usergroup_id)}>`, ctx));
    case 'broadcast':
      return styled(renderMrkdwn(`<!${str(run.range)}>`, ctx));
    default:
      return '';
  }
}
