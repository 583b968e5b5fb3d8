import type { ButtonElement, ConfirmDialog } from './block-kit-types.js';
import { plainText } from './blocks.js';
import { SLACK_LIMITS, truncateEnd } from './limits.js';

/** What a confirm dialog says; each text is cut to Slack's limit (title 100, text 300, buttons 30). */
export interface ConfirmSpec {
  title: string;
  text: string;
  confirm: string;
  deny?: string;
  style?: 'primary' | 'danger';
}

export interface ButtonSpec {
  text: string;
  actionId: string;
  value: string;
  style?: 'primary' | 'danger';
  confirm?: ConfirmSpec;
}

/** A confirmation dialog in plain text: what will be created, and that it goes away by itself. */
export function renderConfirm(spec: ConfirmSpec): ConfirmDialog {
  const dialog: ConfirmDialog = {
    title: plainText(spec.title, SLACK_LIMITS.confirmTitle),
    text: plainText(spec.text, SLACK_LIMITS.confirmText),
    confirm: plainText(spec.confirm, SLACK_LIMITS.confirmButton),
    deny: plainText(spec.deny ?? 'Cancel', SLACK_LIMITS.confirmButton),
  };
  if (spec.style) dialog.style = spec.style;
  return dialog;
}

/** A button carrying only an opaque value (everything else is looked up server-side, and checked there). */
export function renderButton(spec: ButtonSpec): ButtonElement {
  const button: ButtonElement = {
    type: 'button',
    text: plainText(spec.text, SLACK_LIMITS.buttonText),
    action_id: truncateEnd(spec.actionId, SLACK_LIMITS.actionId, ''),
    value: truncateEnd(spec.value, SLACK_LIMITS.buttonValue, ''),
  };
  if (spec.style) button.style = spec.style;
  if (spec.confirm) button.confirm = renderConfirm(spec.confirm);
  return button;
}
