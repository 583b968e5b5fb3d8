// The small part of Block Kit the bot sends, typed here so src/render stays free of @slack/bolt (only handlers/ and src/app.ts import it).

/** Shown exactly as written; the only text type headers, buttons and confirm titles accept. */
export interface PlainText {
  type: 'plain_text';
  text: string;
  emoji?: boolean;
}

/** Slack's markdown dialect; `&`, `<` and `>` must arrive escaped (see escape-mrkdwn.ts). */
export interface Mrkdwn {
  type: 'mrkdwn';
  text: string;
  verbatim?: boolean;
}

export type TextObject = PlainText | Mrkdwn;

/** The dialog Slack shows before it sends the click; the payload arrives only after "confirm". */
export interface ConfirmDialog {
  title: PlainText;
  /** Slack's confirmation dialog takes plain_text only, here too. */
  text: PlainText;
  confirm: PlainText;
  deny: PlainText;
  style?: 'primary' | 'danger';
}

export interface ButtonElement {
  type: 'button';
  text: PlainText;
  action_id: string;
  value?: string;
  style?: 'primary' | 'danger';
  confirm?: ConfirmDialog;
}

export interface HeaderBlock {
  type: 'header';
  block_id?: string;
  text: PlainText;
}

export interface SectionBlock {
  type: 'section';
  block_id?: string;
  text?: TextObject;
  fields?: TextObject[];
  accessory?: ButtonElement;
}

export interface ContextBlock {
  type: 'context';
  block_id?: string;
  elements: TextObject[];
}

export interface ActionsBlock {
  type: 'actions';
  block_id?: string;
  elements: ButtonElement[];
}

export interface DividerBlock {
  type: 'divider';
  block_id?: string;
}

export type Block = HeaderBlock | SectionBlock | ContextBlock | ActionsBlock | DividerBlock;

/** What chat.postMessage / chat.update / respond() take: `text` is the notification and accessibility fallback. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}
