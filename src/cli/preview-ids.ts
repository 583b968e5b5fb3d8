/**
 * The request id of every preview. The bot derives a pod's name suffix from its own request id (`nameSuffix`), so
 * its pod differs from the preview only in that suffix, the request-id label and annotations, the requester and
 * `expires-at`; a fixed id makes the preview of the same pod the same YAML every time (but for `expires-at`).
 */
export const PREVIEW_REQUEST_ID = 'preview';
/** Stands in for the Slack user ids the bot records as requester. */
export const PREVIEW_REQUESTER = 'preview';
