export { formatAge } from '../diagnosis/time.js';
export type * from './block-kit-types.js';
export { renderCodeBlock } from './code-block.js';
export { describeLogCut, kubectlLogsCommand, type LogCutNote, logCutNotes } from './describe-log-cut.js';
export { escapeCode, escapeMrkdwn } from './escape-mrkdwn.js';
export {
  blockTextLength,
  MESSAGE_TEXT_BUDGET,
  packBlocks,
  SLACK_LIMITS,
  truncateEnd,
  truncateStart,
} from './limits.js';
export { mentionGroup, mentionUser } from './mention.js';
export { parseForbidden } from './parse-forbidden.js';
export { type ApprovalRequest, renderApprovalRequest } from './render-approval-request.js';
export { cloneTargets, type DiagnosisMessageOptions, renderDiagnosisMessage } from './render-diagnosis-message.js';
export { RBAC_PATH, type RenderableError, renderErrorMessage } from './render-error-message.js';
export { execLine, type JobProgressState, type JobStep, renderJobProgress } from './render-job-progress.js';
export { type LogReplyOptions, renderLogReplies } from './render-log-replies.js';
export { renderThreadReplies, type ThreadRepliesOptions } from './render-thread-replies.js';
export { sanitizeText } from './sanitize-text.js';
export { type OutboundFile, type OutboundMessage, type Sealed, sealFile, sealMessage } from './seal-message.js';
export { formatUtc, slackDate } from './slack-date.js';
export type { ThreadReply } from './thread-reply.js';
